// up2Conv2d: conv2d of the nearest 2x upsampling u of x [n, c, h, w]
// (u[.., i, j] = x[.., ⌊i/2⌋, ⌊j/2⌋]), and its two gradients.
// For a 3x3 kernel, padding 1, stride 1 (the GAN's), output pixel (2i+a, 2j+b)
// reads u rows 2i+a−1 .. 2i+a+1 = x rows i−1, i, i (a = 0) or i, i, i+1 (a = 1):
// a 2x2 convolution of x itself (padding 1) with the kernel rows folded,
//   a = 0: row 0 | rows 1+2,   a = 1: rows 0+1 | row 2     (columns alike, b),
// so with the four phases ph = 2a + b as 4·o output channels,
//   y4 [4o, (h+1)(w+1)] = W4 [4o, 4c] · col4,  col4 = im2col(x, 2x2, pad 1)
//   y[o, 2i+a, 2j+b]    = y4[ph·o + o', i+a, j+b] + bias[o]
//   dx = col2im(W4ᵀ · dy4),  dW = fold(dy4 · col4ᵀ),  dy4 the phases of dy (zero elsewhere).
// 4c·(h+1)(w+1) col entries instead of 9c·4hw. Other shapes: u is built and
// convolved through im2col. ws: the gemm workspace, then the regions below.
import { gemm, gemmRowB, gemmWorkspaceBytes } from './gemm';
import { addPlaneBias, im2col, col2im, colArea } from './conv2d';
import { upsample2d, upsample2dBackward } from './pool';

@inline function f(p: usize, i: i32): usize { return p + (<usize>i << 2); }
@inline function al(p: usize): usize { return (p + 63) & ~<usize>63; }

// FOLD(a, p', p) = 1 when kernel row p folds into phase-a row p'.
@inline function fold(a: i32, pp: i32, p: i32): bool {
  return a == 0 ? (pp == 0 ? p == 0 : p >= 1) : (pp == 0 ? p <= 1 : p == 2);
}

@inline function phased(kh: i32, kw: i32, stride: i32, pad: i32, h: i32, w: i32, oh: i32, ow: i32): bool {
  return kh == 3 && kw == 3 && stride == 1 && pad == 1 && oh == 2 * h && ow == 2 * w;
}

export function up2ConvWorkspaceBytes(c: i32, h: i32, w: i32, o: i32, kh: i32, kw: i32, oh: i32, ow: i32): i32 {
  const p4 = (h + 1) * (w + 1);
  return gemmWorkspaceBytes() + 16 * c * p4 + 16 * o * p4 + 64 * o * c + 16 * c * h * w + 4 * c * kh * kw * oh * ow + 512;
}

// w4 [4o][c][2][2] from w [o][c][3][3]
function foldWeights(w4: usize, w: usize, o: i32, c: i32): void {
  for (let ph = 0; ph < 4; ph++) {
    for (let oo = 0; oo < o; oo++) {
      for (let ch = 0; ch < c; ch++) {
        for (let pp = 0; pp < 2; pp++) {
          for (let qq = 0; qq < 2; qq++) {
            let s: f32 = 0;
            for (let p = 0; p < 3; p++) {
              if (!fold(ph >> 1, pp, p)) continue;
              for (let q = 0; q < 3; q++) if (fold(ph & 1, qq, q)) s += load<f32>(f(w, ((oo * c + ch) * 3 + p) * 3 + q));
            }
            store<f32>(f(w4, (((ph * o + oo) * c + ch) * 2 + pp) * 2 + qq), s);
          }
        }
      }
    }
  }
}

// dy4 [4o][(h+1)(w+1)] = the phases of one image's dy [o][2h][2w], zero where no output maps
function splitPhases(dy4: usize, dy: usize, o: i32, h: i32, w: i32): void {
  const S = w + 1, p4 = (h + 1) * S;
  memory.fill(dy4, 0, <usize>(4 * o * p4) << 2);
  for (let ph = 0; ph < 4; ph++) {
    const a = ph >> 1, b = ph & 1;
    for (let oo = 0; oo < o; oo++) {
      const src = f(dy, oo * 4 * h * w), dst = f(dy4, (ph * o + oo) * p4);
      for (let i = 0; i < h; i++) {
        const sr = f(src, (2 * i + a) * 2 * w + b), dr = f(dst, (i + a) * S + b);
        for (let j = 0; j < w; j++) store<f32>(f(dr, j), load<f32>(f(sr, 2 * j)));
      }
    }
  }
}

// The general path's columns: one image xb [c, h, w] upsampled 2x into up [c, 2h, 2w], then im2col of up into col.
function upsampledCol(col: usize, up: usize, xb: usize, c: i32, h: i32, wd: i32, kh: i32, kw: i32, stride: i32, pad: i32,
  oh: i32, ow: i32): void {
  upsample2d(up, xb, 1, c, h, wd, 2);
  im2col(col, up, c, 2 * h, 2 * wd, kh, kw, stride, pad, oh, ow);
}

