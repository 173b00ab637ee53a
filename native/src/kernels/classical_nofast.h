// The "no register-blocked fast path on this ISA" hooks of classical_impl.h
// (K-means block, wide moments, log-prob, d <= 4 sums): each returns false so
// the generic vectorised loops run. Include with LK_CLS_NS defined.
#pragma once
#include <stdint.h>
namespace lk {
namespace LK_CLS_NS {
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
}  // namespace LK_CLS_NS
}  // namespace lk
