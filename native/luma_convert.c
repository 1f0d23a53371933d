/*
 * Colour to luminance for the native decoders (luma.c, png_fast.c): zxing-wasm's own RGB->Y (what plain zxing-wasm
 * sees after sharp's RGB decode), or libvips' "b-w" for large images (decode-image.ts EXACT_LUMA_MAX_PIXELS).
 * The row loops are written once per formula so that the compiler inlines it (a call through a function pointer
 * per pixel cost ~1 ms per 800x600 image).
 */
#include <math.h>
#include <pthread.h>

#include "luma_convert.h"

/* zxing-wasm's RGB->Y: (306 R + 601 G + 117 B + 512) >> 10. */
static inline uint8_t luma_rgb(unsigned r, unsigned g, unsigned b) {
  return (uint8_t)((306 * r + 601 * g + 117 * b + 512) >> 10);
}

/*
 * libvips' "b-w" luminance (what sharp's toColourspace("b-w") gives): Rec. 709 weights on linear light, encoded
 * back with the sRGB curve.
 */
static uint16_t srgb_to_linear16[256]; /* 0..65535 */
static uint8_t linear16_to_srgb[65536];
static pthread_once_t bw_once = PTHREAD_ONCE_INIT;

static void bw_init(void) {
  for (int i = 0; i < 256; i++) {
    double c = i / 255.0;
    double lin = c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
    srgb_to_linear16[i] = (uint16_t)(lin * 65535.0 + 0.5);
  }
  for (int i = 0; i < 65536; i++) {
    double lin = i / 65535.0;
    double c = lin <= 0.0031308 ? lin * 12.92 : 1.055 * pow(lin, 1 / 2.4) - 0.055;
    linear16_to_srgb[i] = (uint8_t)(c * 255.0 + 0.5);
  }
}

static inline uint8_t bw_rgb(unsigned r, unsigned g, unsigned b) {
  /* 0.2126, 0.7152, 0.0722 in 1/65536ths (they sum to 65536) */
  uint32_t y = (13933u * srgb_to_linear16[r] + 46871u * srgb_to_linear16[g] + 4732u * srgb_to_linear16[b]) >> 16;
  return linear16_to_srgb[y > 65535 ? 65535 : y];
}

uint8_t luma_of(unsigned r, unsigned g, unsigned b, int linear_light) {
  if (!linear_light) return luma_rgb(r, g, b);
  pthread_once(&bw_once, bw_init);
  return bw_rgb(r, g, b);
}

#if defined(__x86_64__) && defined(__gnu_linux__)
__attribute__((target_clones("avx2", "default"))) /* the stride-3 loads vectorise with AVX2: 0.34 ns a pixel */
#endif
void rgb_to_luma(const uint8_t *rgb, uint8_t *out, size_t n, int linear_light) {
  if (!linear_light) {
    for (size_t i = 0; i < n; i++, rgb += 3) out[i] = luma_rgb(rgb[0], rgb[1], rgb[2]);
    return;
  }
  pthread_once(&bw_once, bw_init);
  for (size_t i = 0; i < n; i++, rgb += 3) out[i] = bw_rgb(rgb[0], rgb[1], rgb[2]);
}

void rgba_to_luma(const uint8_t *rgba, uint8_t *out, size_t n, int linear_light) {
  if (linear_light) pthread_once(&bw_once, bw_init);
  for (size_t i = 0; i < n; i++, rgba += 4) {
    unsigned a = rgba[3], r = rgba[0], g = rgba[1], b = rgba[2];
    if (a != 255) r = over_white(r, a), g = over_white(g, a), b = over_white(b, a);
    out[i] = linear_light ? bw_rgb(r, g, b) : luma_rgb(r, g, b);
  }
}
