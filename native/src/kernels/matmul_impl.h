// Internals of the GEMM shared by matmul*.cc: cache sizes read at run time
// and the driver of the kernels that keep their A micro-panel in L1.
#pragma once
#include <stdint.h>
#include "internal.h"

namespace lk {

struct CacheSizes {
  int64_t l1, l2;  // bytes of L1 data and L2 cache per core
};
// From /sys/devices/system/cpu/cpu0/cache (Linux), else sysconf, else 32 KiB / 512 KiB.
const CacheSizes& cache_sizes();

// A micro-kernel that reads B straight from the caller's row-major [k][n]
// matrix (rows ldb apart) instead of a packed panel; same contract as GemmKernel::micro.
typedef void (*MicroRowsB)(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc,
                           bool accumulate, int rows, int cols);
// The AVX-512 one for mr = 14, 12 or 8 (matmul_avx512.cc), valid only when isa() >= ISA_AVX512.
MicroRowsB micro_rows_b_avx512(int mr);

// Whether an untransposed B can be read in place (a MicroRowsB kernel) rather
// than packed: only when the kc rows of one depth block fit in half of L1.
// Read in place, B's rows are ldb apart and each tile takes 128 bytes of each,
// a pattern the hardware prefetchers do not follow: a B that is not already in
// this core's cache arrives at the latency of L3 (measured on a Xeon with AVX-512:
// 100x500x500 with B, 1 MB, last used a step earlier, 410 us in place against
// 245 us packed, although 163 us against 205 us when B is warm). In a training
// step a weight matrix is cold by the time its gradient product comes, so
// packing is the default, and in-place reads are kept for the small B whose cold
// fetch costs less than a packing pass.
inline bool b_in_place(const Gemm& g, int64_t kc) {
  return !g.bPacked && !g.transB && kc * g.ldb * 4 <= cache_sizes().l1 / 2;
}

// C = op(A) op(B) (+ C) with a kernel whose aInL1 is set, on `t` threads of the
// pool (t = 1: on the calling thread only). With microB (may be null), small
// products with an untransposed B skip packing B. See matmul_l1a.cc.
void gemm_a_in_l1(const Gemm& g, const GemmKernel& K, int t, MicroRowsB microB);

// Narrow products, which the mr x 32 kernel would run on a few of its lanes:
// 1 when C has n <= 8 columns, 2 when it has m <= 4 rows (and more columns), else 0.
inline int narrow_kind(const Gemm& g) {
  if (g.bPacked || g.k <= 0) return 0;
  return g.n <= 8 ? 1 : g.m <= 4 ? 2 : 0;
}
// C = op(A) op(B) (+ C) for narrow_kind(g) != 0 on the calling thread
// (matmul_small_avx512.cc, valid only when isa() >= ISA_AVX512); false when not narrow.
bool gemm_narrow_avx512(const Gemm& g);

}  // namespace lk
