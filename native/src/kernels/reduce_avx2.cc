// AVX2 row kernels for logsumexp and softmax along a contiguous axis.
//   m = max_j x_j;  lse = m + log Σ_j exp(x_j − m)
// The exponent of x − m ≤ 0 uses exp_nonpos below (no special-value branches).
// Compiled with -mavx2 -mfma; everything here has internal linkage except the
// two entry points, so no AVX2 code can leak into the portable path.
#include <immintrin.h>
#include <math.h>
#include "internal.h"

namespace lk {
namespace {

inline float hmax(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
  return _mm_cvtss_f32(m);
}

inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

// e^x for x ≤ 0 (and NaN-free input): x = n·ln2 + r with n = round(x·log2 e),
// |r| ≤ ln2/2; e^r by its Taylor polynomial to r⁶ (relative error < 2e-7);
// 2^n built in the exponent bits. Below −87.3 (where 2^n would underflow) the
// result is exactly 0, so exp(−∞) = 0.
inline __m256 exp_nonpos(__m256 x) {
  const __m256 lo = _mm256_set1_ps(-87.3f);
  const __m256 keep = _mm256_cmp_ps(x, lo, _CMP_GE_OQ);
  x = _mm256_max_ps(x, lo);
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fmadd_ps(n, _mm256_set1_ps(-0.693359375f), x);  // ln2 split in a short hi part
  r = _mm256_fmadd_ps(n, _mm256_set1_ps(2.12194440e-4f), r);         // and the rest
  __m256 p = _mm256_set1_ps(1.f / 720);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.f / 120));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.f / 24));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.f / 6));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.f));
  const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_and_ps(keep, _mm256_mul_ps(p, _mm256_castsi256_ps(e)));
}

// Max of a row; NaN if any element is NaN (as Math.max).
float row_max(const float* x, int64_t n) {
  __m256 m0 = _mm256_set1_ps(-INFINITY), m1 = m0;
  __m256 bad = _mm256_setzero_ps();
  int64_t j = 0;
  for (; j + 16 <= n; j += 16) {
    __m256 a = _mm256_loadu_ps(x + j), b = _mm256_loadu_ps(x + j + 8);
    m0 = _mm256_max_ps(m0, a);
    m1 = _mm256_max_ps(m1, b);
    bad = _mm256_or_ps(bad, _mm256_cmp_ps(a, b, _CMP_UNORD_Q));
  }
  float m = hmax(_mm256_max_ps(m0, m1));
  bool nan = _mm256_movemask_ps(bad) != 0;
  for (; j < n; j++) {
    if (x[j] != x[j]) nan = true;
    if (x[j] > m) m = x[j];
  }
  return nan ? NAN : m;
}

// Σ_j exp(x_j − m); when out is non-null also stores each exp(x_j − m) there.
float row_sum_exp(const float* x, float m, int64_t n, float* out) {
  const __m256 mv = _mm256_set1_ps(m);
  __m256 s0 = _mm256_setzero_ps(), s1 = s0;
  int64_t j = 0;
  for (; j + 16 <= n; j += 16) {
    __m256 e0 = exp_nonpos(_mm256_sub_ps(_mm256_loadu_ps(x + j), mv));
    __m256 e1 = exp_nonpos(_mm256_sub_ps(_mm256_loadu_ps(x + j + 8), mv));
    if (out) { _mm256_storeu_ps(out + j, e0); _mm256_storeu_ps(out + j + 8, e1); }
    s0 = _mm256_add_ps(s0, e0);
    s1 = _mm256_add_ps(s1, e1);
  }
  double s = hsum(_mm256_add_ps(s0, s1));
  for (; j < n; j++) {
    float e = expf(x[j] - m);
    if (out) out[j] = e;
    s += e;
  }
  return float(s);
}

}  // namespace

void logsumexp_rows_avx2(const float* x, float* out, int64_t rows, int64_t n) {
  for (int64_t r = 0; r < rows; r++) {
    const float* row = x + r * n;
    const float m = row_max(row, n);
    if (m != m || m == INFINITY || m == -INFINITY) { out[r] = m; continue; }
    out[r] = m + logf(row_sum_exp(row, m, n, nullptr));
  }
}

// softmax_j = exp(x_j − m) / Σ exp(x − m);  log-softmax_j = (x_j − m) − log Σ exp(x − m).
void softmax_rows_avx2(const float* x, float* out, int64_t rows, int64_t n, bool log) {
  for (int64_t r = 0; r < rows; r++) {
    const float* row = x + r * n;
    float* o = out + r * n;
    const float m = row_max(row, n);
    if (m != m || m == INFINITY || m == -INFINITY) {  // the reference yields NaN here
      for (int64_t j = 0; j < n; j++) o[j] = NAN;
      continue;
    }
    if (log) {
      // (x − m) − log s keeps the precision that x − (m + log s) would round away at large |m|
      const float ls = logf(row_sum_exp(row, m, n, nullptr));
      const __m256 mv = _mm256_set1_ps(m), lv = _mm256_set1_ps(ls);
      int64_t j = 0;
      for (; j + 8 <= n; j += 8)
        _mm256_storeu_ps(o + j, _mm256_sub_ps(_mm256_sub_ps(_mm256_loadu_ps(row + j), mv), lv));
      for (; j < n; j++) o[j] = (row[j] - m) - ls;
    } else {
      const __m256 inv = _mm256_set1_ps(1.0f / row_sum_exp(row, m, n, o));
      int64_t j = 0;
      for (; j + 8 <= n; j += 8) _mm256_storeu_ps(o + j, _mm256_mul_ps(_mm256_loadu_ps(o + j), inv));
      for (; j < n; j++) o[j] *= _mm256_cvtss_f32(inv);
    }
  }
}

}  // namespace lk
