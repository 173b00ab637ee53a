// The per-ISA entry points of the classical kernels (classical_impl.h compiled
// three times); classical.cc picks one table on isa() and threads over rows.
#pragma once
#include <stdint.h>

namespace lk {
struct ClassicalRanges {
  void (*kmeans)(int32_t*, float*, double*, double*, const int32_t*, const float*, const float*, int64_t, int64_t,
                 int64_t, int64_t);
  void (*min_sq)(float*, double*, const float*, const float*, const float*, int64_t, int64_t, int64_t, int64_t,
                 int64_t);
  void (*log_prob)(float*, const float*, const double*, const double*, const double*, int64_t, int64_t, int64_t,
                   int64_t);
  void (*moments)(double*, double*, const float*, const float*, int64_t, int64_t, int64_t, int64_t, double*);
  void (*scatter)(double*, const float*, const float*, const double*, int64_t, int64_t, int64_t, int64_t, bool,
                  double*);
  void (*responsibilities)(float*, float*, double*, const float*, int64_t, int64_t, int64_t, float*);
};
ClassicalRanges classical_portable();
ClassicalRanges classical_avx2();    // valid only when isa() >= ISA_AVX2
ClassicalRanges classical_avx512();  // valid only when isa() >= ISA_AVX512
namespace cls_avx512 {
// out = X Wᵀ + b on rows [i0, i1), register-blocked (classical_avx512.cc); valid only when isa() >= ISA_AVX512
void linear_scores_avx512(float* out, const float* x, const float* w, const double* bias, int64_t i0, int64_t i1,
                          int64_t d, int64_t k);
}  // namespace cls_avx512
}  // namespace lk

#define LK_CLASSICAL_TABLE(fn, ns)                                                                            \
  lk::ClassicalRanges lk::fn() {                                                                              \
    return {lk::ns::kmeans_assign_range, lk::ns::min_sq_dist_range, lk::ns::gaussian_log_prob_range,          \
            lk::ns::moments_range, lk::ns::scatter_range, lk::ns::responsibilities_range};                                                    \
  }
