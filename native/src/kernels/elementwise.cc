// Elementwise kernels: unary ops (AVX2 path when available, else these
// scalar loops) and broadcasting binary ops, split over the pool when large.
#include <cmath>
#include <algorithm>
#include "internal.h"
#include "kernels.h"

namespace lk {
namespace {

constexpr int64_t GRAIN = 1 << 17;  // below ~100 us of work a second thread does not pay

inline float softplus(float x) { return std::fmax(x, 0.f) + std::log1p(std::exp(-std::fabs(x))); }

float unary_one(int op, float x, float a, float b) {
  switch (op) {
    case LK_UNARY_NEG: return -x;
    case LK_UNARY_EXP: return std::exp(x);
    case LK_UNARY_LOG: return std::log(x);
    case LK_UNARY_SQRT: return std::sqrt(x);
    case LK_UNARY_ABS: return std::fabs(x);
    case LK_UNARY_SIGN: return x > 0 ? 1.f : x < 0 ? -1.f : 0.f;
    case LK_UNARY_SQUARE: return x * x;
    case LK_UNARY_TANH: return std::tanh(x);
    case LK_UNARY_SIGMOID: {
      if (x >= 0) return 1.f / (1.f + std::exp(-x));
      const float e = std::exp(x);
      return e / (1.f + e);
    }
    case LK_UNARY_RELU: return x > 0 ? x : 0.f;
    case LK_UNARY_STEP: return x > 0 ? 1.f : 0.f;
    case LK_UNARY_LEAKY_RELU: return x > 0 ? x : a * x;
    case LK_UNARY_LEAKY_RELU_GRAD: return x > 0 ? 1.f : a;
    case LK_UNARY_SOFTPLUS: return softplus(x);
    case LK_UNARY_LOG_SIGMOID: return -softplus(-x);
    case LK_UNARY_LOG1P: return std::log1p(x);
    case LK_UNARY_POW: return float(std::pow(double(x), double(a)));
    case LK_UNARY_CLIP: return x < a ? a : x > b ? b : x;
    case LK_UNARY_CLIP_GRAD: return x > a && x < b ? 1.f : 0.f;
    default: return x;
  }
}

template <int OP>
inline float bin(float a, float b) {
  if (OP == LK_BINARY_ADD) return a + b;
  if (OP == LK_BINARY_SUB) return a - b;
  if (OP == LK_BINARY_MUL) return a * b;
  if (OP == LK_BINARY_DIV) return a / b;
  if (OP == LK_BINARY_EQ) return a == b ? 1.f : 0.f;
  if (OP == LK_BINARY_TANH_GRAD) return a * (1.f - b * b);  // b = tanh x: tanh' = 1 − y²
  if (OP == LK_BINARY_SIGMOID_GRAD) return a * (b * (1.f - b));  // b = σ(x): σ' = y (1 − y)
  if (OP == LK_BINARY_RELU_GRAD) return a * (b > 0 ? 1.f : 0.f);  // relu' = [x > 0] (a NaN or ∞ gradient stays NaN)
  return a > b ? 1.f : 0.f;
}

// out[o*inner + j] = a[ia + j*sa] op b[ib + j*sb] over the rows [r0, r1) of the
// output viewed as [rows, inner]; the row offsets come from the outer axes.
template <int OP>
void binary_rows(const float* a, const float* b, float* out, int ndim, const int64_t* shape, const int64_t* as,
                 const int64_t* bs, int64_t r0, int64_t r1) {
  const int last = ndim - 1;
  const int64_t inner = shape[last], sa = as[last], sb = bs[last];
  for (int64_t r = r0; r < r1; r++) {
    int64_t ia = 0, ib = 0, rem = r;
    for (int ax = last - 1; ax >= 0; ax--) {  // decompose the row index
      const int64_t idx = rem % shape[ax];
      rem /= shape[ax];
      ia += idx * as[ax];
      ib += idx * bs[ax];
    }
    const float* pa = a + ia;
    const float* pb = b + ib;
    float* po = out + r * inner;
    if (sa == 1 && sb == 1) for (int64_t j = 0; j < inner; j++) po[j] = bin<OP>(pa[j], pb[j]);
    else if (sa == 1 && sb == 0) { const float v = *pb; for (int64_t j = 0; j < inner; j++) po[j] = bin<OP>(pa[j], v); }
    else if (sa == 0 && sb == 1) { const float v = *pa; for (int64_t j = 0; j < inner; j++) po[j] = bin<OP>(v, pb[j]); }
    else if (sa == 0 && sb == 0) { const float v = bin<OP>(*pa, *pb); for (int64_t j = 0; j < inner; j++) po[j] = v; }
    else for (int64_t j = 0; j < inner; j++) po[j] = bin<OP>(pa[j * sa], pb[j * sb]);
  }
}

template <int OP>
void binary_op(const float* a, const float* b, float* out, int ndim, const int64_t* shape, const int64_t* as,
               const int64_t* bs) {
  int64_t rows = 1;
  for (int ax = 0; ax < ndim - 1; ax++) rows *= shape[ax];
  const int64_t inner = shape[ndim - 1];
  if (ndim == 1) {  // one (flattened) row: split it into runs of elements
    auto run = [&](int64_t j0, int64_t j1) {
      const int64_t len[1] = {j1 - j0};
      binary_rows<OP>(a + j0 * as[0], b + j0 * bs[0], out + j0, 1, len, as, bs, 0, 1);
    };
    parallel_range(inner, GRAIN, run);
    return;
  }
  auto run = [&](int64_t r0, int64_t r1) { binary_rows<OP>(a, b, out, ndim, shape, as, bs, r0, r1); };
  parallel_range(rows, std::max<int64_t>(1, GRAIN / std::max<int64_t>(inner, 1)), run);
}

}  // namespace
}  // namespace lk

