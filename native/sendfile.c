/* native/sendfile.c: a file's bytes to a socket by the kernel (sendfile(2)), for GETs of plaintext objects
 * (src/http/send-file.ts). Node 20 has no sendfile: without this its streams read every byte into a JS
 * buffer and write it out again (~15 ms of CPU per 16 MiB here, nginx ~2 ms).
 *
 *   sendFileSome(socketFd, fileFd, offset, length) -> bytes sent (0 when the socket's buffer is full);
 *     never blocks (the socket is libuv's, non-blocking); throws an Error with `code` (EPIPE, ...) or
 *     code "ESHORTFILE" when the file ends before `length`.
 *   waitWritable(socketFd, callback(errorCode | null)) -> handle: calls back once the socket can take more
 *     bytes. The socket is libuv's already (watched for reading); a second watcher of the same fd number is
 *     not allowed, so a dup of it is watched instead (epoll keys registrations by fd and file).
 *   cancelWait(handle): the callback will not be called (the response was closed meanwhile).
 */
#define NAPI_VERSION 8
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>
#include <uv.h>
#include "sendfile.h"

#define CHECK(call) do { if ((call) != napi_ok) return NULL; } while (0)
/* Linux sends at most this much per call (MAX_RW_COUNT). */
#define MAX_CHUNK 0x7ffff000L

static napi_value throw_code(napi_env env, const char *code, const char *message) {
  napi_value msg, err, code_value;
  if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg) != napi_ok) return NULL;
  if (napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_value) != napi_ok) return NULL;
  if (napi_create_error(env, code_value, msg, &err) != napi_ok) return NULL;
  napi_throw(env, err);
  return NULL;
}

static napi_value send_file_some(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  int32_t sock, file;
  int64_t offset, length;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) return throw_code(env, "EINVAL", "sendFileSome(socketFd, fileFd, offset, length)");
  CHECK(napi_get_value_int32(env, argv[0], &sock));
  CHECK(napi_get_value_int32(env, argv[1], &file));
  CHECK(napi_get_value_int64(env, argv[2], &offset));
  CHECK(napi_get_value_int64(env, argv[3], &length));
  if (sock < 0 || file < 0 || offset < 0 || length < 0) return throw_code(env, "EINVAL", "sendFileSome: bad argument");
  int64_t sent = 0;
  while (length > 0) {
    off_t off = (off_t)offset;
    ssize_t n = sendfile(sock, file, &off, (size_t)(length > MAX_CHUNK ? MAX_CHUNK : length));
    if (n > 0) {
      sent += n;
      offset += n;
      length -= n;
      continue;
    }
    if (n == 0) return throw_code(env, "ESHORTFILE", "the blob file ended before the object's size");
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    return throw_code(env, uv_err_name(uv_translate_sys_error(errno)), strerror(errno));
  }
  napi_value result;
  CHECK(napi_create_int64(env, sent, &result));
  return result;
}

/* One wait. Freed when both libuv is done with the poll handle and JS dropped the handle object. */
typedef struct {
  uv_poll_t poll;
  int fd;
  int refs;
  int finished;
  napi_env env;
  napi_ref callback;
  napi_async_context async;
} waiter;

static void unref_waiter(waiter *w) {
  if (--w->refs == 0) free(w);
}

static void on_closed(uv_handle_t *handle) {
  unref_waiter((waiter *)handle->data);
}

/* Stops watching and closes the dup; the callback reference is released. */
static void stop_waiter(waiter *w) {
  w->finished = 1;
  uv_close((uv_handle_t *)&w->poll, on_closed); /* removes the epoll registration now */
  close(w->fd);
  napi_delete_reference(w->env, w->callback);
  napi_async_destroy(w->env, w->async);
}

