// The GEMM driver for kernels that keep their A micro-panel in L1 and stream
// the packed B block from L2 (the AVX-512 mr x 32 kernel). The product is cut
// into steps, each one (depth block pc, row block ic, column super-block js):
//   for pc (kc deep):
//     for ic (mb rows; all of m unless the packed block would pass 8 MiB): A packed once
//       for js (all of n on several threads, unless that passes 8 MiB; one nc block on one)
//         for the nc-wide B blocks of js (each in half of L2)
//           for the mr x nr tiles: ir outer, jr inner (the A panel stays in L1)
// (B is read unpacked when it is small and not transposed, see b_in_place.)
// A and B are each packed once per step that needs them, however many nc blocks
// it has: with A repacked per B block (the classic order), a B block small
// enough for L2 cost more in packing than it saved.
//
// On t > 1 threads the packed blocks are shared and double-buffered: one pool
// call runs the tiles of step s together with the packing of step s + 1 (into
// the other buffer), so a product costs one pool round trip per step plus one,
// instead of two per B block. parallel() returns when every task is done, which
// is the barrier between packing a block and using it. The tiles of a step are
// split into row-panel runs x column-panel runs of each nc block, about 16t tasks
// in all and taken dynamically, so a thread slowed by another process leaves
// its share to the other.
//
// Depth and column blocks are balanced (k = 1100 at kc = 512: 368 + 368 + 364,
// not 512 + 512 + 76): a short last block pays the per-block overheads (C loaded
// and stored, A re-read) for little work. Every element of C is summed over
// the same depth blocks in the same order whatever the threads, the row or
// column block it falls in and mr, as the blocks depend on k alone.
#include <algorithm>
#include <vector>
#include "matmul_impl.h"

