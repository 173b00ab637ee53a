// The row primitives of include/linalg_rows.h, written once with GCC vector
// extensions (8 doubles a vector): the including translation unit's ISA flags
// decide whether a vector is one AVX-512 register, two AVX2 ones or four SSE2 ones.
// Included by linalg_rows.cc, linalg_avx2.cc and linalg_avx512.cc with LK_ROWS_NAME set.
#include <string.h>
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

// sweeps: [l, m, offset into cs] per sweep; cs: (c, s) pairs for i = m−1 down to l.
// Row i+1 ← s·row i + c·row i+1, row i ← c·row i − s·row i+1, with row i+1's new value
// carried in registers down the sweep (one load and one store per row and rotation).
template <int W>
void rotate_block(double* u, int64_t ld_, const int32_t* sweeps, int64_t nsweeps, const double* cs) {
  for (int64_t t = 0; t < nsweeps; t++) {
    const int64_t l = sweeps[3 * t], m = sweeps[3 * t + 1];
    const double* r = cs + 2 * int64_t(sweeps[3 * t + 2]);
    v8 carry[W];
    for (int q = 0; q < W; q++) carry[q] = ld(u + m * ld_ + 8 * q);
    for (int64_t i = m - 1; i >= l; i--, r += 2) {
      const v8 c = splat(r[0]), s = splat(r[1]);
      double* row = u + i * ld_;
      for (int q = 0; q < W; q++) {
        const v8 a = ld(row + 8 * q);
        st(row + ld_ + 8 * q, s * a + c * carry[q]);
        carry[q] = c * a - s * carry[q];
      }
    }
    for (int q = 0; q < W; q++) st(u + l * ld_ + 8 * q, carry[q]);
  }
}

void rotate_strip(double* u, int64_t ld_, int64_t width, const int32_t* sweeps, int64_t nsweeps, const double* cs) {
  int64_t k = 0;
  for (; k + 64 <= width; k += 64) rotate_block<8>(u + k, ld_, sweeps, nsweeps, cs);
  for (; k + 8 <= width; k += 8) rotate_block<1>(u + k, ld_, sweeps, nsweeps, cs);
  for (; k < width; k++) {  // scalar columns
    double* col = u + k;
    for (int64_t t = 0; t < nsweeps; t++) {
      const int64_t l = sweeps[3 * t], m = sweeps[3 * t + 1];
      const double* r = cs + 2 * int64_t(sweeps[3 * t + 2]);
      double carry = col[m * ld_];
      for (int64_t i = m - 1; i >= l; i--, r += 2) {
        const double a = col[i * ld_];
        col[(i + 1) * ld_] = r[1] * a + r[0] * carry;
        carry = r[0] * a - r[1] * carry;
      }
      col[l * ld_] = carry;
    }
  }
}

}  // namespace

namespace lk {
LinalgRows LK_ROWS_NAME() { return LinalgRows{dot, axpy, gemm_row, tridiag_row, rotate_strip}; }
}  // namespace lk
