// AVX2 rows of the fused kernels (fused.cc). Transcendentals from glibc's
// libmvec, as elementwise_avx2.cc:
//   sigmoid(v)  = v ≥ 0 ? 1 / (1 + e) : e / (1 + e),  e = exp(−|v|)
//   softplus(v) = max(v, 0) + log1p(e)
// Tails (the last cols % 8) go through a padded vector, so every element sees
// the same arithmetic.
#include <immintrin.h>
#include <vector>
#include "internal.h"
#include "fused.h"

extern "C" {
__m256 _ZGVdN8v_expf(__m256);
__m256 _ZGVdN8v_tanhf(__m256);
__m256 _ZGVdN8v_log1pf(__m256);
}

namespace lk {
namespace {

inline __m256 vabs(__m256 x) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x); }

inline __m256 vsigmoid(__m256 v) {
  const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.0f);
  const __m256 e = _ZGVdN8v_expf(_mm256_sub_ps(zero, vabs(v)));
  const __m256 r = _mm256_div_ps(one, _mm256_add_ps(one, e));
  return _mm256_blendv_ps(r, _mm256_mul_ps(e, r), _mm256_cmp_ps(v, zero, _CMP_LT_OQ));
}

inline __m256 vact(int64_t code, __m256 v) {
  switch (code) {
    case ACT_TANH: return _ZGVdN8v_tanhf(v);
    case ACT_RELU: return _mm256_and_ps(v, _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_GT_OQ));
    case ACT_SIGMOID: return vsigmoid(v);
    default: return v;
  }
}

inline __m256 vact_grad(int64_t code, __m256 y) {
  const __m256 one = _mm256_set1_ps(1.0f);
  switch (code) {
    case ACT_TANH: return _mm256_sub_ps(one, _mm256_mul_ps(y, y));
    case ACT_RELU: return _mm256_and_ps(one, _mm256_cmp_ps(y, _mm256_setzero_ps(), _CMP_GT_OQ));
    case ACT_SIGMOID: return _mm256_mul_ps(y, _mm256_sub_ps(one, y));
    default: return one;
  }
}

// n < 8 elements of p as a vector (the rest 0), and back
inline __m256 load_part(const float* p, int64_t n) {
  float buf[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int64_t t = 0; t < n; t++) buf[t] = p[t];
  return _mm256_loadu_ps(buf);
}
inline void store_part(float* p, __m256 v, int64_t n) {
  float buf[8];
  _mm256_storeu_ps(buf, v);
  for (int64_t t = 0; t < n; t++) p[t] = buf[t];
}

inline __m256 vsoftplus_minus_lx(__m256 l, __m256 x) {
  const __m256 zero = _mm256_setzero_ps();
  const __m256 sp = _mm256_add_ps(_mm256_max_ps(l, zero), _ZGVdN8v_log1pf(_ZGVdN8v_expf(_mm256_sub_ps(zero, vabs(l)))));
  return _mm256_sub_ps(sp, _mm256_mul_ps(l, x));
}

inline double hsum_pd(__m256d a) {
  const __m128d s = _mm_add_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1));
  return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

}  // namespace

void bias_act_rows_avx2(float* y, const float* bias, int64_t r0, int64_t r1, int64_t cols, int64_t code) {
  for (int64_t i = r0; i < r1; i++) {
    float* row = y + i * cols;
    int64_t j = 0;
    for (; j + 8 <= cols; j += 8)
      _mm256_storeu_ps(row + j, vact(code, _mm256_add_ps(_mm256_loadu_ps(row + j), _mm256_loadu_ps(bias + j))));
    if (j < cols) {
      const int64_t n = cols - j;
      store_part(row + j, vact(code, _mm256_add_ps(load_part(row + j, n), load_part(bias + j, n))), n);
    }
  }
}

