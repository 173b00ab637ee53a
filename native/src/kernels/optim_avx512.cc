// Adam on AVX-512, 16 lanes (see optim.cc for the math). Separate multiplies
// and adds (no FMA) so that every element gets the portable loop's roundings;
// the tail is a masked vector.
#include <immintrin.h>
#include "optim.h"

namespace lk {

void adam_range_avx512(float* p, const float* g, float* m, float* v, int64_t lo, int64_t hi, float lr_c1,
                       float inv_sqrt_c2, float b1, float b2, float eps, float wd) {
  const __m512 B1 = _mm512_set1_ps(b1), B2 = _mm512_set1_ps(b2), OB1 = _mm512_set1_ps(1.0f - b1),
               OB2 = _mm512_set1_ps(1.0f - b2), LR = _mm512_set1_ps(lr_c1), IS = _mm512_set1_ps(inv_sqrt_c2),
               EPS = _mm512_set1_ps(eps), WD = _mm512_set1_ps(wd);
  for (int64_t j = lo; j < hi; j += 16) {
    const __mmask16 k = hi - j >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << (hi - j)) - 1);
    const __m512 pj = _mm512_maskz_loadu_ps(k, p + j);
    const __m512 gj = _mm512_add_ps(_mm512_maskz_loadu_ps(k, g + j), _mm512_mul_ps(WD, pj));
    const __m512 mj = _mm512_add_ps(_mm512_mul_ps(B1, _mm512_maskz_loadu_ps(k, m + j)), _mm512_mul_ps(OB1, gj));
    const __m512 vj = _mm512_add_ps(_mm512_mul_ps(B2, _mm512_maskz_loadu_ps(k, v + j)), _mm512_mul_ps(_mm512_mul_ps(OB2, gj), gj));
    _mm512_mask_storeu_ps(m + j, k, mj);
    _mm512_mask_storeu_ps(v + j, k, vj);
    const __m512 den = _mm512_add_ps(_mm512_mul_ps(_mm512_sqrt_ps(vj), IS), EPS);
    _mm512_mask_storeu_ps(p + j, k, _mm512_sub_ps(pj, _mm512_div_ps(_mm512_mul_ps(LR, mj), den)));
  }
}

}  // namespace lk
