// Stride-1 convolution pieces for AVX-512: an im2col that writes 32 output
// positions at a time (straight into the GEMM's packed-B panels, or into a
// plain col matrix), and a forward pass that builds one B panel at a time and
// consumes it at once with the micro-kernel while it is still in L1.
//
//   col[kidx, pos] = x[ch, i + p − pad, j + r − pad]   (0 outside the image)
//   with pos = i·ow + j and kidx = (ch·kh + p)·kw + r.
// The image is first copied into a zero-bordered buffer xp [c][h+2pad][w+2pad]
// (plus 16 floats of slack at both ends), so every tap reads in bounds:
// x[ch, i+p−pad, j+r−pad] = xp[ch, i+p, j+r]. The 16 lanes of a half panel
// cover a few output rows i (segments); inside a segment lane c reads
// xp at seg.base + c + p·Wp + r, consecutive addresses, so a segment is one
// plain 16-wide load blended in under the segment's lane mask. No masked or
// gathered loads: both measured several times slower here than plain ones.
// Compiled with -mavx512f/bw/dq/vl; only called when the CPU has them.
#include <immintrin.h>
#include <algorithm>
#include <cstring>
#include "internal.h"
#include "avx512_util.h"
#include "kernels.h"

namespace lk {
namespace {

constexpr int MAXSEG = 3;  // ow >= 8: a run of 16 positions meets at most 3 output rows

struct Padded { const float* xp; int64_t Wp, plane; };

Padded pad_image(const float* x, const conv2d_dims& d) {
  const int64_t Hp = d.h + 2 * d.pad, Wp = d.w + 2 * d.pad, plane = Hp * Wp;
  float* xp = scratch(3, d.c * plane + 32) + 16;
  // zero only the border (and the slack at both ends); copy the interior rows
  std::memset(xp - 16, 0, 16 * sizeof(float));
  std::memset(xp + d.c * plane, 0, 16 * sizeof(float));
  for (int64_t ch = 0; ch < d.c; ch++) {
    float* pc = xp + ch * plane;
    std::memset(pc, 0, d.pad * Wp * sizeof(float));
    for (int64_t y = 0; y < d.h; y++) {
      float* row = pc + (y + d.pad) * Wp;
      for (int64_t j = 0; j < d.pad; j++) { row[j] = 0.f; row[d.pad + d.w + j] = 0.f; }
      std::memcpy(row + d.pad, x + (ch * d.h + y) * d.w, d.w * sizeof(float));
    }
    std::memset(pc + (d.pad + d.h) * Wp, 0, d.pad * Wp * sizeof(float));
  }
  return Padded{xp, Wp, plane};
}

struct Seg { __mmask16 m; int64_t i, base; };

// The tap loop of col_panel for at most S segments per half (a compile-time
// count, so the common one- and two-segment panels do no wasted loads).
template <int S>
void col_panel_taps(float* dst, int64_t ldk, const Padded& xp, const conv2d_dims& d, const Seg (*seg)[MAXSEG],
                    const __mmask16* keep) {
  for (int64_t ch = 0; ch < d.c; ch++) {
    const float* xc = xp.xp + ch * xp.plane;
    for (int64_t p = 0; p < d.kh; p++) {
      for (int64_t r = 0; r < d.kw; r++, dst += ldk) {
        const float* t = xc + p * xp.Wp + r;
#pragma GCC unroll 2
        for (int h = 0; h < 2; h++) {
          __m512 v = _mm512_maskz_mov_ps(seg[h][0].m, _mm512_loadu_ps(t + seg[h][0].base));
#pragma GCC unroll 3
          for (int k = 1; k < S; k++)
            v = _mm512_mask_blend_ps(seg[h][k].m, v, _mm512_loadu_ps(t + seg[h][k].base));
          _mm512_mask_storeu_ps(dst + h * 16, keep[h], v);
        }
      }
    }
  }
}

// Positions 32q .. 32q+31 of every col row: dst[kidx·ldk + c]. With clip, lanes
// at or past P are left alone (plain col layout); otherwise they are written as 0.
void col_panel(float* dst, int64_t ldk, const Padded& xp, const conv2d_dims& d, int64_t q, bool clip) {
  const int64_t P = d.oh * d.ow;
  Seg seg[2][MAXSEG] = {};  // unused segments keep an empty mask (and base 0)
  __mmask16 keep[2];
  int most = 1;
  for (int h = 0; h < 2; h++) {
    int n = 0;
    for (int c = 0; c < 16; c++) {
      const int64_t pos = q * 32 + h * 16 + c, i = pos / d.ow, j = pos % d.ow;
      if (pos >= P) break;
      if (n == 0 || seg[h][n - 1].i != i) seg[h][n++] = Seg{0, i, i * xp.Wp + j - c};
      seg[h][n - 1].m = __mmask16(seg[h][n - 1].m | (1u << c));
    }
    most = std::max(most, n);
    keep[h] = clip ? __mmask16(seg[h][0].m | seg[h][1].m | seg[h][2].m) : __mmask16(0xffff);
  }
  if (most == 1) col_panel_taps<1>(dst, ldk, xp, d, seg, keep);
  else if (most == 2) col_panel_taps<2>(dst, ldk, xp, d, seg, keep);
  else col_panel_taps<3>(dst, ldk, xp, d, seg, keep);
}

bool applies(const conv2d_dims& d) { return d.stride == 1 && d.ow >= 8; }

}  // namespace

// col2im for stride 1, gathered per output vector rather than scattered:
//   dx[ch, y, x] = Σ_{p,r} dcol[(ch·kh + p)·kw + r, i·ow + j],  i = y + pad − p, j = x + pad − r
// over the taps with 0 <= i < oh and 0 <= j < ow. Sixteen x at a time: for
// each tap one masked load (lanes whose j is in range) of consecutive dcol
// entries, summed in a register, then one store. Scattering instead (dx +=
// row, tap by tap) stores and reloads overlapping, shifted vectors, and the
// failed store-to-load forwarding made that several times slower.
bool col2im_avx512(float* dx, const float* dcol, const conv2d_dims& d) {
  if (!applies(d)) return false;
  const int64_t P = d.oh * d.ow;
  const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  const __m512i OW = _mm512_set1_epi32(int(d.ow));
  for (int64_t ch = 0; ch < d.c; ch++) {
    const float* base = dcol + ch * d.kh * d.kw * P;
    for (int64_t y = 0; y < d.h; y++) {
      float* out = dx + (ch * d.h + y) * d.w;
      for (int64_t x0 = 0; x0 < d.w; x0 += 16) {
        const __mmask16 keep = d.w - x0 >= 16 ? __mmask16(0xffff) : __mmask16((1u << (d.w - x0)) - 1);
        __m512 v = _mm512_setzero_ps();
        for (int64_t p = 0; p < d.kh; p++) {
          const int64_t i = y + d.pad - p;
          if (i < 0 || i >= d.oh) continue;
          for (int64_t r = 0; r < d.kw; r++) {
            const int64_t j0 = x0 + d.pad - r;  // j of lane 0
            // lanes with 0 <= j0 + lane < ow (one unsigned compare)
            const __mmask16 m = _mm512_mask_cmplt_epu32_mask(keep, _mm512_add_epi32(lane, _mm512_set1_epi32(int(j0))), OW);
            v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(m, base + (p * d.kw + r) * P + i * d.ow + j0));
          }
        }
        _mm512_mask_storeu_ps(out + x0, keep, v);
      }
    }
  }
  return true;
}

