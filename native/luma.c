/*
 * barbucket_luma: decode a JPEG, PNG or WebP straight to 8-bit luminance, without libvips.
 *
 * Why: recognition only needs luminance. sharp/libvips decodes to RGB through a tiled pipeline that costs
 * ~4 ms for a 800x600 raw copy alone here; libjpeg can emit the Y plane without colour conversion or chroma
 * upsampling, and libwebp the Y plane without RGB conversion. Measured on the synthetic suite's scenes: p50
 * 3.5 / 3.3 / 2.4 ms (JPEG / PNG / WebP) against 11.8 / 9.8 / 24.7 ms through sharp. The common PNGs go through
 * png_fast.c (libdeflate) first, libpng below takes the rest.
 *
 * Contract: decodeLuma(bytes, format, maxPixels, linearLight) returns { data, width, height } (stored orientation, alpha
 * flattened on white) or null. null means "not handled here": anything unusual (CMYK, 12/16-bit, interlaced PNG,
 * animation, a decoder warning such as truncated data, an image larger than maxPixels) is left to the sharp path,
 * which owns every error message. It never throws for bad image data.
 *
 * Colour profiles are not applied: sharp converts an image with an embedded ICC profile (a Display P3 screenshot,
 * say) to sRGB before its luminance is taken, this decoder uses the stored values (as JPEG's Y plane does anyway).
 * The luminance then differs by a few levels (up to ~15 for P3), a monotonic change that binarisation does not see.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>

#include "image_ops.h"
#include "crc64.h"
#include "sendfile.h"
#include "luma_convert.h"
#include "png_fast.h"
#include "buffers.h"

/* ---------- JPEG ---------- */

struct jpeg_guard {
  struct jpeg_error_mgr mgr;
  jmp_buf jump;
};

static void jpeg_fail(j_common_ptr cinfo) {
  longjmp(((struct jpeg_guard *)cinfo->err)->jump, 1);
}

/* A warning means corrupt or truncated data: stop at once (libjpeg would fill the rest of a huge claimed image
 * with grey first) and let libvips decide what the image is worth. */
static void jpeg_message(j_common_ptr cinfo, int level) {
  if (level < 0) longjmp(((struct jpeg_guard *)cinfo->err)->jump, 1);
}

static int decode_jpeg(const uint8_t *bytes, size_t size, double max_pixels, int linear_light, uint8_t **out, int *w,
                       int *h) {
  struct jpeg_decompress_struct cinfo;
  struct jpeg_guard guard;
  uint8_t *volatile pixels = NULL;
  volatile size_t pixels_size = 0;
  uint8_t *volatile rgb = NULL;
  cinfo.err = jpeg_std_error(&guard.mgr);
  guard.mgr.error_exit = jpeg_fail;
  guard.mgr.emit_message = jpeg_message;
  if (setjmp(guard.jump)) {
    jpeg_destroy_decompress(&cinfo);
    pixels_free(pixels, pixels_size);
    free(rgb);
    return 0;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, bytes, (unsigned long)size);
  if (jpeg_read_header(&cinfo, TRUE) != JPEG_HEADER_OK) longjmp(guard.jump, 1);
  /* Only colour spaces whose luminance is a decoded plane; CMYK/YCCK go to libvips. */
  if (cinfo.jpeg_color_space != JCS_YCbCr && cinfo.jpeg_color_space != JCS_GRAYSCALE) longjmp(guard.jump, 1);
  if (cinfo.data_precision != 8) longjmp(guard.jump, 1);
  if ((double)cinfo.image_width * cinfo.image_height > max_pixels) longjmp(guard.jump, 1);
  /* The Y plane is the luminance as encoded (Rec. 601 on gamma-encoded values, zxing's weights): no chroma
   * upsampling or colour conversion. Linear light needs the colours. */
  int colour = linear_light && cinfo.jpeg_color_space == JCS_YCbCr;
  cinfo.out_color_space = colour ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_start_decompress(&cinfo);
  if (cinfo.output_components != (colour ? 3 : 1)) longjmp(guard.jump, 1);
  size_t width = cinfo.output_width;
  pixels_size = width * cinfo.output_height;
  pixels = pixels_alloc(pixels_size);
  if (colour) rgb = malloc(width * 3);
  if (!pixels || (colour && !rgb)) longjmp(guard.jump, 1);
  while (cinfo.output_scanline < cinfo.output_height) {
    uint8_t *dst = pixels + (size_t)cinfo.output_scanline * width;
    JSAMPROW row = colour ? rgb : dst;
    if (jpeg_read_scanlines(&cinfo, &row, 1) != 1) longjmp(guard.jump, 1);
    if (colour) rgb_to_luma(rgb, dst, width, 1);
  }
  jpeg_finish_decompress(&cinfo);
  *w = (int)cinfo.output_width;
  *h = (int)cinfo.output_height;
  jpeg_destroy_decompress(&cinfo);
  free(rgb);
  *out = pixels;
  return 1;
}

