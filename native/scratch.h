/* native/scratch.c: one reusable buffer per thread for a decoder's intermediate pixels. */
#ifndef BARBUCKET_SCRATCH_H
#define BARBUCKET_SCRATCH_H
#include <stddef.h>
#include <stdint.h>

/* A buffer of n bytes (uninitialised), or NULL; give it back with release_scratch. One user at a time per thread. */
uint8_t *scratch_for(size_t n);
void release_scratch(uint8_t *buffer);

#endif
