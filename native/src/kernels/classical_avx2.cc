// The classical kernels' row loops compiled with the AVX2 flags (see classical_impl.h).
#include <stdint.h>
namespace lk {
namespace cls_avx2 {
// no register-blocked K-means block or wide moments on this ISA: the generic loops of classical_impl.h
static bool kmeans_block_fast(float*, int32_t*, const float*, const float*, int64_t, int64_t, int64_t, int64_t) {
  return false;
}
static bool moments_wide_fast(double*, double*, const float*, const float*, int64_t, int64_t, int64_t, int64_t,
                              double*) {
  return false;
}
static bool log_prob_fast(float*, const float*, const double*, const double*, const double*, int64_t, int64_t, int64_t,
                          int64_t) {
  return false;
}
static bool sums_fast(double*, double*, double*, const float*, const float*, const double*, int64_t, int64_t, int64_t,
                      int64_t, bool) {
  return false;
}
}  // namespace cls_avx2
}  // namespace lk
#define LK_CLS_NS cls_avx2
#include "classical_impl.h"
#include "classical.h"

LK_CLASSICAL_TABLE(classical_avx2, cls_avx2)
