/*
 * Hot pixel loops of the recognition strategy, in C (src/codes/native-ops.ts binds them).
 *
 * Why: V8 runs these byte loops at 2–6 ns a pixel on this class of machine (bounds checks, no SIMD); the rescue
 * phase runs them on whole views (a contrast stretch, a 3×3 box blur and a cell edge map for every spot search),
 * where they were a fifth of its time. Each function computes exactly what its JS twin in image-ops.ts /
 * regions.ts computes (integer arithmetic, same rounding); native-ops.test.ts checks them against each other.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image_ops.h"

#define CHECK(call) do { if ((call) != napi_ok) return NULL; } while (0)

/* A Uint8Array argument's bytes (NULL and a thrown TypeError when it is not one). */
static const uint8_t *u8_arg(napi_env env, napi_value v, size_t *length) {
  bool typed;
  if (napi_is_typedarray(env, v, &typed) != napi_ok || !typed) goto bad;
  napi_typedarray_type kind;
  void *data;
  if (napi_get_typedarray_info(env, v, &kind, length, &data, NULL, NULL) != napi_ok || kind != napi_uint8_array) goto bad;
  return *length ? (const uint8_t *)data : (const uint8_t *)"";
bad:
  napi_throw_type_error(env, NULL, "expected a Uint8Array");
  return NULL;
}

static int int_arg(napi_env env, napi_value v, int32_t *out) {
  if (napi_get_value_int32(env, v, out) != napi_ok || *out < 0) {
    napi_throw_range_error(env, NULL, "expected a non-negative integer");
    return 0;
  }
  return 1;
}

/* A new typed array of `n` elements of `bytes` each, and its memory. */
static napi_value new_array(napi_env env, napi_typedarray_type kind, size_t n, size_t bytes, void **mem) {
  napi_value buffer, array;
  CHECK(napi_create_arraybuffer(env, n * bytes, mem, &buffer));
  CHECK(napi_create_typedarray(env, kind, n, buffer, 0, &array));
  return array;
}

/* (data, width, height) with width * height == data.length. */
static const uint8_t *image_args(napi_env env, napi_value *argv, int32_t *w, int32_t *h) {
  size_t length;
  const uint8_t *d = u8_arg(env, argv[0], &length);
  if (!d || !int_arg(env, argv[1], w) || !int_arg(env, argv[2], h)) return NULL;
  if ((size_t)*w * (size_t)*h != length) {
    napi_throw_range_error(env, NULL, "width * height must equal data.length");
    return NULL;
  }
  return d;
}

/* histogram(data, width, height, mx, my): Uint32Array(256) of the levels in [mx, width-mx) x [my, height-my). */
static napi_value histogram(napi_env env, napi_callback_info cb) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  int32_t w, h, mx, my;
  const uint8_t *d = argc == 5 ? image_args(env, argv, &w, &h) : NULL;
  if (!d || !int_arg(env, argv[3], &mx) || !int_arg(env, argv[4], &my)) return NULL;
  uint32_t *hist;
  napi_value out = new_array(env, napi_uint32_array, 256, 4, (void **)&hist);
  if (!out) return NULL;
  /* Four partial histograms: consecutive equal levels would otherwise wait on each other's increment. */
  uint32_t part[4][256];
  memset(part, 0, sizeof part);
  for (int32_t y = my; y < h - my; y++) {
    const uint8_t *row = d + (size_t)y * w;
    int32_t x = mx;
    for (; x + 3 < w - mx; x += 4) {
      part[0][row[x]]++;
      part[1][row[x + 1]]++;
      part[2][row[x + 2]]++;
      part[3][row[x + 3]]++;
    }
    for (; x < w - mx; x++) part[0][row[x]]++;
  }
  for (int v = 0; v < 256; v++) hist[v] = part[0][v] + part[1][v] + part[2][v] + part[3][v];
  return out;
}

/* mapLut(data, lut): a new Uint8Array with lut[data[i]] for every i (lut: 256 entries). */
static napi_value map_lut(napi_env env, napi_callback_info cb) {
  size_t argc = 2, n, lut_n;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  const uint8_t *d = argc == 2 ? u8_arg(env, argv[0], &n) : NULL;
  const uint8_t *lut = d ? u8_arg(env, argv[1], &lut_n) : NULL;
  if (!lut) return NULL;
  if (lut_n != 256) {
    napi_throw_range_error(env, NULL, "lut must have 256 entries");
    return NULL;
  }
  uint8_t *o;
  napi_value out = new_array(env, napi_uint8_array, n, 1, (void **)&o);
  if (!out) return NULL;
  for (size_t i = 0; i < n; i++) o[i] = lut[d[i]];
  return out;
}

