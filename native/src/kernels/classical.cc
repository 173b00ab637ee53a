// The classical models' kernels: K-means assignment with the cluster sums fused,
// k-means++ candidate distances, the Gaussian E-step and the mixtures' float64
// M-step moments. Rows are split over the thread pool in contiguous ranges;
// each range accumulates its float64 partials privately and the partials are
// added in range order (the same answer for the same thread count).
// Small d runs the vectorised row loops of classical_impl.h for this ISA; wide
// data (d > 32) takes the GEMM for K-means: ‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖².
// The M-step sums go over blocks of rows as float64 columns with eight partial sums each.
#include <vector>
#include <algorithm>
#include <cmath>
#include "internal.h"
#include "kernels.h"
#include <stdint.h>
#define LK_CLS_NS cls_portable
#include "classical_nofast.h"
#include "classical_impl.h"
#include "classical.h"

LK_CLASSICAL_TABLE(classical_portable, cls_portable)

using namespace lk;

namespace {

const ClassicalRanges& ranges() {
  static const ClassicalRanges r = LK_HAS_ISA(ISA_AVX512) ? classical_avx512()
                                   : LK_HAS_ISA(ISA_AVX2) ? classical_avx2()
                                                       : classical_portable();
  return r;
}

// Run f(task, begin, end) over contiguous row ranges (about `grain` rows at least), one per thread;
// returns the number of ranges so the caller can reduce per-range partials in order.
template <class F>
int64_t split_rows(int64_t n, int64_t grain, F&& f) {
  int64_t tasks = std::min<int64_t>(threads(), std::max<int64_t>(1, n / grain));
  auto run = [&](int64_t t) { f(t, n * t / tasks, n * (t + 1) / tasks); };
  if (tasks <= 1) run(0);
  else parallel(tasks, run);
  return tasks;
}

// K-means on wide rows: per block, cross = X_b Cᵀ on the single-thread GEMM, then the argmin.
void kmeans_assign_gemm(int32_t* labels, float* dist, double* sums, double* stats, const int32_t* prev, const float* x,
                        const float* c, int64_t i0, int64_t i1, int64_t d, int64_t k, const float* cc) {
  constexpr int64_t BR = 128;
  std::vector<float> cross(BR * k);
  for (int64_t b0 = i0; b0 < i1; b0 += BR) {
    const int64_t m = std::min(BR, i1 - b0);
    Gemm g{m, k, d, x + b0 * d, d, false, c, d, true, cross.data(), k, false};
    sgemm_st(g);
    for (int64_t s = 0; s < m; s++) {
      const int64_t i = b0 + s;
      const float* xi = x + i * d;
      float xx = 0;
      for (int64_t a = 0; a < d; a++) xx += xi[a] * xi[a];
      float best = INFINITY;
      int32_t at = 0;
      for (int64_t j = 0; j < k; j++) {
        const float v = std::max(0.f, xx - 2 * cross[s * k + j] + cc[j]);
        if (v < best) { best = v; at = int32_t(j); }
      }
      labels[i] = at; dist[i] = best;
      stats[2 * k] += (at != prev[i]);
      stats[at] += 1; stats[k + at] += best;
      for (int64_t a = 0; a < d; a++) sums[at * d + a] += xi[a];
    }
  }
}

// The E-step on wide rows: y = (x − μ_j)ᵀ P_j row by row in float64, vectorised over the columns of P_j.
void log_prob_wide(float* out, const float* x, const double* mu, const double* prec, const double* bias, int64_t i0,
                   int64_t i1, int64_t d, int64_t k) {
  std::vector<double> diff(d), y(d);
  for (int64_t i = i0; i < i1; i++) {
    for (int64_t j = 0; j < k; j++) {
      const double* P = prec + j * d * d;
      for (int64_t a = 0; a < d; a++) diff[a] = double(x[i * d + a]) - mu[j * d + a];
      std::fill(y.begin(), y.end(), 0.0);
      for (int64_t a = 0; a < d; a++) {
        const double da = diff[a];
        if (da == 0) continue;
        const double* Pa = P + a * d;
        for (int64_t s = 0; s < d; s++) y[s] += da * Pa[s];
      }
      double maha = 0;
      for (int64_t s = 0; s < d; s++) maha += y[s] * y[s];
      out[i * k + j] = float(bias[j] - 0.5 * maha);
    }
  }
}

// Add the per-range partials part[t][0..len) into out in range order.
void reduce_parts(double* out, const std::vector<double>& part, int64_t tasks, int64_t len) {
  std::fill(out, out + len, 0.0);
  for (int64_t t = 0; t < tasks; t++)
    for (int64_t i = 0; i < len; i++) out[i] += part[t * len + i];
}

}  // namespace

