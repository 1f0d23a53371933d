/*
 * Hot pixel loops of the recognition strategy, in C (src/codes/kernels.ts binds them).
 *
 * Why: V8 runs these byte loops at 2–6 ns a pixel on this class of machine (bounds checks, no SIMD); the rescue
 * phase runs them on whole views (a contrast stretch, a 3×3 box blur and a cell edge map for every spot search),
 * where they were a fifth of its time. Each function computes exactly what its JS twin in image-ops.ts /
 * regions.ts / orientation.ts computes (same integer or double operations, same rounding); kernels.test.ts checks
 * them against each other.
 */
#include <node_api.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image_ops.h"

/* The double kernels must round like JS: no fused multiply-adds (GCC: -ffp-contract=off in binding.gyp). */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

static inline uint8_t min8(uint8_t a, uint8_t b) { return a < b ? a : b; }
static inline uint8_t max8(uint8_t a, uint8_t b) { return a > b ? a : b; }

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
  double x;
  if (napi_get_value_double(env, v, &x) != napi_ok || !(x >= 0 && x <= INT32_MAX) || x != floor(x)) {
    napi_throw_range_error(env, NULL, "expected an integer 0..2^31-1");
    return 0;
  }
  *out = (int32_t)x;
  return 1;
}

/* Throws "out of memory" and returns NULL, for `return out_of_memory(env);` after a failed allocation. */
static napi_value out_of_memory(napi_env env) {
  napi_throw_error(env, NULL, "out of memory");
  return NULL;
}