export function up2Conv2d(out: usize, x: usize, w: usize, bias: usize, n: i32, c: i32, h: i32, wd: i32, o: i32, kh: i32, kw: i32,
  stride: i32, pad: i32, oh: i32, ow: i32, ws: usize): void {
  const base = colArea(ws), ohw = oh * ow;
  if (phased(kh, kw, stride, pad, h, wd, oh, ow)) {
    const S = wd + 1, p4 = (h + 1) * S;
    const col = base, y4 = al(f(col, 4 * c * p4)), w4 = al(f(y4, 4 * o * p4));
    foldWeights(w4, w, o, c);
    for (let b = 0; b < n; b++) {
      im2col(col, f(x, b * c * h * wd), c, h, wd, 2, 2, 1, 1, h + 1, S);
      gemmRowB(4 * o, p4, 4 * c, w4, 4 * c, 1, col, p4, y4, p4, false, ws);
      for (let oo = 0; oo < o; oo++) {
        const bv = load<f32>(f(bias, oo)), dst = f(out, (b * o + oo) * ohw);
        for (let a = 0; a < 2; a++) {
          const s0 = f(y4, (2 * a * o + oo) * p4), s1 = f(y4, ((2 * a + 1) * o + oo) * p4);
          for (let i = 0; i < h; i++) {
            const row = f(dst, (2 * i + a) * ow), r0 = f(s0, (i + a) * S), r1 = f(s1, (i + a) * S + 1);
            for (let j = 0; j < wd; j++) {
              store<f32>(f(row, 2 * j), load<f32>(f(r0, j)) + bv);
              store<f32>(f(row, 2 * j + 1), load<f32>(f(r1, j)) + bv);
            }
          }
        }
      }
    }
    return;
  }
  // any other shape: u, then im2col and the GEMM, then the bias
  const H = 2 * h, W = 2 * wd, ckk = c * kh * kw;
  const up = base, col = al(f(up, c * H * W));
  for (let b = 0; b < n; b++) {
    upsampledCol(col, up, f(x, b * c * h * wd), c, h, wd, kh, kw, stride, pad, oh, ow);
    const yb = f(out, b * o * ohw);
    gemmRowB(o, ohw, ckk, w, ckk, 1, col, ohw, yb, ohw, false, ws);
    addPlaneBias(yb, bias, o, ohw);
  }
}

export function up2Conv2dBackwardInput(dx: usize, dy: usize, w: usize, n: i32, c: i32, h: i32, wd: i32, o: i32, kh: i32, kw: i32,
  stride: i32, pad: i32, oh: i32, ow: i32, ws: usize): void {
  const base = colArea(ws), ohw = oh * ow;
  if (phased(kh, kw, stride, pad, h, wd, oh, ow)) {
    const S = wd + 1, p4 = (h + 1) * S;
    const col = base, dy4 = al(f(col, 4 * c * p4)), w4 = al(f(dy4, 4 * o * p4));
    foldWeights(w4, w, o, c);
    for (let b = 0; b < n; b++) {
      splitPhases(dy4, f(dy, b * o * ohw), o, h, wd);
      // dcol4 [4c, p4] = W4ᵀ · dy4, W4ᵀ(r, f) = w4[f·4c + r]
      gemmRowB(4 * c, p4, 4 * o, w4, 1, 4 * c, dy4, p4, col, p4, false, ws);
      col2im(f(dx, b * c * h * wd), col, c, h, wd, 2, 2, 1, 1, h + 1, S);
    }
    return;
  }
  const H = 2 * h, W = 2 * wd, ckk = c * kh * kw;
  const du = base, col = al(f(du, c * H * W));
  for (let b = 0; b < n; b++) {
    gemmRowB(ckk, ohw, o, w, 1, ckk, f(dy, b * o * ohw), ohw, col, ohw, false, ws);
    col2im(du, col, c, H, W, kh, kw, stride, pad, oh, ow);
    upsample2dBackward(f(dx, b * c * h * wd), du, 1, c, h, wd, 2);
  }
}

export function up2Conv2dBackwardWeight(dw: usize, x: usize, dy: usize, n: i32, c: i32, h: i32, wd: i32, o: i32, kh: i32, kw: i32,
  stride: i32, pad: i32, oh: i32, ow: i32, ws: usize): void {
  const base = colArea(ws), ohw = oh * ow;
  if (n == 0) { memory.fill(dw, 0, <usize>(o * c * kh * kw) << 2); return; }
  if (phased(kh, kw, stride, pad, h, wd, oh, ow)) {
    const S = wd + 1, p4 = (h + 1) * S;
    const col = base, dy4 = al(f(col, 4 * c * p4)), dw4 = al(f(dy4, 4 * o * p4));
    for (let b = 0; b < n; b++) {
      im2col(col, f(x, b * c * h * wd), c, h, wd, 2, 2, 1, 1, h + 1, S);
      splitPhases(dy4, f(dy, b * o * ohw), o, h, wd);
      // dW4 (4o × 4c) += dy4 · col4ᵀ
      gemm(4 * o, 4 * c, p4, dy4, p4, 1, col, 1, p4, dw4, 4 * c, b > 0, ws);
    }
    for (let oo = 0; oo < o; oo++) {
      for (let ch = 0; ch < c; ch++) {
        for (let p = 0; p < 3; p++) {
          for (let q = 0; q < 3; q++) {
            let s: f32 = 0;
            for (let ph = 0; ph < 4; ph++) {
              for (let pp = 0; pp < 2; pp++) {
                if (!fold(ph >> 1, pp, p)) continue;
                for (let qq = 0; qq < 2; qq++) if (fold(ph & 1, qq, q)) s += load<f32>(f(dw4, (((ph * o + oo) * c + ch) * 2 + pp) * 2 + qq));
              }
            }
            store<f32>(f(dw, ((oo * c + ch) * 3 + p) * 3 + q), s);
          }
        }
      }
    }
    return;
  }
  const H = 2 * h, W = 2 * wd, ckk = c * kh * kw;
  const up = base, col = al(f(up, c * H * W));
  for (let b = 0; b < n; b++) {
    upsampledCol(col, up, f(x, b * c * h * wd), c, h, wd, kh, kw, stride, pad, oh, ow);
    gemm(o, ckk, ohw, f(dy, b * o * ohw), ohw, 1, col, 1, ohw, dw, ckk, b > 0, ws);
  }
}
