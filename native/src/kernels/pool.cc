// Max pooling (no padding) and nearest upsampling with their gradients; planes
// (n·c of them) are split over the pool.
#include <cstring>
#include <algorithm>
#include "internal.h"
#include "kernels.h"

using namespace lk;

extern "C" void max_pool2d_f32(float* out, int32_t* argmax, const float* x, const pool2d_dims* dp) {
  const pool2d_dims d = *dp;
  auto run = [&](int64_t p0, int64_t p1) {
    for (int64_t plane = p0; plane < p1; plane++) {
      const float* xp = x + plane * d.h * d.w;
      float* op = out + plane * d.oh * d.ow;
      int32_t* ap = argmax + plane * d.oh * d.ow;
      for (int64_t i = 0; i < d.oh; i++) {
        for (int64_t j = 0; j < d.ow; j++) {
          int64_t at = i * d.stride * d.w + j * d.stride;
          float best = xp[at];
          bool nan = best != best;
          for (int64_t p = 0; p < d.k && !nan; p++) {
            for (int64_t q = 0; q < d.k; q++) {
              const int64_t idx = (i * d.stride + p) * d.w + j * d.stride + q;
              const float v = xp[idx];
              if (v != v) { at = idx; nan = true; break; }  // the first NaN wins, as the reference
              if (v > best) { best = v; at = idx; }
            }
          }
          op[i * d.ow + j] = xp[at];
          ap[i * d.ow + j] = int32_t(at);
        }
      }
    }
  };
  parallel_range(d.n * d.c, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, d.h * d.w)), run);
}

extern "C" void max_pool2d_backward_f32(float* dx, const float* dy, const int32_t* argmax, const pool2d_dims* dp) {
  const pool2d_dims d = *dp;
  auto run = [&](int64_t p0, int64_t p1) {
    for (int64_t plane = p0; plane < p1; plane++) {
      float* xp = dx + plane * d.h * d.w;
      const float* yp = dy + plane * d.oh * d.ow;
      const int32_t* ap = argmax + plane * d.oh * d.ow;
      std::memset(xp, 0, d.h * d.w * sizeof(float));
      for (int64_t t = 0; t < d.oh * d.ow; t++) {
        const int64_t at = ap[t];
        if (at >= 0 && at < d.h * d.w) xp[at] += yp[t];  // a corrupt index is skipped, never written
      }
    }
  };
  parallel_range(d.n * d.c, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, d.h * d.w)), run);
}

extern "C" void upsample2d_f32(float* out, const float* x, int64_t n, int64_t c, int64_t h, int64_t w, int64_t s) {
  const int64_t W = w * s;
  auto run = [&](int64_t p0, int64_t p1) {
    for (int64_t plane = p0; plane < p1; plane++) {
      const float* xp = x + plane * h * w;
      float* op = out + plane * h * s * W;
      for (int64_t i = 0; i < h; i++) {
        float* first = op + i * s * W;
        for (int64_t j = 0; j < w; j++)
          for (int64_t q = 0; q < s; q++) first[j * s + q] = xp[i * w + j];
        for (int64_t p = 1; p < s; p++) std::memcpy(first + p * W, first, W * sizeof(float));
      }
    }
  };
  parallel_range(n * c, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, h * w * s * s)), run);
}

// dx[i, j] = Σ_{p,q < s} dy[i·s + p, j·s + q]
extern "C" void upsample2d_backward_f32(float* dx, const float* dy, int64_t n, int64_t c, int64_t h, int64_t w,
                                        int64_t s) {
  const int64_t W = w * s;
  auto run = [&](int64_t p0, int64_t p1) {
    for (int64_t plane = p0; plane < p1; plane++) {
      float* xp = dx + plane * h * w;
      const float* yp = dy + plane * h * s * W;
      for (int64_t i = 0; i < h; i++) {
        for (int64_t j = 0; j < w; j++) {
          double acc = 0;
          for (int64_t p = 0; p < s; p++)
            for (int64_t q = 0; q < s; q++) acc += yp[(i * s + p) * W + j * s + q];
          xp[i * w + j] = float(acc);
        }
      }
    }
  };
  parallel_range(n * c, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, h * w * s * s)), run);
}