using namespace lk;

extern "C" void unary_f32(int op, float* out, const float* x, int64_t len, float alpha, float beta) {
  auto run = [&](int64_t b, int64_t e) {
    if (LK_HAS_ISA(ISA_AVX2) && unary_avx2(op, x + b, out + b, e - b, alpha, beta)) return;
    for (int64_t i = b; i < e; i++) out[i] = unary_one(op, x[i], alpha, beta);
  };
  parallel_range(len, GRAIN, run);
}

extern "C" void binary_f32(int op, float* out, const float* a, int64_t, const float* b, int64_t, int ndim,
                           const int64_t* shape, const int64_t* as, const int64_t* bs) {
  int64_t size = 1;
  for (int ax = 0; ax < ndim; ax++) size *= shape[ax];
  if (size == 0) return;
  // Merge adjacent axes that are contiguous for the output and both operands, and
  // drop size-1 axes: dense operands and scalars become one 1-D row (split over
  // the threads), a bias broadcast along rows stays [rows, cols].
  constexpr int kMax = 16;
  int64_t sh[kMax], sa[kMax], sb[kMax];
  if (ndim <= kMax) {
    int nd = 0;
    for (int ax = 0; ax < ndim; ax++) {
      if (shape[ax] == 1) continue;
      if (nd > 0 && sa[nd - 1] == as[ax] * shape[ax] && sb[nd - 1] == bs[ax] * shape[ax]) {
        sh[nd - 1] *= shape[ax];
        sa[nd - 1] = as[ax];
        sb[nd - 1] = bs[ax];
      } else {
        sh[nd] = shape[ax];
        sa[nd] = as[ax];
        sb[nd] = bs[ax];
        nd++;
      }
    }
    if (nd == 0) { sh[0] = 1; sa[0] = 0; sb[0] = 0; nd = 1; }
    ndim = nd;
    shape = sh;
    as = sa;
    bs = sb;
  }
  switch (op) {
    case LK_BINARY_ADD: binary_op<LK_BINARY_ADD>(a, b, out, ndim, shape, as, bs); break;
    case LK_BINARY_SUB: binary_op<LK_BINARY_SUB>(a, b, out, ndim, shape, as, bs); break;
    case LK_BINARY_MUL: binary_op<LK_BINARY_MUL>(a, b, out, ndim, shape, as, bs); break;
    case LK_BINARY_DIV: binary_op<LK_BINARY_DIV>(a, b, out, ndim, shape, as, bs); break;
    case LK_BINARY_EQ: binary_op<LK_BINARY_EQ>(a, b, out, ndim, shape, as, bs); break;
    case LK_BINARY_GT: binary_op<LK_BINARY_GT>(a, b, out, ndim, shape, as, bs); break;
    case LK_BINARY_TANH_GRAD: binary_op<LK_BINARY_TANH_GRAD>(a, b, out, ndim, shape, as, bs); break;
    case LK_BINARY_SIGMOID_GRAD: binary_op<LK_BINARY_SIGMOID_GRAD>(a, b, out, ndim, shape, as, bs); break;
    case LK_BINARY_RELU_GRAD: binary_op<LK_BINARY_RELU_GRAD>(a, b, out, ndim, shape, as, bs); break;
    default: break;
  }
}
