// Symmetric eigendecomposition, float64:
//  1. Householder tridiagonalisation Qᵀ A Q = T (LAPACK sytd2, lower). H_i = I − τ v vᵀ,
//     p = τ A₂₂ v, w = p − (τ/2)(pᵀv) v, A₂₂ ← A₂₂ − v wᵀ − w vᵀ. The rank-2 update of step
//     i − 1 and the product A₂₂ v of step i are fused into one pass over the lower triangle
//     (tridiag_row), rows split over the pool by area, one y accumulator per thread.
//  2. Q = H_0 H_1 ⋯ H_{n−2} formed backwards in blocks of NB reflectors (compact WY,
//     H_a ⋯ H_b = I − V T Vᵀ), each block as two float64 products, split by columns.
//  3. Implicit QL with Wilkinson shifts (EISPACK tql2) on (d, e): eigenvalues only, every
//     Givens rotation recorded in scaled ("fast Givens") form: row i of U is σ_i R_i, and the
//     rotation b' = s a + c b, a' = c a − s b of rows (a, b) = (i, i+1) becomes, for |c| ≥ |s|,
//       R_b ← R_b + (s σ_a / c σ_b) R_a,  R_a ← R_a − (s σ_b / c σ_a) R_b,  σ_a, σ_b ← c σ_a, c σ_b
//     (and with the roles of c and s exchanged otherwise): two multiply-adds per element instead
//     of four. A row whose |σ| falls below 1e-120 is rescaled between sweeps. All rotations are
//     then replayed on Uᵀ = Q in strips of 64 columns (rotate_strip; a strip stays in L2), split
//     over the pool, and the σ are applied when the eigenvectors are written out.
#include <math.h>
#include <string.h>
#include <algorithm>
#include <atomic>
#include <functional>
#include <stdint.h>
#include <thread>
#include <numeric>
#include <vector>
#include "internal.h"
#include "kernels.h"
#include "linalg_rows.h"

using namespace lk;