// colᵀ in the GEMM's packed-B layout, for dW = dy · colᵀ (k = P, n = K):
//   dst[kp][pos][c] = col[32·kp + c, pos]   (0 for 32·kp + c >= K)
// Each 32-position block of col is built in L1 (K x 32) and transposed into
// the panels with 16x16 in-register transposes, one pass over the output.
bool im2col_t_panels_avx512(float* dst, const float* x, const conv2d_dims& d) {
  const int64_t K = d.c * d.kh * d.kw, P = d.oh * d.ow;
  if (!applies(d)) return false;
  const Padded xp = pad_image(x, d);
  const int64_t kpanels = (K + 31) / 32;
  float* tmp = scratch(2, kpanels * 32 * 32);  // [K rounded up][32 positions]
  std::memset(tmp + K * 32, 0, (kpanels * 32 - K) * 32 * sizeof(float));
  for (int64_t q = 0; q * 32 < P; q++) {
    col_panel(tmp, 32, xp, d, q, false);
    const int64_t npos = std::min<int64_t>(32, P - q * 32);
    for (int64_t kp = 0; kp < kpanels; kp++) {
      float* panel = dst + kp * P * 32 + q * 32 * 32;
      for (int hk = 0; hk < 2; hk++) {
        for (int hp = 0; hp < 2; hp++) {
          if (hp * 16 >= npos) continue;
          __m512 r[16];
          const float* src = tmp + (kp * 32 + hk * 16) * 32 + hp * 16;
          for (int i = 0; i < 16; i++) r[i] = _mm512_load_ps(src + i * 32);
          transpose16(r);  // r[t] = kidx 16 hk .. +16 at position 16 hp + t
          const int64_t n = std::min<int64_t>(16, npos - hp * 16);
          for (int64_t t = 0; t < n; t++) _mm512_store_ps(panel + (hp * 16 + t) * 32 + hk * 16, r[t]);
        }
      }
    }
  }
  return true;
}

