// NCHW convolution (cross-correlation) and its gradients through im2col + GEMM.
// With K = c·kh·kw and P = oh·ow, per image b:
//   col[(ch·kh + p)·kw + q, i·ow + j] = x[b, ch, i·s + p − pad, j·s + q − pad]  (0 outside)
//   forward:   y_b [o, P] = W [o, K] · col [K, P]
//   input:     dcol [K, P] = Wᵀ · dy_b,  then dx_b = col2im(dcol) (scatter-add)
//   weight:    dW [o, K] = Σ_b dy_b [o, P] · col_bᵀ
// Images are split over the pool (one GEMM per image on its thread); a single
// image uses the multi-threaded GEMM instead. col is written straight in the
// GEMM's packed-B layout (no second packing pass). On AVX-512, stride 1 has its
// own paths (conv2d_avx512.cc): a forward that packs and multiplies one
// 32-position panel at a time in L1, colᵀ packed for dW, and a gathering col2im.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>
#include "internal.h"
#include "kernels.h"

namespace lk {
// Direct (no im2col) stride-1 kernels for small channel counts (conv2d_direct_avx512.cc);
// false when the shape is not one they take, nothing written then.
bool conv2d_forward_direct_avx512(float* out, const float* x, const float* w, const float* bias, const conv2d_dims& d);
bool conv2d_backward_input_direct_avx512(float* dx, const float* dy, const float* w, const conv2d_dims& d);
bool conv2d_backward_weight_direct_avx512(float* dw, const float* x, const float* dy, const conv2d_dims& d);
// up2Conv2d as four 2x2 phase convolutions of the low-resolution image (same file)
bool up2_conv2d_forward_direct_avx512(float* out, const float* x, const float* w, const float* bias, const conv2d_dims& d);
bool up2_conv2d_backward_input_direct_avx512(float* dx, const float* dy, const float* w, const conv2d_dims& d);
bool up2_conv2d_backward_weight_direct_avx512(float* dw, const float* x, const float* dy, const conv2d_dims& d);

namespace {

// Floor and ceiling of a / b for b > 0 (C++ division truncates toward zero).
inline int64_t floordiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
inline int64_t ceildiv(int64_t a, int64_t b) { return -floordiv(-a, b); }

// The output columns j whose input column j·s + q − pad lies in [0, w): [lo, hi).
inline void valid_cols(const conv2d_dims& d, int64_t q, int64_t& lo, int64_t& hi) {
  lo = std::min(d.ow, std::max<int64_t>(0, ceildiv(d.pad - q, d.stride)));
  hi = std::max(lo, std::min(d.ow, floordiv(d.w - 1 + d.pad - q, d.stride) + 1));
}

// Row kidx = (ch·kh + p)·kw + q of col (P floats).
void im2col_row(float* r0, const float* x, const conv2d_dims& d, int64_t kidx) {
  const int64_t ch = kidx / (d.kh * d.kw), p = (kidx / d.kw) % d.kh, q = kidx % d.kw;
  const float* xc = x + ch * d.h * d.w;
  int64_t jlo, jhi;
  valid_cols(d, q, jlo, jhi);
  for (int64_t i = 0; i < d.oh; i++) {
    float* r = r0 + i * d.ow;
    const int64_t y = i * d.stride + p - d.pad;
    if (y < 0 || y >= d.h) { std::memset(r, 0, d.ow * sizeof(float)); continue; }
    const float* xr = xc + y * d.w + q - d.pad;
    for (int64_t j = 0; j < jlo; j++) r[j] = 0.f;
    if (d.stride == 1) std::memcpy(r + jlo, xr + jlo, (jhi - jlo) * sizeof(float));
    else for (int64_t j = jlo; j < jhi; j++) r[j] = xr[j * d.stride];
    for (int64_t j = jhi; j < d.ow; j++) r[j] = 0.f;
  }
}

void im2col(float* col, const float* x, const conv2d_dims& d) {
  const int64_t K = d.c * d.kh * d.kw, P = d.oh * d.ow;
  for (int64_t kidx = 0; kidx < K; kidx++) im2col_row(col + kidx * P, x, d, kidx);
}

// im2col written straight in the GEMM's packed-B layout (panels of NRP columns:
// dst[j / NRP][kidx][j % NRP] = col[kidx, j], zero for j >= P), so the GEMM
// reads it without packing it again. Each col row is built in a small buffer
// (L1) and dealt out to the panels.
template <int NRP>
void im2col_panels_t(float* dst, const float* x, const conv2d_dims& d, float* row) {
  const int64_t K = d.c * d.kh * d.kw, P = d.oh * d.ow;
  for (int64_t kidx = 0; kidx < K; kidx++) {
    im2col_row(row, x, d, kidx);
    float* o = dst + kidx * NRP;
    int64_t j = 0;
    for (; j + NRP <= P; j += NRP, o += K * NRP) std::memcpy(o, row + j, NRP * sizeof(float));
    if (j < P) {
      std::memcpy(o, row + j, (P - j) * sizeof(float));
      std::memset(o + (P - j), 0, (NRP - (P - j)) * sizeof(float));
    }
  }
}

// false when nr is not one the packer knows (then the caller uses plain im2col).
bool im2col_panels(float* dst, const float* x, const conv2d_dims& d, int nr, float* row) {
  if (nr == 32) im2col_panels_t<32>(dst, x, d, row);
  else if (nr == 16) im2col_panels_t<16>(dst, x, d, row);
  else return false;
  return true;
}

// dx (zeroed first) += the columns of dcol scattered back to their pixels.
void col2im(float* dx, const float* col, const conv2d_dims& d) {
  const int64_t P = d.oh * d.ow;
  std::memset(dx, 0, d.c * d.h * d.w * sizeof(float));
  for (int64_t ch = 0; ch < d.c; ch++) {
    float* xc = dx + ch * d.h * d.w;
    for (int64_t p = 0; p < d.kh; p++) {
      for (int64_t q = 0; q < d.kw; q++) {
        const float* row = col + ((ch * d.kh + p) * d.kw + q) * P;
        int64_t jlo, jhi;
        valid_cols(d, q, jlo, jhi);
        for (int64_t i = 0; i < d.oh; i++) {
          const int64_t y = i * d.stride + p - d.pad;
          if (y < 0 || y >= d.h) continue;
          const float* r = row + i * d.ow;
          float* xr = xc + y * d.w + q - d.pad;
          if (d.stride == 1) {  // contiguous: a plain vectorisable add
            for (int64_t j = jlo; j < jhi; j++) xr[j] += r[j];
          } else {
            for (int64_t j = jlo; j < jhi; j++) xr[j * d.stride] += r[j];
          }
        }
      }
    }
  }
}

// LK_CONV_DIRECT=0 turns the direct kernels off (for A/B measurements; read on
// every call so one process can alternate).
bool direct_on() {
  const char* e = std::getenv("LK_CONV_DIRECT");
  return !(e && e[0] == '0');
}

bool is_pointwise(const conv2d_dims& d) { return d.kh == 1 && d.kw == 1 && d.stride == 1 && d.pad == 0; }

// Run body(b, multiThreadedGemm) for every image: images over the pool when
// there are enough of them, else one at a time with the parallel GEMM.
template <class F>
void for_images(const conv2d_dims& d, F& body) {
  if (d.n >= threads() && threads() > 1) {
    auto run = [&](int64_t b) { body(b, false); };
    parallel(d.n, run);
  } else {
    for (int64_t b = 0; b < d.n; b++) body(b, true);
  }
}

inline void gemm(const Gemm& g, bool mt) { if (mt) sgemm(g); else sgemm_st(g); }

}  // namespace
}  // namespace lk