namespace {
constexpr int64_t NB = 32;

void tridiagonalise(double* A, int64_t n, double* d, double* e, double* tau) {
  const LinalgRows& R = rows();
  const int T = threads();
  std::vector<double> vp(n, 0.0), wp(n, 0.0), v(n, 0.0), w(n, 0.0), y(size_t(T) * n);
  for (int64_t i = 0; i + 1 < n; i++) {
    for (int64_t r = i; r < n; r++) A[r * n + i] -= vp[r] * wp[i] + wp[r] * vp[i];  // pending update, column i
    d[i] = A[i * n + i];
    const double alpha = A[(i + 1) * n + i];
    double xn = 0;
    for (int64_t r = i + 2; r < n; r++) xn += A[r * n + i] * A[r * n + i];
    std::fill(v.begin(), v.end(), 0.0);
    v[i + 1] = 1;
    double t = 0;
    if (xn == 0) {
      e[i] = alpha;
    } else {
      const double beta = alpha > 0 ? -sqrt(alpha * alpha + xn) : sqrt(alpha * alpha + xn);
      t = (beta - alpha) / beta;
      const double sc = 1.0 / (alpha - beta);
      for (int64_t r = i + 2; r < n; r++) v[r] = A[r * n + i] * sc;
      e[i] = beta;
    }
    tau[i] = t;
    for (int64_t r = i + 1; r < n; r++) A[r * n + i] = v[r];  // keep v for Q
    // fused pass: rows r > i, columns (i, r]
    const int64_t c0 = i + 1, L = n - c0;
    const int tasks = L > 160 ? std::min(T, 64) : 1;
    for (int q = 0; q < tasks; q++) std::fill(y.begin() + q * n + c0, y.begin() + q * n + n, 0.0);
    // partition q of the rows (by area) goes to thread q when it can, so that a thread keeps
    // the same rows, in its own L2, from one step to the next
    std::atomic<int> claimed[64];
    for (int q = 0; q < tasks; q++) claimed[q].store(0);
    auto pass = [&](int64_t) {
      int q = thread_index();
      if (q >= tasks || claimed[q].exchange(1)) for (q = 0; q < tasks && claimed[q].exchange(1); q++) {}
      if (q >= tasks) return;
      const int64_t r0 = c0 + int64_t(double(L) * sqrt(double(q) / tasks)), r1 = c0 + int64_t(double(L) * sqrt(double(q + 1) / tasks));
      double* yq = y.data() + size_t(q) * n;
      for (int64_t r = r0; r < (q + 1 == tasks ? n : r1); r++) {
        double* row = A + r * n;
        const double s = R.tridiag_row(row + c0, vp.data() + c0, wp.data() + c0, v.data() + c0, yq + c0, r - c0, vp[r], wp[r], v[r]);
        row[r] -= 2 * vp[r] * wp[r];
        yq[r] += s + row[r] * v[r];
      }
    };
    if (tasks > 1) parallel(tasks, pass); else pass(0);
    for (int q = 1; q < tasks; q++) for (int64_t r = c0; r < n; r++) y[r] += y[size_t(q) * n + r];
    // w = p − (τ/2)(pᵀv) v with p = τ y
    double pv = 0;
    for (int64_t r = c0; r < n; r++) { w[r] = t * y[r]; pv += w[r] * v[r]; }
    for (int64_t r = c0; r < n; r++) w[r] -= 0.5 * t * pv * v[r];
    std::fill(w.begin(), w.begin() + c0, 0.0);
    std::swap(vp, v);
    std::swap(wp, w);
  }
  d[n - 1] = A[(n - 1) * n + n - 1] - 2 * vp[n - 1] * wp[n - 1];
  e[n - 1] = 0;
}

// Q = H_0 ⋯ H_{n−2} into q (row-major), v_i stored below the diagonal of column i of A.
void formQ(double* q, const double* A, const double* tau, int64_t n) {
  const LinalgRows& R = rows();
  memset(q, 0, sizeof(double) * n * n);
  for (int64_t i = 0; i < n; i++) q[i * n + i] = 1;
  const int64_t nref = n - 1;
  std::vector<double> Vt, Tm(NB * NB), G(NB * NB);
  for (int64_t i0 = ((nref - 1) / NB) * NB; i0 >= 0; i0 -= NB) {
    const int64_t nb = std::min(NB, nref - i0), c0 = i0 + 1, L = n - c0;
    Vt.assign(size_t(nb) * L, 0.0);  // Vt[j][r'] = v_{i0+j}[c0 + r']
    for (int64_t j = 0; j < nb; j++) for (int64_t r = j; r < L; r++) Vt[j * L + r] = A[(c0 + r) * n + i0 + j];
    for (int64_t a = 0; a < nb; a++) for (int64_t b = a; b < nb; b++) G[a * NB + b] = R.dot(Vt.data() + a * L, Vt.data() + b * L, L);
    // T upper: T_jj = τ_j, T[0:j, j] = −τ_j T[0:j, 0:j] (Vᵀ v_j)[0:j]
    std::fill(Tm.begin(), Tm.end(), 0.0);
    for (int64_t j = 0; j < nb; j++) {
      const double tj = tau[i0 + j];
      Tm[j * NB + j] = tj;
      for (int64_t a = 0; a < j; a++) {
        double s = 0;
        for (int64_t b = a; b < j; b++) s += Tm[a * NB + b] * G[b * NB + j];
        Tm[a * NB + j] = -tj * s;
      }
    }
    // Q[c0:, c0:] −= V (T (Vᵀ Q[c0:, c0:])), by strips of 64 columns
    const int64_t strips = (L + 63) / 64;
    auto strip = [&](int64_t s) {
      const int64_t j0 = c0 + s * 64, wdt = std::min<int64_t>(64, n - j0);
      double W[NB * 64], W2[NB * 64];
      memset(W, 0, sizeof W);
      memset(W2, 0, sizeof W2);
      R.gemm(nb, wdt, L, 1.0, Vt.data(), L, 1, q + c0 * n + j0, n, 1, W, wdt);       // W = Vᵀ Q
      R.gemm(nb, wdt, nb, -1.0, Tm.data(), NB, 1, W, wdt, 1, W2, wdt);                // W2 = −T W
      R.gemm(L, wdt, nb, 1.0, Vt.data(), 1, L, W2, wdt, 1, q + c0 * n + j0, n);        // Q += V W2
    };
    if (L * L * nb < (1 << 16)) { for (int64_t s = 0; s < strips; s++) strip(s); } else parallel(strips, strip);
  }
}


// The recorded rotations: sweeps [l, m, offset], coefficients (x, y) and types, and the row scales σ.
struct Rotations {
  std::vector<int32_t> sweeps;
  std::vector<double> cs;
  std::vector<uint8_t> ty;
  std::vector<double> sigma;
  // the Givens rotation (c, s) of rows (i, i+1) in scaled form
  void add(int64_t i, double c, double s) {
    double &sa = sigma[i], &sb = sigma[i + 1];
    if (fabs(c) >= fabs(s)) {
      cs.push_back(s * sa / (c * sb)); cs.push_back(s * sb / (c * sa)); ty.push_back(0);
      sa *= c; sb *= c;
    } else {  // b' = s σ_a (R_a + (c σ_b / s σ_a) R_b),  a' = −s σ_b (R_b − (c σ_a / s σ_b) R_a)
      cs.push_back(c * sb / (s * sa)); cs.push_back(c * sa / (s * sb)); ty.push_back(1);
      const double na = -s * sb, nb = s * sa;
      sa = na; sb = nb;
    }
  }
  void rescale(int64_t l, int64_t m) {
    for (int64_t r = l; r <= m; r++) if (fabs(sigma[r]) < 1e-120) {
      sweeps.push_back(-1); sweeps.push_back(int32_t(r)); sweeps.push_back(int32_t(ty.size()));
      cs.push_back(sigma[r]); cs.push_back(0); ty.push_back(0);
      sigma[r] = 1;
    }
  }
};

inline double pyth(double a, double b) {
  const double s = a * a + b * b;
  return s > 1e-280 && s < 1e280 ? sqrt(s) : hypot(a, b);
}

// tql2 on (d, e) (e[i] = T[i+1][i]); the rotations go to rot. false: no convergence.
bool ql(double* d, double* e, int64_t n, Rotations& rot, size_t limit, const std::function<void()>& flush) {
  double f = 0, tst1 = 0;
  const double eps = 2.220446049250313e-16;
  for (int64_t l = 0; l < n; l++) {
    tst1 = std::max(tst1, fabs(d[l]) + fabs(e[l]));
    int64_t m = l;
    while (m < n - 1 && fabs(e[m]) > eps * tst1) m++;
    if (m > l) {
      int iter = 0;
      do {
        if (++iter > 200) return false;
        double g = d[l], p = (d[l + 1] - g) / (2 * e[l]), r = hypot(p, 1.0);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const double dl1 = d[l + 1];
        double h = g - d[l];
        for (int64_t i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        double c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const double el1 = e[l + 1];
        rot.sweeps.push_back(int32_t(l)); rot.sweeps.push_back(int32_t(m)); rot.sweeps.push_back(int32_t(rot.ty.size()));
        for (int64_t i = m - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          g = c * e[i]; h = c * p;
          r = pyth(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r; c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          rot.add(i, c, s);
        }
        rot.rescale(l, m);
        if (rot.ty.size() > limit) flush();  // replay what is recorded so far (large n)
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p; d[l] = c * p;
      } while (fabs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  return true;
}
}  // namespace

extern "C" void eigh_f32(double* values, double* vectors, const double* a, int64_t n) {
  double sigma = 0;
  for (int64_t i = 0; i < n * n; i++) sigma = std::max(sigma, fabs(a[i]));
  if (sigma == 0 || n == 1) {
    memset(vectors, 0, sizeof(double) * n * n);
    for (int64_t i = 0; i < n; i++) { values[i] = n == 1 ? a[0] : 0; vectors[i * n + i] = 1; }
    return;
  }
  std::vector<double> A(size_t(n) * n), Q(size_t(n) * n), d(n), e(n), tau(n);
  const double is = 0.5 / sigma;
  for (int64_t i = 0; i < n; i++) for (int64_t j = 0; j <= i; j++) A[i * n + j] = (a[i * n + j] + a[j * n + i]) * is;
  tridiagonalise(A.data(), n, d.data(), e.data(), tau.data());
  // Up to n = 2048 the QL iteration (serial, on d and e only) runs beside the formation of Q (on
  // the pool) and all its rotations (≈ 0.7 n² of them) are replayed at once; above that Q comes
  // first and the rotations are replayed every 2M, so that their record stays within ~50 MB.
  const bool overlap = n <= 2048;
  Rotations rot;
  rot.sigma.assign(n, 1.0);
  rot.cs.reserve(size_t(std::min<int64_t>(n * n, 1 << 21)) * 2);
  rot.ty.reserve(size_t(std::min<int64_t>(n * n, 1 << 21)));
  double* U = A.data();  // U = Qᵀ: row i of U is column i of Q; rotations mix rows
  auto toU = [&] { for (int64_t i = 0; i < n; i++) for (int64_t k = 0; k < n; k++) U[i * n + k] = Q[k * n + i]; };
  auto replay = [&] {
    const int64_t ns = int64_t(rot.sweeps.size() / 3), strips = (n + 63) / 64;
    auto strip = [&](int64_t s) {
      const int64_t k0 = s * 64;
      rows().rotate_strip(U + k0, n, std::min<int64_t>(64, n - k0), rot.sweeps.data(), ns, rot.cs.data(), rot.ty.data());
    };
    parallel(strips, strip);
    rot.sweeps.clear(); rot.cs.clear(); rot.ty.clear();
  };
  bool converged = false;
  if (overlap) {
    std::thread qlThread;
    auto none = [] {};
    try { qlThread = std::thread([&] { converged = ql(d.data(), e.data(), n, rot, SIZE_MAX, none); }); } catch (...) {}
    formQ(Q.data(), A.data(), tau.data(), n);
    if (qlThread.joinable()) qlThread.join(); else converged = ql(d.data(), e.data(), n, rot, SIZE_MAX, none);
    toU();
  } else {
    formQ(Q.data(), A.data(), tau.data(), n);
    toU();
    converged = ql(d.data(), e.data(), n, rot, size_t(1) << 21, replay);
  }
  if (!converged) {  // the caller turns NaN into an Error
    for (int64_t i = 0; i < n; i++) values[i] = NAN;
    return;
  }
  replay();
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return d[x] > d[y]; });
  for (int64_t j = 0; j < n; j++) {
    const double* u = U + order[j] * n;
    values[j] = d[order[j]] * sigma;
    double big = 0;
    for (int64_t k = 0; k < n; k++) if (fabs(u[k]) > fabs(big)) big = u[k];
    const double sg = big < 0 ? -fabs(rot.sigma[order[j]]) : fabs(rot.sigma[order[j]]);  // (σ u) with its largest entry positive
    for (int64_t k = 0; k < n; k++) vectors[k * n + j] = sg * u[k];
  }
}
