// Float64 dense kernels: covariance (float32 block products on the sgemm, float64
// sums), dgemm, cholesky, triangular solves, LU and Householder QR. Hot loops are
// the row primitives of linalg_rows.h (AVX-512 / AVX2 / portable); work is split
// over the thread pool by rows or by columns of the right-hand sides.
#include <math.h>
#include <string.h>
#include <algorithm>
#include <vector>
#include "internal.h"
#include "kernels.h"
#include "linalg_rows.h"

using namespace lk;

namespace {
constexpr int64_t KB = 512;   // samples per float32 block of the covariance (the spec says so)
constexpr int64_t TILE = 192; // covariance output tile

thread_local std::vector<float> tl_tile;
float* tile_buf() { if (tl_tile.size() < size_t(TILE * TILE)) tl_tile.resize(TILE * TILE); return tl_tile.data(); }
}  // namespace

namespace {
// out (upper tiles, float64) += Xcᵀ Xc for one block xc [kb, d] of centred rows (float32 sgemm_st per tile)
void block_products(double* out, const float* xc, int64_t kb, int64_t d, const std::vector<int64_t>& tiles, int64_t t0,
                    int64_t t1) {
  const int64_t nt = (d + TILE - 1) / TILE;
  float* c = tile_buf();
  for (int64_t t = t0; t < t1; t++) {
    const int64_t I = tiles[t] / nt, J = tiles[t] % nt, i0 = I * TILE, j0 = J * TILE;
    const int64_t m = std::min(TILE, d - i0), nn = std::min(TILE, d - j0);
    Gemm g{m, nn, kb, xc + i0, d, true, xc + j0, d, false, c, nn, false};
    sgemm_st(g);
    for (int64_t i = 0; i < m; i++) {
      double* o = out + (i0 + i) * d + j0;
      const float* ci = c + i * nn;
      for (int64_t j = 0; j < nn; j++) o[j] += double(ci[j]);
    }
  }
}
void centre(float* xc, const float* x, const double* mean, int64_t rows, int64_t d) {
  for (int64_t s = 0; s < rows; s++) for (int64_t i = 0; i < d; i++) xc[s * d + i] = float(double(x[s * d + i]) - mean[i]);
}
}  // namespace

// mean = Σ x / n;  out = Σ_blocks (Xb − μ)ᵀ(Xb − μ) / (n − 1): each block of KB centred rows
// in float32 (upper tiles only, on sgemm_st), the blocks summed into out in float64.
// Up to d = 2048 each thread takes a contiguous range of blocks and sums into its own float64
// matrix (one dispatch for the whole product, robust when the machine is shared); above that
// the tiles of each block are split over the pool.
extern "C" void covariance_f32(double* out, double* mean, const float* x, int64_t n, int64_t d) {
  const int T = threads();
  std::vector<double> part(size_t(T) * d, 0.0);
  auto sums = [&](int64_t r0, int64_t r1) {
    double* p = part.data() + size_t(thread_index()) * d;
    for (int64_t s = r0; s < r1; s++) for (int64_t i = 0; i < d; i++) p[i] += x[s * d + i];
  };
  parallel_range(n, std::max<int64_t>(1, 4096 / d), sums);
  for (int64_t i = 0; i < d; i++) { double s = 0; for (int t = 0; t < T; t++) s += part[size_t(t) * d + i]; mean[i] = s / double(n); }
  memset(out, 0, sizeof(double) * d * d);
  const int64_t nt = (d + TILE - 1) / TILE, nblocks = (n + KB - 1) / KB;
  std::vector<int64_t> tiles;  // upper tiles (I <= J)
  for (int64_t I = 0; I < nt; I++) for (int64_t J = I; J < nt; J++) tiles.push_back(I * nt + J);
  const int64_t ntiles = int64_t(tiles.size());
  if (d <= 2048 && T > 1 && nblocks >= 2 * T) {
    std::vector<double> acc(size_t(T - 1) * d * d, 0.0);  // thread 0 sums into out itself
    auto run = [&](int64_t t) {
      double* o = t == 0 ? out : acc.data() + size_t(t - 1) * d * d;
      std::vector<float> xc(size_t(KB) * d);
      for (int64_t b = nblocks * t / T; b < nblocks * (t + 1) / T; b++) {
        const int64_t b0 = b * KB, kb = std::min(KB, n - b0);
        centre(xc.data(), x + b0 * d, mean, kb, d);
        block_products(o, xc.data(), kb, d, tiles, 0, ntiles);
      }
    };
    parallel(T, run);
    auto reduce = [&](int64_t r0, int64_t r1) {
      for (int t = 1; t < T; t++) for (int64_t i = r0; i < r1; i++) {
        const double* a = acc.data() + size_t(t - 1) * d * d + i * d;
        for (int64_t j = i; j < d; j++) out[i * d + j] += a[j];
      }
    };
    parallel_range(d, 32, reduce);
  } else {
    std::vector<float> xc(size_t(KB) * d);
    for (int64_t b = 0; b < nblocks; b++) {
      const int64_t b0 = b * KB, kb = std::min(KB, n - b0);
      auto c = [&](int64_t r0, int64_t r1) { centre(xc.data() + r0 * d, x + (b0 + r0) * d, mean, r1 - r0, d); };
      parallel_range(kb, std::max<int64_t>(1, 8192 / d), c);
      auto tile = [&](int64_t t) { block_products(out, xc.data(), kb, d, tiles, t, t + 1); };
      parallel(ntiles, tile);
    }
  }
  const double sc = 1.0 / double(n - 1);
  for (int64_t a = 0; a < d; a++) for (int64_t b = a; b < d; b++) { const double v = out[a * d + b] * sc; out[a * d + b] = v; out[b * d + a] = v; }
}

