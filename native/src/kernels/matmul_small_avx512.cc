// AVX-512 products with a very narrow C: n <= 8 columns (a layer's 500 → 2
// mean, or dW of such a layer), or m <= 4 rows (the same computed as Cᵀ).
// The mr x 32 kernel would spend 4-32 of its 32 lanes on such a C; here the
// lanes run along the other dimensions instead:
//   op(A) rows contiguous (A not transposed): C[i][j] = Σ_p A[i][p]·bt[j][p],
//     16 p per vector, R rows x N columns of dot products at once, each reduced
//     across its lanes at the end;
//   op(A) columns contiguous (A transposed, stored [k][m]): 16·U rows i per step,
//     C[i..][j] += A[p][i..]·bt[j][p] (bt broadcast), N x U accumulators.
// bt[j][0..k) = op(B)(·, j) is gathered once into scratch (n·k floats).
// C is written through strides (csi, csj), so the m <= 4 case runs the same
// code on Cᵀ = op(B)ᵀ op(A)ᵀ with csi = 1, csj = ldc.
// Compiled with -mavx512f/bw/dq/vl -mfma; only called when the CPU has them.
#include <immintrin.h>
#include <algorithm>
#include "internal.h"
#include "matmul_impl.h"

namespace lk {
namespace {

struct Narrow {
  int64_t m, n, k;
  const float* a; int64_t lda; bool transA;
  float* c; int64_t csi, csj;
  bool accumulate;
};

inline void put(const Narrow& q, int64_t i, int64_t j, float v) {
  float& dst = q.c[i * q.csi + j * q.csj];
  dst = q.accumulate ? dst + v : v;
}

inline __mmask16 first(int64_t k) { return k >= 16 ? __mmask16(0xffff) : __mmask16((1u << k) - 1); }

// A not transposed: R rows i0.. (R <= m - i0) by N columns of dot products.
template <int R, int N>
void dots(const Narrow& q, const float* bt, int64_t i0) {
  __m512 acc[R][N];
  #pragma GCC unroll 16
  for (int r = 0; r < R; r++)
    #pragma GCC unroll 16
    for (int j = 0; j < N; j++) acc[r][j] = _mm512_setzero_ps();
  const float* a = q.a + i0 * q.lda;
  for (int64_t p = 0; p < q.k; p += 16) {
    const __mmask16 pm = first(q.k - p);
    __m512 bv[N];
    #pragma GCC unroll 16
    for (int j = 0; j < N; j++) bv[j] = _mm512_maskz_loadu_ps(pm, bt + j * q.k + p);
    #pragma GCC unroll 16
    for (int r = 0; r < R; r++) {
      const __m512 av = _mm512_maskz_loadu_ps(pm, a + r * q.lda + p);
      #pragma GCC unroll 16
      for (int j = 0; j < N; j++) acc[r][j] = _mm512_fmadd_ps(av, bv[j], acc[r][j]);
    }
  }
  #pragma GCC unroll 16
  for (int r = 0; r < R; r++)
    #pragma GCC unroll 16
    for (int j = 0; j < N; j++) put(q, i0 + r, j, _mm512_reduce_add_ps(acc[r][j]));
}

template <int N>
void narrow_rows(const Narrow& q, const float* bt) {
  constexpr int R = N >= 8 ? 1 : 8 / N;  // about 8 independent FMA chains
  int64_t i = 0;
  for (; i + R <= q.m; i += R) dots<R, N>(q, bt, i);
  for (; i < q.m; i++) dots<1, N>(q, bt, i);
}

// A transposed (stored [k][m]): rows i0 .. i0 + 16·U (masked past m).
template <int U, int N>
void axpys(const Narrow& q, const float* bt, int64_t i0) {
  __m512 acc[U][N];
  __mmask16 mk[U];
  #pragma GCC unroll 16
  for (int u = 0; u < U; u++) {
    mk[u] = i0 + 16 * u >= q.m ? __mmask16(0) : first(q.m - i0 - 16 * u);
    #pragma GCC unroll 16
    for (int j = 0; j < N; j++) acc[u][j] = _mm512_setzero_ps();
  }
  for (int64_t p = 0; p < q.k; p++) {
    const float* a = q.a + p * q.lda + i0;
    __m512 av[U];
    #pragma GCC unroll 16
    for (int u = 0; u < U; u++) av[u] = _mm512_maskz_loadu_ps(mk[u], a + 16 * u);
    #pragma GCC unroll 16
    for (int j = 0; j < N; j++) {
      const __m512 bv = _mm512_set1_ps(bt[j * q.k + p]);
      #pragma GCC unroll 16
      for (int u = 0; u < U; u++) acc[u][j] = _mm512_fmadd_ps(av[u], bv, acc[u][j]);
    }
  }
  alignas(64) float tile[16];
  #pragma GCC unroll 16
  for (int u = 0; u < U; u++) {
    const int64_t rows = std::min<int64_t>(16, q.m - i0 - 16 * u);
    #pragma GCC unroll 16
    for (int j = 0; j < N; j++) {
      _mm512_store_ps(tile, acc[u][j]);
      for (int64_t r = 0; r < rows; r++) put(q, i0 + 16 * u + r, j, tile[r]);
    }
  }
}

template <int N>
void narrow_cols(const Narrow& q, const float* bt) {
  constexpr int U = N >= 4 ? 2 : N == 1 ? 8 : 4;  // 8-16 accumulators
  for (int64_t i = 0; i < q.m; i += 16 * U) axpys<U, N>(q, bt, i);
}

template <int N>
void narrow(const Narrow& q, const float* bt) {
  if (q.transA) narrow_cols<N>(q, bt);
  else narrow_rows<N>(q, bt);
}

void run(const Narrow& q, const float* bt) {
  switch (q.n) {
    case 1: narrow<1>(q, bt); break;
    case 2: narrow<2>(q, bt); break;
    case 3: narrow<3>(q, bt); break;
    case 4: narrow<4>(q, bt); break;
    case 5: narrow<5>(q, bt); break;
    case 6: narrow<6>(q, bt); break;
    case 7: narrow<7>(q, bt); break;
    default: narrow<8>(q, bt); break;
  }
}

}  // namespace

bool gemm_narrow_avx512(const Gemm& g) {
  const int kind = narrow_kind(g);
  if (kind == 0) return false;
  const int64_t k = g.k;
  if (kind == 1) {
    // bt[j][p] = op(B)(p, j)
    float* bt = scratch(0, g.n * k + 16);
    for (int64_t j = 0; j < g.n; j++)
      for (int64_t p = 0; p < k; p++) bt[j * k + p] = g.transB ? g.b[j * g.ldb + p] : g.b[p * g.ldb + j];
    run(Narrow{g.m, g.n, k, g.a, g.lda, g.transA, g.c, g.ldc, 1, g.accumulate}, bt);
  } else {
    // Cᵀ (n x m) = op(B)ᵀ op(A)ᵀ: its "A" is B (op(B)ᵀ(j, p) = op(B)(p, j)), its
    // columns are C's rows; bt[i][p] = op(A)(i, p)
    float* bt = scratch(0, g.m * k + 16);
    for (int64_t i = 0; i < g.m; i++)
      for (int64_t p = 0; p < k; p++) bt[i * k + p] = g.transA ? g.a[p * g.lda + i] : g.a[i * g.lda + p];
    run(Narrow{g.n, g.m, k, g.b, g.ldb, !g.transB, g.c, 1, g.ldc, g.accumulate}, bt);
  }
  return true;
}

}  // namespace lk
