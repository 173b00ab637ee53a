// The classical kernels' row loops compiled with the AVX-512 flags (see classical_impl.h),
// plus the K-means distances for d <= 4 in registers: 16 samples a vector (D loads of
// 16 floats, de-interleaved by permutes), every centroid c_j one pass of  acc = Σ_a (x_a − c_ja)²,
// then  best = min(best, acc), label = j where acc < best  (strict: the first wins ties).
#include <immintrin.h>
#include <stdint.h>
#include <math.h>
#include <algorithm>

namespace lk {
namespace cls_avx512 {

// Feature a of 16 consecutive rows of width D (D <= 4) from the 16·D floats in v[0..3]:
// element l sits at p = D·l + a, taken from v[p / 16] by two two-register permutes and a blend.
template <int D>
static inline __m512 feature(const __m512* v, int a) {
  alignas(64) int32_t p[16];
  for (int l = 0; l < 16; l++) p[l] = D * l + a;
  const __m512i pi = _mm512_load_si512(p);
  const __m512i lo5 = _mm512_and_si512(pi, _mm512_set1_epi32(31));
  const __m512 lo = _mm512_permutex2var_ps(v[0], lo5, v[1]);
  if (D <= 2) return lo;
  const __m512 hi = _mm512_permutex2var_ps(v[2], lo5, v[3]);
  return _mm512_mask_blend_ps(_mm512_cmpge_epi32_mask(pi, _mm512_set1_epi32(32)), lo, hi);
}

template <int D>
static void block_fixed(float* best, int32_t* lab, const float* x, const float* c, int64_t b0, int64_t m, int64_t k) {
  for (int64_t s0 = 0; s0 < m; s0 += 16) {
    const int64_t cnt = (m - s0) < 16 ? (m - s0) : 16;
    const __mmask16 live = cnt == 16 ? __mmask16(0xffff) : __mmask16((1u << cnt) - 1);
    const float* base = x + (b0 + s0) * D;
    __m512 v[4];
    for (int r = 0; r < 4; r++) {
      const int64_t left = cnt * D - 16 * r;
      const __mmask16 mr = left >= 16 ? __mmask16(0xffff) : left <= 0 ? __mmask16(0) : __mmask16((1u << left) - 1);
      v[r] = r < D ? _mm512_maskz_loadu_ps(mr, base + 16 * r) : _mm512_setzero_ps();
    }
    __m512 xa[D];
    for (int a = 0; a < D; a++) xa[a] = feature<D>(v, a);
    __m512 bv = _mm512_set1_ps(INFINITY);
    __m512i lv = _mm512_setzero_si512();
    for (int64_t j = 0; j < k; j++) {
      __m512 t = _mm512_sub_ps(xa[0], _mm512_set1_ps(c[j * D]));
      __m512 acc = _mm512_mul_ps(t, t);
      for (int a = 1; a < D; a++) {
        t = _mm512_sub_ps(xa[a], _mm512_set1_ps(c[j * D + a]));
        acc = _mm512_fmadd_ps(t, t, acc);
      }
      const __mmask16 lt = _mm512_cmp_ps_mask(acc, bv, _CMP_LT_OQ);
      bv = _mm512_mask_mov_ps(bv, lt, acc);
      lv = _mm512_mask_mov_epi32(lv, lt, _mm512_set1_epi32(int32_t(j)));
    }
    _mm512_mask_storeu_ps(best + s0, live, bv);
    _mm512_mask_storeu_epi32(lab + s0, live, lv);
  }
}

static bool kmeans_block_fast(float* best, int32_t* lab, const float* x, const float* c, int64_t b0, int64_t m,
                              int64_t d, int64_t k) {
  switch (d) {
    case 1: block_fixed<1>(best, lab, x, c, b0, m, k); return true;
    case 2: block_fixed<2>(best, lab, x, c, b0, m, k); return true;
    case 3: block_fixed<3>(best, lab, x, c, b0, m, k); return true;
    case 4: block_fixed<4>(best, lab, x, c, b0, m, k); return true;
    default: return false;
  }
}

// Wide-row moments sums_j += Σ_i r_ij x_i in float64, register-blocked: per block of 64 rows and
// per 8 features, G <= 8 components' sums stay in registers (G independent FMA chains) while the
// rows stream past (each row's 8 floats widened once per group, its weights broadcast from
// wt [64][k]); a sums row is loaded and stored once per block instead of once per row.
template <int G>
static inline void moments_group(double* s, const double* w, const float* xa, int64_t m, int64_t d, int64_t k,
                                 __mmask8 mk) {
  __m512d c[G];
  for (int t = 0; t < G; t++) c[t] = _mm512_maskz_loadu_pd(mk, s + t * d);
  for (int64_t q = 0; q < m; q++, w += k) {
    const __m512d xv = _mm512_cvtps_pd(_mm256_maskz_loadu_ps(mk, xa + q * d));
    for (int t = 0; t < G; t++) c[t] = _mm512_fmadd_pd(_mm512_set1_pd(w[t]), xv, c[t]);
  }
  for (int t = 0; t < G; t++) _mm512_mask_storeu_pd(s + t * d, mk, c[t]);
}

static bool moments_wide_fast(double* nk, double* sums, const float* r, const float* x, int64_t i0, int64_t i1,
                              int64_t d, int64_t k, double* /*xd*/) {
  if (k > 512) return false;  // wt lives on the stack (64·k doubles): very many components take the generic loop
  constexpr int64_t RB = 64;
  double* wt = static_cast<double*>(__builtin_alloca(sizeof(double) * RB * k));
  for (int64_t b0 = i0; b0 < i1; b0 += RB) {
    const int64_t m = (i1 - b0) < RB ? (i1 - b0) : RB;
    for (int64_t q = 0; q < m; q++)
      for (int64_t j = 0; j < k; j++) wt[q * k + j] = double(r[(b0 + q) * k + j]);
    for (int64_t j = 0; j < k; j++) {
      double s0 = 0, s1 = 0;
      int64_t q = 0;
      for (; q + 2 <= m; q += 2) { s0 += wt[q * k + j]; s1 += wt[(q + 1) * k + j]; }
      if (q < m) s0 += wt[q * k + j];
      nk[j] += s0 + s1;
    }
    for (int64_t a0 = 0; a0 < d; a0 += 8) {
      const __mmask8 mk = (d - a0) >= 8 ? __mmask8(0xff) : __mmask8((1u << (d - a0)) - 1);
      const float* xa = x + b0 * d + a0;
      for (int64_t j0 = 0; j0 < k; j0 += 8) {
        double* s = sums + j0 * d + a0;
        const double* w = wt + j0;
        switch ((k - j0) < 8 ? (k - j0) : 8) {
          case 1: moments_group<1>(s, w, xa, m, d, k, mk); break;
          case 2: moments_group<2>(s, w, xa, m, d, k, mk); break;
          case 3: moments_group<3>(s, w, xa, m, d, k, mk); break;
          case 4: moments_group<4>(s, w, xa, m, d, k, mk); break;
          case 5: moments_group<5>(s, w, xa, m, d, k, mk); break;
          case 6: moments_group<6>(s, w, xa, m, d, k, mk); break;
          case 7: moments_group<7>(s, w, xa, m, d, k, mk); break;
          default: moments_group<8>(s, w, xa, m, d, k, mk); break;
        }
      }
    }
  }
  return true;
}

// Scores out[i, j] = bias_j + x_i · w_j for 4 rows × 6 outputs at a time: 24 accumulators over
// 16 features a vector, each x load shared by 6 FMAs and each w load by 4; rows or outputs past the
// end repeat the last one and are not stored.
void linear_scores_avx512(float* out, const float* x, const float* w, const double* bias, int64_t i0, int64_t i1,
                          int64_t d, int64_t k) {
  constexpr int R = 4, J = 6;
  for (int64_t r0 = i0; r0 < i1; r0 += R) {
    const float* xr[R];
    for (int r = 0; r < R; r++) xr[r] = x + std::min<int64_t>(r0 + r, i1 - 1) * d;
    for (int64_t j0 = 0; j0 < k; j0 += J) {
      const float* wj[J];
      for (int t = 0; t < J; t++) wj[t] = w + std::min<int64_t>(j0 + t, k - 1) * d;
      __m512 acc[R][J];
      for (int r = 0; r < R; r++)
        for (int t = 0; t < J; t++) acc[r][t] = _mm512_setzero_ps();
      for (int64_t a = 0; a < d; a += 16) {
        const __mmask16 mk = (d - a) >= 16 ? __mmask16(0xffff) : __mmask16((1u << (d - a)) - 1);
        __m512 xv[R];
        for (int r = 0; r < R; r++) xv[r] = _mm512_maskz_loadu_ps(mk, xr[r] + a);
        for (int t = 0; t < J; t++) {
          const __m512 wv = _mm512_maskz_loadu_ps(mk, wj[t] + a);
          for (int r = 0; r < R; r++) acc[r][t] = _mm512_fmadd_ps(xv[r], wv, acc[r][t]);
        }
      }
      float sums[R][J];  // every lane reduced unconditionally, so acc stays in registers in the loop
      for (int r = 0; r < R; r++)
        for (int t = 0; t < J; t++) sums[r][t] = _mm512_reduce_add_ps(acc[r][t]);
      for (int r = 0; r < R && r0 + r < i1; r++)
        for (int t = 0; t < J && j0 + t < k; t++) out[(r0 + r) * k + j0 + t] = float(bias[j0 + t] + double(sums[r][t]));
    }
  }
}

// The E-step for d <= 4 in float64 registers: a block of rows transposed once (xt[a][s]), then per
// component and 8 rows  δ_a = x_a − μ_a,  y_c = Σ_a δ_a P[a, c],  out = bias − ½ Σ_c y_c²  (P dense:
// the d² terms cost nothing here).
template <int D>
static void log_prob_fixed(float* out, const float* x, const double* mu, const double* prec, const double* bias,
                           int64_t i0, int64_t i1, int64_t k) {
  constexpr int64_t BL = 256;
  alignas(64) double xt[D][BL];
  alignas(32) float tmp[8];
  for (int64_t b0 = i0; b0 < i1; b0 += BL) {
    const int64_t m = (i1 - b0) < BL ? (i1 - b0) : BL, m8 = (m + 7) & ~int64_t(7);
    for (int64_t s = 0; s < m8; s++)
      for (int a = 0; a < D; a++) xt[a][s] = s < m ? double(x[(b0 + s) * D + a]) : 0.0;
    for (int64_t j = 0; j < k; j++) {
      __m512d mv[D], pv[D][D];
      for (int a = 0; a < D; a++) {
        mv[a] = _mm512_set1_pd(mu[j * D + a]);
        for (int c = 0; c < D; c++) pv[a][c] = _mm512_set1_pd(prec[j * D * D + a * D + c]);
      }
      const __m512d bj = _mm512_set1_pd(bias[j]), half = _mm512_set1_pd(-0.5);
      for (int64_t s0 = 0; s0 < m8; s0 += 8) {
        __m512d dv[D];
        for (int a = 0; a < D; a++) dv[a] = _mm512_sub_pd(_mm512_load_pd(&xt[a][s0]), mv[a]);
        __m512d maha = _mm512_setzero_pd();
        for (int c = 0; c < D; c++) {
          __m512d y = _mm512_mul_pd(dv[0], pv[0][c]);
          for (int a = 1; a < D; a++) y = _mm512_fmadd_pd(dv[a], pv[a][c], y);
          maha = _mm512_fmadd_pd(y, y, maha);
        }
        _mm256_store_ps(tmp, _mm512_cvtpd_ps(_mm512_fmadd_pd(half, maha, bj)));
        const int64_t cnt = (m - s0) < 8 ? (m - s0) : 8;
        for (int64_t l = 0; l < cnt; l++) out[(b0 + s0 + l) * k + j] = tmp[l];
      }
    }
  }
}

// M-step sums for d <= 4 in float64 registers: per block of 256 rows transposed once (xt[a][s],
// weights wt[s]), per component and 8 rows  N += w,  m_a += w x_a  (moments) or
// S_ab += (w δ_a) δ_b with δ = x − μ over the upper triangle (scatter); each accumulator is reduced
// into the float64 output once per block.
template <int D>
static void sums_fixed(double* nk, double* sums, double* scat, const float* r, const float* x, const double* mu,
                       int64_t i0, int64_t i1, int64_t k, bool diag) {
  constexpr int64_t BL = 256;
  alignas(64) double xt[D][BL], wt[BL];
  for (int64_t b0 = i0; b0 < i1; b0 += BL) {
    const int64_t m = (i1 - b0) < BL ? (i1 - b0) : BL, m8 = (m + 7) & ~int64_t(7);
    for (int64_t s = 0; s < m8; s++)
      for (int a = 0; a < D; a++) xt[a][s] = s < m ? double(x[(b0 + s) * D + a]) : 0.0;
    for (int64_t j = 0; j < k; j++) {
      for (int64_t s = 0; s < m8; s++) wt[s] = s < m ? double(r[(b0 + s) * k + j]) : 0.0;
      if (!scat) {  // moments
        __m512d cn = _mm512_setzero_pd(), cm[D];
        for (int a = 0; a < D; a++) cm[a] = _mm512_setzero_pd();
        for (int64_t s0 = 0; s0 < m8; s0 += 8) {
          const __m512d w = _mm512_load_pd(wt + s0);
          cn = _mm512_add_pd(cn, w);
          for (int a = 0; a < D; a++) cm[a] = _mm512_fmadd_pd(w, _mm512_load_pd(&xt[a][s0]), cm[a]);
        }
        nk[j] += _mm512_reduce_add_pd(cn);
        for (int a = 0; a < D; a++) sums[j * D + a] += _mm512_reduce_add_pd(cm[a]);
        continue;
      }
      __m512d mv[D], cs[D][D];
      for (int a = 0; a < D; a++) {
        mv[a] = _mm512_set1_pd(mu[j * D + a]);
        for (int b = 0; b < D; b++) cs[a][b] = _mm512_setzero_pd();
      }
      for (int64_t s0 = 0; s0 < m8; s0 += 8) {
        const __m512d w = _mm512_load_pd(wt + s0);
        __m512d dv[D];
        for (int a = 0; a < D; a++) dv[a] = _mm512_sub_pd(_mm512_load_pd(&xt[a][s0]), mv[a]);
        for (int a = 0; a < D; a++) {
          const __m512d wa = _mm512_mul_pd(w, dv[a]);
          for (int b = a; b < D; b++)
            if (!diag || b == a) cs[a][b] = _mm512_fmadd_pd(wa, dv[b], cs[a][b]);
        }
      }
      for (int a = 0; a < D; a++)
        for (int b = a; b < D; b++) {
          const double v = _mm512_reduce_add_pd(cs[a][b]);
          if (diag) { if (b == a) scat[j * D + a] += v; }
          else scat[j * D * D + a * D + b] += v;
        }
    }
  }
}

// moments (scat null) or scatter for d <= 4; false for wider rows.
static bool sums_fast(double* nk, double* sums, double* scat, const float* r, const float* x, const double* mu,
                      int64_t i0, int64_t i1, int64_t d, int64_t k, bool diag) {
  switch (d) {
    case 1: sums_fixed<1>(nk, sums, scat, r, x, mu, i0, i1, k, diag); return true;
    case 2: sums_fixed<2>(nk, sums, scat, r, x, mu, i0, i1, k, diag); return true;
    case 3: sums_fixed<3>(nk, sums, scat, r, x, mu, i0, i1, k, diag); return true;
    case 4: sums_fixed<4>(nk, sums, scat, r, x, mu, i0, i1, k, diag); return true;
    default: return false;
  }
}

static bool log_prob_fast(float* out, const float* x, const double* mu, const double* prec, const double* bias,
                          int64_t i0, int64_t i1, int64_t d, int64_t k) {
  switch (d) {
    case 1: log_prob_fixed<1>(out, x, mu, prec, bias, i0, i1, k); return true;
    case 2: log_prob_fixed<2>(out, x, mu, prec, bias, i0, i1, k); return true;
    case 3: log_prob_fixed<3>(out, x, mu, prec, bias, i0, i1, k); return true;
    case 4: log_prob_fixed<4>(out, x, mu, prec, bias, i0, i1, k); return true;
    default: return false;
  }
}

}  // namespace cls_avx512
}  // namespace lk

#define LK_CLS_NS cls_avx512
#include "classical_impl.h"
#include "classical.h"

LK_CLASSICAL_TABLE(classical_avx512, cls_avx512)