using namespace lk;

extern "C" void conv2d_f32(float* out, const float* x, const float* w, const conv2d_dims* dp) {
  const conv2d_dims d = *dp;
  const int64_t K = d.c * d.kh * d.kw, P = d.oh * d.ow;
  if (LK_HAS_ISA(ISA_AVX512) && !is_pointwise(d) && direct_on() && conv2d_forward_direct_avx512(out, x, w, nullptr, d)) return;
  if (LK_HAS_ISA(ISA_AVX512) && !is_pointwise(d) && conv2d_forward_avx512(out, x, w, d)) return;
  const int nr = gemm_kernel(d.o).nr;
  const int64_t panels = (P + nr - 1) / nr;
  auto body = [&](int64_t b, bool mt) {
    const float* xb = x + b * d.c * d.h * d.w;
    Gemm g{d.o, P, K, w, K, false, xb, P, false, out + b * d.o * P, P, false};
    if (!is_pointwise(d)) {
      float* buf = scratch(2, K * panels * nr);
      g.bPacked = im2col_panels(buf, xb, d, nr, scratch(3, P));
      if (!g.bPacked) im2col(buf, xb, d);
      g.b = buf;
    }
    gemm(g, mt);
  };
  for_images(d, body);
}

extern "C" void conv2d_backward_input_f32(float* dx, const float* dy, const float* w, const conv2d_dims* dp) {
  const conv2d_dims d = *dp;
  const int64_t K = d.c * d.kh * d.kw, P = d.oh * d.ow;
  if (LK_HAS_ISA(ISA_AVX512) && !is_pointwise(d) && direct_on() && conv2d_backward_input_direct_avx512(dx, dy, w, d)) return;
  auto body = [&](int64_t b, bool mt) {
    float* dxb = dx + b * d.c * d.h * d.w;
    const float* dyb = dy + b * d.o * P;
    if (is_pointwise(d)) {  // dx_b = Wᵀ dy_b directly
      gemm(Gemm{K, P, d.o, w, K, true, dyb, P, false, dxb, P, false}, mt);
      return;
    }
    float* dcol = scratch(2, K * P);
    gemm(Gemm{K, P, d.o, w, K, true, dyb, P, false, dcol, P, false}, mt);
    if (!(LK_HAS_ISA(ISA_AVX512) && col2im_avx512(dxb, dcol, d))) col2im(dxb, dcol, d);
  };
  for_images(d, body);
}