/* ---------- PNG ---------- */

struct png_source {
  const uint8_t *bytes;
  size_t size, at;
};

static void png_read_mem(png_structp png, png_bytep dst, png_size_t n) {
  struct png_source *src = png_get_io_ptr(png);
  if (n > src->size - src->at) png_error(png, "truncated");
  memcpy(dst, src->bytes + src->at, n);
  src->at += n;
}

/* A warning means the data is not quite right: the image is declined, as for JPEG. libpng expects a warning
 * handler to return (it may hold state mid-chunk), so the handler only notes it; the decoder checks the note after
 * each step. png_set_benign_errors(png, 0) turns the "benign" errors libpng would otherwise warn about into errors. */
static void png_warned(png_structp png, png_const_charp msg) {
  (void)msg;
  *(volatile int *)png_get_error_ptr(png) = 1;
}

static void png_failed(png_structp png, png_const_charp msg) {
  (void)msg;
  png_longjmp(png, 1);
}

static int decode_png(const uint8_t *bytes, size_t size, double max_pixels, int linear_light, uint8_t **out, int *w,
                      int *h) {
  struct png_source src = { bytes, size, 0 };
  volatile int warned = 0;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, (png_voidp)&warned, png_failed, png_warned);
  if (!png) return 0;
  png_set_benign_errors(png, 0);
  png_infop info = png_create_info_struct(png);
  uint8_t *volatile pixels = NULL;
  volatile size_t pixels_size = 0;
  uint8_t *volatile row = NULL;
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, info ? &info : NULL, NULL);
    pixels_free(pixels, pixels_size);
    free(row);
    return 0;
  }
  png_set_read_fn(png, &src, png_read_mem);
  png_read_info(png, info);
  if (warned) png_longjmp(png, 1);
  png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
  int depth = png_get_bit_depth(png, info), type = png_get_color_type(png, info);
  if (depth > 8 || png_get_interlace_type(png, info) != PNG_INTERLACE_NONE) png_longjmp(png, 1);
  if ((double)width * height > max_pixels) png_longjmp(png, 1);
  if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  png_read_update_info(png, info);
  int channels = png_get_channels(png, info);
  if (png_get_bit_depth(png, info) != 8 || channels < 1 || channels > 4) png_longjmp(png, 1);
  pixels_size = (size_t)width * height;
  pixels = pixels_alloc(pixels_size);
  row = malloc(png_get_rowbytes(png, info));
  if (!pixels || !row) png_longjmp(png, 1);
  for (png_uint_32 y = 0; y < height; y++) {
    png_read_row(png, row, NULL);
    if (warned) png_longjmp(png, 1);
    uint8_t *dst = pixels + (size_t)y * width;
    const uint8_t *p = row;
    switch (channels) {
      case 1: memcpy(dst, p, width); break;
      case 2: for (png_uint_32 x = 0; x < width; x++, p += 2) dst[x] = (uint8_t)over_white(p[0], p[1]); break;
      case 3: rgb_to_luma(p, dst, width, linear_light); break;
      default: rgba_to_luma(p, dst, width, linear_light); break;
    }
  }
  png_read_end(png, NULL);
  if (warned) png_longjmp(png, 1);
  png_destroy_read_struct(&png, &info, NULL);
  free(row);
  *out = pixels;
  *w = (int)width;
  *h = (int)height;
  return 1;
}

/* ---------- WebP ---------- */

static int decode_webp(const uint8_t *bytes, size_t size, double max_pixels, int linear_light, uint8_t **out, int *w,
                       int *h) {
  WebPBitstreamFeatures features;
  if (WebPGetFeatures(bytes, size, &features) != VP8_STATUS_OK || features.has_animation) return 0;
  if (features.width <= 0 || features.height <= 0 || (double)features.width * features.height > max_pixels) return 0;
  size_t width = (size_t)features.width, height = (size_t)features.height, n = width * height;
  uint8_t *pixels = pixels_alloc(n);
  if (!pixels) return 0;
  /* RGB(A) and zxing's weights, as from sharp: the Y plane would be cheaper (~15 %) but is not the same
   * luminance (libwebp's fixed-point RGB rounds differently: 28 % of pixels off by one). */
  int channels = features.has_alpha ? 4 : 3;
  uint8_t *colour = n <= SIZE_MAX / 4 ? scratch_for(n * channels) : NULL;
  int ok = colour && (features.has_alpha ? WebPDecodeRGBAInto(bytes, size, colour, n * 4, (int)(width * 4))
                                         : WebPDecodeRGBInto(bytes, size, colour, n * 3, (int)(width * 3))) != NULL;
  if (ok && features.has_alpha) rgba_to_luma(colour, pixels, n, linear_light);
  else if (ok) rgb_to_luma(colour, pixels, n, linear_light);
  if (colour) release_scratch(colour, n * channels);
  if (!ok) {
    pixels_free(pixels, n);
    return 0;
  }
  *out = pixels;
  *w = (int)width;
  *h = (int)height;
  return 1;
}