/* boxBlur3(data, width, height): the 3x3 mean, edges replicated, floor((sum + 4) / 9) (image-ops boxBlur3). */
static napi_value box_blur3(napi_env env, napi_callback_info cb) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  int32_t w, h;
  const uint8_t *d = argc == 3 ? image_args(env, argv, &w, &h) : NULL;
  if (!d) return NULL;
  size_t n = (size_t)w * h;
  uint8_t *o;
  napi_value out = new_array(env, napi_uint8_array, n, 1, (void **)&o);
  if (!out || n == 0) return out;
  uint16_t *tmp = malloc(n * sizeof *tmp);
  if (!tmp) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  for (int32_t y = 0; y < h; y++) {
    const uint8_t *s = d + (size_t)y * w;
    uint16_t *t = tmp + (size_t)y * w;
    if (w == 1) {
      t[0] = (uint16_t)(3 * s[0]);
      continue;
    }
    t[0] = (uint16_t)(2 * s[0] + s[1]);
    for (int32_t x = 1; x < w - 1; x++) t[x] = (uint16_t)(s[x - 1] + s[x] + s[x + 1]);
    t[w - 1] = (uint16_t)(s[w - 2] + 2 * s[w - 1]);
  }
  for (int32_t y = 0; y < h; y++) {
    const uint16_t *a = tmp + (size_t)(y > 0 ? y - 1 : 0) * w, *b = tmp + (size_t)y * w,
                   *c = tmp + (size_t)(y < h - 1 ? y + 1 : h - 1) * w;
    uint8_t *r = o + (size_t)y * w;
    for (int32_t x = 0; x < w; x++) r[x] = (uint8_t)(((uint32_t)a[x] + b[x] + c[x] + 4) / 9);
  }
  free(tmp);
  return out;
}

/*
 * edgeCells(data, width, height, cell, step): per cell of cell x cell pixels (floor(width / cell) x
 * floor(height / cell) cells, row-major), the count of horizontal plus vertical steps of at least `step` levels
 * (to the right and to the next row, edges replicated) in the low 16 bits, and the cell's level range
 * (max - min) in bits 16-23: the first loop of regions.ts findCandidates.
 */
static napi_value edge_cells(napi_env env, napi_callback_info cb) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  int32_t w, h, cell, step;
  const uint8_t *d = argc == 5 ? image_args(env, argv, &w, &h) : NULL;
  if (!d || !int_arg(env, argv[3], &cell) || !int_arg(env, argv[4], &step)) return NULL;
  if (cell < 1 || cell > 64) {
    napi_throw_range_error(env, NULL, "cell must be 1..64");
    return NULL;
  }
  int32_t cw = w / cell, ch = h / cell;
  uint32_t *cells;
  napi_value out = new_array(env, napi_uint32_array, (size_t)cw * ch, 4, (void **)&cells);
  if (!out || cw == 0 || ch == 0) return out;
  const int32_t span = cw * cell; /* columns that belong to a cell */
  /* Per column, over the cell's rows: steps counted, lowest and highest level (vectorisable loops); then each
   * cell sums its columns once per band of rows. */
  uint16_t *count = malloc((size_t)span * sizeof *count);
  uint8_t *lo = malloc((size_t)span), *hi = malloc((size_t)span);
  if (!count || !lo || !hi) {
    free(count), free(lo), free(hi);
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  /* The last column's step to the right is to itself (replicated edge): never a step unless step is 0. */
  const int32_t inner = span < w ? span : w - 1;
  for (int32_t cy = 0; cy < ch; cy++) {
    memset(count, 0, (size_t)span * sizeof *count);
    memset(lo, 255, (size_t)span);
    memset(hi, 0, (size_t)span);
    for (int32_t y = cy * cell; y < (cy + 1) * cell; y++) {
      const uint8_t *row = d + (size_t)y * w, *next = d + (size_t)(y + 1 < h ? y + 1 : h - 1) * w;
      int32_t x = 0;
      for (; x < inner; x++) {
        int v = row[x], dx = row[x + 1] - v, dy = next[x] - v;
        count[x] += (uint16_t)((abs(dx) >= step) + (abs(dy) >= step));
        lo[x] = row[x] < lo[x] ? row[x] : lo[x];
        hi[x] = row[x] > hi[x] ? row[x] : hi[x];
      }
      for (; x < span; x++) {
        int v = row[x], dy = next[x] - v;
        count[x] += (uint16_t)((0 >= step) + (abs(dy) >= step));
        lo[x] = row[x] < lo[x] ? row[x] : lo[x];
        hi[x] = row[x] > hi[x] ? row[x] : hi[x];
      }
    }
    for (int32_t cx = 0; cx < cw; cx++) {
      uint32_t c = 0;
      uint8_t l = 255, u = 0;
      for (int32_t k = cx * cell; k < (cx + 1) * cell; k++) {
        c += count[k];
        if (lo[k] < l) l = lo[k];
        if (hi[k] > u) u = hi[k];
      }
      cells[(size_t)cy * cw + cx] = c | ((uint32_t)(u - l) << 16);
    }
  }
  free(count), free(lo), free(hi);
  return out;
}

int register_image_ops(napi_env env, napi_value exports) {
  static const struct { const char *name; napi_callback fn; } fns[] = {
    { "histogram", histogram },
    { "mapLut", map_lut },
    { "boxBlur3", box_blur3 },
    { "edgeCells", edge_cells },
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value fn;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &fn) != napi_ok) return 0;
    if (napi_set_named_property(env, exports, fns[i].name, fn) != napi_ok) return 0;
  }
  return 1;
}
