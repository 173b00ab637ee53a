// Reductions over the middle axis of x viewed as [outer, n, inner]:
// sum (accumulated in float64, as the reference), max (NaN-propagating),
// logsumexp and softmax. Contiguous rows (inner == 1) use the AVX2 row
// kernels when available; strided axes walk n with the inner axis innermost.
#include <cmath>
#include <vector>
#include <algorithm>
#include "internal.h"
#include "kernels.h"

namespace lk {
namespace {

constexpr int64_t GRAIN = 1 << 16;  // elements per task, below which one thread does it

// Portable logsumexp / softmax of one strided lane x[j*inner], j < n.
// max of the lane, NaN when any element is NaN; no early exit, so that the
// contiguous case (inner = 1) vectorises.
float lane_max(const float* x, int64_t n, int64_t inner) {
  float m = -INFINITY;
  bool nan = false;
  for (int64_t j = 0; j < n; j++) {
    const float v = x[j * inner];
    nan |= v != v;
    m = v > m ? v : m;
  }
  return nan ? NAN : m;
}

double lane_sum_exp(const float* x, float m, int64_t n, int64_t inner) {
  double s = 0;
  for (int64_t j = 0; j < n; j++) s += std::exp(double(x[j * inner]) - m);
  return s;
}

}  // namespace
}  // namespace lk

using namespace lk;

namespace {
// Σ row in float64 (four scalar chains, or AVX-512 when available).
double row_sum(const float* row, int64_t n) {
  if (LK_HAS_ISA(ISA_AVX512)) return row_sum_f64_avx512(row, n);
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t j = 0;
  for (; j + 4 <= n; j += 4) { s0 += row[j]; s1 += row[j + 1]; s2 += row[j + 2]; s3 += row[j + 3]; }
  for (; j < n; j++) s0 += row[j];
  return (s0 + s1) + (s2 + s3);
}

// max of a contiguous row, NaN when any element is NaN.
float row_max(const float* row, int64_t n) {
  return LK_HAS_ISA(ISA_AVX512) ? row_max_avx512(row, n) : lane_max(row, n, 1);
}
}  // namespace

extern "C" void reduce_f32(int op, float* out, const float* x, int64_t outer, int64_t n, int64_t inner) {
  // A few long contiguous rows (e.g. the sum of a whole tensor): split each row
  // into fixed chunks over the pool and add the float64 partials in order.
  if (op == LK_REDUCE_SUM && inner == 1 && outer < threads() && n >= (int64_t(1) << 17) && threads() > 1) {
    const int64_t chunks = 4 * int64_t(threads());
    std::vector<double> part(chunks);
    for (int64_t o = 0; o < outer; o++) {
      const float* row = x + o * n;
      auto run = [&](int64_t c) { part[c] = row_sum(row + n * c / chunks, n * (c + 1) / chunks - n * c / chunks); };
      parallel(chunks, run);
      double s = 0;
      for (int64_t c = 0; c < chunks; c++) s += part[c];
      out[o] = float(s);
    }
    return;
  }
  // One task covers a range of output elements (o, i), flattened.
  auto run = [&](int64_t b, int64_t e) {
    if (inner == 1) {
      for (int64_t o = b; o < e; o++) {
        const float* row = x + o * n;
        out[o] = op == LK_REDUCE_SUM ? float(row_sum(row, n)) : row_max(row, n);
      }
      return;
    }
    // strided: process output elements in runs along the inner axis
    std::vector<double> acc;
    for (int64_t f = b; f < e;) {
      const int64_t o = f / inner, i0 = f % inner;
      const int64_t len = std::min(inner - i0, e - f);
      const float* base = x + o * n * inner + i0;
      float* dst = out + f;
      if (op == LK_REDUCE_SUM) {
        acc.assign(len, 0.0);
        for (int64_t j = 0; j < n; j++) {
          const float* r = base + j * inner;
          for (int64_t i = 0; i < len; i++) acc[i] += r[i];
        }
        for (int64_t i = 0; i < len; i++) dst[i] = float(acc[i]);
      } else {
        for (int64_t i = 0; i < len; i++) dst[i] = -INFINITY;
        for (int64_t j = 0; j < n; j++) {
          const float* r = base + j * inner;
          for (int64_t i = 0; i < len; i++) {
            const float v = r[i];
            if (v > dst[i] || v != v) dst[i] = (dst[i] != dst[i]) ? dst[i] : v;
          }
        }
      }
      f += len;
    }
  };
  const int64_t total = outer * inner;
  parallel_range(total, std::max<int64_t>(1, GRAIN / std::max<int64_t>(n, 1)), run);
}

extern "C" void logsumexp_f32(float* out, const float* x, int64_t outer, int64_t n, int64_t inner) {
  const int64_t total = outer * inner;
  const int64_t grain = std::max<int64_t>(1, GRAIN / std::max<int64_t>(n, 1));
  if (inner == 1 && LK_HAS_ISA(ISA_AVX2)) {
    const bool wide = LK_HAS_ISA(ISA_AVX512);
    auto run = [&](int64_t b, int64_t e) {
      if (wide) logsumexp_rows_avx512(x + b * n, out + b, e - b, n);
      else logsumexp_rows_avx2(x + b * n, out + b, e - b, n);
    };
    parallel_range(total, grain, run);
    return;
  }
  auto run = [&](int64_t b, int64_t e) {
    for (int64_t f = b; f < e; f++) {
      const int64_t o = f / inner, i = f % inner;
      const float* lane = x + o * n * inner + i;
      const float m = lane_max(lane, n, inner);
      if (m != m || std::isinf(m)) { out[f] = m; continue; }
      out[f] = float(m + std::log(lane_sum_exp(lane, m, n, inner)));
    }
  };
  parallel_range(total, grain, run);
}

extern "C" void softmax_f32(float* out, const float* x, int64_t outer, int64_t n, int64_t inner, int log) {
  const int64_t total = outer * inner;
  const int64_t grain = std::max<int64_t>(1, GRAIN / std::max<int64_t>(n, 1));
  if (inner == 1 && LK_HAS_ISA(ISA_AVX2)) {
    const bool wide = LK_HAS_ISA(ISA_AVX512);
    auto run = [&](int64_t b, int64_t e) {
      if (wide) softmax_rows_avx512(x + b * n, out + b * n, e - b, n, log != 0);
      else softmax_rows_avx2(x + b * n, out + b * n, e - b, n, log != 0);
    };
    parallel_range(total, grain, run);
    return;
  }
  auto run = [&](int64_t b, int64_t e) {
    for (int64_t f = b; f < e; f++) {
      const int64_t o = f / inner, i = f % inner;
      const float* lane = x + o * n * inner + i;
      float* dst = out + o * n * inner + i;
      const float m = lane_max(lane, n, inner);
      // NaN or infinite max: the reference's x − m gives NaN, and so does every output
      const double lse = (m != m || std::isinf(m)) ? NAN : m + std::log(lane_sum_exp(lane, m, n, inner));
      for (int64_t j = 0; j < n; j++) {
        const double v = double(lane[j * inner]) - lse;
        dst[j * inner] = float(log ? v : std::exp(v));
      }
    }
  };
  parallel_range(total, grain, run);
}