/* ---------- N-API ---------- */

/* The ArrayBuffer's finalizer; hint: the pixels' size (pixels_alloc chose how to allocate by it). */
static void free_pixels(napi_env env, void *data, void *hint) {
  (void)env;
  pixels_free(data, (size_t)(uintptr_t)hint);
}

#define CHECK(call) do { if ((call) != napi_ok) return NULL; } while (0)

static napi_value decode_luma(napi_env env, napi_callback_info cb) {
  size_t argc = 4;
  napi_value argv[4], result, value;
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  if (argc < 4) {
    napi_throw_type_error(env, NULL, "decodeLuma(bytes, format, maxPixels, linearLight)");
    return NULL;
  }
  bool typed;
  CHECK(napi_is_typedarray(env, argv[0], &typed));
  if (!typed) {
    napi_throw_type_error(env, NULL, "bytes must be a Uint8Array");
    return NULL;
  }
  napi_typedarray_type kind;
  size_t length, offset;
  void *data;
  napi_value buffer;
  CHECK(napi_get_typedarray_info(env, argv[0], &kind, &length, &data, &buffer, &offset));
  char format[16] = { 0 };
  size_t format_len;
  CHECK(napi_get_value_string_utf8(env, argv[1], format, sizeof format, &format_len));
  double max_pixels;
  CHECK(napi_get_value_double(env, argv[2], &max_pixels));
  bool linear_light;
  CHECK(napi_get_value_bool(env, argv[3], &linear_light));

  uint8_t *pixels = NULL;
  int width = 0, height = 0, ok = 0;
  if (kind == napi_uint8_array && length > 0) {
    if (strcmp(format, "jpeg") == 0) ok = decode_jpeg(data, length, max_pixels, linear_light, &pixels, &width, &height);
    else if (strcmp(format, "png") == 0)
      ok = png_fast_decode(data, length, max_pixels, linear_light, &pixels, &width, &height) ||
           decode_png(data, length, max_pixels, linear_light, &pixels, &width, &height);
    /* Either PNG decoder alone, for tests that compare them. */
    else if (strcmp(format, "png-fast") == 0)
      ok = png_fast_decode(data, length, max_pixels, linear_light, &pixels, &width, &height);
    else if (strcmp(format, "png-libpng") == 0)
      ok = decode_png(data, length, max_pixels, linear_light, &pixels, &width, &height);
    else if (strcmp(format, "webp") == 0) ok = decode_webp(data, length, max_pixels, linear_light, &pixels, &width, &height);
  }
  if (!ok) {
    CHECK(napi_get_null(env, &result));
    return result;
  }
  CHECK(napi_create_object(env, &result));
  /* The pixels become the ArrayBuffer's memory, freed by the GC: no copy. */
  size_t bytes = (size_t)width * height;
  if (napi_create_external_arraybuffer(env, pixels, bytes, free_pixels, (void *)(uintptr_t)bytes, &buffer) != napi_ok) {
    pixels_free(pixels, bytes);
    return NULL;
  }
  CHECK(napi_create_typedarray(env, napi_uint8_array, (size_t)width * height, buffer, 0, &value));
  CHECK(napi_set_named_property(env, result, "data", value));
  CHECK(napi_create_int32(env, width, &value));
  CHECK(napi_set_named_property(env, result, "width", value));
  CHECK(napi_create_int32(env, height, &value));
  CHECK(napi_set_named_property(env, result, "height", value));
  return result;
}

/* A worker thread's environment ends: its scratch buffer goes with it (this hook runs on that thread). */
static void free_scratch_hook(void *arg) {
  (void)arg;
  free_thread_scratch();
}

NAPI_MODULE_INIT() {
  napi_value fn;
  CHECK(napi_add_env_cleanup_hook(env, free_scratch_hook, NULL));
  CHECK(napi_create_function(env, "decodeLuma", NAPI_AUTO_LENGTH, decode_luma, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "decodeLuma", fn));
  if (!register_image_ops(env, exports)) return NULL;
  if (!register_crc64(env, exports)) return NULL;
  if (!register_sendfile(env, exports)) return NULL;
  return exports;
}
