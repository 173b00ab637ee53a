// Optimiser kernels. One Adam step in place (contract.ts):
//   g' = g + wd·p,  m ← β1 m + (1 − β1) g',  v ← β2 v + (1 − β2) g'²,
//   p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
// A plain loop the compiler vectorises (AVX-512: optim_avx512.cc); large parameters are split across the pool.
#include <cmath>
#include "internal.h"
#include "kernels.h"
#include "optim.h"

namespace {

void adam_range(float* p, const float* g, float* m, float* v, int64_t lo, int64_t hi, float lr_c1, float inv_sqrt_c2,
                float b1, float b2, float eps, float wd) {
  if (LK_HAS_ISA(ISA_AVX512)) {
    lk::adam_range_avx512(p, g, m, v, lo, hi, lr_c1, inv_sqrt_c2, b1, b2, eps, wd);
    return;
  }
  const float ob1 = 1.0f - b1, ob2 = 1.0f - b2;
  for (int64_t j = lo; j < hi; j++) {
    const float gj = g[j] + wd * p[j];
    const float mj = b1 * m[j] + ob1 * gj;
    const float vj = b2 * v[j] + ob2 * gj * gj;
    m[j] = mj;
    v[j] = vj;
    p[j] -= lr_c1 * mj / (std::sqrt(vj) * inv_sqrt_c2 + eps);
  }
}

}  // namespace

extern "C" void adam_f32(float* p, float* m, float* v, const float* g, int64_t len, float lr, float beta1, float beta2,
                         float eps, double step, float weight_decay) {
  const float lr_c1 = float(lr / (1.0 - std::pow(double(beta1), step)));
  const float inv_sqrt_c2 = float(1.0 / std::sqrt(1.0 - std::pow(double(beta2), step)));
  const int64_t chunk = 1 << 15;
  if (len < 4 * chunk) {
    adam_range(p, g, m, v, 0, len, lr_c1, inv_sqrt_c2, beta1, beta2, eps, weight_decay);
    return;
  }
  auto task = [&](int64_t t) {
    const int64_t lo = t * chunk, hi = lo + chunk < len ? lo + chunk : len;
    adam_range(p, g, m, v, lo, hi, lr_c1, inv_sqrt_c2, beta1, beta2, eps, weight_decay);
  };
  lk::parallel((len + chunk - 1) / chunk, task);
}
