// Axis permutation copy: out[idx] = x[Σ_a idx_a · stride_x(perm[a])]. Walks the
// output row by row; the innermost output axis is a strided gather.
#include <algorithm>
#include "internal.h"
#include "kernels.h"

using namespace lk;

extern "C" void transpose_f32(float* out, const float* x, int ndim, const int64_t* shape, const int64_t* perm) {
  if (ndim == 0) { out[0] = x[0]; return; }
  int64_t xs[16], os[16], src[16], size = 1;
  for (int a = ndim - 1; a >= 0; a--) { xs[a] = size; size *= shape[a]; }
  if (size == 0) return;
  for (int a = 0; a < ndim; a++) { os[a] = shape[perm[a]]; src[a] = xs[perm[a]]; }
  const int64_t inner = os[ndim - 1], step = src[ndim - 1], rows = size / inner;
  auto run = [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      int64_t off = 0, rem = r;
      for (int a = ndim - 2; a >= 0; a--) { off += (rem % os[a]) * src[a]; rem /= os[a]; }
      float* o = out + r * inner;
      const float* s = x + off;
      for (int64_t j = 0; j < inner; j++) o[j] = s[j * step];
    }
  };
  parallel_range(rows, std::max<int64_t>(1, (1 << 15) / inner), run);
}