// out = op(a) op(b) on the packed float64 GEMM, rows of out split over the pool.
extern "C" void dgemm_f32(double* out, const double* a, const double* b, int64_t m, int64_t k, int64_t n, int transA, int transB) {
  memset(out, 0, sizeof(double) * m * n);
  const int64_t ars = transA ? 1 : k, acs = transA ? m : 1, brs = transB ? 1 : n, bcs = transB ? k : 1;
  auto run = [&](int64_t r0, int64_t r1) { rows().gemm(r1 - r0, n, k, 1.0, a + r0 * ars, ars, acs, b, brs, bcs, out + r0 * n, n); };
  if (double(m) * n * k < 1 << 16) run(0, m); else parallel_range(m, 32, run);
}

// Cholesky–Banachiewicz by columns: L_jj = √(A_jj − L_j·L_j), L_ij = (A_ij − L_i·L_j) / L_jj
// over the first j entries of the rows (contiguous dots), rows i > j split over the pool.
extern "C" void cholesky_f32(double* l, int32_t* info, const double* a, int64_t n) {
  memset(l, 0, sizeof(double) * n * n);
  info[0] = 0;
  const LinalgRows& R = rows();
  for (int64_t j = 0; j < n; j++) {
    const double s = a[j * n + j] - R.dot(l + j * n, l + j * n, j);
    if (!(s > 0) || !std::isfinite(s)) { info[0] = int32_t(j + 1); return; }
    const double dj = sqrt(s);
    l[j * n + j] = dj;
    auto col = [&](int64_t i0, int64_t i1) {
      for (int64_t i = j + 1 + i0; i < j + 1 + i1; i++) l[i * n + j] = (a[i * n + j] - R.dot(l + i * n, l + j * n, j)) / dj;  // divide, as the reference
    };
    const int64_t rest = n - j - 1;
    if (rest * j < 1 << 15) col(0, rest); else parallel_range(rest, 16, col);
  }
}

