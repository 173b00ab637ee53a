// Keeps freed tensor buffers mapped so the next tensor of that size costs no
// page faults. Node allocates every ArrayBuffer with glibc's calloc; glibc
// serves requests at or above its mmap threshold (128 KiB, raised dynamically
// to the largest size freed so far) with a fresh mmap, and gives the top of
// the heap back to the kernel once more than the trim threshold (2x the mmap
// threshold) is free there. A loop of matmuls of 1024² (4 MiB outputs) thus
// pays ~1,000 first-touch page faults per call: the garbage collector frees
// outputs in batches, the free top exceeds 8 MiB and is trimmed, and the next
// output is faulted in page by page again (measured: ~860 faults and 3 ms per
// 4 MiB Float32Array on this 2-core VM; with the settings below, ~40 faults and 0.4 ms).
//
// At load the addon therefore sets, once, unless LATENTKIT_NATIVE_MALLOPT=0:
//   M_MMAP_THRESHOLD = 32 MiB (glibc's upper limit; 2048² float32 outputs come from the heap),
//   M_TRIM_THRESHOLD = 128 MiB (at most that much free memory kept at the heap's top),
//   M_TOP_PAD        = 16 MiB (what a trim keeps, and the slack each heap extension adds).
// Reused heap memory is cleared by calloc (a memset, ~0.1 ms for 4 MiB) instead of
// being faulted in a page at a time. Only glibc has mallopt; elsewhere this does nothing.
#include <cstdlib>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

bool tune_wanted() {
  const char* v = std::getenv("LATENTKIT_NATIVE_MALLOPT");
  return !(v && std::strcmp(v, "0") == 0);
}

__attribute__((constructor)) void tune_malloc() {
#if defined(__GLIBC__)
  if (!tune_wanted()) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
#endif
}

}  // namespace
