// GEMM in the BLIS style: B is packed in KC x NR micro-panels, A in MR x KC
// micro-panels (both zero-padded to whole panels), and a register-blocked
// micro-kernel computes each MR x NR tile of C. The geometry, blocking, tile
// order and packing come from the ISA's GemmKernel: here the 6x16 AVX2 /
// portable kernels (B micro-panel in L1, A block in L2; driven below, the
// threads splitting C in column or row chunks), in matmul_avx512.cc the mr x 32
// AVX-512 one (A micro-panel in L1, B block in L2; driven by matmul_l1a.cc,
// the threads sharing the packed blocks). Transposes are absorbed by the
// packing. A caller may hand over B already packed (Gemm::bPacked, used by conv2d).
#include <algorithm>
#include <cstring>
#include "internal.h"
#include "kernels.h"
#include "matmul_impl.h"

namespace lk {
namespace {


// dst[ip][p][r] = op(A)(i0 + ip*MR + r, pc + p), 0 beyond m.
void pack_a(float* dst, const Gemm& g, int64_t i0, int64_t mc, int64_t pc, int64_t kc) {
  for (int64_t ip = 0; ip < mc; ip += MR) {
    const int64_t rows = std::min<int64_t>(MR, mc - ip);
    const int64_t i = i0 + ip;
    if (!g.transA) {
      const float* src = g.a + i * g.lda + pc;
      if (rows == MR) {
        for (int64_t p = 0; p < kc; p++)
          for (int r = 0; r < MR; r++) dst[p * MR + r] = src[r * g.lda + p];
      } else {
        for (int64_t p = 0; p < kc; p++)
          for (int r = 0; r < MR; r++) dst[p * MR + r] = r < rows ? src[r * g.lda + p] : 0.f;
      }
    } else {
      const float* src = g.a + pc * g.lda + i;
      for (int64_t p = 0; p < kc; p++) {
        const float* s = src + p * g.lda;
        for (int r = 0; r < MR; r++) dst[p * MR + r] = r < rows ? s[r] : 0.f;
      }
    }
    dst += kc * MR;
  }
}

// dst[jp][p][j] = op(B)(pc + p, j0 + jp*NR + j), 0 beyond n.
void pack_b(float* dst, const Gemm& g, int64_t j0, int64_t nc, int64_t pc, int64_t kc) {
  for (int64_t jp = 0; jp < nc; jp += NR) {
    const int64_t cols = std::min<int64_t>(NR, nc - jp);
    const int64_t j = j0 + jp;
    if (!g.transB) {
      const float* src = g.b + pc * g.ldb + j;
      for (int64_t p = 0; p < kc; p++) {
        const float* s = src + p * g.ldb;
        if (cols == NR) std::memcpy(dst + p * NR, s, NR * sizeof(float));
        else for (int c = 0; c < NR; c++) dst[p * NR + c] = c < cols ? s[c] : 0.f;
      }
    } else {
      // rows of the stored B^T are contiguous in p: read them row by row.
      const float* src = g.b + j * g.ldb + pc;
      for (int c = 0; c < NR; c++) {
        if (c < cols) {
          const float* s = src + c * g.ldb;
          for (int64_t p = 0; p < kc; p++) dst[p * NR + c] = s[p];
        } else {
          for (int64_t p = 0; p < kc; p++) dst[p * NR + c] = 0.f;
        }
      }
    }
    dst += kc * NR;
  }
}

// The 6x16 kernels on any tile: full tiles go straight to C, edge tiles
// through a small buffer.
template <void (*K)(int64_t, const float*, const float*, float*, int64_t, bool)>
void micro_edges(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool acc, int rows, int cols) {
  if (rows == MR && cols == NR) { K(kc, a, b, c, ldc, acc); return; }
  alignas(64) float tile[MR * NR];
  K(kc, a, b, tile, NR, false);
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++) c[i * ldc + j] = acc ? c[i * ldc + j] + tile[i * NR + j] : tile[i * NR + j];
}

void pack_a6(float* dst, const Gemm& g, int64_t i0, int64_t mc, int64_t pc, int64_t kc, int) {
  pack_a(dst, g, i0, mc, pc, kc);
}
void pack_b16(float* dst, const Gemm& g, int64_t j0, int64_t nc, int64_t pc, int64_t kc, int) {
  pack_b(dst, g, j0, nc, pc, kc);
}

}  // namespace

// Portable micro-kernel: the same 6x16 block in plain loops (auto-vectorised with SSE2).
void micro_portable(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate) {
  float acc[MR][NR] = {};
  for (int64_t p = 0; p < kc; p++) {
    for (int i = 0; i < MR; i++) {
      const float av = a[p * MR + i];
      for (int j = 0; j < NR; j++) acc[i][j] += av * b[p * NR + j];
    }
  }
  for (int i = 0; i < MR; i++)
    for (int j = 0; j < NR; j++) c[i * ldc + j] = accumulate ? c[i * ldc + j] + acc[i][j] : acc[i][j];
}

