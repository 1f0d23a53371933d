/*
 * The decoders' intermediate buffers (PNG's inflated rows, WebP's RGB) are kept per thread and reused, up to
 * SCRATCH_KEEP bytes: a fresh buffer is fresh pages, and a page fault costs ~1.5 us in this VM, ~0.4 ms per MB.
 * With a new buffer per image, png_fast.c was slower than libpng's row-by-row decode inside the recognition
 * pipeline (suite PNGs: 1.75 vs 1.40 s), and faster with this one (1.45 vs 1.75 s, same run).
 */
#include <stdlib.h>

#include "scratch.h"

#define SCRATCH_KEEP ((size_t)16 << 20)

static __thread uint8_t *scratch;
static __thread size_t scratch_size;

uint8_t *scratch_for(size_t n) {
  if (n > SCRATCH_KEEP) return malloc(n);
  if (n > scratch_size) {
    free(scratch);
    scratch = malloc(n);
    scratch_size = scratch ? n : 0;
  }
  return scratch;
}

void release_scratch(uint8_t *buffer) {
  if (buffer != scratch) free(buffer);
}
