// Direct stride-1 convolution on AVX-512 for the small channel counts of the
// GAN (1-32 channels): no im2col matrix at all. With O output channels this
// small, building col costs as much as the GEMM that reads it (each col entry
// feeds only O FMAs), so here every input vector loaded from the padded image
// feeds the FMAs of a whole block of outputs straight from registers.
//
// Geometry (stride 1): input C planes H x W, zero padding PH, PW, kernel KH x KW,
// output O planes OH x OW with OH = H + 2PH - KH + 1, OW = W + 2PW - KW + 1.
// The image is copied into xp [C][Hp][Wp], Hp = H + 2PH, zero outside the image;
// the row stride Wp >= 16·nv + KW - 1 (nv = ceil(OW / 16)), so the 16 lanes of
// any output vector read inside their own padded row, and the lanes past OW read
// zeros (finite: no 0·inf in the weight gradient).
//   forward:  y[o, i, j]  = Σ_{ch,p,r} w[o, ch, p, r] · xp[ch, i + p, j + r]
//   dW:       dw[o, ch, p, r] = Σ_b Σ_{i,j} dy[b, o, i, j] · xp_b[ch, i + p, j + r]
//   dx:       the forward pass on dy with the kernel flipped and transposed,
//             w'[ch, o, p', r'] = w[o, ch, KH-1-p', KW-1-r'], padding KH-1-PH, KW-1-PW.
// A "unit" is 16 consecutive outputs j of one row i (the last one of a row masked).
// Compiled with -mavx512f/bw/dq/vl; only called when the CPU has them.
#include <immintrin.h>
#include <algorithm>
#include <cstring>
#include <vector>
#include "internal.h"
#include "kernels.h"