namespace {
constexpr int64_t TB = 64;  // row block of the triangular solves

// b [n, m] columns [j0, j1) ← T⁻¹ b for T = L (lower: trans false), Lᵀ (trans true) or, with
// upper, the upper triangle of l (U, rows contiguous; unit = unit diagonal for L). Blocked by
// TB rows: the block's rows first lose the contribution of the solved rows (one packed GEMM,
// b_blk −= T_blk,solved · x_solved), then are solved by substitution within the block.
void tri_cols(double* b, const double* l, int64_t n, int64_t m, bool trans, int64_t j0, int64_t j1, bool unit,
              bool upper = false) {
  const LinalgRows& R = rows();
  const int64_t w = j1 - j0;
  const bool forward = !trans && !upper;  // L x = b solves top-down; Lᵀ and U bottom-up
  for (int64_t s = 0; s < n; s += TB) {
    const int64_t b0 = forward ? s : std::max<int64_t>(0, n - s - TB), b1 = forward ? std::min(n, s + TB) : n - s;
    if (forward && b0 > 0) {  // rows [b0, b1) −= L[b0:b1, 0:b0] · x[0:b0]
      R.gemm(b1 - b0, w, b0, -1.0, l + b0 * n, n, 1, b + j0, m, 1, b + b0 * m + j0, m);
    } else if (!forward && b1 < n) {  // rows [b0, b1) −= T[b0:b1, b1:n] · x[b1:n]
      if (upper) R.gemm(b1 - b0, w, n - b1, -1.0, l + b0 * n + b1, n, 1, b + b1 * m + j0, m, 1, b + b0 * m + j0, m);
      else R.gemm(b1 - b0, w, n - b1, -1.0, l + b1 * n + b0, 1, n, b + b1 * m + j0, m, 1, b + b0 * m + j0, m);
    }
    if (forward) {
      for (int64_t i = b0; i < b1; i++) {
        double* bi = b + i * m + j0;
        for (int64_t k = b0; k < i; k++) { const double v = l[i * n + k]; if (v != 0) R.axpy(w, -v, b + k * m + j0, bi); }
        if (!unit) { const double d = l[i * n + i]; for (int64_t j = 0; j < w; j++) bi[j] /= d; }
      }
    } else {
      for (int64_t i = b1 - 1; i >= b0; i--) {
        double* bi = b + i * m + j0;
        for (int64_t k = i + 1; k < b1; k++) {
          const double v = upper ? l[i * n + k] : l[k * n + i];
          if (v != 0) R.axpy(w, -v, b + k * m + j0, bi);
        }
        const double d = l[i * n + i];
        for (int64_t j = 0; j < w; j++) bi[j] /= d;
      }
    }
  }
}
// columns of the right-hand sides split over the pool in ranges of >= 32
template <class F> void over_columns(int64_t n, int64_t m, F& f) {
  if (double(n) * n * m < 1 << 16 || m < 64) { f(int64_t(0), m); return; }
  parallel_range(m, 32, f);
}
}  // namespace

extern "C" void tri_solve_f32(double* b, const double* l, int64_t n, int64_t m, int trans) {
  auto f = [&](int64_t j0, int64_t j1) { tri_cols(b, l, n, m, trans != 0, j0, j1, false); };
  over_columns(n, m, f);
}

// Blocked right-looking LU with partial pivoting (LAPACK getrf): for each panel of TB columns,
//   factor the panel by rank-1 updates (pivot rows swapped across the whole matrix),
//   U₁₂ ← L₁₁⁻¹ A₁₂ (unit lower substitution),  A₂₂ ← A₂₂ − L₂₁ U₁₂ (packed GEMM, rows over the pool).
extern "C" void lu_f32(double* a, int32_t* piv, int64_t n) {
  const LinalgRows& R = rows();
  for (int64_t i = 0; i < n; i++) piv[i] = int32_t(i);
  for (int64_t k0 = 0; k0 < n; k0 += TB) {
    const int64_t k1 = std::min(n, k0 + TB);
    for (int64_t k = k0; k < k1; k++) {
      int64_t p = k;
      double best = fabs(a[k * n + k]);
      for (int64_t i = k + 1; i < n; i++) { const double v = fabs(a[i * n + k]); if (v > best) { best = v; p = i; } }
      if (best == 0) continue;
      if (p != k) { std::swap_ranges(a + k * n, a + k * n + n, a + p * n); std::swap(piv[k], piv[p]); }
      const double dinv = 1.0 / a[k * n + k];
      const double* rk = a + k * n + k + 1;
      const int64_t w = k1 - k - 1, rest = n - k - 1;
      auto upd = [&](int64_t i0, int64_t i1) {
        for (int64_t i = k + 1 + i0; i < k + 1 + i1; i++) {
          double* ri = a + i * n;
          const double f = (ri[k] *= dinv);
          if (f != 0 && w > 0) R.axpy(w, -f, rk, ri + k + 1);
        }
      };
      if (rest * (w + 1) < 1 << 14) upd(0, rest); else parallel_range(rest, 64, upd);
    }
    const int64_t c1 = n - k1;
    if (c1 == 0) continue;
    for (int64_t i = k0 + 1; i < k1; i++)
      for (int64_t k = k0; k < i; k++) { const double v = a[i * n + k]; if (v != 0) R.axpy(c1, -v, a + k * n + k1, a + i * n + k1); }
    auto trail = [&](int64_t r0, int64_t r1) {
      R.gemm(r1 - r0, c1, k1 - k0, -1.0, a + (k1 + r0) * n + k0, n, 1, a + k0 * n + k1, n, 1, a + (k1 + r0) * n + k1, n);
    };
    if (c1 * c1 * (k1 - k0) < 1 << 16) trail(0, c1); else parallel_range(c1, 32, trail);
  }
}

