// The row primitives of include/linalg_rows.h, written once with GCC vector
// extensions (8 doubles a vector): the including translation unit's ISA flags
// decide whether a vector is one AVX-512 register, two AVX2 ones or four SSE2 ones.
// Included by linalg_rows.cc, linalg_avx2.cc and linalg_avx512.cc with LK_ROWS_NAME set.
#pragma GCC diagnostic ignored "-Wpsabi"  // the vectors never cross a non-inlined boundary
#include <string.h>
#include <vector>
#include "linalg_rows.h"

namespace {

typedef double v8 __attribute__((vector_size(64)));
inline v8 ld(const double* p) { v8 v; memcpy(&v, p, sizeof v); return v; }
inline void st(double* p, v8 v) { memcpy(p, &v, sizeof v); }
inline v8 splat(double a) { return v8{a, a, a, a, a, a, a, a}; }
inline double hsum(v8 v) { return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7])); }

double dot(const double* x, const double* y, int64_t n) {
  v8 s0 = splat(0), s1 = splat(0);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) { s0 += ld(x + i) * ld(y + i); s1 += ld(x + i + 8) * ld(y + i + 8); }
  for (; i + 8 <= n; i += 8) s0 += ld(x + i) * ld(y + i);
  double s = hsum(s0 + s1);
  for (; i < n; i++) s += x[i] * y[i];
  return s;
}

void axpy(int64_t n, double a, const double* x, double* y) {
  const v8 av = splat(a);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) st(y + i, ld(y + i) + av * ld(x + i));
  for (; i < n; i++) y[i] += a * x[i];
}

