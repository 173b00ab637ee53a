// AVX-512 row kernels for logsumexp and softmax along a contiguous axis:
//   m = max_j x_j;  lse = m + log Σ_j exp(x_j − m)
// Two passes over each row: the max, then the sum of exponentials. A row of
// the sizes that matter (1024 floats = 4 KiB) is in L1 after the first pass,
// so the second pass costs only the arithmetic; a one-pass online max+sum
// would need two exponentials per element instead of one.
// Compiled with -mavx512f/bw/dq/vl; only called when the CPU has them.
#include <immintrin.h>
#include <math.h>
#include "internal.h"

namespace lk {
namespace {

// e^x for x <= 0 (NaN-free): n = round(x·log2 e), r = x − n·ln2 (ln2 split in
// two parts), e^r by its Taylor polynomial to r⁶ (relative error < 2e-7), and
// 2^n applied with scalef. x is clamped at −110 first: 2^−159 underflows to an
// exact 0, so exp(−∞) = 0.
inline __m512 exp_nonpos(__m512 x) {
  x = _mm512_max_ps(x, _mm512_set1_ps(-110.f));
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fmadd_ps(n, _mm512_set1_ps(-0.693359375f), x);
  r = _mm512_fmadd_ps(n, _mm512_set1_ps(2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.f / 720);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f / 120));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f / 24));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f / 6));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f));
  return _mm512_scalef_ps(p, n);
}

inline __mmask16 first(int64_t k) { return k >= 16 ? __mmask16(0xffff) : __mmask16((1u << k) - 1); }

// Max of a row; NaN if any element is NaN (as Math.max).
float row_max(const float* x, int64_t n) {
  __m512 m0 = _mm512_set1_ps(-INFINITY), m1 = m0;
  __mmask16 bad = 0;
  int64_t j = 0;
  for (; j + 32 <= n; j += 32) {
    const __m512 a = _mm512_loadu_ps(x + j), b = _mm512_loadu_ps(x + j + 16);
    m0 = _mm512_max_ps(m0, a);
    m1 = _mm512_max_ps(m1, b);
    bad |= _mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q);
  }
  for (; j < n; j += 16) {
    const __mmask16 k = first(n - j);
    const __m512 a = _mm512_mask_loadu_ps(_mm512_set1_ps(-INFINITY), k, x + j);
    m0 = _mm512_max_ps(m0, a);
    bad |= _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q);
  }
  return bad ? NAN : _mm512_reduce_max_ps(_mm512_max_ps(m0, m1));
}

// Σ_j exp(x_j − m); when out is non-null also stores each exp(x_j − m) there.
float row_sum_exp(const float* x, float m, int64_t n, float* out) {
  const __m512 mv = _mm512_set1_ps(m);
  __m512 s0 = _mm512_setzero_ps(), s1 = s0;
  int64_t j = 0;
  for (; j + 32 <= n; j += 32) {
    const __m512 e0 = exp_nonpos(_mm512_sub_ps(_mm512_loadu_ps(x + j), mv));
    const __m512 e1 = exp_nonpos(_mm512_sub_ps(_mm512_loadu_ps(x + j + 16), mv));
    if (out) { _mm512_storeu_ps(out + j, e0); _mm512_storeu_ps(out + j + 16, e1); }
    s0 = _mm512_add_ps(s0, e0);
    s1 = _mm512_add_ps(s1, e1);
  }
  for (; j < n; j += 16) {
    const __mmask16 k = first(n - j);
    const __m512 e = _mm512_maskz_mov_ps(k, exp_nonpos(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + j), mv)));
    if (out) _mm512_mask_storeu_ps(out + j, k, e);
    s0 = _mm512_add_ps(s0, e);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

}  // namespace

float row_max_avx512(const float* x, int64_t n) { return row_max(x, n); }

// Σ x in float64: each 16 floats widened to two vectors of 8 doubles.
double row_sum_f64_avx512(const float* x, int64_t n) {
  __m512d s0 = _mm512_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
  int64_t j = 0;
  for (; j + 32 <= n; j += 32) {
    const __m512 a = _mm512_loadu_ps(x + j), b = _mm512_loadu_ps(x + j + 16);
    s0 = _mm512_add_pd(s0, _mm512_cvtps_pd(_mm512_castps512_ps256(a)));
    s1 = _mm512_add_pd(s1, _mm512_cvtps_pd(_mm512_extractf32x8_ps(a, 1)));
    s2 = _mm512_add_pd(s2, _mm512_cvtps_pd(_mm512_castps512_ps256(b)));
    s3 = _mm512_add_pd(s3, _mm512_cvtps_pd(_mm512_extractf32x8_ps(b, 1)));
  }
  for (; j < n; j += 16) {
    const __m512 a = _mm512_maskz_loadu_ps(first(n - j), x + j);
    s0 = _mm512_add_pd(s0, _mm512_cvtps_pd(_mm512_castps512_ps256(a)));
    s1 = _mm512_add_pd(s1, _mm512_cvtps_pd(_mm512_extractf32x8_ps(a, 1)));
  }
  return _mm512_reduce_add_pd(_mm512_add_pd(_mm512_add_pd(s0, s1), _mm512_add_pd(s2, s3)));
}

void logsumexp_rows_avx512(const float* x, float* out, int64_t rows, int64_t n) {
  for (int64_t r = 0; r < rows; r++) {
    const float* row = x + r * n;
    const float m = row_max(row, n);
    if (m != m || m == INFINITY || m == -INFINITY) { out[r] = m; continue; }
    out[r] = m + logf(row_sum_exp(row, m, n, nullptr));
  }
}

// softmax_j = exp(x_j − m) / Σ exp(x − m);  log-softmax_j = (x_j − m) − log Σ exp(x − m).
void softmax_rows_avx512(const float* x, float* out, int64_t rows, int64_t n, bool log) {
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
      const __m512 mv = _mm512_set1_ps(m), lv = _mm512_set1_ps(logf(row_sum_exp(row, m, n, nullptr)));
      for (int64_t j = 0; j < n; j += 16) {
        const __mmask16 k = first(n - j);
        _mm512_mask_storeu_ps(o + j, k, _mm512_sub_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, row + j), mv), lv));
      }
    } else {
      const __m512 inv = _mm512_set1_ps(1.0f / row_sum_exp(row, m, n, o));
      for (int64_t j = 0; j < n; j += 16) {
        const __mmask16 k = first(n - j);
        _mm512_mask_storeu_ps(o + j, k, _mm512_mul_ps(_mm512_maskz_loadu_ps(k, o + j), inv));
      }
    }
  }
}

}  // namespace lk