// y_b[o, P] = W[o, K] · col_b[K, P]: W packed once (shared), then per task (an
// image and a range of 32-position panels): build the K x 32 panel (K·128 B,
// in L1 for K up to ~300) and run the mr x 32 micro-kernel down all of W.
bool conv2d_forward_avx512(float* out, const float* x, const float* w, const conv2d_dims& d) {
  const int64_t K = d.c * d.kh * d.kw, P = d.oh * d.ow;
  if (!applies(d) || K > 512 || d.o < 1 || d.n < 1) return false;
  const GemmKernel G = gemm_kernel_avx512(d.o);
  if (G.nr != 32) return false;
  const int64_t mpad = (d.o + G.mr - 1) / G.mr * G.mr, panels = (P + 31) / 32;
  // packed W in the calling thread's slot 4 (the tasks use slots 2 and 3), read by every thread
  float* ap = scratch(4, mpad * K + 16);
  const Gemm gw{d.o, P, K, w, K, false, nullptr, 0, false, nullptr, 0, false};
  G.pack_a(ap, gw, 0, d.o, 0, K, G.mr);
  // enough tasks to balance the pool: whole images when there are many
  const int64_t want = 4 * int64_t(threads());
  const int64_t chunks = d.n >= want ? 1 : std::min(panels, (want + d.n - 1) / d.n);
  auto run = [&](int64_t t) {
    const int64_t b = t / chunks, c = t % chunks;
    const int64_t q0 = panels * c / chunks, q1 = panels * (c + 1) / chunks;
    const Padded xp = pad_image(x + b * d.c * d.h * d.w, d);
    float* bp = scratch(2, K * 32);
    float* yb = out + b * d.o * P;
    for (int64_t q = q0; q < q1; q++) {
      col_panel(bp, 32, xp, d, q, false);
      const int cols = int(std::min<int64_t>(32, P - q * 32));
      for (int64_t ir = 0; ir < d.o; ir += G.mr)
        G.micro(K, ap + ir * K, bp, yb + ir * P + q * 32, P, false, int(std::min<int64_t>(G.mr, d.o - ir)), cols);
    }
  };
  parallel(d.n * chunks, run);
  return true;
}

}  // namespace lk