static void on_poll(uv_poll_t *poll, int status, int events) {
  (void)events;
  waiter *w = (waiter *)poll->data;
  if (w->finished) return;
  napi_env env = w->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value callback, recv, arg, ignored;
  int ok = napi_get_reference_value(env, w->callback, &callback) == napi_ok && napi_get_global(env, &recv) == napi_ok; /* make_callback wants an object */
  if (ok) {
    if (status < 0) ok = napi_create_string_utf8(env, uv_err_name(status), NAPI_AUTO_LENGTH, &arg) == napi_ok;
    else ok = napi_get_null(env, &arg) == napi_ok;
  }
  napi_async_context async = w->async;
  w->async = NULL;
  w->finished = 1;
  uv_close((uv_handle_t *)&w->poll, on_closed);
  close(w->fd);
  napi_ref ref = w->callback;
  /* make_callback runs the callback with node's tick and microtask queues drained after, as for any I/O. */
  if (ok) napi_make_callback(env, async, recv, callback, 1, &arg, &ignored);
  napi_delete_reference(env, ref);
  napi_async_destroy(env, async);
  napi_close_handle_scope(env, scope);
}

static void finalize_waiter(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  unref_waiter((waiter *)data);
}

static napi_value wait_writable(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t sock;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) return throw_code(env, "EINVAL", "waitWritable(socketFd, callback)");
  CHECK(napi_get_value_int32(env, argv[0], &sock));
  uv_loop_t *loop;
  CHECK(napi_get_uv_event_loop(env, &loop));
  int fd = dup(sock);
  if (fd < 0) return throw_code(env, uv_err_name(uv_translate_sys_error(errno)), strerror(errno));
  waiter *w = calloc(1, sizeof(waiter));
  if (!w) {
    close(fd);
    return throw_code(env, "ENOMEM", "out of memory");
  }
  w->fd = fd;
  w->env = env;
  int rc = uv_poll_init(loop, &w->poll, fd);
  if (rc == 0) {
    w->poll.data = w;
    rc = uv_poll_start(&w->poll, UV_WRITABLE | UV_DISCONNECT, on_poll);
    if (rc != 0) {
      w->refs = 1; /* the handle was initialised: libuv's close frees it */
      w->finished = 1;
      uv_close((uv_handle_t *)&w->poll, on_closed);
      close(fd);
      return throw_code(env, uv_err_name(rc), "uv_poll_start failed");
    }
  } else {
    close(fd);
    free(w);
    return throw_code(env, uv_err_name(rc), "uv_poll_init failed");
  }
  napi_value resource_name, handle;
  CHECK(napi_create_reference(env, argv[1], 1, &w->callback));
  CHECK(napi_create_string_utf8(env, "barbucket.waitWritable", NAPI_AUTO_LENGTH, &resource_name));
  CHECK(napi_async_init(env, NULL, resource_name, &w->async));
  w->refs = 2; /* libuv's poll handle + the JS handle object */
  CHECK(napi_create_external(env, w, finalize_waiter, NULL, &handle));
  return handle;
}

static napi_value cancel_wait(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return throw_code(env, "EINVAL", "cancelWait(handle)");
  CHECK(napi_get_value_external(env, argv[0], &data));
  waiter *w = (waiter *)data;
  if (!w->finished) stop_waiter(w);
  return NULL;
}

int register_sendfile(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "sendFileSome", NAPI_AUTO_LENGTH, send_file_some, NULL, &fn) != napi_ok) return 0;
  if (napi_set_named_property(env, exports, "sendFileSome", fn) != napi_ok) return 0;
  if (napi_create_function(env, "waitWritable", NAPI_AUTO_LENGTH, wait_writable, NULL, &fn) != napi_ok) return 0;
  if (napi_set_named_property(env, exports, "waitWritable", fn) != napi_ok) return 0;
  if (napi_create_function(env, "cancelWait", NAPI_AUTO_LENGTH, cancel_wait, NULL, &fn) != napi_ok) return 0;
  return napi_set_named_property(env, exports, "cancelWait", fn) == napi_ok;
}
