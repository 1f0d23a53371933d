/* native/crc64.c: CRC-64/ECMA-182 update on the addon's exports. */
#ifndef BARBUCKET_CRC64_H
#define BARBUCKET_CRC64_H
#include <node_api.h>

/* Adds crc64Update(crc: bigint, data: Uint8Array): bigint to `exports`; 0 on failure. */
int register_crc64(napi_env env, napi_value exports);

#endif
