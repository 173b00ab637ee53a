// Fused Gaussian kernels of the VAEs' ELBO: the reparameterised draw
// z = μ + e^{lv/2} ε and the closed-form KL(N(μ, e^{lv}) ‖ N(0, 1)) per row,
// with their gradients. The latent tensors are small ([batch, latent]): plain
// loops on the calling thread.
#include <cmath>
#include "kernels.h"

extern "C" void reparam_f32(float* z, const float* mu, const float* logVar, const float* eps, int64_t len) {
  for (int64_t i = 0; i < len; i++) z[i] = mu[i] + std::exp(0.5f * logVar[i]) * eps[i];
}

extern "C" void reparam_grad_f32(float* dlv, const float* g, const float* logVar, const float* eps, int64_t len) {
  for (int64_t i = 0; i < len; i++) dlv[i] = 0.5f * g[i] * std::exp(0.5f * logVar[i]) * eps[i];
}

extern "C" void kl_std_normal_f32(float* out, const float* mu, const float* logVar, int64_t rows, int64_t cols) {
  for (int64_t i = 0; i < rows; i++) {
    double s = 0;
    for (int64_t j = i * cols, e = j + cols; j < e; j++)
      s += double(std::exp(logVar[j])) + double(mu[j]) * mu[j] - 1.0 - logVar[j];
    out[i] = float(0.5 * s);
  }
}

extern "C" void kl_std_normal_grad_f32(float* dmu, float* dlv, const float* g, const float* mu, const float* logVar,
                                       int64_t rows, int64_t cols) {
  for (int64_t i = 0; i < rows; i++) {
    const float gi = g[i];
    for (int64_t j = i * cols, e = j + cols; j < e; j++) {
      dmu[j] = gi * mu[j];
      dlv[j] = 0.5f * gi * (std::exp(logVar[j]) - 1.f);
    }
  }
}