/* Throws a RangeError and returns NULL, for `return range_error(env, "...");` after a bad argument. */
static napi_value range_error(napi_env env, const char *message) {
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

static inline int32_t max_side(int32_t w, int32_t h) { return w > h ? w : h; }

static int finite_arg(napi_env env, napi_value v, double *out) {
  if (napi_get_value_double(env, v, out) != napi_ok || !isfinite(*out)) {
    napi_throw_range_error(env, NULL, "expected a finite number");
    return 0;
  }
  return 1;
}

/* The call's first `n` arguments (extra ones ignored); 0 and a TypeError when there are fewer. */
static int get_args(napi_env env, napi_callback_info cb, size_t n, napi_value *argv) {
  size_t argc = n;
  if (napi_get_cb_info(env, cb, &argc, argv, NULL, NULL) != napi_ok) return 0;
  if (argc < n) {
    napi_throw_type_error(env, NULL, "too few arguments");
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
  napi_value argv[5];
  if (!get_args(env, cb, 5, argv)) return NULL;
  int32_t w, h, mx, my;
  const uint8_t *d = image_args(env, argv, &w, &h);
  if (!d || !int_arg(env, argv[3], &mx) || !int_arg(env, argv[4], &my)) return NULL;
  uint32_t *hist;
  napi_value out = new_array(env, napi_uint32_array, 256, 4, (void **)&hist);
  if (!out) return NULL;
  if ((int64_t)2 * mx >= w || (int64_t)2 * my >= h) {
    memset(hist, 0, 256 * sizeof *hist); /* an empty centre, as the JS loops give */
    return out;
  }
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
  size_t n, lut_n;
  napi_value argv[2];
  if (!get_args(env, cb, 2, argv)) return NULL;
  const uint8_t *d = u8_arg(env, argv[0], &n);
  const uint8_t *lut = d ? u8_arg(env, argv[1], &lut_n) : NULL;
  if (!lut) return NULL;
  if (lut_n != 256) return range_error(env, "lut must have 256 entries");
  uint8_t *o;
  napi_value out = new_array(env, napi_uint8_array, n, 1, (void **)&o);
  if (!out) return NULL;
  for (size_t i = 0; i < n; i++) o[i] = lut[d[i]];
  return out;
}

/* t[x] = s[x-1] + s[x] + s[x+1], edges replicated (restrict: no aliasing, so the loops vectorise). */
static void row_sums3(const uint8_t *restrict s, int32_t w, uint16_t *restrict t) {
  if (w == 1) {
    t[0] = (uint16_t)(3 * s[0]);
    return;
  }
  t[0] = (uint16_t)(2 * s[0] + s[1]);
  for (int32_t x = 1; x < w - 1; x++) t[x] = (uint16_t)(s[x - 1] + s[x] + s[x + 1]);
  t[w - 1] = (uint16_t)(s[w - 2] + 2 * s[w - 1]);
}

static void column_means3(const uint16_t *restrict a, const uint16_t *restrict b, const uint16_t *restrict c, int32_t w,
                          uint8_t *restrict r) {
  for (int32_t x = 0; x < w; x++) r[x] = (uint8_t)(((uint32_t)a[x] + b[x] + c[x] + 4) / 9);
}

/* boxBlur3(data, width, height): the 3x3 mean, edges replicated, floor((sum + 4) / 9) (image-ops boxBlur3). */
static napi_value box_blur3(napi_env env, napi_callback_info cb) {
  napi_value argv[3];
  if (!get_args(env, cb, 3, argv)) return NULL;
  int32_t w, h;
  const uint8_t *d = image_args(env, argv, &w, &h);
  if (!d) return NULL;
  size_t n = (size_t)w * h;
  uint8_t *o;
  napi_value out = new_array(env, napi_uint8_array, n, 1, (void **)&o);
  if (!out || n == 0) return out;
  uint16_t *tmp = malloc(n * sizeof *tmp);
  if (!tmp) return out_of_memory(env);
  for (int32_t y = 0; y < h; y++) row_sums3(d + (size_t)y * w, w, tmp + (size_t)y * w);
  for (int32_t y = 0; y < h; y++) {
    column_means3(tmp + (size_t)(y > 0 ? y - 1 : 0) * w, tmp + (size_t)y * w, tmp + (size_t)(y < h - 1 ? y + 1 : h - 1) * w,
                  w, o + (size_t)y * w);
  }
  free(tmp);
  return out;
}

/* One row's contribution to its band's per-column step counts and level ranges (see edgeCells). */
static void edge_row(const uint8_t *restrict row, const uint8_t *restrict next, int32_t inner, int32_t span, int32_t step,
                     uint16_t *restrict count, uint8_t *restrict lo, uint8_t *restrict hi) {
  int32_t x = 0;
  for (; x < inner; x++) {
    int v = row[x], dx = row[x + 1] - v, dy = next[x] - v;
    count[x] += (uint16_t)((abs(dx) >= step) + (abs(dy) >= step));
    lo[x] = min8(row[x], lo[x]);
    hi[x] = max8(row[x], hi[x]);
  }
  for (; x < span; x++) {
    int dy = next[x] - row[x];
    count[x] += (uint16_t)((0 >= step) + (abs(dy) >= step));
    lo[x] = min8(row[x], lo[x]);
    hi[x] = max8(row[x], hi[x]);
  }
}

/*
 * edgeCells(data, width, height, cell, step): per cell of cell x cell pixels (floor(width / cell) x
 * floor(height / cell) cells, row-major), the count of horizontal plus vertical steps of at least `step` levels
 * (to the right and to the next row, edges replicated) in the low 16 bits, and the cell's level range
 * (max - min) in bits 16-23: the first loop of regions.ts findCandidates.
 */
static napi_value edge_cells(napi_env env, napi_callback_info cb) {
  napi_value argv[5];
  if (!get_args(env, cb, 5, argv)) return NULL;
  int32_t w, h, cell, step;
  const uint8_t *d = image_args(env, argv, &w, &h);
  if (!d || !int_arg(env, argv[3], &cell) || !int_arg(env, argv[4], &step)) return NULL;
  if (cell < 1 || cell > 64) return range_error(env, "cell must be 1..64");
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
    return out_of_memory(env);
  }
  /* The last column's step to the right is to itself (replicated edge): never a step unless step is 0. */
  const int32_t inner = span < w ? span : w - 1;
  for (int32_t cy = 0; cy < ch; cy++) {
    memset(count, 0, (size_t)span * sizeof *count);
    memset(lo, 255, (size_t)span);
    memset(hi, 0, (size_t)span);
    for (int32_t y = cy * cell; y < (cy + 1) * cell; y++) {
      edge_row(d + (size_t)y * w, d + (size_t)(y + 1 < h ? y + 1 : h - 1) * w, inner, span, step, count, lo, hi);
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


/* Each column's three levels sorted into lo <= mid <= hi (restrict: no aliasing, so the loop vectorises). */
static void sort_columns(const uint8_t *restrict ra, const uint8_t *restrict rb, const uint8_t *restrict rc, int32_t w,
                         uint8_t *restrict lo, uint8_t *restrict mid, uint8_t *restrict hi) {
  for (int32_t x = 0; x < w; x++) {
    uint8_t a = ra[x], b = rb[x], c = rc[x];
    uint8_t l = min8(a, b), u = max8(a, b), m = min8(u, c);
    lo[x] = min8(l, m);
    mid[x] = max8(l, m);
    hi[x] = max8(u, c);
  }
}

/* The 3x3 medians of one row from its padded column triples: med3(max of lows, med3 of mids, min of highs). */
static void median_row(const uint8_t *restrict lo, const uint8_t *restrict mid, const uint8_t *restrict hi, int32_t w,
                       uint8_t *restrict r) {
  for (int32_t x = 0; x < w; x++) {
    uint8_t l = max8(max8(lo[x], lo[x + 1]), lo[x + 2]);
    uint8_t u = min8(min8(hi[x], hi[x + 1]), hi[x + 2]);
    uint8_t m0 = mid[x], m1 = mid[x + 1], m2 = mid[x + 2];
    uint8_t m = max8(min8(m0, m1), min8(max8(m0, m1), m2));
    r[x] = max8(min8(l, m), min8(max8(l, m), u));
  }
}

/* median3(data, width, height): the 3x3 median, edges replicated (image-ops median3). Each column triple is
 * sorted once; the median of the 9 is med(max of the lows, med of the mids, min of the highs). */
static napi_value median3(napi_env env, napi_callback_info cb) {
  napi_value argv[3];
  if (!get_args(env, cb, 3, argv)) return NULL;
  int32_t w, h;
  const uint8_t *d = image_args(env, argv, &w, &h);
  if (!d) return NULL;
  size_t n = (size_t)w * h;
  uint8_t *o;
  napi_value out = new_array(env, napi_uint8_array, n, 1, (void **)&o);
  if (!out || n == 0) return out;
  /* Padded by one column on each side (replicated edges), so that the second loop has no edge cases. */
  uint8_t *lo = malloc((size_t)w + 2), *mid = malloc((size_t)w + 2), *hi = malloc((size_t)w + 2);
  if (!lo || !mid || !hi) {
    free(lo), free(mid), free(hi);
    return out_of_memory(env);
  }
  for (int32_t y = 0; y < h; y++) {
    sort_columns(d + (size_t)(y > 0 ? y - 1 : 0) * w, d + (size_t)y * w, d + (size_t)(y < h - 1 ? y + 1 : h - 1) * w, w,
                 lo + 1, mid + 1, hi + 1);
    lo[0] = lo[1], mid[0] = mid[1], hi[0] = hi[1];
    lo[w + 1] = lo[w], mid[w + 1] = mid[w], hi[w + 1] = hi[w];
    median_row(lo, mid, hi, w, o + (size_t)y * w);
  }
  free(lo), free(mid), free(hi);
  return out;
}

/*
 * localNormalize(data, width, height, radius, k): 128 + 127 (v - mean) / (k sd + 4) over the (2 radius + 1)^2
 * window clipped to the image, clamped to 0..255 and truncated (image-ops localNormalize: the same sliding sums
 * in doubles, the same operations in the same order, so the same values).
 */
static napi_value local_normalize(napi_env env, napi_callback_info cb) {
  napi_value argv[5];
  if (!get_args(env, cb, 5, argv)) return NULL;
  int32_t w, h, radius;
  double k;
  const uint8_t *d = image_args(env, argv, &w, &h);
  if (!d || !int_arg(env, argv[3], &radius)) return NULL;
  if (!finite_arg(env, argv[4], &k)) return NULL;
  if (k < 0) return range_error(env, "k must be >= 0");
  /* A window wider than the image is the whole image (as in JS); clamped so that y + radius + 1 cannot overflow. */
  if (radius > max_side(w, h)) radius = max_side(w, h);
  size_t n = (size_t)w * h;
  uint8_t *o;
  napi_value out = new_array(env, napi_uint8_array, n, 1, (void **)&o);
  if (!out || n == 0) return out;
  double *col1 = calloc((size_t)w, sizeof *col1), *col2 = calloc((size_t)w, sizeof *col2);
  if (!col1 || !col2) {
    free(col1), free(col2);
    return out_of_memory(env);
  }
  int32_t top = 0, bottom = 0; /* rows [top, bottom) are in the column sums */
  for (int32_t y = 0; y < h; y++) {
    int32_t y0 = y - radius > 0 ? y - radius : 0, y1 = y + radius + 1 < h ? y + radius + 1 : h;
    for (; bottom < y1; bottom++) {
      const uint8_t *row = d + (size_t)bottom * w;
      for (int32_t x = 0; x < w; x++) { double v = row[x]; col1[x] += v; col2[x] += v * v; }
    }
    for (; top < y0; top++) {
      const uint8_t *row = d + (size_t)top * w;
      for (int32_t x = 0; x < w; x++) { double v = row[x]; col1[x] -= v; col2[x] -= v * v; }
    }
    const int32_t rows = y1 - y0;
    const uint8_t *row = d + (size_t)y * w;
    uint8_t *r = o + (size_t)y * w;
    double r1 = 0, r2 = 0;
    int32_t left = 0, right = 0; /* columns [left, right) are in r1, r2 */
    for (int32_t x = 0; x < w; x++) {
      int32_t x0 = x - radius > 0 ? x - radius : 0, x1 = x + radius + 1 < w ? x + radius + 1 : w;
      for (; right < x1; right++) { r1 += col1[right]; r2 += col2[right]; }
      for (; left < x0; left++) { r1 -= col1[left]; r2 -= col2[left]; }
      double cnt = (double)rows * (x1 - x0);
      double mean = r1 / cnt;
      double var = r2 / cnt - mean * mean;
      double sd = sqrt(var > 0 ? var : 0);
      double v = 128 + (127 * (row[x] - mean)) / (k * sd + 4);
      r[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
  }
  free(col1), free(col2);
  return out;
}

/*
 * gridSums(data, width, height, step, minGradient2): the sums of orientation.ts gridAngle over pixels (x, y), x and
 * y in 1, 1 + step, ... inside the 1-pixel border, whose Sobel gradient (divided by 4) has |g|^2 >= minGradient2:
 * [sum r c2, sum r s2, sum r c4, sum r s4, sum r, votes, sum x, sum y, sum x^2, sum y^2, sum x y] as a
 * Float64Array, accumulated in the same order with the same double operations as the JS loop (same values).
 */
static napi_value grid_sums(napi_env env, napi_callback_info cb) {
  napi_value argv[5];
  if (!get_args(env, cb, 5, argv)) return NULL;
  int32_t w, h, step;
  double min2;
  const uint8_t *d = image_args(env, argv, &w, &h);
  if (!d || !int_arg(env, argv[3], &step)) return NULL;
  if (!finite_arg(env, argv[4], &min2)) return NULL;
  if (step < 1) return range_error(env, "step must be >= 1");
  /* A step past the image visits the same pixels; clamped so that x += step cannot overflow. */
  if (step > max_side(w, h)) step = max_side(w, h);
  if (step < 1) step = 1;
  double *sums;
  napi_value out = new_array(env, napi_float64_array, 11, 8, (void **)&sums);
  if (!out) return NULL;
  double c2sum = 0, s2sum = 0, c4 = 0, s4 = 0, total = 0, votes = 0, mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
  for (int32_t y = 1; y < h - 1; y += step) {
    const uint8_t *a = d + (size_t)(y - 1) * w, *b = d + (size_t)y * w, *c = d + (size_t)(y + 1) * w;
    for (int32_t x = 1; x < w - 1; x += step) {
      double gx = (double)(a[x + 1] + 2 * b[x + 1] + c[x + 1] - a[x - 1] - 2 * b[x - 1] - c[x - 1]) / 4;
      double gy = (double)(c[x - 1] + 2 * c[x] + c[x + 1] - a[x - 1] - 2 * a[x] - a[x + 1]) / 4;
      double r2 = gx * gx + gy * gy;
      if (r2 < min2) continue;
      double c2 = (gx * gx - gy * gy) / r2, s2 = (2 * gx * gy) / r2;
      double r = sqrt(r2);
      c2sum += r * c2;
      s2sum += r * s2;
      c4 += r * (c2 * c2 - s2 * s2);
      s4 += r * (2 * s2 * c2);
      total += r;
      votes++;
      mx += x; my += y; mxx += (double)x * x; myy += (double)y * y; mxy += (double)x * y;
    }
  }
  sums[0] = c2sum, sums[1] = s2sum, sums[2] = c4, sums[3] = s4, sums[4] = total, sums[5] = votes;
  sums[6] = mx, sums[7] = my, sums[8] = mxx, sums[9] = myy, sums[10] = mxy;
  return out;
}

/*
 * rotateBilinear(data, width, height, W, H, cos, sin, cx, cy, ox, oy, fill): orientation.ts rotateGray's resampling
 * loop: output (u, v) from source (cos du + sin dv + cx, -sin du + cos dv + cy), stepped by repeated addition as in
 * JS, bilinear, `fill` outside; the same double operations (same values).
 */
static napi_value rotate_bilinear(napi_env env, napi_callback_info cb) {
  napi_value argv[12];
  if (!get_args(env, cb, 12, argv)) return NULL;
  int32_t w, h, W, H, fill;
  double k[6];
  const uint8_t *d = image_args(env, argv, &w, &h);
  if (!d || !int_arg(env, argv[3], &W) || !int_arg(env, argv[4], &H) || !int_arg(env, argv[11], &fill)) return NULL;
  for (int i = 0; i < 6; i++) {
    if (!finite_arg(env, argv[5 + i], &k[i])) return NULL; /* NaN would pass every bounds test below */
  }
  if ((double)W * H > 1e9 || fill > 255) return range_error(env, "output too large or fill out of range");
  const double cs = k[0], sn = k[1], cx = k[2], cy = k[3], ox = k[4], oy = k[5];
  uint8_t *o;
  napi_value out = new_array(env, napi_uint8_array, (size_t)W * H, 1, (void **)&o);
  if (!out) return NULL;
  for (int32_t v = 0; v < H; v++) {
    double dy = v - oy;
    double sx = -cs * ox + sn * dy + cx, sy = sn * ox + cs * dy + cy;
    uint8_t *r = o + (size_t)v * W;
    for (int32_t u = 0; u < W; u++, sx += cs, sy -= sn) {
      /* floor(s) < 0 exactly when s < 0; for s >= 0 truncation is floor (and needs no libm call). */
      if (sx < 0 || sy < 0 || sx >= w - 1 || sy >= h - 1) {
        r[u] = (uint8_t)fill;
        continue;
      }
      int32_t x0 = (int32_t)sx, y0 = (int32_t)sy;
      double fx = sx - x0, fy = sy - y0;
      const uint8_t *p = d + (size_t)y0 * w + x0;
      double top = p[0] + (p[1] - p[0]) * fx;
      double bottom = p[w] + (p[w + 1] - p[w]) * fx;
      r[u] = (uint8_t)(top + (bottom - top) * fy + 0.5);
    }
  }
  return out;
}

/* One output row of a 2x downscale: (a + b + c + d + 2) >> 2 over each 2x2 block (restrict: vectorises). */
static void halve_row(const uint8_t *restrict r0, const uint8_t *restrict r1, int32_t ow, uint8_t *restrict o) {
  for (int32_t x = 0; x < ow; x++) o[x] = (uint8_t)((r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1] + 2) >> 2);
}

/*
 * boxDownscale(data, width, height, f): each output pixel the rounded mean of an f x f block, floor((sum + f*f/2) /
 * (f*f)), right and bottom remainders dropped (image-ops downscale, f >= 2).
 */
static napi_value box_downscale(napi_env env, napi_callback_info cb) {
  napi_value argv[4];
  if (!get_args(env, cb, 4, argv)) return NULL;
  int32_t w, h, f;
  const uint8_t *d = image_args(env, argv, &w, &h);
  if (!d || !int_arg(env, argv[3], &f)) return NULL;
  if (f < 2 || f > 256) return range_error(env, "f must be 2..256");
  int32_t ow = w / f, oh = h / f;
  uint8_t *o;
  napi_value out = new_array(env, napi_uint8_array, (size_t)ow * oh, 1, (void **)&o);
  if (!out || ow == 0 || oh == 0) return out;
  if (f == 2) {
    for (int32_t y = 0; y < oh; y++) halve_row(d + (size_t)2 * y * w, d + (size_t)(2 * y + 1) * w, ow, o + (size_t)y * ow);
    return out;
  }
  uint32_t *acc = malloc((size_t)ow * sizeof *acc);
  if (!acc) return out_of_memory(env);
  const uint32_t area = (uint32_t)f * f, half = area >> 1;
  for (int32_t y = 0; y < oh; y++) {
    memset(acc, 0, (size_t)ow * sizeof *acc);
    for (int32_t dy = 0; dy < f; dy++) {
      const uint8_t *p = d + (size_t)(y * f + dy) * w;
      for (int32_t x = 0; x < ow; x++) {
        uint32_t sum = 0;
        for (int32_t dx = 0; dx < f; dx++) sum += p[x * f + dx];
        acc[x] += sum;
      }
    }
    uint8_t *r = o + (size_t)y * ow;
    for (int32_t x = 0; x < ow; x++) r[x] = (uint8_t)((acc[x] + half) / area);
  }
  free(acc);
  return out;
}

/* binRows(data, width, height, k): each output row floor((sum of k source rows + k/2) / k), the bottom remainder
 * dropped (image-ops binRows, k >= 2). */
static napi_value bin_rows(napi_env env, napi_callback_info cb) {
  napi_value argv[4];
  if (!get_args(env, cb, 4, argv)) return NULL;
  int32_t w, h, k;
  const uint8_t *d = image_args(env, argv, &w, &h);
  if (!d || !int_arg(env, argv[3], &k)) return NULL;
  if (k < 2 || k > 256) return range_error(env, "k must be 2..256");
  int32_t oh = h / k;
  uint8_t *o;
  napi_value out = new_array(env, napi_uint8_array, (size_t)w * oh, 1, (void **)&o);
  if (!out || w == 0 || oh == 0) return out;
  uint32_t *acc = malloc((size_t)w * sizeof *acc);
  if (!acc) return out_of_memory(env);
  for (int32_t y = 0; y < oh; y++) {
    for (int32_t x = 0; x < w; x++) acc[x] = (uint32_t)(k >> 1);
    for (int32_t j = 0; j < k; j++) {
      const uint8_t *p = d + (size_t)(y * k + j) * w;
      for (int32_t x = 0; x < w; x++) acc[x] += p[x];
    }
    uint8_t *r = o + (size_t)y * w;
    for (int32_t x = 0; x < w; x++) r[x] = (uint8_t)(acc[x] / (uint32_t)k);
  }
  free(acc);
  return out;
}

int register_image_ops(napi_env env, napi_value exports) {
  static const struct { const char *name; napi_callback fn; } fns[] = {
    { "histogram", histogram },
    { "mapLut", map_lut },
    { "boxBlur3", box_blur3 },
    { "edgeCells", edge_cells },
    { "median3", median3 },
    { "localNormalize", local_normalize },
    { "gridSums", grid_sums },
    { "rotateBilinear", rotate_bilinear },
    { "boxDownscale", box_downscale },
    { "binRows", bin_rows },
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value fn;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &fn) != napi_ok) return 0;
    if (napi_set_named_property(env, exports, fns[i].name, fn) != napi_ok) return 0;
  }
  return 1;
}
