// The AVX-512 GEMM: an mr x 32 block of C in 2·mr zmm registers (mr = 14 for
// large m: 28 accumulators + 2 B vectors + 1 broadcast = 31 of 32 registers).
// Per step p: two loads of the packed B row (32 floats), mr broadcasts of the
// packed A column (folded into the FMA as an {1to16} memory operand), 2·mr FMAs:
//   c[i][j] += a[p*mr + i] * b[p*32 + j].
// With two 512-bit FMA ports and a latency of 4 cycles, 28 independent chains
// keep both ports busy; loads per FMA are (2 + mr) / 2mr ≈ 0.57, under the
// two loads a cycle the core can issue.
//
// Blocking, from the cache sizes read at run time (matmul_cache.cc; 48 KiB L1
// and 1 MiB L2 per core on the Zen 5 this was tuned on): the A micro-panel
// (kc x mr = 28 KiB at kc = 512) is read from L1 while the B micro-panels stream
// from the packed B block (kc x nc in half of L2: 512 x 256 x 4 B = 512 KiB);
// A is packed once per depth block and each micro-panel read once per B block,
// from L3 (matmul_l1a.cc drives it). This is BLIS's order with the roles of A
// and B swapped, because here the broadcast operand is A. Small products with
// an untransposed B read B in place (micro_rows), without packing it.
//
// Packing is vectorised: contiguous runs are copied with (masked) 512-bit
// moves, and the transposing layouts (A row-major, B transposed) go through a
// 16x16 in-register transpose, so the four transpose flags pack at the same speed.
// Compiled with -mavx512f/bw/dq/vl -mfma; only called when the CPU has them.
#include <immintrin.h>
#include <algorithm>
#include "internal.h"
#include "avx512_util.h"
#include "matmul_impl.h"

namespace lk {
namespace {

constexpr int NR16 = 32;

// c[rows, cols] (ldc) = (accumulate ? c : 0) + a-panel · B, where B is a packed
// panel (PB: rows of 32 floats, 64-byte aligned) or, for small products, the
// caller's row-major B itself (rows ldb apart, read with the column mask, so
// nothing past column `cols` is touched).
template <int M, bool PB>
inline void micro_body(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc,
                       bool accumulate, int rows, int cols) {
  const __mmask16 m0 = cols >= 16 ? __mmask16(0xffff) : __mmask16((1u << cols) - 1);
  const __mmask16 m1 = cols >= 32 ? __mmask16(0xffff) : cols <= 16 ? __mmask16(0) : __mmask16((1u << (cols - 16)) - 1);
  const int64_t bstep = PB ? 32 : ldb;
  __m512 c0[M], c1[M];
#pragma GCC unroll 16
  for (int i = 0; i < M; i++) { c0[i] = _mm512_setzero_ps(); c1[i] = _mm512_setzero_ps(); }
#pragma GCC unroll 16
  for (int i = 0; i < M; i++) {
    // both lines of the row's 32 floats (C is read only at the end, 4·kc FMAs later)
    const char* row = reinterpret_cast<const char*>(c + (i < rows ? i : 0) * ldc);
    _mm_prefetch(row, _MM_HINT_T0);
    _mm_prefetch(row + 64, _MM_HINT_T0);
  }
#pragma GCC unroll 2
  for (int64_t p = 0; p < kc; p++) {
    _mm_prefetch(reinterpret_cast<const char*>(b + bstep * 8), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(b + bstep * 8 + 16), _MM_HINT_T0);
    const __m512 b0 = PB ? _mm512_load_ps(b) : _mm512_maskz_loadu_ps(m0, b);
    const __m512 b1 = PB ? _mm512_load_ps(b + 16) : _mm512_maskz_loadu_ps(m1, b + 16);
#pragma GCC unroll 16
    for (int i = 0; i < M; i++) {
      const __m512 av = _mm512_set1_ps(a[i]);
      c0[i] = _mm512_fmadd_ps(av, b0, c0[i]);
      c1[i] = _mm512_fmadd_ps(av, b1, c1[i]);
    }
    a += M;
    b += bstep;
  }
#pragma GCC unroll 16
  for (int i = 0; i < M; i++) {
    if (i >= rows) break;
    float* row = c + i * ldc;
    __m512 v0 = c0[i], v1 = c1[i];
    if (accumulate) {
      v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, row));
      v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, row + 16));
    }
    _mm512_mask_storeu_ps(row, m0, v0);
    _mm512_mask_storeu_ps(row + 16, m1, v1);
  }
}

template <int M>
void micro(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate, int rows, int cols) {
  micro_body<M, true>(kc, a, b, 32, c, ldc, accumulate, rows, cols);
}

template <int M>
void micro_rows(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t ldc, bool accumulate,
                int rows, int cols) {
  micro_body<M, false>(kc, a, b, ldb, c, ldc, accumulate, rows, cols);
}

inline __mmask16 first(int64_t k) { return k >= 16 ? __mmask16(0xffff) : __mmask16((1u << k) - 1); }

// dst[p][0..width) = src_r[p] for r < rows (zero for rows <= r < width), where
// the source rows are contiguous in p: src_r = src + r*ld. Blocks of 16 p are
// transposed in registers; dst rows are `stride` floats apart.
void gather_rows(float* dst, int64_t stride, const float* src, int64_t ld, int rows, int width, int64_t kc) {
  for (int64_t p = 0; p < kc; p += 16) {
    const int64_t len = std::min<int64_t>(16, kc - p);
    const __mmask16 pm = first(len);
    for (int h = 0; h < width; h += 16) {
      __m512 r[16];
      for (int i = 0; i < 16; i++) {
        // the 16-32 rows are as many streams, too many for the hardware
        // prefetcher when B comes from memory: fetch each row 4 lines ahead
        if (h + i < rows) _mm_prefetch(reinterpret_cast<const char*>(src + (h + i) * ld + p + 64), _MM_HINT_T0);
        r[i] = h + i < rows ? _mm512_maskz_loadu_ps(pm, src + (h + i) * ld + p) : _mm512_setzero_ps();
      }
      transpose16(r);
      const __mmask16 wm = first(width - h);
      for (int64_t t = 0; t < len; t++) _mm512_mask_storeu_ps(dst + (p + t) * stride + h, wm, r[t]);
    }
  }
}