void bias_act_grad_cols_avx2(float* dx, float* db, const float* g, const float* y, int64_t rows, int64_t cols,
                             int64_t c0, int64_t c1, int64_t code) {
  // float64 column sums, 8 columns (two __m256d) at a time
  const int64_t w = c1 - c0, nv = (w + 7) / 8;
  std::vector<__m256d> acc(size_t(2 * nv), _mm256_setzero_pd());
  for (int64_t i = 0; i < rows; i++) {
    const float* gr = g + i * cols;
    const float* yr = y + i * cols;
    float* dr = dx + i * cols;
    for (int64_t b = 0; b < nv; b++) {
      const int64_t j = c0 + 8 * b, n = c1 - j < 8 ? c1 - j : 8;
      __m256 d;
      if (n == 8) {
        d = _mm256_mul_ps(_mm256_loadu_ps(gr + j), vact_grad(code, _mm256_loadu_ps(yr + j)));
        _mm256_storeu_ps(dr + j, d);
      } else {
        d = _mm256_mul_ps(load_part(gr + j, n), vact_grad(code, load_part(yr + j, n)));
        store_part(dr + j, d, n);  // the padding lanes are 0 · act'(0): no effect on the sums below
        d = _mm256_blendv_ps(_mm256_setzero_ps(), d, _mm256_castsi256_ps(_mm256_cmpgt_epi32(
          _mm256_set1_epi32(int(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))));
      }
      acc[size_t(2 * b)] = _mm256_add_pd(acc[size_t(2 * b)], _mm256_cvtps_pd(_mm256_castps256_ps128(d)));
      acc[size_t(2 * b + 1)] = _mm256_add_pd(acc[size_t(2 * b + 1)], _mm256_cvtps_pd(_mm256_extractf128_ps(d, 1)));
    }
  }
  for (int64_t b = 0; b < nv; b++) {
    const int64_t j = c0 + 8 * b, n = c1 - j < 8 ? c1 - j : 8;
    const __m128 lo = _mm256_cvtpd_ps(acc[size_t(2 * b)]), hi = _mm256_cvtpd_ps(acc[size_t(2 * b + 1)]);
    store_part(db + j, _mm256_set_m128(hi, lo), n);
  }
}

void bce_logits_rows_avx2(float* out, const float* logits, const float* x, int64_t r0, int64_t r1, int64_t cols) {
  for (int64_t i = r0; i < r1; i++) {
    const float* l = logits + i * cols;
    const float* t = x + i * cols;
    __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd();
    int64_t j = 0;
    for (; j + 8 <= cols; j += 8) {
      const __m256 v = vsoftplus_minus_lx(_mm256_loadu_ps(l + j), _mm256_loadu_ps(t + j));
      s0 = _mm256_add_pd(s0, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
      s1 = _mm256_add_pd(s1, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
    }
    double s = hsum_pd(_mm256_add_pd(s0, s1));
    if (j < cols) {
      float buf[8];
      _mm256_storeu_ps(buf, vsoftplus_minus_lx(load_part(l + j, cols - j), load_part(t + j, cols - j)));
      for (int64_t k = 0; k < cols - j; k++) s += buf[k];
    }
    out[i] = float(s);
  }
}

void bce_logits_grad_rows_avx2(float* dl, const float* g, const float* logits, const float* x, int64_t r0, int64_t r1,
                               int64_t cols) {
  for (int64_t i = r0; i < r1; i++) {
    const __m256 gi = _mm256_set1_ps(g[i]);
    const float* l = logits + i * cols;
    const float* t = x + i * cols;
    float* d = dl + i * cols;
    int64_t j = 0;
    for (; j + 8 <= cols; j += 8)
      _mm256_storeu_ps(d + j, _mm256_mul_ps(gi, _mm256_sub_ps(vsigmoid(_mm256_loadu_ps(l + j)), _mm256_loadu_ps(t + j))));
    if (j < cols) {
      const int64_t n = cols - j;
      store_part(d + j, _mm256_mul_ps(gi, _mm256_sub_ps(vsigmoid(load_part(l + j, n)), load_part(t + j, n))), n);
    }
  }
}

}  // namespace lk
