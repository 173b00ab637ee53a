// Row primitives of the float64 linear-algebra kernels, compiled once per ISA
// (linalg_rows.cc portable, linalg_avx2.cc, linalg_avx512.cc from one source,
// src/kernels/linalg_rows_impl.h) and chosen at run time by rows().
#pragma once
#include <stdint.h>

namespace lk {

struct LinalgRows {
  // Σ x_i y_i
  double (*dot)(const double* x, const double* y, int64_t n);
  // y += a x
  void (*axpy)(int64_t n, double a, const double* x, double* y);
  // c[0..n) += Σ_{p<k} a[p·as] · b[p·ldb + 0..n)   (one row of C += A B)
  void (*gemm_row)(double* c, const double* a, int64_t as, const double* b, int64_t ldb, int64_t k, int64_t n);
  // One row r of the fused Householder pass over columns [0, len) of the lower triangle (c < r):
  //   a_c ← a_c − vr·w_c − wr·v_c;  returns Σ_c a_c·vn_c;  y_c += a_c·vnr.
  double (*tridiag_row)(double* a, const double* v, const double* w, const double* vn, double* y, int64_t len,
                        double vr, double wr, double vnr);
  // C [m, n] (ldc) += alpha · A B with A(i,p) = a[i·ars + p·acs], B(p,j) = b[p·brs + j·bcs]:
  // packed panels and an 8 x 16 register tile, on the calling thread.
  void (*gemm)(int64_t m, int64_t n, int64_t k, double alpha, const double* a, int64_t ars, int64_t acs,
               const double* b, int64_t brs, int64_t bcs, double* c, int64_t ldc);
  // Replays the scaled (fast) Givens rotations of linalg_eigh.cc on a strip of `width` columns of
  // U (row stride ld): sweeps [l, m, offset] (l < 0: scale row m by cs[2·offset]), coefficients cs, types ty.
  void (*rotate_strip)(double* u, int64_t ld, int64_t width, const int32_t* sweeps, int64_t nsweeps, const double* cs,
                       const uint8_t* ty);
};

const LinalgRows& rows();
LinalgRows rows_portable();
LinalgRows rows_avx2();
LinalgRows rows_avx512();

}  // namespace lk