extern "C" void lu_solve_f32(double* x, const double* lu, const int32_t* piv, const double* b, int64_t n, int64_t m) {
  for (int64_t i = 0; i < n; i++) memcpy(x + i * m, b + int64_t(piv[i]) * m, sizeof(double) * m);
  auto f = [&](int64_t j0, int64_t j1) {
    tri_cols(x, lu, n, m, false, j0, j1, true);         // L y = P b (unit lower)
    tri_cols(x, lu, n, m, false, j0, j1, false, true);  // U x = y
  };
  over_columns(n, m, f);
}

// Householder QR then Q (geqr2 + org2r), row-oriented: w = vᵀ Q[j:, cols] accumulated row by row,
// then Q[i, cols] −= τ v_i w (both axpys over a contiguous row).
extern "C" void qr_q_f32(double* q, int64_t m, int64_t k) {
  const LinalgRows& R = rows();
  const int64_t kk = std::min(m, k);
  std::vector<double> tau(k, 0.0), w(k);
  auto reflect = [&](int64_t j, int64_t c0, bool unitRow) {  // columns [c0, k) ← H_j (them)
    const int64_t nc = k - c0;
    if (nc <= 0 || tau[j] == 0) return;
    double* wv = w.data();
    if (unitRow) memcpy(wv, q + j * k + c0, sizeof(double) * nc); else memset(wv, 0, sizeof(double) * nc);
    for (int64_t i = j + 1; i < m; i++) R.axpy(nc, q[i * k + j], q + i * k + c0, wv);
    if (unitRow) R.axpy(nc, -tau[j], wv, q + j * k + c0); else for (int64_t c = 0; c < nc; c++) q[j * k + c0 + c] = -tau[j] * wv[c];
    for (int64_t i = j + 1; i < m; i++) R.axpy(nc, -tau[j] * q[i * k + j], wv, q + i * k + c0);
  };
  for (int64_t j = 0; j < kk; j++) {
    double xn = 0;
    for (int64_t i = j + 1; i < m; i++) xn += q[i * k + j] * q[i * k + j];
    const double alpha = q[j * k + j];
    if (xn == 0) { tau[j] = 0; continue; }
    const double beta = alpha > 0 ? -sqrt(alpha * alpha + xn) : sqrt(alpha * alpha + xn);
    tau[j] = (beta - alpha) / beta;
    const double sc = 1.0 / (alpha - beta);
    for (int64_t i = j + 1; i < m; i++) q[i * k + j] *= sc;
    q[j * k + j] = beta;
    reflect(j, j + 1, true);
  }
  for (int64_t i = 0; i < m; i++) for (int64_t j = kk; j < k; j++) q[i * k + j] = 0;
  for (int64_t j = kk - 1; j >= 0; j--) {
    if (tau[j] != 0) reflect(j, j + 1, false); else for (int64_t c = j + 1; c < k; c++) q[j * k + c] = 0;
    const double t = tau[j];
    q[j * k + j] = 1 - t;
    for (int64_t i = j + 1; i < m; i++) q[i * k + j] *= -t;
    for (int64_t i = 0; i < j; i++) q[i * k + j] = 0;
  }
}
