/* native/luma_convert.c: colour rows to 8-bit luminance, shared by the JPEG, PNG and WebP decoders. */
#ifndef BARBUCKET_LUMA_CONVERT_H
#define BARBUCKET_LUMA_CONVERT_H
#include <stddef.h>
#include <stdint.h>

/* A channel flattened onto white with alpha a (what sharp's flatten({ background: white }) does). */
static inline unsigned over_white(unsigned c, unsigned a) {
  return (c * a + 255 * (255 - a) + 127) / 255;
}

/* One pixel's luminance: zxing-wasm's Rec. 601 integer weights, or (linear_light) libvips' "b-w". */
uint8_t luma_of(unsigned r, unsigned g, unsigned b, int linear_light);
/* n RGB pixels to luminance. */
void rgb_to_luma(const uint8_t *rgb, uint8_t *out, size_t n, int linear_light);
/* n RGBA pixels to luminance, flattened onto white. */
void rgba_to_luma(const uint8_t *rgba, uint8_t *out, size_t n, int linear_light);

#endif
