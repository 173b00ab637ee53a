// NCHW convolution (cross-correlation) and both gradients as GEMMs over im2col:
//   col[(c·kh + p)·kw + q, i·ow + j] = x[c, i·s + p − pad, j·s + q − pad]  (0 outside)
//   forward:        y_b [o, oh·ow]  = W [o, c·kh·kw] · col_b
//   input grad:     dcol_b = Wᵀ · dy_b, then dx_b = col2im(dcol_b) (scatter-add)
//   weight grad:    dW = Σ_b dy_b · col_bᵀ
// The forward and input-gradient GEMMs read their B (col, dy) in place
// (gemmRowB: no packing of B, which for few output channels costs about as
// much as the products). A 1×1, stride-1, unpadded convolution uses x itself as col. ws: the gemm
// workspace followed by c·kh·kw·oh·ow floats for col.
import { gemm, gemmRowB, gemmWorkspaceBytes } from './gemm';

@inline function f(p: usize, i: i32): usize { return p + (<usize>i << 2); }

// Copy / zero n floats with vector loads and stores: im2col's runs are short
// (one output row, ~28 floats), where memory.copy / memory.fill cost more in
// call overhead than in bytes moved.
@inline function copyF32(dst: usize, src: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(f(dst, j), v128.load(f(src, j)));
  for (; j < n; j++) store<f32>(f(dst, j), load<f32>(f(src, j)));
}
@inline function zeroF32(dst: usize, n: i32): void {
  let j = 0;
  const z = f32x4.splat(0);
  for (; j + 4 <= n; j += 4) v128.store(f(dst, j), z);
  for (; j < n; j++) store<f32>(f(dst, j), 0);
}

export function convWorkspaceBytes(c: i32, kh: i32, kw: i32, oh: i32, ow: i32): i32 {
  return gemmWorkspaceBytes() + c * kh * kw * oh * ow * 4 + 64;
}

// ⌈a / s⌉ for any sign of a (s > 0); the output columns j with 0 ≤ j·s + q − pad < w
// are j0 = ⌈(pad − q)/s⌉ ≤ j < j1 = ⌈(w + pad − q)/s⌉, clamped to [0, ow].
@inline function cdiv(a: i32, s: i32): i32 { return a >= 0 ? (a + s - 1) / s : -((-a) / s); }

@inline export function colArea(ws: usize): usize { return (ws + <usize>gemmWorkspaceBytes() + 63) & ~<usize>63; }

@inline function isPointwise(kh: i32, kw: i32, stride: i32, pad: i32): bool {
  return kh == 1 && kw == 1 && stride == 1 && pad == 0;
}

export function im2col(col: usize, x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, s: i32, pad: i32, oh: i32, ow: i32): void {
  for (let ch = 0; ch < c; ch++) {
    const plane = f(x, ch * h * w);
    for (let p = 0; p < kh; p++) {
      for (let q = 0; q < kw; q++) {
        const row = f(col, ((ch * kh + p) * kw + q) * oh * ow);
        // valid output columns j: 0 ≤ j·s + q − pad < w
        const j0 = min(ow, max(0, cdiv(pad - q, s)));
        const j1 = max(j0, min(ow, cdiv(w + pad - q, s)));
        for (let i = 0; i < oh; i++) {
          const y = i * s + p - pad;
          const dst = f(row, i * ow);
          if (y < 0 || y >= h) { zeroF32(dst, ow); continue; }
          if (j0 > 0) zeroF32(dst, j0);
          if (j1 < ow) zeroF32(f(dst, j1), ow - j1);
          const src = f(plane, y * w + q - pad);
          if (s == 1) copyF32(f(dst, j0), f(src, j0), j1 - j0);
          else for (let j = j0; j < j1; j++) store<f32>(f(dst, j), load<f32>(f(src, j * s)));
        }
      }
    }
  }
}

export function col2im(dx: usize, col: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, s: i32, pad: i32, oh: i32, ow: i32): void {
  memory.fill(dx, 0, <usize>(c * h * w) << 2);
  for (let ch = 0; ch < c; ch++) {
    const plane = f(dx, ch * h * w);
    for (let p = 0; p < kh; p++) {
      for (let q = 0; q < kw; q++) {
        const row = f(col, ((ch * kh + p) * kw + q) * oh * ow);
        const j0 = min(ow, max(0, cdiv(pad - q, s)));
        const j1 = max(j0, min(ow, cdiv(w + pad - q, s)));
        for (let i = 0; i < oh; i++) {
          const y = i * s + p - pad;
          if (y < 0 || y >= h) continue;
          const src = f(row, i * ow), dst = f(plane, y * w + q - pad);
          let j = j0;
          if (s == 1) {
            for (; j + 4 <= j1; j += 4) v128.store(f(dst, j), f32x4.add(v128.load(f(dst, j)), v128.load(f(src, j))));
          }
          for (; j < j1; j++) store<f32>(f(dst, j * s), load<f32>(f(dst, j * s)) + load<f32>(f(src, j)));
        }
      }
    }
  }
}

