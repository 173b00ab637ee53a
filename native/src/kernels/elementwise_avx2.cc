// AVX2 versions of the unary kernels. Transcendentals come from glibc's libmvec
// (8-wide expf/logf/tanhf/log1pf/powf, a few ulp); the rest are plain intrinsics.
//   sigmoid(x)   = x ≥ 0 ? 1 / (1 + e^−x) : e^x / (1 + e^x)       (e = exp(−|x|))
//   softplus(x)  = max(x, 0) + log1p(exp(−|x|))
//   logSigmoid(x) = min(x, 0) − log1p(exp(−|x|))
#include <immintrin.h>
#include <math.h>
#include "internal.h"
#include "kernels.h"

extern "C" {
__m256 _ZGVdN8v_expf(__m256);
__m256 _ZGVdN8v_logf(__m256);
__m256 _ZGVdN8v_tanhf(__m256);
__m256 _ZGVdN8v_log1pf(__m256);
__m256 _ZGVdN8vv_powf(__m256, __m256);
}

namespace lk {
namespace {

inline __m256 vabs(__m256 x) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x); }

inline __m256 apply(int op, __m256 x, __m256 alpha, __m256 beta) {
  const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.0f);
  switch (op) {
    case LK_UNARY_NEG: return _mm256_xor_ps(x, _mm256_set1_ps(-0.0f));
    case LK_UNARY_EXP: return _ZGVdN8v_expf(x);
    case LK_UNARY_LOG: return _ZGVdN8v_logf(x);
    case LK_UNARY_SQRT: return _mm256_sqrt_ps(x);
    case LK_UNARY_ABS: return vabs(x);
    case LK_UNARY_SIGN:
      return _mm256_sub_ps(_mm256_and_ps(_mm256_cmp_ps(x, zero, _CMP_GT_OQ), one),
                           _mm256_and_ps(_mm256_cmp_ps(x, zero, _CMP_LT_OQ), one));
    case LK_UNARY_SQUARE: return _mm256_mul_ps(x, x);
    case LK_UNARY_TANH: return _ZGVdN8v_tanhf(x);
    case LK_UNARY_SIGMOID: {
      const __m256 e = _ZGVdN8v_expf(_mm256_sub_ps(zero, vabs(x)));
      const __m256 r = _mm256_div_ps(one, _mm256_add_ps(one, e));
      return _mm256_blendv_ps(r, _mm256_mul_ps(e, r), _mm256_cmp_ps(x, zero, _CMP_LT_OQ));
    }
    case LK_UNARY_RELU: return _mm256_and_ps(x, _mm256_cmp_ps(x, zero, _CMP_GT_OQ));
    case LK_UNARY_STEP: return _mm256_and_ps(one, _mm256_cmp_ps(x, zero, _CMP_GT_OQ));
    case LK_UNARY_LEAKY_RELU:
      return _mm256_blendv_ps(_mm256_mul_ps(alpha, x), x, _mm256_cmp_ps(x, zero, _CMP_GT_OQ));
    case LK_UNARY_LEAKY_RELU_GRAD: return _mm256_blendv_ps(alpha, one, _mm256_cmp_ps(x, zero, _CMP_GT_OQ));
    case LK_UNARY_SOFTPLUS:
      return _mm256_add_ps(_mm256_max_ps(x, zero), _ZGVdN8v_log1pf(_ZGVdN8v_expf(_mm256_sub_ps(zero, vabs(x)))));
    case LK_UNARY_LOG_SIGMOID:
      return _mm256_sub_ps(_mm256_min_ps(x, zero), _ZGVdN8v_log1pf(_ZGVdN8v_expf(_mm256_sub_ps(zero, vabs(x)))));
    case LK_UNARY_LOG1P: return _ZGVdN8v_log1pf(x);
    case LK_UNARY_CLIP_GRAD:
      return _mm256_and_ps(one, _mm256_and_ps(_mm256_cmp_ps(x, alpha, _CMP_GT_OQ), _mm256_cmp_ps(x, beta, _CMP_LT_OQ)));
    default: return x;
  }
}

}  // namespace

// Returns false for ops it leaves to the portable path (pow, clip: their NaN/edge rules).
bool unary_avx2(int op, const float* x, float* out, int64_t len, float alpha, float beta) {
  if (op == LK_UNARY_POW || op == LK_UNARY_CLIP || op < 0 || op >= LK_UNARY_COUNT) return false;
  const __m256 a = _mm256_set1_ps(alpha), b = _mm256_set1_ps(beta);
  int64_t i = 0;
  for (; i + 8 <= len; i += 8) _mm256_storeu_ps(out + i, apply(op, _mm256_loadu_ps(x + i), a, b));
  if (i < len) {  // tail through a padded vector
    float buf[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t t = i; t < len; t++) buf[t - i] = x[t];
    _mm256_storeu_ps(buf, apply(op, _mm256_loadu_ps(buf), a, b));
    for (int64_t t = i; t < len; t++) out[t] = buf[t - i];
  }
  return true;
}

}  // namespace lk
