// Column gather / scatter of a row-major matrix (kernels.columns.spec.mjs):
//   takeColumns:    out[r, j] = x[r, idx[j]]                       out [n, m], x [n, d]
//   scatterColumns: out[r, idx[j]] (+)= alpha · g[r, j]            out [n, d], g [n, m]
// The binding has checked every idx[j] in [0, d). When idx is an arithmetic
// progression idx[j] = s + j·step with step >= 1 (NICE's even / odd halves:
// step 2; a split point: step 1) the loops run on a constant stride, which the
// compiler vectorises; any other idx takes the indexed loop. Rows are
// independent, so large matrices are split by rows over the thread pool.
#include <algorithm>
#include <cstring>
#include "internal.h"
#include "kernels.h"

using namespace lk;

namespace {

// The stride of idx when it is s, s + step, s + 2 step, … with step >= 1, else 0.
int64_t progression(const int32_t* idx, int64_t m) {
  if (m < 2) return 1;
  const int64_t step = int64_t(idx[1]) - idx[0];
  if (step < 1) return 0;
  for (int64_t j = 2; j < m; j++)
    if (int64_t(idx[j]) - idx[j - 1] != step) return 0;
  return step;
}

template <int64_t STEP>
void take_rows(float* out, const float* x, int64_t s, int64_t d, int64_t m, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; r++) {
    const float* src = x + r * d + s;
    float* dst = out + r * m;
    if (STEP == 1) std::memcpy(dst, src, size_t(m) * sizeof(float));
    else for (int64_t j = 0; j < m; j++) dst[j] = src[j * STEP];
  }
}

template <int64_t STEP, bool ACC>
void scatter_rows(float* out, const float* g, int64_t s, int64_t d, int64_t m, float alpha, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; r++) {
    float* dst = out + r * d + s;
    const float* src = g + r * m;
    for (int64_t j = 0; j < m; j++) {
      if (ACC) dst[j * STEP] += alpha * src[j];
      else dst[j * STEP] = alpha * src[j];
    }
  }
}

// about 64K elements per task: below that one thread is faster than waking the pool
int64_t grain_rows(int64_t m) { return std::max<int64_t>(1, (int64_t(1) << 16) / std::max<int64_t>(1, m)); }

}  // namespace

extern "C" void take_columns_f32(float* out, const float* x, const int32_t* idx, int64_t n, int64_t d, int64_t m) {
  if (m == 0) return;
  const int64_t step = progression(idx, m), s = idx[0];
  auto run = [&](int64_t r0, int64_t r1) {
    if (step == 1) take_rows<1>(out, x, s, d, m, r0, r1);
    else if (step == 2) take_rows<2>(out, x, s, d, m, r0, r1);
    else {
      for (int64_t r = r0; r < r1; r++) {
        const float* src = x + r * d;
        float* dst = out + r * m;
        for (int64_t j = 0; j < m; j++) dst[j] = src[idx[j]];
      }
    }
  };
  parallel_range(n, grain_rows(m), run);
}

extern "C" void scatter_columns_f32(float* out, const float* g, const int32_t* idx, int64_t n, int64_t d, int64_t m,
                                    int accumulate, float alpha) {
  if (m == 0) return;
  const int64_t step = progression(idx, m), s = idx[0];
  const bool acc = accumulate != 0;
  auto run = [&](int64_t r0, int64_t r1) {
    if (step == 1 && acc) scatter_rows<1, true>(out, g, s, d, m, alpha, r0, r1);
    else if (step == 1) scatter_rows<1, false>(out, g, s, d, m, alpha, r0, r1);
    else if (step == 2 && acc) scatter_rows<2, true>(out, g, s, d, m, alpha, r0, r1);
    else if (step == 2) scatter_rows<2, false>(out, g, s, d, m, alpha, r0, r1);
    else {
      // in j order, so a repeated column sums (accumulate) or keeps its last j (store)
      for (int64_t r = r0; r < r1; r++) {
        float* dst = out + r * d;
        const float* src = g + r * m;
        if (acc) for (int64_t j = 0; j < m; j++) dst[idx[j]] += alpha * src[j];
        else for (int64_t j = 0; j < m; j++) dst[idx[j]] = alpha * src[j];
      }
    }
  };
  parallel_range(n, grain_rows(m), run);
}