export function conv2d(out: usize, x: usize, w: usize, n: i32, c: i32, h: i32, wd: i32, o: i32, kh: i32, kw: i32,
  stride: i32, pad: i32, oh: i32, ow: i32, ws: usize): void {
  const ckk = c * kh * kw, ohw = oh * ow;
  const col = colArea(ws);
  for (let b = 0; b < n; b++) {
    const xb = f(x, b * c * h * wd);
    let src = col;
    if (isPointwise(kh, kw, stride, pad)) src = xb;
    else im2col(col, xb, c, h, wd, kh, kw, stride, pad, oh, ow);
    gemmRowB(o, ohw, ckk, w, ckk, 1, src, ohw, f(out, b * o * ohw), ohw, false, ws);
  }
}

// conv2d + bias[o] on every plane: each image's planes get their bias right
// after its GEMM wrote them, while they are still in cache.
export function conv2dBias(out: usize, x: usize, w: usize, bias: usize, n: i32, c: i32, h: i32, wd: i32, o: i32, kh: i32, kw: i32,
  stride: i32, pad: i32, oh: i32, ow: i32, ws: usize): void {
  const ckk = c * kh * kw, ohw = oh * ow;
  const col = colArea(ws);
  for (let b = 0; b < n; b++) {
    const xb = f(x, b * c * h * wd), yb = f(out, b * o * ohw);
    let src = col;
    if (isPointwise(kh, kw, stride, pad)) src = xb;
    else im2col(col, xb, c, h, wd, kh, kw, stride, pad, oh, ow);
    gemmRowB(o, ohw, ckk, w, ckk, 1, src, ohw, yb, ohw, false, ws);
    addPlaneBias(yb, bias, o, ohw);
  }
}

/** y[r, :] += bias[r] for the o planes of ohw values of one image. */
export function addPlaneBias(y: usize, bias: usize, o: i32, ohw: i32): void {
  for (let r = 0; r < o; r++) {
    const row = f(y, r * ohw), bv = load<f32>(f(bias, r)), bs = f32x4.splat(bv);
    let j = 0;
    for (; j + 4 <= ohw; j += 4) v128.store(f(row, j), f32x4.add(v128.load(f(row, j)), bs));
    for (; j < ohw; j++) store<f32>(f(row, j), load<f32>(f(row, j)) + bv);
  }
}

export function conv2dBackwardInput(dx: usize, dy: usize, w: usize, n: i32, c: i32, h: i32, wd: i32, o: i32, kh: i32, kw: i32,
  stride: i32, pad: i32, oh: i32, ow: i32, ws: usize): void {
  const ckk = c * kh * kw, ohw = oh * ow;
  const col = colArea(ws);
  const direct = isPointwise(kh, kw, stride, pad);
  for (let b = 0; b < n; b++) {
    const dxb = f(dx, b * c * h * wd);
    // dcol (ckk × ohw) = Wᵀ · dy_b, Wᵀ(r, f) = w[f·ckk + r]
    gemmRowB(ckk, ohw, o, w, 1, ckk, f(dy, b * o * ohw), ohw, direct ? dxb : col, ohw, false, ws);
    if (!direct) col2im(dxb, col, c, h, wd, kh, kw, stride, pad, oh, ow);
  }
}

export function conv2dBackwardWeight(dw: usize, x: usize, dy: usize, n: i32, c: i32, h: i32, wd: i32, o: i32, kh: i32, kw: i32,
  stride: i32, pad: i32, oh: i32, ow: i32, ws: usize): void {
  const ckk = c * kh * kw, ohw = oh * ow;
  const col = colArea(ws);
  if (n == 0) { memory.fill(dw, 0, <usize>(o * ckk) << 2); return; }
  for (let b = 0; b < n; b++) {
    const xb = f(x, b * c * h * wd);
    let src = col;
    if (isPointwise(kh, kw, stride, pad)) src = xb;
    else im2col(col, xb, c, h, wd, kh, kw, stride, pad, oh, ow);
    // dW (o × ckk) += dy_b (o × ohw) · col_bᵀ, colᵀ(pix, r) = col[r·ohw + pix]
    gemm(o, ckk, ohw, f(dy, b * o * ohw), ohw, 1, src, 1, ohw, dw, ckk, b > 0, ws);
  }
}