extern "C" void conv2d_backward_weight_f32(float* dw, const float* x, const float* dy, const conv2d_dims* dp) {
  const conv2d_dims d = *dp;
  const int64_t K = d.c * d.kh * d.kw, P = d.oh * d.ow, W = d.o * K;
  if (d.n == 0) { std::memset(dw, 0, W * sizeof(float)); return; }
  if (LK_HAS_ISA(ISA_AVX512) && !is_pointwise(d) && direct_on() && conv2d_backward_weight_direct_avx512(dw, x, dy, d)) return;
  // Each task sums a range of images into its own partial (task 0: dw itself).
  const int64_t tasks = threads() > 1 && d.n >= threads() ? std::min<int64_t>(threads(), d.n) : 1;
  std::vector<float> partial((tasks - 1) * W);
  auto run = [&](int64_t t) {
    float* acc = t == 0 ? dw : partial.data() + (t - 1) * W;
    const int64_t b0 = d.n * t / tasks, b1 = d.n * (t + 1) / tasks;
    const bool mt = tasks == 1;
    for (int64_t b = b0; b < b1; b++) {
      const float* xb = x + b * d.c * d.h * d.w;
      Gemm g{d.o, K, P, dy + b * d.o * P, P, false, xb, P, true, acc, K, b > b0};
      if (!is_pointwise(d)) {
        // AVX-512: colᵀ built straight in the packed-B layout (no im2col + transposing pack)
        float* packed = scratch(4, (K + 31) / 32 * 32 * P);
        if (LK_HAS_ISA(ISA_AVX512) && im2col_t_panels_avx512(packed, xb, d)) {
          g.b = packed;
          g.bPacked = true;
        } else {
          float* buf = scratch(2, K * P);
          im2col(buf, xb, d);
          g.b = buf;
        }
      }
      gemm(g, mt);
    }
  };
  parallel(tasks, run);
  for (int64_t t = 1; t < tasks; t++) {
    const float* p = partial.data() + (t - 1) * W;
    for (int64_t i = 0; i < W; i++) dw[i] += p[i];
  }
}

// conv2d + bias[o] on every output of channel o: the direct kernel starts its
// accumulators at the bias; the other paths add it to each plane afterwards.
extern "C" void conv2d_bias_f32(float* out, const float* x, const float* w, const float* bias, const conv2d_dims* dp) {
  const conv2d_dims d = *dp;
  if (LK_HAS_ISA(ISA_AVX512) && !is_pointwise(d) && direct_on() && conv2d_forward_direct_avx512(out, x, w, bias, d)) return;
  conv2d_f32(out, x, w, dp);
  const int64_t plane = d.oh * d.ow;
  auto run = [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; p++) {
      float* o = out + p * plane;
      const float v = bias[p % d.o];
      for (int64_t i = 0; i < plane; i++) o[i] += v;
    }
  };
  parallel_range(d.n * d.o, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, plane)), run);
}

// up2Conv2d: conv2d of the nearest 2x upsampling of x (dims.h, dims.w: x's).
// AVX-512: as four 2x2 convolutions of x itself (conv2d_direct_avx512.cc);
// elsewhere the upsampled image is built in scratch slot 5 and convolved.
namespace {
conv2d_dims on_up(const conv2d_dims& d) {
  conv2d_dims u = d;
  u.h = 2 * d.h;
  u.w = 2 * d.w;
  return u;
}
}  // namespace

extern "C" void up2_conv2d_f32(float* out, const float* x, const float* w, const float* bias, const conv2d_dims* dp) {
  const conv2d_dims d = *dp;
  if (LK_HAS_ISA(ISA_AVX512) && direct_on() && up2_conv2d_forward_direct_avx512(out, x, w, bias, d)) return;
  const conv2d_dims u = on_up(d);
  float* up = scratch(5, d.n * d.c * u.h * u.w);
  upsample2d_f32(up, x, d.n, d.c, d.h, d.w, 2);
  conv2d_bias_f32(out, up, w, bias, &u);
}

extern "C" void up2_conv2d_backward_input_f32(float* dx, const float* dy, const float* w, const conv2d_dims* dp) {
  const conv2d_dims d = *dp;
  if (LK_HAS_ISA(ISA_AVX512) && direct_on() && up2_conv2d_backward_input_direct_avx512(dx, dy, w, d)) return;
  const conv2d_dims u = on_up(d);
  float* du = scratch(5, d.n * d.c * u.h * u.w);
  conv2d_backward_input_f32(du, dy, w, &u);
  upsample2d_backward_f32(dx, du, d.n, d.c, d.h, d.w, 2);
}

extern "C" void up2_conv2d_backward_weight_f32(float* dw, const float* x, const float* dy, const conv2d_dims* dp) {
  const conv2d_dims d = *dp;
  if (LK_HAS_ISA(ISA_AVX512) && direct_on() && up2_conv2d_backward_weight_direct_avx512(dw, x, dy, d)) return;
  const conv2d_dims u = on_up(d);
  float* up = scratch(5, d.n * d.c * u.h * u.w);
  upsample2d_f32(up, x, d.n, d.c, d.h, d.w, 2);
  conv2d_backward_weight_f32(dw, up, dy, &u);
}
