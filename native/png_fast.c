/*
 * The common PNGs decoded with one libdeflate call.
 *
 * Why: inflating is ~75 % of libpng's decode of the suite's PNGs (renders with sensor noise compress little), and
 * libdeflate inflates a whole stream at once 2.2x faster than zlib's streaming inflate (the suite's 170 PNGs:
 * 693 -> 321 ms).
 *
 * What: still, non-interlaced, 8-bit greyscale, grey + alpha, RGB, RGBA and palette images without tRNS: the
 * same luminance as luma.c's libpng decoder, byte for byte (png-fast.test.ts compares the two). The stream is
 * checked as libpng checks it there (benign errors made errors): every chunk's CRC and name, IHDR first and
 * valid, PLTE only in colour images and before IDAT, consecutive IDATs, an empty IEND, no unknown critical chunk,
 * libpng's chunk size limits, one zlib stream with a 32 KiB window whose Adler-32 holds and that fills the image
 * exactly with nothing after it, filter types 0-4, palette indices within the palette. Anything else returns 0
 * and libpng decides, as before.
 * Two kinds of broken PNG are decoded here where libpng refused them (and sharp then decided), both only made by
 * hand: an ancillary chunk libpng refuses for its contents or place (a gAMA of 3 bytes, an sRGB intent of 9, a bad
 * iCCP: they are not interpreted, libpng's decoder ignores gamma and profiles too), and a deflate stream whose
 * Huffman tables zlib refuses but libdeflate reads (more than 286 length or 30 distance codes, distance symbols
 * 30-31, a one-symbol code sent as bit 1, a repeat past the code lengths): the image data is used as it is.
 *
 * Memory: the filtered image is inflated whole, height x (1 + row bytes), into the thread's scratch buffer
 * (buffers.c); larger images than FAST_MAX_BYTES are left to libpng's row-by-row decode.
 */
#include "png_fast.h"

#ifndef HAVE_LIBDEFLATE
/* Built without libdeflate's headers (binding.gyp): every PNG goes to libpng. */
int png_fast_decode(const uint8_t *bytes, size_t size, double max_pixels, int linear_light, uint8_t **out, int *w,
                    int *h) {
  (void)bytes, (void)size, (void)max_pixels, (void)linear_light, (void)out, (void)w, (void)h;
  return 0;
}
#else

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "luma_convert.h"
#include "buffers.h"

#define FAST_MAX_BYTES ((size_t)64 << 20)
/* libpng's defaults: PNG_USER_WIDTH_MAX / HEIGHT_MAX, PNG_USER_CHUNK_MALLOC_MAX and (below)
 * PNG_USER_CHUNK_CACHE_MAX, which counts text and other kept chunks: all ancillary chunks are counted here. */
#define MAX_SIDE 1000000u
#define MAX_CHUNK 8000000u
#define MAX_ANCILLARY_CHUNKS 900

enum { GREY = 0, RGB = 2, PALETTE = 3, GREY_ALPHA = 4, RGBA = 6 };

struct layout {
  uint32_t width, height;
  int type, channels;
  const uint8_t *palette;
  unsigned palette_entries;
  size_t idat_bytes;
  int idat_chunks;
  const uint8_t *first_idat;
};

