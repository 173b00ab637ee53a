// Reference NCHW convolution (cross-correlation) and its two gradients, float64 sums.
//   y[n,o,i,j]  = Σ_{c,p,q} x[n, c, i·s + p − pad, j·s + q − pad] · w[o,c,p,q]
//   dx[n,c,y,x] = Σ_{o,i,j : i·s+p−pad = y, j·s+q−pad = x} dy[n,o,i,j] · w[o,c,p,q]
//   dw[o,c,p,q] = Σ_{n,i,j} dy[n,o,i,j] · x[n, c, i·s + p − pad, j·s + q − pad]
// All three visit the same taps (n, o, i, j, c, p, q) whose input lies inside
// the image; each accumulates a different product into a float64 buffer.
import type { Conv2dDims } from '../contract.js';

/** Visit every tap with yi (into y/dy), xi (into x/dx) and wi (into w/dw), in a fixed order. */
function eachTap(d: Conv2dDims, visit: (yi: number, xi: number, wi: number) => void): void {
  const { n, c, h, w: wd, o, kh, kw, stride, pad, oh, ow } = d;
  for (let b = 0; b < n; b++) {
    for (let f = 0; f < o; f++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          const yi = ((b * o + f) * oh + i) * ow + j;
          for (let ch = 0; ch < c; ch++) {
            const xb = (b * c + ch) * h * wd, wb = (f * c + ch) * kh * kw;
            for (let p = 0; p < kh; p++) {
              const y = i * stride + p - pad;
              if (y < 0 || y >= h) continue;
              for (let q = 0; q < kw; q++) {
                const xx = j * stride + q - pad;
                if (xx >= 0 && xx < wd) visit(yi, xb + y * wd + xx, wb + p * kw + q);
              }
            }
          }
        }
      }
    }
  }
}

export function conv2d(out: Float32Array, x: Float32Array, w: Float32Array, d: Conv2dDims): void {
  const acc = new Float64Array(out.length);
  eachTap(d, (yi, xi, wi) => { acc[yi] += x[xi] * w[wi]; });
  out.set(acc);
}

export function conv2dBackwardInput(dx: Float32Array, dy: Float32Array, w: Float32Array, d: Conv2dDims): void {
  const acc = new Float64Array(dx.length);
  eachTap(d, (yi, xi, wi) => { acc[xi] += dy[yi] * w[wi]; });
  dx.set(acc);
}

export function conv2dBackwardWeight(dw: Float32Array, x: Float32Array, dy: Float32Array, d: Conv2dDims): void {
  const acc = new Float64Array(dw.length);
  eachTap(d, (yi, xi, wi) => { acc[wi] += dy[yi] * x[xi]; });
  dw.set(acc);
}

export function conv2dBias(out: Float32Array, x: Float32Array, w: Float32Array, bias: Float32Array, d: Conv2dDims): void {
  conv2d(out, x, w, d);
  const plane = d.oh * d.ow;
  for (let b = 0; b < d.n; b++) {
    for (let f = 0; f < d.o; f++) {
      const at = (b * d.o + f) * plane, v = bias[f];
      for (let i = 0; i < plane; i++) out[at + i] += v;
    }
  }
}
