// The classical models' kernels on one range of samples [i0, i1), written so the
// compiler vectorises them over samples: a block of B rows of x is transposed to
// xt[a][s] (features outermost), then every centroid / component is one pass of
// stride-1 loops over the block. Included by classical.cc (portable),
// classical_avx2.cc and classical_avx512.cc, each in its own namespace
// (LK_CLS_NS), so the same source gets each ISA's code generation.
//   K-means    dist_ij = Σ_a (x_ia − c_ja)²,  label_i = argmin_j (first on ties)
//   k-means++  out_ti = min(closest_i, Σ_a (x_ia − cand_ta)²)
//   E-step     out_ij = bias_j − ½ Σ_s (Σ_a (x_ia − μ_ja) P_j[a, s])²   (float64)
// Partial sums (float64) go to the caller's per-task accumulators. The includer
// defines kmeans_block_fast(best, lab, x, c, b0, m, d, k) in LK_CLS_NS first:
// true when it computed the block's argmin itself (e.g. AVX-512 for d <= 4), and
// moments_wide_fast(nk, sums, r, x, i0, i1, d, k, xd): true when it did the wide-row moments, and
// log_prob_fast(out, x, mu, prec, bias, i0, i1, d, k): true when it did the E-step rows, and
// sums_fast(nk, sums, scat, r, x, mu, i0, i1, d, k, diag): true when it did the moments (scat null) or scatter.
#pragma once
#include <stdint.h>
#include <string.h>
#include <math.h>