// Blocking of the 6x16 kernels: the B micro-panel (KC x 16 = 16 KiB) in L1, the
// packed A block (MC x KC = 144 KiB) in L2.
// The AVX2 / AVX-512 files are compiled only for x86 (native/CMakeLists.txt), so
// elsewhere, and in the portable-only check build (-DLK_PORTABLE_ONLY), nothing
// here may name them.
GemmKernel gemm_kernel(int64_t m) {
  GemmKernel k{MR, NR, 256, 144, 3072, false, micro_edges<micro_portable>, pack_a6, pack_b16};
#if (defined(__x86_64__) || defined(__i386__)) && !defined(LK_PORTABLE_ONLY)
  if (isa() >= ISA_AVX512) return gemm_kernel_avx512(m);
  if (isa() >= ISA_AVX2) k.micro = micro_edges<micro_avx2>;
#endif
  return k;
}

// The unpacked-B micro-kernel matching K, where there is one (AVX-512).
MicroRowsB rows_b_kernel(const GemmKernel& K) {
#if (defined(__x86_64__) || defined(__i386__)) && !defined(LK_PORTABLE_ONLY)
  if (isa() >= ISA_AVX512) return micro_rows_b_avx512(K.mr);
#endif
  return nullptr;
}

namespace {

// for jc (nc) / pc (kc) [pack B] / ic (mc) [pack A] / jr / ir: the micro-kernel
// over the mr x nr tiles (the B micro-panel stays in L1). Kernels that keep
// their A micro-panel in L1 instead run matmul_l1a.cc's driver. Never the
// narrow path, so that the chunks of a split product sum as the whole would.
void sgemm_wide(const Gemm& g) {
  const int64_t m = g.m, n = g.n, k = g.k;
  const GemmKernel K = gemm_kernel(m);
  if (K.aInL1) { gemm_a_in_l1(g, K, 1, rows_b_kernel(K)); return; }
  const int64_t MR_ = K.mr, NR_ = K.nr;
  const int64_t NCb = std::min(K.nc, (n + NR_ - 1) / NR_ * NR_);
  const int64_t MCb = std::min(K.mc, (m + MR_ - 1) / MR_ * MR_);
  const int64_t KCb = std::min(K.kc, k);
  float* bp = g.bPacked ? nullptr : scratch(0, KCb * NCb + 64);
  float* ap = scratch(1, KCb * MCb + 64);
  for (int64_t jc = 0; jc < n; jc += K.nc) {
    const int64_t nc = std::min(K.nc, n - jc);
    for (int64_t pc = 0; pc < k; pc += K.kc) {
      const int64_t kc = std::min(K.kc, k - pc);
      const bool acc = g.accumulate || pc > 0;
      // a pre-packed B panel jp holds [k][nr]: its kc-slice starts pc*nr in, panels k*nr apart
      const float* bb = g.bPacked ? g.b + jc * k + pc * NR_ : bp;
      const int64_t bstride = g.bPacked ? k : kc;
      if (!g.bPacked) K.pack_b(bp, g, jc, nc, pc, kc, K.nr);
      for (int64_t ic = 0; ic < m; ic += K.mc) {
        const int64_t mc = std::min(K.mc, m - ic);
        K.pack_a(ap, g, ic, mc, pc, kc, K.mr);
        auto tile = [&](int64_t ir, int64_t jr) {
          const int rows = int(std::min(MR_, mc - ir)), cols = int(std::min(NR_, nc - jr));
          K.micro(kc, ap + ir * kc, bb + jr * bstride, g.c + (ic + ir) * g.ldc + jc + jr, g.ldc, acc, rows, cols);
        };
        for (int64_t jr = 0; jr < nc; jr += NR_)
          for (int64_t ir = 0; ir < mc; ir += MR_) tile(ir, jr);
      }
    }
  }
}

}  // namespace

void sgemm_st(const Gemm& g) {
  if (g.m <= 0 || g.n <= 0) return;
  if (g.k <= 0) {
    if (!g.accumulate)
      for (int64_t i = 0; i < g.m; i++) std::memset(g.c + i * g.ldc, 0, g.n * sizeof(float));
    return;
  }
  if (LK_HAS_ISA(ISA_AVX512) && gemm_narrow_avx512(g)) return;
  sgemm_wide(g);
}

