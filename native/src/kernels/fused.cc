// Fused kernels of the autograd layer: a linear layer's bias + activation (and
// its backward with the bias gradient as column sums), and binary cross-entropy
// from logits summed per row (and its gradient). AVX2 rows in fused_avx2.cc;
// these scalar loops are the portable path. Activation codes: 0 identity,
// 1 tanh, 2 relu, 3 sigmoid (anything else: identity).
#include <cmath>
#include <algorithm>
#include <vector>
#include "internal.h"
#include "kernels.h"
#include "fused.h"

namespace lk {
namespace {

// elements per task when a call is split over the pool: transcendental rows (exp, log1p,
// tanh: a few ns an element) pay for a second thread sooner than multiply-adds
constexpr int64_t GRAIN = 1 << 16, GRAIN_TRANSCENDENTAL = 1 << 14;

inline float sigmoidf(float v) {
  if (v >= 0) return 1.f / (1.f + std::exp(-v));
  const float e = std::exp(v);
  return e / (1.f + e);
}

inline float act_one(int64_t code, float v) {
  switch (code) {
    case ACT_TANH: return std::tanh(v);
    case ACT_RELU: return v > 0 ? v : 0.f;
    case ACT_SIGMOID: return sigmoidf(v);
    default: return v;
  }
}

// act'(x) in terms of y = act(x)
inline float act_grad_one(int64_t code, float y) {
  switch (code) {
    case ACT_TANH: return 1.f - y * y;
    case ACT_RELU: return y > 0 ? 1.f : 0.f;
    case ACT_SIGMOID: return y * (1.f - y);
    default: return 1.f;
  }
}

inline float softplusf(float v) { return std::fmax(v, 0.f) + std::log1p(std::exp(-std::fabs(v))); }

// rows [r0, r1) of y ← act(y + bias)
void bias_act_rows(float* y, const float* bias, int64_t r0, int64_t r1, int64_t cols, int64_t code) {
  if (LK_HAS_ISA(ISA_AVX2)) { bias_act_rows_avx2(y, bias, r0, r1, cols, code); return; }
  for (int64_t i = r0; i < r1; i++) {
    float* row = y + i * cols;
    for (int64_t j = 0; j < cols; j++) row[j] = act_one(code, row[j] + bias[j]);
  }
}

// columns [c0, c1): dx = g act'(y) and db = Σ_rows dx (float64 sums)
void bias_act_grad_cols(float* dx, float* db, const float* g, const float* y, int64_t rows, int64_t cols, int64_t c0,
                        int64_t c1, int64_t code) {
  if (LK_HAS_ISA(ISA_AVX2)) { bias_act_grad_cols_avx2(dx, db, g, y, rows, cols, c0, c1, code); return; }
  std::vector<double> acc(size_t(c1 - c0), 0.0);
  for (int64_t i = 0; i < rows; i++) {
    for (int64_t j = c0; j < c1; j++) {
      const float d = g[i * cols + j] * act_grad_one(code, y[i * cols + j]);
      dx[i * cols + j] = d;
      acc[size_t(j - c0)] += d;
    }
  }
  for (int64_t j = c0; j < c1; j++) db[j] = float(acc[size_t(j - c0)]);
}

}  // namespace
}  // namespace lk

using namespace lk;

extern "C" void bias_act_f32(float* y, const float* bias, int64_t rows, int64_t cols, int64_t act) {
  if (rows == 0 || cols == 0) return;
  auto run = [&](int64_t r0, int64_t r1) { bias_act_rows(y, bias, r0, r1, cols, act); };
  const int64_t grain = act == ACT_TANH || act == ACT_SIGMOID ? GRAIN_TRANSCENDENTAL : GRAIN;
  parallel_range(rows, std::max<int64_t>(1, grain / cols), run);
}

extern "C" void bias_act_grad_f32(float* dx, float* db, const float* g, const float* y, int64_t rows, int64_t cols,
                                  int64_t act) {
  if (cols == 0) return;
  if (rows == 0) { for (int64_t j = 0; j < cols; j++) db[j] = 0.f; return; }
  // split by column blocks (each task owns its sums); 64 columns = whole cache lines
  const int64_t block = 64, blocks = (cols + block - 1) / block;
  if (rows * cols < 2 * GRAIN || blocks < 2) { bias_act_grad_cols(dx, db, g, y, rows, cols, 0, cols, act); return; }
  auto task = [&](int64_t t) {
    const int64_t c0 = t * block, c1 = std::min(cols, c0 + block);
    bias_act_grad_cols(dx, db, g, y, rows, cols, c0, c1, act);
  };
  parallel(blocks, task);
}

extern "C" void bce_logits_f32(float* out, const float* logits, const float* x, int64_t rows, int64_t cols) {
  auto run = [&](int64_t r0, int64_t r1) {
    if (LK_HAS_ISA(ISA_AVX2)) { bce_logits_rows_avx2(out, logits, x, r0, r1, cols); return; }
    for (int64_t i = r0; i < r1; i++) {
      double s = 0;
      for (int64_t j = i * cols, e = j + cols; j < e; j++) s += softplusf(logits[j]) - logits[j] * x[j];
      out[i] = float(s);
    }
  };
  parallel_range(rows, std::max<int64_t>(1, GRAIN_TRANSCENDENTAL / std::max<int64_t>(cols, 1)), run);
}

extern "C" void bce_logits_grad_f32(float* dl, const float* g, const float* logits, const float* x, int64_t rows,
                                    int64_t cols) {
  auto run = [&](int64_t r0, int64_t r1) {
    if (LK_HAS_ISA(ISA_AVX2)) { bce_logits_grad_rows_avx2(dl, g, logits, x, r0, r1, cols); return; }
    for (int64_t i = r0; i < r1; i++) {
      const float gi = g[i];
      for (int64_t j = i * cols, e = j + cols; j < e; j++) dl[j] = gi * (sigmoidf(logits[j]) - x[j]);
    }
  };
  parallel_range(rows, std::max<int64_t>(1, GRAIN_TRANSCENDENTAL / std::max<int64_t>(cols, 1)), run);
}