static uint32_t be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static int is_letter(uint8_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int channels_of(int type) {
  switch (type) {
    case GREY: case PALETTE: return 1;
    case GREY_ALPHA: return 2;
    case RGB: return 3;
    case RGBA: return 4;
    default: return 0;
  }
}

/* The largest IDAT chunk libpng reads (png_check_chunk_length): its estimate of the compressed image's size for
 * 8-bit non-interlaced rows, or MAX_CHUNK if more. */
static uint64_t idat_limit(const struct layout *l) {
  uint64_t row = (uint64_t)l->width * l->channels + 1, limit = row * l->height;
  uint64_t per_block = row > 32566 ? 32566 : row;
  limit += 6 + 5 * (limit / per_block + 1);
  if (limit > 0x7fffffffu) limit = 0x7fffffffu;
  return limit > MAX_CHUNK ? limit : MAX_CHUNK;
}

/* Walks and checks every chunk up to IEND; 0 when the image is not one this decoder takes. */
static int read_layout(const uint8_t *b, size_t size, struct layout *l) {
  static const uint8_t signature[8] = { 137, 80, 78, 71, 13, 10, 26, 10 };
  if (size < 8 || memcmp(b, signature, 8) != 0) return 0;
  memset(l, 0, sizeof *l);
  l->type = -1;
  int idat_ended = 0, ancillary = 0;
  for (size_t at = 8;;) {
    if (size - at < 12) return 0; /* no IEND */
    uint32_t len = be32(b + at);
    if (len > 0x7fffffffu || len > size - at - 12) return 0;
    const uint8_t *name = b + at + 4, *data = b + at + 8;
    for (int i = 0; i < 4; i++) if (!is_letter(name[i])) return 0;
    if (libdeflate_crc32(0, name, (size_t)len + 4) != be32(data + len)) return 0;
    int first = at == 8;
    at += (size_t)len + 12;
    if (memcmp(name, "IHDR", 4) == 0) {
      if (!first || len != 13) return 0;
      l->width = be32(data);
      l->height = be32(data + 4);
      l->type = data[9];
      l->channels = channels_of(l->type);
      /* bit depth 8, compression 0, filter method 0, no interlacing */
      if (data[8] != 8 || l->channels == 0 || data[10] || data[11] || data[12]) return 0;
      if (!l->width || !l->height || l->width > MAX_SIDE || l->height > MAX_SIDE) return 0;
      continue;
    }
    if (first) return 0;
    if (memcmp(name, "IDAT", 4) == 0) {
      if (idat_ended || len > idat_limit(l)) return 0;
      if (!l->idat_chunks++) l->first_idat = data;
      l->idat_bytes += len;
      continue;
    }
    if (l->idat_chunks) idat_ended = 1;
    if (memcmp(name, "PLTE", 4) == 0) {
      if (l->palette || l->idat_chunks || !(l->type & 2) || !len || len % 3 || len > 768) return 0;
      l->palette = data;
      l->palette_entries = len / 3;
    } else if (memcmp(name, "IEND", 4) == 0) {
      return len == 0 && l->idat_chunks && (l->type != PALETTE || l->palette);
    } else if (memcmp(name, "tRNS", 4) == 0 || !(name[0] & 0x20) || len > MAX_CHUNK ||
               ++ancillary > MAX_ANCILLARY_CHUNKS) {
      return 0; /* transparency (libpng expands it), an unknown critical chunk, or more than libpng will keep */
    }
  }
}

static inline uint8_t paeth(uint8_t a, uint8_t b, uint8_t c) {
  int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes one row's filter in place (prev: the previous row, unfiltered, or NULL for the first); 0 on a bad type. */
static int unfilter_row(uint8_t filter, uint8_t *cur, const uint8_t *prev, size_t n, size_t bpp) {
  switch (filter) {
    case 0: return 1;
    case 1:
      for (size_t i = bpp; i < n; i++) cur[i] = (uint8_t)(cur[i] + cur[i - bpp]);
      return 1;
    case 2:
      if (prev) for (size_t i = 0; i < n; i++) cur[i] = (uint8_t)(cur[i] + prev[i]);
      return 1;
    case 3:
      if (!prev) {
        for (size_t i = bpp; i < n; i++) cur[i] = (uint8_t)(cur[i] + (cur[i - bpp] >> 1));
        return 1;
      }
      for (size_t i = 0; i < bpp && i < n; i++) cur[i] = (uint8_t)(cur[i] + (prev[i] >> 1));
      for (size_t i = bpp; i < n; i++) cur[i] = (uint8_t)(cur[i] + ((cur[i - bpp] + prev[i]) >> 1));
      return 1;
    case 4:
      /* With no row above, the predictor is the left neighbour (Sub); at the left edge, the one above (Up). */
      if (!prev) return unfilter_row(1, cur, NULL, n, bpp);
      for (size_t i = 0; i < bpp && i < n; i++) cur[i] = (uint8_t)(cur[i] + prev[i]);
      for (size_t i = bpp; i < n; i++) cur[i] = (uint8_t)(cur[i] + paeth(cur[i - bpp], prev[i], prev[i - bpp]));
      return 1;
    default:
      return 0;
  }
}

/* One unfiltered row to luminance; 0 on a palette index beyond the palette. */
static int row_to_luma(const struct layout *l, const uint8_t *row, uint8_t *dst, const uint8_t *palette_luma,
                       int linear_light) {
  uint32_t w = l->width;
  switch (l->type) {
    case GREY: memcpy(dst, row, w); return 1;
    case GREY_ALPHA:
      for (uint32_t x = 0; x < w; x++, row += 2) dst[x] = (uint8_t)over_white(row[0], row[1]);
      return 1;
    case RGB: rgb_to_luma(row, dst, w, linear_light); return 1;
    case RGBA: rgba_to_luma(row, dst, w, linear_light); return 1;
    default: {
      uint8_t top = 0;
      for (uint32_t x = 0; x < w; x++) {
        top = row[x] > top ? row[x] : top;
        dst[x] = palette_luma[row[x]];
      }
      return top < l->palette_entries;
    }
  }
}

int png_fast_decode(const uint8_t *bytes, size_t size, double max_pixels, int linear_light, uint8_t **out, int *w,
                    int *h) {
  struct layout l;
  if (!read_layout(bytes, size, &l)) return 0;
  if ((double)l.width * l.height > max_pixels) return 0;
  size_t rowbytes = (size_t)l.width * l.channels;
  if (l.height > FAST_MAX_BYTES / (rowbytes + 1)) return 0; /* divided first: no overflow with a 32-bit size_t */
  size_t filtered = (rowbytes + 1) * l.height;

  uint8_t palette_luma[256] = { 0 };
  for (unsigned i = 0; l.palette && i < l.palette_entries; i++) {
    const uint8_t *c = l.palette + 3 * i;
    palette_luma[i] = luma_of(c[0], c[1], c[2], linear_light);
  }
  /* One IDAT is inflated where it lies; several are joined first. */
  uint8_t *joined = NULL;
  const uint8_t *stream = l.first_idat;
  if (l.idat_chunks > 1) {
    joined = malloc(l.idat_bytes ? l.idat_bytes : 1);
    if (!joined) return 0;
    size_t filled = 0;
    for (size_t at = 8; filled < l.idat_bytes;) {
      uint32_t len = be32(bytes + at);
      if (memcmp(bytes + at + 4, "IDAT", 4) == 0) {
        memcpy(joined + filled, bytes + at + 8, len);
        filled += len;
      }
      at += (size_t)len + 12;
    }
    stream = joined;
  }
  /* zlib's header: deflate with a 32 KiB window. libpng inflates with the window a header declares and refuses a
   * match beyond it, libdeflate always allows 32 KiB: smaller windows (libpng's encoder declares one for small
   * images) are left to libpng. */
  if (l.idat_bytes < 2 || stream[0] != 0x78) {
    free(joined);
    return 0;
  }
  size_t n = (size_t)l.width * l.height;
  uint8_t *image = scratch_for(filtered), *pixels = pixels_alloc(n);
  struct libdeflate_decompressor *inflater = libdeflate_alloc_decompressor();
  size_t used = 0;
  int ok = image && pixels && inflater &&
           libdeflate_zlib_decompress_ex(inflater, stream, l.idat_bytes, image, filtered, &used, NULL) ==
               LIBDEFLATE_SUCCESS &&
           used == l.idat_bytes; /* exactly the image, and nothing after the stream */
  const uint8_t *prev = NULL;
  for (uint32_t y = 0; ok && y < l.height; y++) {
    uint8_t *row = image + (size_t)y * (rowbytes + 1);
    ok = unfilter_row(row[0], row + 1, prev, rowbytes, (size_t)l.channels) &&
         row_to_luma(&l, row + 1, pixels + (size_t)y * l.width, palette_luma, linear_light);
    prev = row + 1;
  }
  if (inflater) libdeflate_free_decompressor(inflater);
  free(joined);
  release_scratch(image, filtered);
  if (!ok) {
    pixels_free(pixels, n);
    return 0;
  }
  *out = pixels;
  *w = (int)l.width;
  *h = (int)l.height;
  return 1;
}

#endif /* HAVE_LIBDEFLATE */