namespace lk {
namespace {

struct Geo {
  int64_t C, H, W, O, KH, KW, PH, PW, OH, OW;
  int64_t nv, Hp, Wp, plane;
  // flat: rows of Wp = OW (each row's right padding is the next row's left
  // padding: needs KW - 1 <= PW), so a unit is any 16 consecutive outputs of the
  // plane, rows shorter than 16 included; the plane keeps zeros past its end.
  bool flat = false;
};

// The units of one output plane.
inline int64_t plane_units(const Geo& g) { return g.flat ? (g.OH * g.OW + 15) / 16 : g.OH * g.nv; }

Geo make_geo(int64_t C, int64_t H, int64_t W, int64_t O, int64_t KH, int64_t KW, int64_t PH, int64_t PW) {
  Geo g{C, H, W, O, KH, KW, PH, PW, H + 2 * PH - KH + 1, W + 2 * PW - KW + 1, 0, 0, 0, 0};
  g.nv = (g.OW + 15) / 16;
  g.Hp = H + 2 * PH;
  g.Wp = std::max(W + 2 * PW, 16 * g.nv + KW - 1);
  g.plane = g.Hp * g.Wp;
  return g;
}

// The flat geometry (see Geo) where it applies and rows are short, else make_geo's.
Geo make_geo_flat(int64_t C, int64_t H, int64_t W, int64_t O, int64_t KH, int64_t KW, int64_t PH, int64_t PW) {
  Geo g = make_geo(C, H, W, O, KH, KW, PH, PW);
  if (g.OW >= 16 || KW - 1 > PW) return g;
  g.flat = true;
  g.Wp = g.OW;                     // = W + 2PW − KW + 1 >= W + PW
  g.plane = g.Hp * g.Wp + 16 + KW;  // taps of the last unit read past Hp·Wp: zeros
  return g;
}

// xp [C][Hp][Wp] = the zero-bordered copy of x [C][H][W].
void pad_into(float* xp, const float* x, const Geo& g) {
  for (int64_t ch = 0; ch < g.C; ch++) {
    float* pc = xp + ch * g.plane;
    std::memset(pc, 0, g.PH * g.Wp * sizeof(float));
    for (int64_t y = 0; y < g.H; y++) {
      float* row = pc + (y + g.PH) * g.Wp;
      std::memset(row, 0, g.PW * sizeof(float));
      std::memcpy(row + g.PW, x + (ch * g.H + y) * g.W, g.W * sizeof(float));
      std::memset(row + g.PW + g.W, 0, (g.Wp - g.PW - g.W) * sizeof(float));
    }
    std::memset(pc + (g.PH + g.H) * g.Wp, 0, (g.plane - (g.PH + g.H) * g.Wp) * sizeof(float));
  }
}

// The padded copy in scratch slot 3 of this thread.
const float* pad_planes(const float* x, const Geo& g) {
  float* xp = scratch(3, g.C * g.plane);
  pad_into(xp, x, g);
  return xp;
}

// Offsets in xp of the taps k = (ch·KH + p)·KW + r.
std::vector<int64_t> tap_offsets(const Geo& g) {
  std::vector<int64_t> t(g.C * g.KH * g.KW);
  for (int64_t ch = 0, k = 0; ch < g.C; ch++)
    for (int64_t p = 0; p < g.KH; p++)
      for (int64_t r = 0; r < g.KW; r++) t[k++] = ch * g.plane + p * g.Wp + r;
  return t;
}

inline __mmask16 unit_mask(const Geo& g, int64_t jv) {
  const int64_t left = (g.flat ? g.OH * g.OW : g.OW) - jv * 16;
  return left >= 16 ? __mmask16(0xffff) : __mmask16((1u << left) - 1);
}

// ---- forward ----

// RV units x OB outputs: acc[u][o] += xp[unit u + tap k] · wpk[k][o] over all K taps.
// ub: the units' offsets in xp; yb: their offsets in an output plane.
// The accumulators start at the block's biases bb[OB] (zeros without a bias).
template <int OB, int RV>
void fwd_tile(float* y, int64_t yplane, const float* xp, const int64_t* taps, int64_t K, const float* wpk,
              const float* bb, const int64_t* ub, const int64_t* yb, const __mmask16* m, int nu, int orows) {
  __m512 acc[RV][OB];
#pragma GCC unroll 32
  for (int u = 0; u < RV; u++)
#pragma GCC unroll 32
    for (int o = 0; o < OB; o++) acc[u][o] = _mm512_set1_ps(bb[o]);
  for (int64_t k = 0; k < K; k++) {
    const float* t = xp + taps[k];
    const float* wk = wpk + k * OB;
    __m512 v[RV];
#pragma GCC unroll 32
    for (int u = 0; u < RV; u++) v[u] = _mm512_loadu_ps(t + ub[u]);
#pragma GCC unroll 32
    for (int o = 0; o < OB; o++) {
      const __m512 wv = _mm512_set1_ps(wk[o]);
#pragma GCC unroll 32
      for (int u = 0; u < RV; u++) acc[u][o] = _mm512_fmadd_ps(v[u], wv, acc[u][o]);
    }
  }
  for (int u = 0; u < nu; u++)
    for (int o = 0; o < orows; o++) _mm512_mask_storeu_ps(y + o * yplane + yb[u], m[u], acc[u][o]);
}

// wpk [blocks][K][OB] (zero for outputs >= O) from weight(o, k).
template <class F>
std::vector<float> pack_weights(int64_t O, int64_t K, int OB, F weight) {
  const int64_t blocks = (O + OB - 1) / OB;
  std::vector<float> p(blocks * K * OB, 0.f);
  for (int64_t o = 0; o < O; o++)
    for (int64_t k = 0; k < K; k++) p[((o / OB) * K + k) * OB + o % OB] = weight(o, k);
  return p;
}

// y [n][O][OH][OW] = conv(x [n][C][H][W]) with the packed weights; tasks are
// (image, range of unit groups) so that a small batch still fills the pool.
template <int OB, int RV>
void fwd_run(float* y, const float* x, int64_t n, const Geo& g, const float* wpk, const float* bpk) {
  const int64_t K = g.C * g.KH * g.KW, units = plane_units(g), groups = (units + RV - 1) / RV;
  const int64_t blocks = (g.O + OB - 1) / OB, yplane = g.OH * g.OW;
  const std::vector<int64_t> taps = tap_offsets(g);
  const int64_t want = 4 * int64_t(threads());
  const int64_t chunks = n >= want ? 1 : std::min(groups, (want + n - 1) / n);
  auto run = [&](int64_t t) {
    const int64_t b = t / chunks, c = t % chunks;
    const int64_t g0 = groups * c / chunks, g1 = groups * (c + 1) / chunks;
    const float* xp = pad_planes(x + b * g.C * g.H * g.W, g);
    float* yimg = y + b * g.O * yplane;
    for (int64_t gi = g0; gi < g1; gi++) {
      int64_t ub[RV], yb[RV];
      __mmask16 m[RV];
      int nu = 0;
      for (int u = 0; u < RV; u++) {
        const int64_t id = std::min(gi * RV + u, units - 1);  // the tail repeats the last unit, not stored
        if (g.flat) {  // unit id: outputs 16·id .. 16·id + 15 of the plane, in xp at the same offset
          ub[u] = yb[u] = id * 16;
          m[u] = unit_mask(g, id);
        } else {
          const int64_t i = id / g.nv, jv = id % g.nv;
          ub[u] = i * g.Wp + jv * 16;
          yb[u] = i * g.OW + jv * 16;
          m[u] = unit_mask(g, jv);
        }
        if (gi * RV + u < units) nu = u + 1;
      }
      for (int64_t bl = 0; bl < blocks; bl++)
        fwd_tile<OB, RV>(yimg + bl * OB * yplane, yplane, xp, taps.data(), K, wpk + bl * K * OB, bpk + bl * OB, ub, yb, m, nu,
                         int(std::min<int64_t>(OB, g.O - bl * OB)));
    }
  };
  parallel(n * chunks, run);
}

// The output block: 8 outputs (3 units) down to 1 output (24 units), about 24 accumulators.
int block_for(int64_t O) { return O >= 8 ? 8 : O >= 4 ? 4 : O >= 2 ? 2 : 1; }

// bias: O values added to the outputs, or null.
template <class F>
void forward_any(float* y, const float* x, int64_t n, const Geo& g, F weight, const float* bias) {
  const int OB = block_for(g.O);
  const std::vector<float> wpk = pack_weights(g.O, g.C * g.KH * g.KW, OB, weight);
  std::vector<float> bpk((g.O + OB - 1) / OB * OB, 0.f);
  if (bias) std::copy(bias, bias + g.O, bpk.begin());
  switch (OB) {
    case 8: fwd_run<8, 3>(y, x, n, g, wpk.data(), bpk.data()); break;
    case 4: fwd_run<4, 6>(y, x, n, g, wpk.data(), bpk.data()); break;
    case 2: fwd_run<2, 12>(y, x, n, g, wpk.data(), bpk.data()); break;
    default: fwd_run<1, 24>(y, x, n, g, wpk.data(), bpk.data()); break;
  }
}

// ---- weight gradient ----

// acc [OB][T] vectors (in accv, [OB][T][16]) += Σ over the image's units of
// dy[o, unit] (masked) · xp[unit + tap t].
// Unit u of images 0 .. nb-1 (consecutive dy images, consecutive padded
// images): its offset in dy (uy), in xp (ux) and its lane mask.
struct Units { std::vector<int64_t> uy, ux; std::vector<__mmask16> m; };

Units unit_table(const Geo& g, int64_t nb) {
  Units t;
  for (int64_t b = 0; b < nb; b++) {
    if (g.flat) {
      for (int64_t u = 0; u < plane_units(g); u++) {
        t.uy.push_back(b * g.O * g.OH * g.OW + u * 16);
        t.ux.push_back(b * g.C * g.plane + u * 16);
        t.m.push_back(unit_mask(g, u));
      }
      continue;
    }
    for (int64_t i = 0; i < g.OH; i++)
      for (int64_t jv = 0; jv < g.nv; jv++) {
        t.uy.push_back(b * g.O * g.OH * g.OW + i * g.OW + jv * 16);
        t.ux.push_back(b * g.C * g.plane + i * g.Wp + jv * 16);
        t.m.push_back(unit_mask(g, jv));
      }
  }
  return t;
}

template <int OB, int T>
void dw_tile(float* accv, const float* xp, const float* dyimg, const Units& un, int64_t units, const int64_t* dyrow,
             const int64_t* toff) {
  // a flat branch-free loop over a table of units: with a nested loop (or a
  // branch on the row end) GCC stored the accumulators to the stack every unit
  const int64_t* uy = un.uy.data();
  const int64_t* ux = un.ux.data();
  const __mmask16* um = un.m.data();
  const float* dyp[OB];
  for (int o = 0; o < OB; o++) dyp[o] = dyimg + dyrow[o];
  __m512 acc[OB][T];
#pragma GCC unroll 32
  for (int o = 0; o < OB; o++)
#pragma GCC unroll 32
    for (int t = 0; t < T; t++) acc[o][t] = _mm512_setzero_ps();  // (loading accv here made GCC spill them)
  for (int64_t u = 0; u < units; u++) {
    __m512 dv[OB];
#pragma GCC unroll 32
    for (int o = 0; o < OB; o++) dv[o] = _mm512_maskz_loadu_ps(um[u], dyp[o] + uy[u]);
    const float* xb = xp + ux[u];
#pragma GCC unroll 32
    for (int t = 0; t < T; t++) {
      const __m512 xv = _mm512_loadu_ps(xb + toff[t]);
#pragma GCC unroll 32
      for (int o = 0; o < OB; o++) acc[o][t] = _mm512_fmadd_ps(dv[o], xv, acc[o][t]);
    }
  }
#pragma GCC unroll 32
  for (int o = 0; o < OB; o++)
#pragma GCC unroll 32
    for (int t = 0; t < T; t++) {
      float* a = accv + (o * T + t) * 16;
      _mm512_storeu_ps(a, _mm512_add_ps(_mm512_loadu_ps(a), acc[o][t]));
    }
}

// dw [O][K]: the images split into one task per thread (two per thread when
// there are enough images, for balance); a task pads its images a chunk at a
// time (at most ~256 KB, so they stay in L2) and sums lane-wise partials
// part[task][block][tap group][OB][T][16] over all units of the chunk at once.
// The lanes and tasks are added at the end. part lives in the calling thread's
// scratch slot 4 (the tasks use slot 3), so no fresh pages per call.
template <int OB, int T>
void dw_run(float* dw, const float* x, const float* dy, int64_t n, const Geo& g) {
  const int64_t K = g.C * g.KH * g.KW, blocks = (g.O + OB - 1) / OB, tgroups = (K + T - 1) / T;
  const int64_t per = blocks * tgroups * OB * T * 16, yplane = g.OH * g.OW;
  const std::vector<int64_t> taps = tap_offsets(g);
  const int64_t fit = std::max<int64_t>(1, (int64_t(1) << 16) / (g.C * g.plane));  // images per 256 KB
  const int64_t tasks = std::max<int64_t>(1, std::min<int64_t>(n, (n >= 8 ? 2 : 1) * int64_t(threads())));
  const int64_t chunk = std::min(fit, (n + tasks - 1) / tasks);
  const Units un = unit_table(g, chunk);
  float* part = scratch(4, tasks * per);
  std::memset(part, 0, tasks * per * sizeof(float));
  auto run = [&](int64_t task) {
    float* acc = part + task * per;
    const int64_t t0 = n * task / tasks, t1 = n * (task + 1) / tasks;
    float* xp = scratch(3, chunk * g.C * g.plane);
    for (int64_t b0 = t0; b0 < t1; b0 += chunk) {
      const int64_t b1 = std::min(t1, b0 + chunk);
      for (int64_t b = b0; b < b1; b++) pad_into(xp + (b - b0) * g.C * g.plane, x + b * g.C * g.H * g.W, g);
      const int64_t nu = (b1 - b0) * plane_units(g);  // these images: a prefix of the table
      const float* dyimg = dy + b0 * g.O * yplane;
      for (int64_t bl = 0; bl < blocks; bl++) {
        int64_t dyrow[OB];
        for (int o = 0; o < OB; o++) dyrow[o] = std::min<int64_t>(bl * OB + o, g.O - 1) * yplane;  // padding rows repeat, not kept
        for (int64_t tg = 0; tg < tgroups; tg++) {
          int64_t toff[T];
          for (int t = 0; t < T; t++) toff[t] = taps[std::min<int64_t>(tg * T + t, K - 1)];
          dw_tile<OB, T>(acc + (bl * tgroups + tg) * OB * T * 16, xp, dyimg, un, nu, dyrow, toff);
        }
      }
    }
  };
  parallel(tasks, run);
  for (int64_t o = 0; o < g.O; o++) {
    const int64_t bl = o / OB, oo = o % OB;
    for (int64_t k = 0; k < K; k++) {
      const int64_t tg = k / T, t = k % T;
      __m512 s = _mm512_setzero_ps();
      for (int64_t task = 0; task < tasks; task++)
        s = _mm512_add_ps(s, _mm512_loadu_ps(part + task * per + (((bl * tgroups + tg) * OB + oo) * T + t) * 16));
      dw[o * K + k] = _mm512_reduce_add_ps(s);
    }
  }
}

// Worth it where the output rows fill most of a vector and the channels are few.
bool direct_applies(const conv2d_dims& d) { return d.stride == 1 && d.ow >= 8 && d.n >= 1; }

// ---- nearest 2x upsampling fused into a 3x3, pad-1 convolution (up2Conv2d) ----
// x [C][H][W] low resolution, u = its 2x upsampling, y = conv3x3(u, pad 1) [O][2H][2W].
// Output row 2i+a reads u rows 2i+a-1 .. 2i+a+1 = x rows i-1, i, i (a = 0) or
// i, i, i+1 (a = 1): two x rows i+a-1+p', p' ∈ {0, 1}, kernel rows folded as
//   a = 0: p' = 0 ← row 0, p' = 1 ← rows 1 + 2;   a = 1: p' = 0 ← rows 0 + 1, p' = 1 ← row 2
// (FOLD[a][p'][p] = 1 when kernel row p goes to p'; columns alike). So each phase
// ph = 2a + b is a 2x2 convolution of x with padding 1, output (H+1) x (W+1):
//   y4[ph·O + o][r][s] = Σ_{c,p',q'} w4[ph·O + o][c][p'][q'] · x[c][r + p' − 1][s + q' − 1]
//   w4[ph·O + o][c][p'][q'] = Σ_{p,q} FOLD[a][p'][p] · FOLD[b][q'][q] · w[o][c][p][q]
//   y[o][2i + a][2j + b] = y4[ph·O + o][i + a][j + b]
// 4·C taps per output instead of 9·C, and no upsampled image. Gradients by the same map:
//   dy4[ph·O + o][i + a][j + b] = dy[o][2i + a][2j + b] (zero elsewhere),
//   dW = fold of dW4 (the direct weight gradient of the phase conv), dx = the phase
//   conv's input gradient (a 2x2 conv of dy4 with w4 flipped, no padding).
constexpr int FOLD[2][2][3] = {{{1, 0, 0}, {0, 1, 1}}, {{1, 1, 0}, {0, 0, 1}}};

bool up2_applies(const conv2d_dims& d) {
  return d.kh == 3 && d.kw == 3 && d.pad == 1 && d.stride == 1 && d.n >= 1 && d.w + 1 >= 8 && d.oh == 2 * d.h && d.ow == 2 * d.w;
}

// w4 [4O][C][2][2] from w [O][C][3][3].
std::vector<float> up2_weights(const float* w, int64_t O, int64_t C) {
  std::vector<float> w4(4 * O * C * 4, 0.f);
  for (int ph = 0; ph < 4; ph++)
    for (int64_t o = 0; o < O; o++)
      for (int64_t c = 0; c < C; c++)
        for (int pp = 0; pp < 2; pp++)
          for (int qq = 0; qq < 2; qq++) {
            float s = 0.f;
            for (int p = 0; p < 3; p++)
              for (int q = 0; q < 3; q++)
                if (FOLD[ph >> 1][pp][p] && FOLD[ph & 1][qq][q]) s += w[((o * C + c) * 3 + p) * 3 + q];
            w4[(((ph * O + o) * C + c) * 2 + pp) * 2 + qq] = s;
          }
  return w4;
}

// dy4 [n][4O][H+1][W+1] (scratch slot 5) from dy [n][O][2H][2W].
float* up2_split(const float* dy, int64_t n, int64_t O, int64_t H, int64_t W) {
  const int64_t R = H + 1, S = W + 1, plane4 = R * S, big = 4 * H * W;
  float* dy4 = scratch(5, n * 4 * O * plane4);
  auto run = [&](int64_t p0, int64_t p1) {
    for (int64_t pl = p0; pl < p1; pl++) {  // pl = image·O + o
      const int64_t b = pl / O, o = pl % O;
      const float* src = dy + pl * big;
      for (int ph = 0; ph < 4; ph++) {
        const int a = ph >> 1, bb = ph & 1;
        float* dst = dy4 + (b * 4 * O + ph * O + o) * plane4;
        std::memset(dst, 0, plane4 * sizeof(float));
        for (int64_t i = 0; i < H; i++) {
          const float* sr = src + (2 * i + a) * 2 * W + bb;
          float* dr = dst + (i + a) * S + bb;
          for (int64_t j = 0; j < W; j++) dr[j] = sr[2 * j];
        }
      }
    }
  };
  parallel_range(n * O, 4, run);
  return dy4;
}

}  // namespace

// Measured against the im2col panels (one thread, CPU time, min of 5): forward
// 1.3-3x faster up to 16 outputs, slower at 32 (the bench shape); the weight
// gradient faster up to 16, even at 32; the input gradient faster up to 32.
bool conv2d_forward_direct_avx512(float* out, const float* x, const float* w, const float* bias, const conv2d_dims& d) {
  if (!direct_applies(d) || d.o > 16) return false;
  const Geo g = make_geo(d.c, d.h, d.w, d.o, d.kh, d.kw, d.pad, d.pad);
  if (g.OH != d.oh || g.OW != d.ow) return false;
  const int64_t K = d.c * d.kh * d.kw;
  forward_any(out, x, d.n, g, [&](int64_t o, int64_t k) { return w[o * K + k]; }, bias);
  return true;
}

// dx = the forward convolution of dy [o][oh][ow] with w' [c][o][kh][kw] (flipped)
// and padding kh-1-pad: needs pad <= kh-1, kw-1 and an input row of >= 8.
bool conv2d_backward_input_direct_avx512(float* dx, const float* dy, const float* w, const conv2d_dims& d) {
  if (d.stride != 1 || d.w < 8 || d.n < 1 || d.c > 32 || d.pad > d.kh - 1 || d.pad > d.kw - 1) return false;
  const Geo g = make_geo(d.o, d.oh, d.ow, d.c, d.kh, d.kw, d.kh - 1 - d.pad, d.kw - 1 - d.pad);
  if (d.oh < 1 || d.ow < 1 || g.OH != d.h || g.OW != d.w) return false;  // (an empty output: dx is all zero)
  const int64_t khw = d.kh * d.kw;
  // tap k of the transposed conv = (oo·kh + p')·kw + r'
  forward_any(dx, dy, d.n, g, [&](int64_t ch, int64_t k) {
    const int64_t oo = k / khw, p = (k / d.kw) % d.kh, r = k % d.kw;
    return w[((oo * d.c + ch) * d.kh + (d.kh - 1 - p)) * d.kw + (d.kw - 1 - r)];
  }, nullptr);
  return true;
}

bool conv2d_backward_weight_direct_avx512(float* dw, const float* x, const float* dy, const conv2d_dims& d) {
  if (!direct_applies(d) || d.o > 16) return false;
  const Geo g = make_geo(d.c, d.h, d.w, d.o, d.kh, d.kw, d.pad, d.pad);
  if (g.OH != d.oh || g.OW != d.ow) return false;
  switch (block_for(d.o)) {
    case 8: dw_run<4, 6>(dw, x, dy, d.n, g); break;  // 4 x 6: 10 loads per 24 FMAs
    case 4: dw_run<4, 6>(dw, x, dy, d.n, g); break;
    case 2: dw_run<2, 12>(dw, x, dy, d.n, g); break;
    default: dw_run<1, 24>(dw, x, dy, d.n, g); break;
  }
  return true;
}

bool up2_conv2d_forward_direct_avx512(float* out, const float* x, const float* w, const float* bias, const conv2d_dims& d) {
  if (!up2_applies(d)) return false;
  const int64_t O = d.o, H = d.h, W = d.w, O4 = 4 * O;
  const Geo g = make_geo_flat(d.c, H, W, O4, 2, 2, 1, 1);  // OH = H + 1, OW = W + 1
  const int64_t plane4 = g.OH * g.OW, K4 = d.c * 4;
  const std::vector<float> w4 = up2_weights(w, O, d.c);
  std::vector<float> b4(O4);
  for (int64_t o4 = 0; o4 < O4; o4++) b4[o4] = bias ? bias[o4 % O] : 0.f;
  float* y4 = scratch(5, d.n * O4 * plane4);
  forward_any(y4, x, d.n, g, [&](int64_t o4, int64_t k) { return w4[o4 * K4 + k]; }, b4.data());
  const int64_t OW = 2 * W, big = 4 * H * W;
  auto run = [&](int64_t p0, int64_t p1) {
    for (int64_t pl = p0; pl < p1; pl++) {  // pl = image·O + o
      const int64_t b = pl / O, o = pl % O;
      float* dst = out + pl * big;
      for (int a = 0; a < 2; a++) {
        const float* s0 = y4 + (b * O4 + (2 * a) * O + o) * plane4;
        const float* s1 = y4 + (b * O4 + (2 * a + 1) * O + o) * plane4;
        for (int64_t i = 0; i < H; i++) {
          float* row = dst + (2 * i + a) * OW;
          const float* r0 = s0 + (i + a) * g.OW;
          const float* r1 = s1 + (i + a) * g.OW + 1;
          for (int64_t j = 0; j < W; j++) { row[2 * j] = r0[j]; row[2 * j + 1] = r1[j]; }
        }
      }
    }
  };
  parallel_range(d.n * O, 4, run);
  return true;
}

bool up2_conv2d_backward_weight_direct_avx512(float* dw, const float* x, const float* dy, const conv2d_dims& d) {
  if (!up2_applies(d)) return false;
  const int64_t O = d.o, C = d.c, O4 = 4 * O;
  const Geo g = make_geo_flat(C, d.h, d.w, O4, 2, 2, 1, 1);
  const float* dy4 = up2_split(dy, d.n, O, d.h, d.w);
  std::vector<float> dw4(O4 * C * 4);
  dw_run<4, 6>(dw4.data(), x, dy4, d.n, g);
  for (int64_t o = 0; o < O; o++)
    for (int64_t c = 0; c < C; c++)
      for (int p = 0; p < 3; p++)
        for (int q = 0; q < 3; q++) {
          float s = 0.f;
          for (int ph = 0; ph < 4; ph++)
            for (int pp = 0; pp < 2; pp++)
              for (int qq = 0; qq < 2; qq++)
                if (FOLD[ph >> 1][pp][p] && FOLD[ph & 1][qq][q]) s += dw4[(((ph * O + o) * C + c) * 2 + pp) * 2 + qq];
          dw[((o * C + c) * 3 + p) * 3 + q] = s;
        }
  return true;
}

bool up2_conv2d_backward_input_direct_avx512(float* dx, const float* dy, const float* w, const conv2d_dims& d) {
  if (!up2_applies(d) || d.c > 32) return false;
  const int64_t O = d.o, C = d.c, O4 = 4 * O;
  const std::vector<float> w4 = up2_weights(w, O, C);
  const float* dy4 = up2_split(dy, d.n, O, d.h, d.w);
  // dx[c][u][v] = Σ_{o4,p',r'} dy4[o4][u + p'][v + r'] · w4[o4][c][1 − p'][1 − r']
  const Geo g = make_geo(O4, d.h + 1, d.w + 1, C, 2, 2, 0, 0);  // OH = h, OW = w
  forward_any(dx, dy4, d.n, g, [&](int64_t ch, int64_t k) {
    const int64_t o4 = k / 4, p = (k / 2) % 2, r = k % 2;
    return w4[((o4 * C + ch) * 2 + (1 - p)) * 2 + (1 - r)];
  }, nullptr);
  return true;
}

}  // namespace lk