// Panels of a source whose rows run along the panel's width: for every p the
// row src + p*ld holds count floats, split into panels of `width`:
//   dst[q][p][0..width) = src[p*ld + q*width + 0..width) (zero beyond count).
// p is the outer loop so each source row is read once, front to back (reading
// one panel at a time would stride through memory at ld and alias in L1).
void copy_panels(float* dst, const float* src, int64_t ld, int64_t count, int width, int64_t kc) {
  for (int64_t p = 0; p < kc; p++) {
    const float* s = src + p * ld;
    float* d = dst + p * width;
    for (int64_t q = 0; q < count; q += width, d += kc * width) {
      for (int h = 0; h < width; h += 16) {
        const int64_t left = count - q - h;
        // the row two ahead, one line per 16 floats: each row is a short run the
        // hardware prefetcher barely starts on before the jump to the next
        if (left > 0 && p + 2 < kc) _mm_prefetch(reinterpret_cast<const char*>(s + 2 * ld + q + h), _MM_HINT_T0);
        const __m512 v = left <= 0 ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(first(left), s + q + h);
        _mm512_mask_storeu_ps(d + h, first(width - h), v);
      }
    }
  }
}

// packed A: panel ip, [p][r] = op(A)(i0 + ip + r, pc + p)
void pack_a(float* dst, const Gemm& g, int64_t i0, int64_t mc, int64_t pc, int64_t kc, int mr) {
  if (g.transA) { copy_panels(dst, g.a + pc * g.lda + i0, g.lda, mc, mr, kc); return; }
  for (int64_t ip = 0; ip < mc; ip += mr, dst += kc * mr)
    gather_rows(dst, mr, g.a + (i0 + ip) * g.lda + pc, g.lda, int(std::min<int64_t>(mr, mc - ip)), mr, kc);
}

// packed B: panel jp, [p][c] = op(B)(pc + p, j0 + jp + c)
void pack_b(float* dst, const Gemm& g, int64_t j0, int64_t nc, int64_t pc, int64_t kc, int nr) {
  if (!g.transB) { copy_panels(dst, g.b + pc * g.ldb + j0, g.ldb, nc, nr, kc); return; }
  for (int64_t jp = 0; jp < nc; jp += nr, dst += kc * nr)
    gather_rows(dst, nr, g.b + (j0 + jp) * g.ldb + pc, g.ldb, int(std::min<int64_t>(nr, nc - jp)), nr, kc);
}

}  // namespace

MicroRowsB micro_rows_b_avx512(int mr) {
  switch (mr) {
    case 14: return micro_rows<14>;
    case 13: return micro_rows<13>;
    case 12: return micro_rows<12>;
    case 11: return micro_rows<11>;
    case 10: return micro_rows<10>;
    case 8: return micro_rows<8>;
    default: return nullptr;
  }
}

// mr by cost per useful row: fewer accumulators lose a little throughput
// (14 → 1.0, 13 → ~1.01, 12 → ~1.04, 10 → ~1.08, 8 → ~1.15) but waste less on
// the last panel (m = 100: 8 panels of 13 = 104 rows instead of 112 at 14).
GemmKernel gemm_kernel_avx512(int64_t m) {
  struct Opt { int mr; double cost; decltype(&micro<14>) fn; };
  const Opt opts[6] = {{14, 1.0, micro<14>}, {13, 1.01, micro<13>}, {12, 1.04, micro<12>},
                       {11, 1.06, micro<11>}, {10, 1.08, micro<10>}, {8, 1.15, micro<8>}};
  int best = 0;
  double bestCost = 1e300;
  for (int o = 0; o < 6; o++) {
    const double c = double((m + opts[o].mr - 1) / opts[o].mr * opts[o].mr) * opts[o].cost;
    if (c < bestCost) { bestCost = c; best = o; }
  }
  const int mr = opts[best].mr;
  // kc: the A micro-panel (kc x mr floats) in 60% of L1, the rest for the B rows
  // streaming past it; 512 at most. On the Zen 5 the kernel alone runs as fast at
  // 256 as at 512 (slower at 768), but each depth block loads and stores all of C
  // once, which costs on large products (2048: 4 passes over its 16 MiB, not 6).
  // nc: the packed B block (kc x nc floats) in half of L2, so it stays there while
  // every A micro-panel of the block sweeps it; the rest of L2 holds the C tiles
  // and the next A panel. mc only bounds the A scratch (A panels are used once).
  const CacheSizes& cs = cache_sizes();
  // kc is sized for mr = 14 whatever mr is, so that products split between threads
  // by rows (chunks that may pick another mr) sum every element in the same order.
  const int64_t kc = std::clamp<int64_t>(cs.l1 * 60 / 100 / (4 * 14) / 16 * 16, 128, 512);
  const int64_t nc = std::clamp<int64_t>(cs.l2 / 2 / (4 * kc) / NR16 * NR16, 4 * NR16, 128 * NR16);
  return GemmKernel{mr, NR16, kc, int64_t(mr) * 24, nc, true, opts[best].fn, pack_a, pack_b};
}

}  // namespace lk