namespace lk {
namespace LK_CLS_NS {

constexpr int64_t B = 256;          // samples per block (xt is d·B floats; the caller keeps d·B small)
constexpr int64_t MAX_D_DIRECT = 32;  // above this, K-means and the E-step use the GEMM route

// xt[a * B + s] = x[(i0 + s) * d + a] for s < m
static inline void transpose_block(float* __restrict xt, const float* __restrict x, int64_t i0, int64_t m, int64_t d) {
  for (int64_t s = 0; s < m; s++)
    for (int64_t a = 0; a < d; a++) xt[a * B + s] = x[(i0 + s) * d + a];
}

// The per-sample bookkeeping of an assignment, with four interleaved accumulator sets
// (sample i adds into set i & 3) so that runs of equal labels do not form one long
// float64 dependency chain: part [4][k][d + 2] = per-cluster sums, the sse, the count.
static inline void kmeans_tally(double* part, int64_t& changed, int32_t* labels, float* dist, const int32_t* prev,
                                const float* x, const float* best, const int32_t* lab, int64_t b0, int64_t m,
                                int64_t d, int64_t k) {
  const int64_t stride = k * (d + 2);
  for (int64_t s = 0; s < m; s++) {
    const int64_t i = b0 + s;
    const int32_t j = lab[s];
    labels[i] = j; dist[i] = best[s];
    changed += (j != prev[i]);
    double* p = part + (s & 3) * stride + j * (d + 2);
    const float* xi = x + i * d;
    for (int64_t a = 0; a < d; a++) p[a] += xi[a];
    p[d] += best[s];
    p[d + 1] += 1;
  }
}

// Assign rows [i0, i1): labels, dist, and the per-task float64 sums [k·d] / stats [3k] (zeroed by the caller).
static void kmeans_assign_range(int32_t* labels, float* dist, double* sums, double* stats, const int32_t* prev,
                                const float* x, const float* c, int64_t i0, int64_t i1, int64_t d, int64_t k) {
  alignas(64) float xt[MAX_D_DIRECT * B];
  alignas(64) float best[B], acc[B];
  alignas(64) int32_t lab[B];
  const int64_t stride = k * (d + 2);
  double* part = new double[4 * stride]();
  int64_t changed = 0;
  for (int64_t b0 = i0; b0 < i1; b0 += B) {
    const int64_t m = (i1 - b0) < B ? (i1 - b0) : B;
    if (kmeans_block_fast(best, lab, x, c, b0, m, d, k)) {
      // this ISA's register-blocked distances handled the block
    }
    else {
      transpose_block(xt, x, b0, m, d);
      for (int64_t s = 0; s < m; s++) { best[s] = INFINITY; lab[s] = 0; }
      for (int64_t j = 0; j < k; j++) {
        const float* cj = c + j * d;
        for (int64_t s = 0; s < m; s++) acc[s] = 0.f;
        for (int64_t a = 0; a < d; a++) {
          const float ca = cj[a];
          const float* xa = xt + a * B;
          for (int64_t s = 0; s < m; s++) { const float t = xa[s] - ca; acc[s] += t * t; }
        }
        const int32_t jj = int32_t(j);
        for (int64_t s = 0; s < m; s++) {
          const bool lt = acc[s] < best[s];
          best[s] = lt ? acc[s] : best[s];
          lab[s] = lt ? jj : lab[s];
        }
      }
    }
    kmeans_tally(part, changed, labels, dist, prev, x, best, lab, b0, m, d, k);
  }
  for (int q = 0; q < 4; q++)
    for (int64_t j = 0; j < k; j++) {
      const double* p = part + q * stride + j * (d + 2);
      for (int64_t a = 0; a < d; a++) sums[j * d + a] += p[a];
      stats[k + j] += p[d];
      stats[j] += p[d + 1];
    }
  stats[2 * k] += double(changed);
  delete[] part;
}

// k-means++ candidates t < k on rows [i0, i1); pot gets this range's float64 partial potentials.
static void min_sq_dist_range(float* out, double* pot, const float* closest, const float* x, const float* cand,
                              int64_t n, int64_t i0, int64_t i1, int64_t d, int64_t k) {
  alignas(64) float xt[MAX_D_DIRECT * B];
  alignas(64) float acc[B];
  for (int64_t b0 = i0; b0 < i1; b0 += B) {
    const int64_t m = (i1 - b0) < B ? (i1 - b0) : B;
    transpose_block(xt, x, b0, m, d);
    for (int64_t t = 0; t < k; t++) {
      for (int64_t s = 0; s < m; s++) acc[s] = 0.f;
      for (int64_t a = 0; a < d; a++) {
        const float ca = cand[t * d + a];
        const float* xa = xt + a * B;
        for (int64_t s = 0; s < m; s++) { const float v = xa[s] - ca; acc[s] += v * v; }
      }
      float* o = out + t * n + b0;
      double p = 0;
      for (int64_t s = 0; s < m; s++) {
        const float v = acc[s] < closest[b0 + s] ? acc[s] : closest[b0 + s];
        o[s] = v; p += v;
      }
      pot[t] += p;
    }
  }
}

// E-step rows [i0, i1) for d <= MAX_D_DIRECT, in float64 (vectorised over the samples of a block).
static void gaussian_log_prob_range(float* out, const float* x, const double* mu, const double* prec,
                                    const double* bias, int64_t i0, int64_t i1, int64_t d, int64_t k) {
  if (log_prob_fast(out, x, mu, prec, bias, i0, i1, d, k)) return;
  constexpr int64_t BG = 128;
  alignas(64) double dt[MAX_D_DIRECT * BG];
  alignas(64) double y[BG], maha[BG];
  for (int64_t b0 = i0; b0 < i1; b0 += BG) {
    const int64_t m = (i1 - b0) < BG ? (i1 - b0) : BG;
    for (int64_t j = 0; j < k; j++) {
      const double* mj = mu + j * d;
      const double* P = prec + j * d * d;
      for (int64_t s = 0; s < m; s++)
        for (int64_t a = 0; a < d; a++) dt[a * BG + s] = double(x[(b0 + s) * d + a]) - mj[a];
      for (int64_t s = 0; s < m; s++) maha[s] = 0;
      for (int64_t col = 0; col < d; col++) {
        for (int64_t s = 0; s < m; s++) y[s] = 0;
        for (int64_t a = 0; a < d; a++) {
          const double p = P[a * d + col];
          if (p == 0) continue;  // P = L⁻ᵀ is triangular: half the terms are zero
          const double* da = dt + a * BG;
          for (int64_t s = 0; s < m; s++) y[s] += da[s] * p;
        }
        for (int64_t s = 0; s < m; s++) maha[s] += y[s] * y[s];
      }
      const double bj = bias[j];
      for (int64_t s = 0; s < m; s++) out[(b0 + s) * k + j] = float(bj - 0.5 * maha[s]);
    }
  }
}

// Σ_{s < m} v[s] with eight interleaved partial sums (vectorisable without reassociating a
// single chain; the partials are added in a fixed order).
static inline double sum8(const double* v, int64_t m) {
  double p[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t s = 0;
  for (; s + 8 <= m; s += 8)
    for (int l = 0; l < 8; l++) p[l] += v[s + l];
  for (; s < m; s++) p[s & 7] += v[s];
  return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

constexpr int64_t BM = 128;  // rows per block of the M-step sums

// Wide rows (d > 16): sums_j += Σ_{8 rows} r_ij x_i, eight rows at a time widened to float64
// (xd, 8·d doubles), so every load/store of a sums row carries eight FMAs (a float64 Rᵀ X).
static void moments_wide(double* nk, double* sums, const float* r, const float* x, int64_t i0, int64_t i1, int64_t d,
                         int64_t k, double* xd) {
  constexpr int R8 = 8;
  for (int64_t b0 = i0; b0 < i1; b0 += R8) {
    const int64_t m = (i1 - b0) < R8 ? (i1 - b0) : R8;
    for (int64_t q = 0; q < R8; q++)
      for (int64_t a = 0; a < d; a++) xd[q * d + a] = q < m ? double(x[(b0 + q) * d + a]) : 0.0;
    for (int64_t j = 0; j < k; j++) {
      double w[R8];
      for (int q = 0; q < R8; q++) w[q] = q < m ? double(r[(b0 + q) * k + j]) : 0.0;
      nk[j] += ((w[0] + w[1]) + (w[2] + w[3])) + ((w[4] + w[5]) + (w[6] + w[7]));
      double* __restrict sj = sums + j * d;
      const double *x0 = xd, *x1 = xd + d, *x2 = xd + 2 * d, *x3 = xd + 3 * d, *x4 = xd + 4 * d, *x5 = xd + 5 * d,
                   *x6 = xd + 6 * d, *x7 = xd + 7 * d;
      for (int64_t a = 0; a < d; a++)
        sj[a] += ((w[0] * x0[a] + w[1] * x1[a]) + (w[2] * x2[a] + w[3] * x3[a])) +
                 ((w[4] * x4[a] + w[5] * x5[a]) + (w[6] * x6[a] + w[7] * x7[a]));
    }
  }
}

// Σ_i r_ij and Σ_i r_ij x_i over rows [i0, i1) into the per-task nk [k], sums [k·d] (xd: 8·d doubles).
// Narrow rows: per block, w_s = r_sj and the products w_s x_sa as float64 columns, then sum8 of each.
static void moments_range(double* nk, double* sums, const float* r, const float* x, int64_t i0, int64_t i1, int64_t d,
                          int64_t k, double* xd) {
  if (d > 16) {
    if (!moments_wide_fast(nk, sums, r, x, i0, i1, d, k, xd)) moments_wide(nk, sums, r, x, i0, i1, d, k, xd);
    return;
  }
  if (sums_fast(nk, sums, nullptr, r, x, nullptr, i0, i1, d, k, false)) return;
  double w[BM], t[BM];
  for (int64_t b0 = i0; b0 < i1; b0 += BM) {
    const int64_t m = (i1 - b0) < BM ? (i1 - b0) : BM;
    for (int64_t j = 0; j < k; j++) {
      for (int64_t s = 0; s < m; s++) w[s] = r[(b0 + s) * k + j];
      nk[j] += sum8(w, m);
      for (int64_t a = 0; a < d; a++) {
        for (int64_t s = 0; s < m; s++) t[s] = w[s] * double(x[(b0 + s) * d + a]);
        sums[j * d + a] += sum8(t, m);
      }
    }
  }
}

// Σ_i r_ij (x_i − μ_j)(x_i − μ_j)ᵀ (upper triangles) or its diagonal over rows [i0, i1), float64.
// Per block and component: δ_a[s] = x_sa − μ_ja and w_s δ_a[s] as columns, then sum8 of each product.
// scratch holds 2·d·BM + BM doubles.
static void scatter_range(double* out, const float* r, const float* x, const double* mu, int64_t i0, int64_t i1,
                          int64_t d, int64_t k, bool diag, double* scratch) {
  if (sums_fast(nullptr, nullptr, out, r, x, mu, i0, i1, d, k, diag)) return;
  double* dt = scratch;           // δ [d][BM]
  double* wd = scratch + d * BM;  // w δ [d][BM]
  double* t = wd + d * BM;        // one product column
  for (int64_t b0 = i0; b0 < i1; b0 += BM) {
    const int64_t m = (i1 - b0) < BM ? (i1 - b0) : BM;
    for (int64_t j = 0; j < k; j++) {
      const double* mj = mu + j * d;
      for (int64_t s = 0; s < m; s++) {
        const double ws = r[(b0 + s) * k + j];
        for (int64_t a = 0; a < d; a++) {
          const double v = double(x[(b0 + s) * d + a]) - mj[a];
          dt[a * BM + s] = v;
          wd[a * BM + s] = ws * v;
        }
      }
      for (int64_t a = 0; a < d; a++) {
        const double* wa = wd + a * BM;
        const int64_t bEnd = diag ? a + 1 : d;  // the diagonal only, or the upper triangle's row a
        for (int64_t b = a; b < bEnd; b++) {
          const double* db = dt + b * BM;
          for (int64_t s = 0; s < m; s++) t[s] = wa[s] * db[s];
          const double v = sum8(t, m);
          if (diag) out[j * d + a] += v;
          else out[j * d * d + a * d + b] += v;
        }
      }
    }
  }
}

// e^x for x <= 0 in float32 (relative error < 2e-7, 0 below −87): n = round(x log2 e),
// r = x − n ln2 (two-part ln2), e^r by Taylor to r⁶, 2^n in the exponent bits. Branch-free,
// so loops over it vectorise.
static inline float exp_nonpos(float x) {
  const float xc = x > -87.f ? x : -87.f;
  const float n = __builtin_nearbyintf(xc * 1.44269504088896341f);
  float r = xc - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  float p = 1.f / 720;
  p = p * r + 1.f / 120;
  p = p * r + 1.f / 24;
  p = p * r + 1.f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.f;
  p = p * r + 1.f;
  const uint32_t bits = uint32_t(int32_t(n) + 127) << 23;
  float scale;
  memcpy(&scale, &bits, 4);
  return x > -87.f ? p * scale : 0.f;
}

// ln x for x in [1, 2^126) in float32, branch-free (vectorises): x = 2^e f with f in [√½, √2),
// ln f = 2 atanh(z) = 2 (z + z³/3 + … + z⁹/9), z = (f − 1)/(f + 1), |z| <= 0.172 (error < 1e-9).
static inline float log_pos(float x) {
  uint32_t bits;
  memcpy(&bits, &x, 4);
  int32_t e = int32_t(bits >> 23) - 127;
  const uint32_t mb = (bits & 0x7fffffu) | 0x3f800000u;
  float f;
  memcpy(&f, &mb, 4);
  const bool big = f > 1.41421356f;
  f = big ? f * 0.5f : f;
  e = big ? e + 1 : e;
  const float z = (f - 1.f) / (f + 1.f), z2 = z * z;
  const float p = 2.f * z * (1.f + z2 * (1.f / 3 + z2 * (1.f / 5 + z2 * (1.f / 7 + z2 * (1.f / 9)))));
  return float(e) * 0.693147180559945f + p;
}

// E-step normalisation of rows [i0, i1) of wlp [n, k]: lse, resp, and the float64 Σ lse into *total.
// scratch holds k·B + 2·B floats (the block transposed: t[j][s]). Σ_j e^(wlp − max) lies in [1, k].
static void responsibilities_range(float* resp, float* lse, double* total, const float* wlp, int64_t i0, int64_t i1,
                                   int64_t k, float* scratch) {
  float* t = scratch;
  float* mx = scratch + k * B;
  float* sum = mx + B;
  double tot = 0;
  for (int64_t b0 = i0; b0 < i1; b0 += B) {
    const int64_t m = (i1 - b0) < B ? (i1 - b0) : B;
    for (int64_t s = 0; s < m; s++)
      for (int64_t j = 0; j < k; j++) t[j * B + s] = wlp[(b0 + s) * k + j];
    for (int64_t s = 0; s < m; s++) mx[s] = t[s];
    for (int64_t j = 1; j < k; j++)
      for (int64_t s = 0; s < m; s++) {
        const float v = t[j * B + s];
        mx[s] = (v > mx[s] || v != v) ? v : mx[s];
      }
    for (int64_t s = 0; s < m; s++) sum[s] = 0.f;
    for (int64_t j = 0; j < k; j++)
      for (int64_t s = 0; s < m; s++) {
        const float e = exp_nonpos(t[j * B + s] - mx[s]);
        t[j * B + s] = e;
        sum[s] += e;
      }
    float* lb = lse + b0;
    for (int64_t s = 0; s < m; s++) lb[s] = mx[s] + log_pos(sum[s]);
    for (int64_t s = 0; s < m; s++) sum[s] = 1.f / sum[s];
    int32_t special = 0;  // rows whose max is ±∞ or NaN
    for (int64_t s = 0; s < m; s++) special += (mx[s] - mx[s] == 0.f) ? 0 : 1;
    for (int64_t s = 0; s < m; s++) {
      const float* ts = t + s;
      float* o = resp + (b0 + s) * k;
      for (int64_t j = 0; j < k; j++) o[j] = ts[j * B] * sum[s];
    }
    if (special)  // lse = max and NaN responsibilities on rows whose max is not finite
      for (int64_t s = 0; s < m; s++) {
        const float ms = mx[s];
        if (ms - ms == 0.f) continue;
        lse[b0 + s] = ms;
        for (int64_t j = 0; j < k; j++) resp[(b0 + s) * k + j] = NAN;
      }
    double tb = 0;
    for (int64_t s = 0; s < m; s++) tb += lse[b0 + s];
    tot += tb;
  }
  *total += tot;
}

}  // namespace LK_CLS_NS
}  // namespace lk
