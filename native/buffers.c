/*
 * Buffers for the decoders.
 *
 * A fresh page costs ~3 us to touch first in this VM (12 MB of fresh 4 KiB pages: 36 ms; the same in 2 MiB
 * transparent huge pages: 1.2 ms), several times a bare machine's cost, and a decoder writes every page it gets:
 * - intermediate pixels (PNG's inflated rows, WebP's RGB) go to one scratch buffer per thread, kept and reused
 *   up to SCRATCH_KEEP bytes (with a new buffer per image, png_fast.c was slower than libpng's row-by-row decode
 *   inside the recognition pipeline: suite PNGs 1.75 vs 1.40 s; with this one 1.45 vs 1.75 s, same run);
 * - a decoded image's own pixels (handed to JS, freed by its garbage collector) of HUGE_MIN bytes or more get a
 *   mapping of their own, aligned to 2 MiB and advised MADV_HUGEPAGE (the kernel's transparent huge pages in
 *   "madvise" mode, the common default); smaller ones come from malloc. BARBUCKET_HUGE_PAGES=0 (read once) sends
 *   them all to malloc: where the kernel's THP "defrag" setting makes a fault on such a region wait for memory
 *   compaction, a long-running server on fragmented memory may prefer that.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "buffers.h"

#define SCRATCH_KEEP ((size_t)16 << 20)
#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_MIN HUGE_PAGE

/* The thread's scratch buffer. A pool worker thread that ends (one is replaced after a timeout) frees it from
 * the addon's environment cleanup hook (luma.c): a pthread key's destructor would run after Node has unloaded
 * the addon when no other thread holds it, and crash. */
static __thread uint8_t *scratch;
static __thread size_t scratch_size;

uint8_t *scratch_for(size_t n) {
  if (n > SCRATCH_KEEP) return pixels_alloc(n);
  if (n > scratch_size) {
    free(scratch);
    scratch = malloc(n ? n : 1);
    scratch_size = scratch ? n : 0;
  }
  return scratch;
}

void release_scratch(uint8_t *buffer, size_t n) {
  if (buffer != scratch) pixels_free(buffer, n); /* not the kept one: from pixels_alloc */
}

void free_thread_scratch(void) {
  free(scratch);
  scratch = NULL;
  scratch_size = 0;
}

static pthread_once_t huge_once = PTHREAD_ONCE_INIT;
static int huge_enabled;

static void huge_init(void) {
  const char *setting = getenv("BARBUCKET_HUGE_PAGES");
  huge_enabled = !(setting && strcmp(setting, "0") == 0);
}

/* Whether a buffer of n bytes gets a mapping of its own (the same answer for the process's whole life). */
static int own_mapping(size_t n) {
  pthread_once(&huge_once, huge_init);
  return huge_enabled && n >= HUGE_MIN;
}

static size_t huge_length(size_t n) {
  return (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

uint8_t *pixels_alloc(size_t n) {
  if (!own_mapping(n)) return malloc(n ? n : 1);
  size_t len = huge_length(n);
  if (len < n || len + HUGE_PAGE < len) return NULL;
  /* Map one huge page more, then unmap the slack before the first 2 MiB boundary and after the buffer. */
  uint8_t *raw = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return NULL;
  uint8_t *aligned = (uint8_t *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
  size_t head = (size_t)(aligned - raw), tail = HUGE_PAGE - head;
  if (head) munmap(raw, head);
  if (tail) munmap(aligned + len, tail);
#ifdef MADV_HUGEPAGE
  madvise(aligned, len, MADV_HUGEPAGE); /* advice only: without THP the pages are ordinary ones */
#endif
  return aligned;
}

void pixels_free(uint8_t *pixels, size_t n) {
  if (!pixels) return;
  if (!own_mapping(n)) free(pixels);
  else munmap(pixels, huge_length(n));
}
