/* native/buffers.c: the decoders' pixel buffers (huge pages when large) and one reusable scratch buffer per thread. */
#ifndef BARBUCKET_BUFFERS_H
#define BARBUCKET_BUFFERS_H
#include <stddef.h>
#include <stdint.h>

/* A buffer of n bytes (uninitialised), or NULL; give it back with release_scratch(buffer, n), the same n. One user
 * at a time per thread. */
uint8_t *scratch_for(size_t n);
void release_scratch(uint8_t *buffer, size_t n);
/* Frees the calling thread's scratch buffer (when its JS environment ends). */
void free_thread_scratch(void);

/* A decoded image's pixels (n bytes, uninitialised), or NULL; freed with pixels_free(p, n), the same n. */
uint8_t *pixels_alloc(size_t n);
void pixels_free(uint8_t *pixels, size_t n);

#endif
