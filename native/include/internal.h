// Shared internals of the kernels: the thread pool, the ISA switch and the GEMM core.
#pragma once
#include <stddef.h>
#include <stdint.h>

struct conv2d_dims;  // kernels.h

namespace lk {

// ---- thread pool (threads.cc) ----
// Runs fn(ctx, task) for task in [0, ntasks) on the pool plus the calling
// thread and returns when all are done. Tasks are handed out dynamically.
// Re-entrant calls (from a task, or a second JS thread) run serially.
typedef void (*TaskFn)(void* ctx, int64_t task);
void parallel_for(int64_t ntasks, TaskFn fn, void* ctx);
int threads();
// Index of the current thread in the pool (0 = caller), for per-thread scratch.
int thread_index();

template <class F>
void parallel(int64_t ntasks, F& f) {
  parallel_for(ntasks, [](void* c, int64_t t) { (*static_cast<F*>(c))(t); }, &f);
}

// ---- instruction set (threads.cc) ----
enum Isa { ISA_PORTABLE = 0, ISA_AVX2 = 1, ISA_AVX512 = 2 };
int isa();
// The AVX2 / AVX-512 files are compiled only for x86 (native/CMakeLists.txt), so
// elsewhere (and in the -DLK_PORTABLE_ONLY check build) a dispatch may not name
// their functions: LK_HAS_ISA(level) is a constant false there, and the branch
// that calls them folds away.
#if (defined(__x86_64__) || defined(__i386__)) && !defined(LK_PORTABLE_ONLY)
#define LK_X86 1
#else
#define LK_X86 0
#endif
#define LK_HAS_ISA(level) (LK_X86 && ::lk::isa() >= ::lk::level)

// ---- GEMM (matmul.cc) ----
// C[m,n] (ldc) = op(A) op(B) (+ C when accumulate). A is [m,k] with row stride
// lda (or [k,m] when transA), B is [k,n] with row stride ldb (or [n,k]).
// sgemm_st runs on the calling thread only; sgemm splits the work over the pool.
struct Gemm {
  int64_t m, n, k;
  const float* a; int64_t lda; bool transA;
  const float* b; int64_t ldb; bool transB;
  float* c; int64_t ldc;
  bool accumulate;
  // b is already packed for this ISA's kernel: [ceil(n/nr)][k][nr], zero-padded
  // (ldb and transB are then ignored); see gemm_kernel(m).nr.
  bool bPacked = false;
};
void sgemm_st(const Gemm& g);
void sgemm(const Gemm& g);

// One ISA's GEMM: register tile (mr x nr), cache blocks (kc, mc, nc) and the
// packing routines that lay A and B out for its micro-kernel:
//   packed A: [mc/mr panels][kc][mr]   packed B: [nc/nr panels][kc][nr]
// micro computes c[rows, cols] (ldc) = (accumulate ? c : 0) + a-panel · b-panel
// for rows <= mr, cols <= nr (edges handled by the kernel itself).
struct GemmKernel {
  int mr, nr;
  int64_t kc, mc, nc;
  bool aInL1;  // loop order: true = ir outer / jr inner (A micro-panel stays in L1)
  void (*micro)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate, int rows,
                int cols);
  void (*pack_a)(float* dst, const Gemm& g, int64_t i0, int64_t mc, int64_t pc, int64_t kc, int mr);
  void (*pack_b)(float* dst, const Gemm& g, int64_t j0, int64_t nc, int64_t pc, int64_t kc, int nr);
};
// The kernel for this ISA and a GEMM with m rows (the AVX-512 one picks its mr from m).
GemmKernel gemm_kernel(int64_t m);
// AVX-512 (matmul_avx512.cc), valid only when isa() >= ISA_AVX512.
GemmKernel gemm_kernel_avx512(int64_t m);

// The AVX2 6x16 micro-kernel on a full tile (matmul_avx2.cc).
constexpr int MR = 6, NR = 16;
void micro_avx2(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate);

// ---- vector math (reduce_avx2.cc / elementwise_avx2.cc), valid only when isa() >= ISA_AVX2 ----
void logsumexp_rows_avx2(const float* x, float* out, int64_t rows, int64_t n);
void softmax_rows_avx2(const float* x, float* out, int64_t rows, int64_t n, bool log);
bool unary_avx2(int op, const float* x, float* out, int64_t len, float alpha, float beta);
// the same row kernels on AVX-512 (reduce_avx512.cc), valid only when isa() >= ISA_AVX512
void logsumexp_rows_avx512(const float* x, float* out, int64_t rows, int64_t n);
void softmax_rows_avx512(const float* x, float* out, int64_t rows, int64_t n, bool log);
double row_sum_f64_avx512(const float* x, int64_t n);
float row_max_avx512(const float* x, int64_t n);  // NaN when any element is NaN

// Stride-1 convolution on AVX-512 (conv2d_avx512.cc); false when the shape is
// not one they handle (stride > 1, narrow outputs, huge K), nothing written then.
bool conv2d_forward_avx512(float* out, const float* x, const float* w, const ::conv2d_dims& d);
bool col2im_avx512(float* dx, const float* dcol, const ::conv2d_dims& d);  // dx = col2im(dcol)
// colᵀ packed as the GEMM's B for dW = dy · colᵀ: [ceil(K/32)][P][32]
bool im2col_t_panels_avx512(float* dst, const float* x, const ::conv2d_dims& d);

// Growable per-thread scratch (never shrinks). slot picks one of six buffers:
// 0, 1 GEMM packing; 2, 3 conv col / panel and padded image; 4 conv packed colᵀ or W.
float* scratch(int slot, size_t floats);

}  // namespace lk

namespace lk {
// Split [0, total) into contiguous ranges of at least `grain` items, one task
// per range (at most one per thread), and run f(begin, end) on the pool.
template <class F>
void parallel_range(int64_t total, int64_t grain, F& f) {
  if (total <= 0) return;
  int64_t tasks = total / (grain < 1 ? 1 : grain);
  if (tasks > threads()) tasks = threads();
  if (tasks <= 1) { f(int64_t(0), total); return; }
  auto run = [&](int64_t t) { f(total * t / tasks, total * (t + 1) / tasks); };
  parallel(tasks, run);
}
}  // namespace lk