void gemm_row(double* c, const double* a, int64_t as, const double* b, int64_t ldb, int64_t k, int64_t n) {
  int64_t p = 0;
  for (; p + 4 <= k; p += 4) {  // four rows of B per pass over c
    const double a0 = a[p * as], a1 = a[(p + 1) * as], a2 = a[(p + 2) * as], a3 = a[(p + 3) * as];
    const double *b0 = b + p * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
    const v8 x0 = splat(a0), x1 = splat(a1), x2 = splat(a2), x3 = splat(a3);
    int64_t j = 0;
    for (; j + 8 <= n; j += 8) st(c + j, ld(c + j) + x0 * ld(b0 + j) + x1 * ld(b1 + j) + x2 * ld(b2 + j) + x3 * ld(b3 + j));
    for (; j < n; j++) c[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
  }
  for (; p < k; p++) axpy(n, a[p * as], b + p * ldb, c);
}

double tridiag_row(double* a, const double* v, const double* w, const double* vn, double* y, int64_t len, double vr,
                   double wr, double vnr) {
  const v8 vrv = splat(vr), wrv = splat(wr), vnv = splat(vnr);
  v8 s0 = splat(0);
  int64_t c = 0;
  for (; c + 8 <= len; c += 8) {
    const v8 x = ld(a + c) - vrv * ld(w + c) - wrv * ld(v + c);
    st(a + c, x);
    s0 += x * ld(vn + c);
    st(y + c, ld(y + c) + x * vnv);
  }
  double s = hsum(s0);
  for (; c < len; c++) {
    const double x = a[c] - vr * w[c] - wr * v[c];
    a[c] = x;
    s += x * vn[c];
    y[c] += x * vnr;
  }
  return s;
}

// Scaled Givens rotations, 2 multiply-adds per element (linalg_eigh.cc keeps the row scales):
// for i = m−1 down to l, with a = row i and b = row i+1 (carried in registers down the sweep):
//   type 0:  b ← b + x·a,  a ← a − y·b(old)       type 1:  b ← a + x·b,  a ← b(old) − y·a
// An entry with l < 0 scales row m by cs[2·offset] (a rescale between sweeps).
template <int W>
void rotate_block(double* u, int64_t ld_, const int32_t* sweeps, int64_t nsweeps, const double* cs, const uint8_t* ty) {
  for (int64_t t = 0; t < nsweeps; t++) {
    const int64_t l = sweeps[3 * t], m = sweeps[3 * t + 1], off = sweeps[3 * t + 2];
    if (l < 0) {
      const v8 f = splat(cs[2 * off]);
      for (int q = 0; q < W; q++) st(u + m * ld_ + 8 * q, ld(u + m * ld_ + 8 * q) * f);
      continue;
    }
    const double* r = cs + 2 * off;
    const uint8_t* k = ty + off;
    v8 carry[W];
    for (int q = 0; q < W; q++) carry[q] = ld(u + m * ld_ + 8 * q);
    for (int64_t i = m - 1; i >= l; i--, r += 2, k++) {
      const v8 x = splat(r[0]), y = splat(r[1]);
      double* row = u + i * ld_;
      if (*k == 0) {
        for (int q = 0; q < W; q++) {
          const v8 a = ld(row + 8 * q);
          st(row + ld_ + 8 * q, carry[q] + x * a);
          carry[q] = a - y * carry[q];
        }
      } else {
        for (int q = 0; q < W; q++) {
          const v8 a = ld(row + 8 * q);
          st(row + ld_ + 8 * q, a + x * carry[q]);
          carry[q] = carry[q] - y * a;
        }
      }
    }
    for (int q = 0; q < W; q++) st(u + l * ld_ + 8 * q, carry[q]);
  }
}

void rotate_strip(double* u, int64_t ld_, int64_t width, const int32_t* sweeps, int64_t nsweeps, const double* cs,
                  const uint8_t* ty) {
  int64_t k = 0;
  for (; k + 64 <= width; k += 64) rotate_block<8>(u + k, ld_, sweeps, nsweeps, cs, ty);
  for (; k + 8 <= width; k += 8) rotate_block<1>(u + k, ld_, sweeps, nsweeps, cs, ty);
  for (; k < width; k++) {  // scalar columns
    double* col = u + k;
    for (int64_t t = 0; t < nsweeps; t++) {
      const int64_t l = sweeps[3 * t], m = sweeps[3 * t + 1], off = sweeps[3 * t + 2];
      if (l < 0) { col[m * ld_] *= cs[2 * off]; continue; }
      const double* r = cs + 2 * off;
      const uint8_t* kt = ty + off;
      double carry = col[m * ld_];
      for (int64_t i = m - 1; i >= l; i--, r += 2, kt++) {
        const double a = col[i * ld_];
        if (*kt == 0) { col[(i + 1) * ld_] = carry + r[0] * a; carry = a - r[1] * carry; }
        else { col[(i + 1) * ld_] = a + r[0] * carry; carry = carry - r[1] * a; }
      }
      col[l * ld_] = carry;
    }
  }
}

constexpr int64_t GMR = 8, GNR = 16, GKC = 256, GMC = 128;
thread_local std::vector<double> tl_pa, tl_pb;

// acc (8 x 16) = Σ_p a-panel[p][0..8) ⊗ b-panel[p][0..16); C += acc on rows < mr, cols < nr
void micro(int64_t kc, const double* pa, const double* pb, double* c, int64_t ldc, int64_t mr, int64_t nr) {
  v8 acc[GMR][2];
  for (int r = 0; r < GMR; r++) acc[r][0] = acc[r][1] = splat(0);
  for (int64_t p = 0; p < kc; p++, pa += GMR, pb += GNR) {
    const v8 b0 = ld(pb), b1 = ld(pb + 8);
    for (int r = 0; r < GMR; r++) { const v8 a = splat(pa[r]); acc[r][0] += a * b0; acc[r][1] += a * b1; }
  }
  if (mr == GMR && nr == GNR) {
    for (int r = 0; r < GMR; r++) { double* cr = c + r * ldc; st(cr, ld(cr) + acc[r][0]); st(cr + 8, ld(cr + 8) + acc[r][1]); }
    return;
  }
  double t[GNR];
  for (int64_t r = 0; r < mr; r++) {
    st(t, acc[r][0]); st(t + 8, acc[r][1]);
    for (int64_t j = 0; j < nr; j++) c[r * ldc + j] += t[j];
  }
}

void gemm(int64_t m, int64_t n, int64_t k, double alpha, const double* a, int64_t ars, int64_t acs, const double* b,
          int64_t brs, int64_t bcs, double* c, int64_t ldc) {
  if (m <= 0 || n <= 0 || k <= 0) return;
  const int64_t np = (n + GNR - 1) / GNR;
  if (tl_pb.size() < size_t(np * GNR * GKC)) tl_pb.resize(np * GNR * GKC);
  if (tl_pa.size() < size_t(GMC * GKC)) tl_pa.resize(GMC * GKC);
  double *pb = tl_pb.data(), *pa = tl_pa.data();
  for (int64_t p0 = 0; p0 < k; p0 += GKC) {
    const int64_t kc = k - p0 < GKC ? k - p0 : GKC;
    for (int64_t jp = 0; jp < np; jp++) {  // B panels [kc][16], zero-padded
      double* dst = pb + jp * GNR * kc;
      const int64_t j0 = jp * GNR, nr = n - j0 < GNR ? n - j0 : GNR;
      for (int64_t p = 0; p < kc; p++) {
        const double* src = b + (p0 + p) * brs + j0 * bcs;
        int64_t j = 0;
        if (bcs == 1) for (; j < nr; j++) dst[p * GNR + j] = src[j];
        else for (; j < nr; j++) dst[p * GNR + j] = src[j * bcs];
        for (; j < GNR; j++) dst[p * GNR + j] = 0;
      }
    }
    for (int64_t i0 = 0; i0 < m; i0 += GMC) {
      const int64_t mc = m - i0 < GMC ? m - i0 : GMC;
      for (int64_t ip = 0; ip * GMR < mc; ip++) {  // A panels [kc][8] · alpha, zero-padded
        double* dst = pa + ip * GMR * kc;
        const int64_t r0 = i0 + ip * GMR, mr = m - r0 < GMR ? m - r0 : GMR;
        for (int64_t p = 0; p < kc; p++) {
          const double* src = a + r0 * ars + (p0 + p) * acs;
          int64_t r = 0;
          for (; r < mr; r++) dst[p * GMR + r] = alpha * src[r * ars];
          for (; r < GMR; r++) dst[p * GMR + r] = 0;
        }
      }
      for (int64_t jp = 0; jp < np; jp++) {
        const int64_t j0 = jp * GNR, nr = n - j0 < GNR ? n - j0 : GNR;
        for (int64_t ip = 0; ip * GMR < mc; ip++) {
          const int64_t r0 = i0 + ip * GMR, mr = m - r0 < GMR ? m - r0 : GMR;
          micro(kc, pa + ip * GMR * kc, pb + jp * GNR * kc, c + r0 * ldc + j0, ldc, mr, nr);
        }
      }
    }
  }
}

}  // namespace

namespace lk {
LinalgRows LK_ROWS_NAME() { return LinalgRows{dot, axpy, gemm_row, tridiag_row, gemm, rotate_strip}; }
}  // namespace lk
