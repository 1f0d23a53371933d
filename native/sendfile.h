/* native/sendfile.c: sendfile(2) to a libuv socket, and a wait for it to be writable, on the addon's exports. */
#ifndef BARBUCKET_SENDFILE_H
#define BARBUCKET_SENDFILE_H
#include <node_api.h>

/* Adds sendFileSome, waitWritable and cancelWait to `exports`; 0 on failure. */
int register_sendfile(napi_env env, napi_value exports);

#endif