extern "C" void kmeans_assign_f32(int32_t* labels, float* dist, double* sums, double* stats, const int32_t* prev,
                                  const float* x, const float* c, int64_t n, int64_t d, int64_t k) {
  // per range: sums [k·d] then stats [3k]
  const int64_t len = k * d + 3 * k, maxTasks = threads();
  std::vector<double> part(maxTasks * len, 0.0);
  std::vector<float> cc(k, 0.f);
  if (d > cls_portable::MAX_D_DIRECT)
    for (int64_t j = 0; j < k; j++)
      for (int64_t a = 0; a < d; a++) cc[j] += c[j * d + a] * c[j * d + a];
  const int64_t tasks = split_rows(n, 4096, [&](int64_t t, int64_t b, int64_t e) {
    double* p = part.data() + t * len;
    if (d > cls_portable::MAX_D_DIRECT) kmeans_assign_gemm(labels, dist, p, p + k * d, prev, x, c, b, e, d, k, cc.data());
    else ranges().kmeans(labels, dist, p, p + k * d, prev, x, c, b, e, d, k);
  });
  std::vector<double> all(len);
  reduce_parts(all.data(), part, tasks, len);
  std::copy(all.begin(), all.begin() + k * d, sums);
  std::copy(all.begin() + k * d, all.end(), stats);
}

extern "C" void min_sq_dist_f32(float* out, double* pot, const float* closest, const float* x, const float* cand,
                                int64_t n, int64_t d, int64_t k) {
  const int64_t maxTasks = threads();
  std::vector<double> part(maxTasks * k, 0.0);
  const int64_t tasks = split_rows(n, 4096, [&](int64_t t, int64_t b, int64_t e) {
    double* p = part.data() + t * k;
    if (d <= cls_portable::MAX_D_DIRECT) { ranges().min_sq(out, p, closest, x, cand, n, b, e, d, k); return; }
    for (int64_t j = 0; j < k; j++)
      for (int64_t i = b; i < e; i++) {
        float s = 0;
        for (int64_t a = 0; a < d; a++) { const float v = x[i * d + a] - cand[j * d + a]; s += v * v; }
        const float m = std::min(closest[i], s);
        out[j * n + i] = m; p[j] += m;
      }
  });
  reduce_parts(pot, part, tasks, k);
}

extern "C" void gaussian_log_prob_f32(float* out, const float* x, const double* mu, const double* prec, const double* bias,
                                      int64_t n, int64_t d, int64_t k) {
  split_rows(n, 2048, [&](int64_t, int64_t b, int64_t e) {
    if (d <= cls_portable::MAX_D_DIRECT) ranges().log_prob(out, x, mu, prec, bias, b, e, d, k);
    else log_prob_wide(out, x, mu, prec, bias, b, e, d, k);
  });
}

extern "C" void mixture_moments_f32(double* nk, double* sums, const float* r, const float* x, int64_t n, int64_t d,
                                    int64_t k) {
  const int64_t len = k + k * d, maxTasks = threads();
  std::vector<double> part(maxTasks * len, 0.0);
  const int64_t tasks = split_rows(n, 512, [&](int64_t t, int64_t b, int64_t e) {
    double* p = part.data() + t * len;
    std::vector<double> xd(8 * d);
    ranges().moments(p, p + k, r, x, b, e, d, k, xd.data());
  });
  std::vector<double> all(len);
  reduce_parts(all.data(), part, tasks, len);
  std::copy(all.begin(), all.begin() + k, nk);
  std::copy(all.begin() + k, all.end(), sums);
}

extern "C" void mixture_scatter_f32(double* out, const float* r, const float* x, const double* mu, int64_t n, int64_t d,
                                    int64_t k, int diag) {
  const int64_t len = diag ? k * d : k * d * d, maxTasks = threads();
  std::vector<double> part(maxTasks * len, 0.0);
  const int64_t tasks = split_rows(n, 4096, [&](int64_t t, int64_t b, int64_t e) {
    std::vector<double> scratch((2 * d + 1) * cls_portable::BM);
    ranges().scatter(part.data() + t * len, r, x, mu, b, e, d, k, diag != 0, scratch.data());
  });
  reduce_parts(out, part, tasks, len);
  if (diag) return;
  for (int64_t j = 0; j < k; j++)  // mirror the upper triangles
    for (int64_t a = 0; a < d; a++)
      for (int64_t b = 0; b < a; b++) out[j * d * d + a * d + b] = out[j * d * d + b * d + a];
}

extern "C" void mixture_responsibilities_f32(float* resp, float* lse, double* total, const float* wlp, int64_t n,
                                             int64_t k) {
  std::vector<double> part(threads(), 0.0);
  const int64_t tasks = split_rows(n, 4096, [&](int64_t t, int64_t b, int64_t e) {
    std::vector<float> scratch((k + 2) * cls_portable::B);
    ranges().responsibilities(resp, lse, &part[t], wlp, b, e, k, scratch.data());
  });
  reduce_parts(total, part, tasks, 1);
}

// out = X Wᵀ + b: AVX-512 register-blocked rows, else the single-thread GEMM per block of rows plus the bias.
extern "C" void linear_scores_f32(float* out, const float* x, const float* w, const double* bias, int64_t n, int64_t d,
                                  int64_t k) {
  split_rows(n, 256, [&](int64_t, int64_t b, int64_t e) {
    if (LK_HAS_ISA(ISA_AVX512)) { cls_avx512::linear_scores_avx512(out, x, w, bias, b, e, d, k); return; }
    Gemm g{e - b, k, d, x + b * d, d, false, w, d, true, out + b * k, k, false};
    sgemm_st(g);
    for (int64_t i = b; i < e; i++)
      for (int64_t j = 0; j < k; j++) out[i * k + j] = float(double(out[i * k + j]) + bias[j]);
  });
}