namespace {

// C split into one chunk per thread along one side (whole panels), so no two
// threads write the same element and each packs what it needs (the operand on
// the other side is packed by both): the 6x16 kernels along the longer side,
// the A-in-L1 ones on small products along the side gemm_split_rows picks,
// narrow products along their long side.
void sgemm_split(const Gemm& g, const GemmKernel& K, int t, bool byCols) {
  const int64_t len = byCols ? g.n : g.m, unit = byCols ? K.nr : K.mr;
  const int64_t units = (len + unit - 1) / unit;
  const int64_t tasks = std::min<int64_t>(t, units);
  const bool narrow = narrow_kind(g) != 0;  // chunks of a narrow C are narrow too
  if (tasks <= 1) { sgemm_st(g); return; }
  auto run = [&](int64_t task) {
    const int64_t u0 = units * task / tasks, u1 = units * (task + 1) / tasks;
    const int64_t s = u0 * unit, e = std::min(len, u1 * unit);
    Gemm part = g;
    if (byCols) {
      part.n = e - s;
      part.b = g.bPacked ? g.b + s * g.k : g.transB ? g.b + s * g.ldb : g.b + s;
      part.c = g.c + s;
    } else {
      part.m = e - s;
      part.a = g.transA ? g.a + s : g.a + s * g.lda;
      part.c = g.c + s * g.ldc;
    }
    if (narrow) sgemm_st(part);
    else sgemm_wide(part);
  };
  parallel(tasks, run);
}

// Up to this many multiply-adds the A-in-L1 kernels split C between the
// threads instead of sharing the packed blocks (see sgemm).
constexpr double kSplitMacs = 64.0e6;
// ... and at any size when C is this narrow on one side (a batch of 100-256
// rows through a wide layer): the operand packed again per thread is then
// small, and packs a thread makes and reads itself stay in its own L2. Shared
// packs cross between the cores, and the two vCPUs of this project's VMs are
// at times placed far apart by the host (a cache line's round trip between
// them about 330 ns instead of 55; measured with a two-thread ping-pong, the
// placement changing every few seconds). 100 x 1000 x 1000 on 2 threads of an
// AMD EPYC (Zen 4), in-process alternation: split 167-174 GFLOP/s against
// shared 148-157 with the cores near, 105-146 against 70-81 with them far;
// 256 x 1024 x 1024: 170-173 against 162-167 near, 145-150 against 113-117 far.
constexpr int64_t kSplitNarrow = 256;

// How to split C for the A-in-L1 kernels: each chunk of rows packs all of
// op(B), each chunk of columns all of op(A), so the split goes along the side
// whose other operand is cheaper to pack again (a transposing pack costs about
// twice a copy; B read in place, or handed over packed, costs nothing).
// 1 = rows, 0 = columns, -1 = neither side has a panel per thread.
int64_t gemm_split_rows(const Gemm& g, const GemmKernel& K, int t) {
  const bool rowsOk = (g.m + K.mr - 1) / K.mr >= t, colsOk = (g.n + K.nr - 1) / K.nr >= t;
  if (!rowsOk && !colsOk) return -1;
  if (!rowsOk || !colsOk) return rowsOk ? 1 : 0;
  const int64_t kc = std::min(K.kc, g.k);
  const bool bFree = g.bPacked || (rows_b_kernel(K) && b_in_place(g, kc));
  const double dupB = bFree ? 0.0 : double(g.k) * double(g.n) * (g.transB ? 2.0 : 1.0);
  const double dupA = double(g.m) * double(g.k) * (g.transA ? 1.0 : 2.0);
  return dupB <= dupA ? 1 : 0;
}

}  // namespace

void sgemm(const Gemm& g) {
  const int t = threads();
  const double flops = double(g.m) * double(g.n) * double(g.k);
  if (t == 1 || flops < 512.0 * 1024.0 || g.m <= 0 || g.n <= 0 || g.k <= 0) { sgemm_st(g); return; }
  const GemmKernel K = gemm_kernel(g.m);
  if (!K.aInL1) { sgemm_split(g, K, t, g.n >= g.m); return; }
  // narrow C (see sgemm_st): split along its long side, each chunk narrow too
  if (narrow_kind(g) != 0) { sgemm_split(g, K, t, narrow_kind(g) == 2); return; }
  // Up to a few hundred cubed, the packs shared by the threads cost one pool
  // round trip per depth block plus one (matmul_l1a.cc's pipeline), more than
  // packing the cheaper operand once per thread: C is split in t chunks, one pool call.
  // So is a C narrow on one side at any size (kSplitNarrow).
  if (flops <= kSplitMacs || std::min(g.m, g.n) <= kSplitNarrow) {
    const int64_t rowsSplit = gemm_split_rows(g, K, t);
    if (rowsSplit >= 0) { sgemm_split(g, K, t, rowsSplit == 0); return; }
  }
  gemm_a_in_l1(g, K, t, rows_b_kernel(K));  // packs shared by the threads
}

}  // namespace lk

extern "C" void matmul_f32(float* out, const float* a, const float* b, int64_t batch, int64_t m, int64_t k,
                           int64_t n, int transA, int transB) {
  using lk::Gemm;
  auto item = [&](int64_t t) {
    Gemm g{m, n, k, a + t * m * k, transA ? m : k, transA != 0, b + t * k * n, transB ? k : n, transB != 0,
           out + t * m * n, n, false};
    return g;
  };
  const double flops = double(m) * double(n) * double(k);
  if (batch > 1 && flops < 2.0e6 && lk::threads() > 1) {
    auto run = [&](int64_t t) { lk::sgemm_st(item(t)); };
    lk::parallel(batch, run);
    return;
  }
  for (int64_t t = 0; t < batch; t++) lk::sgemm(item(t));
}