namespace lk {
namespace {

template <class F>
void run_tasks(bool mt, int64_t n, F& f) {
  if (mt && n > 1) parallel(n, f);
  else for (int64_t i = 0; i < n; i++) f(i);
}

constexpr int64_t kMaxPackedA = int64_t(2) << 20;  // floats (8 MiB) of packed A per block
constexpr int64_t kMaxPackedB = int64_t(2) << 20;  // floats (8 MiB) of packed B per super-block

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The block size that cuts len into as few blocks of at most `most` as
// possible, all but the last a multiple of `unit` and about the same size.
inline int64_t balanced(int64_t len, int64_t most, int64_t unit) {
  const int64_t blocks = ceil_div(len, most);
  return std::min(most, ceil_div(ceil_div(len, blocks), unit) * unit);
}

struct Step {
  int64_t pc, kc, ic, mc, js, ns;  // depth block, row block, column super-block
  bool newA, newB;                 // this step packs A (B) into buffer abuf (bbuf)
  int abuf, bbuf;
};

}  // namespace

void gemm_a_in_l1(const Gemm& g, const GemmKernel& K, int t, MicroRowsB microB) {
  const int64_t m = g.m, n = g.n, k = g.k, MR_ = K.mr, NR_ = K.nr;
  const bool mt = t > 1;
  const int nbuf = mt ? 2 : 1;  // one thread: the packs of step s + 1 run after its tiles of s
  const int64_t kcb = std::min(k, balanced(k, K.kc, 16));
  const int64_t mAll = ceil_div(m, MR_) * MR_, nAll = ceil_div(n, NR_) * NR_;
  const int64_t mb = std::min(mAll, std::max(K.mc, kMaxPackedA / kcb / MR_ * MR_));
  // the column super-block: every nc block of n at once on several threads (so
  // one pool call covers them), one nc block on one thread (packed just before
  // use, so it is still in L2)
  const int64_t nsb = mt ? std::min(nAll, std::max(K.nc, kMaxPackedB / kcb / NR_ * NR_)) : std::min(nAll, K.nc);
  // Small products: B as stored, unpacked (see b_in_place).
  const bool direct = microB && b_in_place(g, kcb);
  const bool packB = !g.bPacked && !direct;
  const int64_t aFloats = kcb * mb + 64, bFloats = kcb * nsb + 64;
  float* aBase = scratch(1, aFloats * nbuf);
  float* bBase = packB ? scratch(0, bFloats * nbuf) : nullptr;

  std::vector<Step> steps;
  const int64_t nJs = ceil_div(n, nsb);
  int aCount = 0, bCount = 0;
  for (int64_t pc = 0; pc < k; pc += kcb)
    for (int64_t ic = 0; ic < m; ic += mb)
      for (int64_t js = 0; js < n; js += nsb) {
        Step s{pc, std::min(kcb, k - pc), ic, std::min(mb, m - ic), js, std::min(nsb, n - js), js == 0,
               packB && (nJs > 1 || ic == 0), 0, 0};
        if (s.newA) aCount++;
        if (s.newB) bCount++;
        s.abuf = (aCount - 1) % nbuf;
        s.bbuf = bCount > 0 ? (bCount - 1) % nbuf : 0;
        steps.push_back(s);
      }

  const int64_t S = int64_t(steps.size());
  for (int64_t i = -1; i < S; i++) {
    // this call: the tiles of step i (if any), then the packs of step i + 1 (if any)
    const Step* cur = i >= 0 ? &steps[i] : nullptr;
    const Step* next = i + 1 < S ? &steps[i + 1] : nullptr;

    // tiles of cur: per nc block jb, rowRuns x colRuns tasks
    int64_t ncb = 0, nJc = 0, rowPanels = 0, rowRuns = 1, colRuns = 1, tileTasks = 0;
    if (cur) {
      ncb = balanced(cur->ns, K.nc, NR_);
      nJc = ceil_div(cur->ns, ncb);
      rowPanels = ceil_div(cur->mc, MR_);
      const int64_t colPanelsMax = ceil_div(ncb, NR_);
      const int64_t want = mt ? ceil_div(16 * int64_t(t), nJc) : 1;
      rowRuns = std::min(rowPanels, want);
      colRuns = std::min(colPanelsMax, ceil_div(want, rowRuns));
      tileTasks = nJc * rowRuns * colRuns;
    }
    // packs of next: A panels in packsA chunks, B panels in packsB chunks
    int64_t aPanels = 0, bPanels = 0, packsA = 0, packsB = 0;
    if (next) {
      aPanels = ceil_div(next->mc, MR_);
      bPanels = ceil_div(next->ns, NR_);
      if (next->newA) packsA = mt ? std::min<int64_t>(aPanels, 2 * t) : 1;
      if (next->newB) packsB = mt ? std::min<int64_t>(bPanels, 2 * t) : 1;
    }

    auto task = [&](int64_t id) {
      if (id < tileTasks) {
        const Step& s = *cur;
        const int64_t jb = id / (rowRuns * colRuns), rc = id % (rowRuns * colRuns);
        const int64_t rt = rc / colRuns, ct = rc % colRuns;
        const int64_t j0 = jb * ncb, nc = std::min(ncb, s.ns - j0);  // nc block, relative to js
        const int64_t colPanels = ceil_div(nc, NR_);
        const int64_t r0 = rowPanels * rt / rowRuns, r1 = rowPanels * (rt + 1) / rowRuns;
        const int64_t c0 = colPanels * ct / colRuns, c1 = colPanels * (ct + 1) / colRuns;
        const bool acc = g.accumulate || s.pc > 0;
        const float* ap = aBase + s.abuf * aFloats;
        // a pre-packed B panel jp holds [k][nr]: its kc-slice starts pc*nr in, panels k*nr apart
        const float* bb = g.bPacked ? g.b + s.js * k + s.pc * NR_ : bBase + s.bbuf * bFloats;
        const int64_t bstride = g.bPacked ? k : s.kc;
        const int64_t panelLines = MR_ * s.kc * 4 / 64, nq = c1 - c0;
        // A block past half of L2: its panels come from L3, fetch the next one early
        const bool fetchA = rowPanels * MR_ * s.kc * 4 > cache_sizes().l2 / 2;
        for (int64_t ip = r0; ip < r1; ip++) {
          const int64_t ir = ip * MR_;
          const int rows = int(std::min(MR_, s.mc - ir));
          const float* a = ap + ir * s.kc;
          for (int64_t jp = c0; jp < c1; jp++) {
            // the next A micro-panel into L1, a share per tile (it comes from L3)
            if (fetchA && ip + 1 < r1) {
              const char* na = reinterpret_cast<const char*>(a + MR_ * s.kc);
              for (int64_t l = panelLines * (jp - c0) / nq, e = panelLines * (jp - c0 + 1) / nq; l < e; l++)
                __builtin_prefetch(na + 64 * l, 0, 3);
            }
            const int64_t jr = j0 + jp * NR_;  // relative to js
            const int cols = int(std::min(NR_, nc - jp * NR_));
            float* cc = g.c + (s.ic + ir) * g.ldc + s.js + jr;
            if (direct) microB(s.kc, a, g.b + s.pc * g.ldb + s.js + jr, g.ldb, cc, g.ldc, acc, rows, cols);
            else K.micro(s.kc, a, bb + jr * bstride, cc, g.ldc, acc, rows, cols);
          }
        }
        return;
      }
      id -= tileTasks;
      const Step& s = *next;
      if (id < packsA) {
        const int64_t p0 = aPanels * id / packsA, p1 = aPanels * (id + 1) / packsA;
        const int64_t i0 = p0 * MR_, i1 = std::min(s.mc, p1 * MR_);
        float* ap = aBase + s.abuf * aFloats;
        if (i1 > i0) K.pack_a(ap + i0 * s.kc, g, s.ic + i0, i1 - i0, s.pc, s.kc, K.mr);
        return;
      }
      id -= packsA;
      const int64_t p0 = bPanels * id / packsB, p1 = bPanels * (id + 1) / packsB;
      const int64_t j0 = p0 * NR_, j1 = std::min(s.ns, p1 * NR_);
      float* bp = bBase + s.bbuf * bFloats;
      if (j1 > j0) K.pack_b(bp + j0 * s.kc, g, s.js + j0, j1 - j0, s.pc, s.kc, K.nr);
    };
    run_tasks(mt, tileTasks + packsA + packsB, task);
  }
}

}  // namespace lk
