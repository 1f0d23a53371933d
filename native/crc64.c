/* native/crc64.c: CRC-64/ECMA-182 (CRC-64/XZ) update, slicing-by-8, for the store's write path
 * (src/storage/crc64.ts has the same function in JS, used when the addon is not built). */
#include <stdint.h>
#include <string.h>
#include "crc64.h"

#define POLY 0xC96C5795D7870F42ULL
#define CHECK(call) do { if ((call) != napi_ok) return NULL; } while (0)

static uint64_t table[8][256];
static int table_ready = 0;

static void build_table(void) {
  for (int b = 0; b < 256; b++) {
    uint64_t crc = (uint64_t)b;
    for (int bit = 0; bit < 8; bit++) crc = (crc & 1) ? (crc >> 1) ^ POLY : crc >> 1;
    table[0][b] = crc;
  }
  for (int k = 1; k < 8; k++)
    for (int b = 0; b < 256; b++) table[k][b] = table[0][table[k - 1][b] & 0xff] ^ (table[k - 1][b] >> 8);
  table_ready = 1;
}

static uint64_t crc64_update(uint64_t crc, const uint8_t *p, size_t len) {
  crc = ~crc;
  while (len >= 8) {
    uint64_t word;
    memcpy(&word, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    word = __builtin_bswap64(word);
#endif
    crc ^= word;
    crc = table[7][crc & 0xff] ^ table[6][(crc >> 8) & 0xff] ^ table[5][(crc >> 16) & 0xff] ^
          table[4][(crc >> 24) & 0xff] ^ table[3][(crc >> 32) & 0xff] ^ table[2][(crc >> 40) & 0xff] ^
          table[1][(crc >> 48) & 0xff] ^ table[0][crc >> 56];
    p += 8;
    len -= 8;
  }
  while (len--) crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return ~crc;
}

/* crc64Update(crc: bigint, data: Uint8Array): bigint */
static napi_value js_crc64_update(napi_env env, napi_callback_info cb) {
  size_t argc = 2;
  napi_value argv[2], result;
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  if (argc < 2) {
    napi_throw_type_error(env, NULL, "crc64Update(crc, data)");
    return NULL;
  }
  uint64_t crc;
  bool lossless;
  if (napi_get_value_bigint_uint64(env, argv[0], &crc, &lossless) != napi_ok) {
    napi_throw_type_error(env, NULL, "crc must be a bigint");
    return NULL;
  }
  bool is_typed;
  CHECK(napi_is_typedarray(env, argv[1], &is_typed));
  if (!is_typed) {
    napi_throw_type_error(env, NULL, "data must be a Uint8Array");
    return NULL;
  }
  napi_typedarray_type type;
  size_t length;
  void *data;
  CHECK(napi_get_typedarray_info(env, argv[1], &type, &length, &data, NULL, NULL));
  if (type != napi_uint8_array && type != napi_uint8_clamped_array && type != napi_int8_array) {
    napi_throw_type_error(env, NULL, "data must be a Uint8Array");
    return NULL;
  }
  CHECK(napi_create_bigint_uint64(env, crc64_update(crc, (const uint8_t *)data, length), &result));
  return result;
}

int register_crc64(napi_env env, napi_value exports) {
  napi_value fn;
  if (!table_ready) build_table();
  if (napi_create_function(env, "crc64Update", NAPI_AUTO_LENGTH, js_crc64_update, NULL, &fn) != napi_ok) return 0;
  return napi_set_named_property(env, exports, "crc64Update", fn) == napi_ok;
}
