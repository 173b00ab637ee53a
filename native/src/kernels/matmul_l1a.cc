// The GEMM driver for kernels that keep their A micro-panel in L1 and stream
// the packed B block from L2 (the AVX-512 mr x 32 kernel):
//   for pc (kc deep):
//     for ic (mb rows; all of m unless the packed block would pass 8 MiB): pack A once
//       for jc (nc wide, the B block in half of L2): pack B
//         for the mr x nr tiles: ir outer, jr inner (the A panel stays in L1)
// (B is read unpacked when it is small and not transposed, see `direct`.)
// A and B are each packed once per (pc, ic) block, however many jc blocks there are:
// with A repacked per jc block (the classic order), a B block small enough for L2
// cost more in packing than it saved.
//
// On t > 1 threads every pack and the tile sweep are split over the pool and the
// packed blocks are shared: each thread packs a range of panels into the
// caller's scratch, and the tiles of C are split into about 4t tasks of
// row-panel runs x column-panel runs (dynamic, so a thread slowed by another
// process leaves its share to the other). parallel() returns when every task
// is done, so it is also the barrier between packing and use.
#include <algorithm>
#include "matmul_impl.h"

namespace lk {
namespace {

template <class F>
void run_tasks(bool mt, int64_t n, F& f) {
  if (mt && n > 1) parallel(n, f);
  else for (int64_t i = 0; i < n; i++) f(i);
}

constexpr int64_t kMaxPackedA = int64_t(2) << 20;  // floats (8 MiB) of packed A per block

}  // namespace

void gemm_a_in_l1(const Gemm& g, const GemmKernel& K, int t, MicroRowsB microB) {
  const int64_t m = g.m, n = g.n, k = g.k, MR_ = K.mr, NR_ = K.nr;
  const bool mt = t > 1;
  const int64_t KCb = std::min(K.kc, k);
  const int64_t mAll = (m + MR_ - 1) / MR_ * MR_;
  const int64_t mb = std::min(mAll, std::max(K.mc, kMaxPackedA / KCb / MR_ * MR_));
  const int64_t NCb = std::min(K.nc, (n + NR_ - 1) / NR_ * NR_);
  float* ap = scratch(1, KCb * mb + 64);
  // Small products: B as stored, unpacked, when its rows of one depth block lie
  // in half of L2 (kc·ldb floats), as packing would only copy what is cached anyway.
  const bool direct = microB && !g.bPacked && !g.transB && KCb * g.ldb * 4 <= cache_sizes().l2 / 2;
  float* bp = g.bPacked || direct ? nullptr : scratch(0, KCb * NCb + 64);
  for (int64_t pc = 0; pc < k; pc += K.kc) {
    const int64_t kc = std::min(K.kc, k - pc);
    const bool acc = g.accumulate || pc > 0;
    for (int64_t ic = 0; ic < m; ic += mb) {
      const int64_t mc = std::min(mb, m - ic), rowPanels = (mc + MR_ - 1) / MR_;
      const int64_t packsA = mt ? std::min<int64_t>(rowPanels, t) : 1;
      auto packA = [&](int64_t task) {
        const int64_t p0 = rowPanels * task / packsA, p1 = rowPanels * (task + 1) / packsA;
        const int64_t i0 = p0 * MR_, i1 = std::min(mc, p1 * MR_);
        if (i1 > i0) K.pack_a(ap + i0 * kc, g, ic + i0, i1 - i0, pc, kc, K.mr);
      };
      for (int64_t jc = 0; jc < n; jc += K.nc) {
        const int64_t nc = std::min(K.nc, n - jc), colPanels = (nc + NR_ - 1) / NR_;
        // a pre-packed B panel jp holds [k][nr]: its kc-slice starts pc*nr in, panels k*nr apart
        const float* bb = g.bPacked ? g.b + jc * k + pc * NR_ : bp;
        const int64_t bstride = g.bPacked ? k : kc;
        // one parallel call packs this B block and, in the first block, A too:
        // tasks [0, packsA) pack A panels, the rest B panels
        const int64_t packsB = g.bPacked || direct ? 0 : mt ? std::min<int64_t>(colPanels, t) : 1;
        const int64_t withA = jc == 0 ? packsA : 0;
        auto pack = [&](int64_t task) {
          if (task < withA) { packA(task); return; }
          task -= withA;
          const int64_t p0 = colPanels * task / packsB, p1 = colPanels * (task + 1) / packsB;
          const int64_t j0 = p0 * NR_, j1 = std::min(nc, p1 * NR_);
          if (j1 > j0) K.pack_b(bp + j0 * kc, g, jc + j0, j1 - j0, pc, kc, K.nr);
        };
        run_tasks(mt, withA + packsB, pack);
        const int64_t want = mt ? 4 * int64_t(t) : 1;
        const int64_t rowRuns = std::min(rowPanels, want);
        const int64_t colRuns = std::min(colPanels, (want + rowRuns - 1) / rowRuns);
        auto tiles = [&](int64_t task) {
          const int64_t rt = task / colRuns, ct = task % colRuns;
          const int64_t r0 = rowPanels * rt / rowRuns, r1 = rowPanels * (rt + 1) / rowRuns;
          const int64_t c0 = colPanels * ct / colRuns, c1 = colPanels * (ct + 1) / colRuns;
          for (int64_t ip = r0; ip < r1; ip++) {
            const int64_t ir = ip * MR_;
            const int rows = int(std::min(MR_, mc - ir));
            for (int64_t jp = c0; jp < c1; jp++) {
              const int64_t jr = jp * NR_;
              const int cols = int(std::min(NR_, nc - jr));
              float* cc = g.c + (ic + ir) * g.ldc + jc + jr;
              if (direct) microB(kc, ap + ir * kc, g.b + pc * g.ldb + jc + jr, g.ldb, cc, g.ldc, acc, rows, cols);
              else K.micro(kc, ap + ir * kc, bb + jr * bstride, cc, g.ldc, acc, rows, cols);
            }
          }
        };
        run_tasks(mt, rowRuns * colRuns, tiles);
      }
    }
  }
}

}  // namespace lk
