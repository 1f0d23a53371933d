/* native/png_fast.c: the common PNGs decoded with one libdeflate call instead of libpng's zlib stream. */
#ifndef BARBUCKET_PNG_FAST_H
#define BARBUCKET_PNG_FAST_H
#include <stddef.h>
#include <stdint.h>

/* 8-bit luminance of a still, non-interlaced, 8-bit PNG without tRNS, as luma.c's libpng decoder gives it;
 * returns 0 for anything else (libpng then decides). On success *out holds width*height bytes from pixels_alloc
 * (buffers.h): free them with pixels_free(*out, width * height), never free(). */
int png_fast_decode(const uint8_t *bytes, size_t size, double max_pixels, int linear_light, uint8_t **out, int *w,
                    int *h);

#endif
