// Reference NCHW convolution (cross-correlation) and its two gradients, float64 sums.
//   y[n,o,i,j] = Σ_{c,p,q} x[n, c, i·s + p − pad, j·s + q − pad] · w[o,c,p,q]
import type { Conv2dDims } from '../contract.js';

export function conv2d(out: Float32Array, x: Float32Array, w: Float32Array, d: Conv2dDims): void {
  const { n, c, h, w: wd, o, kh, kw, stride, pad, oh, ow } = d;
  for (let b = 0; b < n; b++) {
    for (let f = 0; f < o; f++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let s = 0;
          for (let ch = 0; ch < c; ch++) {
            const xb = (b * c + ch) * h * wd;
            const wb = (f * c + ch) * kh * kw;
            for (let p = 0; p < kh; p++) {
              const y = i * stride + p - pad;
              if (y < 0 || y >= h) continue;
              for (let q = 0; q < kw; q++) {
                const xx = j * stride + q - pad;
                if (xx < 0 || xx >= wd) continue;
                s += x[xb + y * wd + xx] * w[wb + p * kw + q];
              }
            }
          }
          out[((b * o + f) * oh + i) * ow + j] = s;
        }
      }
    }
  }
}

// dx[n,c,y,x] = Σ_{o,i,j : i·s+p−pad = y, j·s+q−pad = x} dy[n,o,i,j] · w[o,c,p,q]
export function conv2dBackwardInput(dx: Float32Array, dy: Float32Array, w: Float32Array, d: Conv2dDims): void {
  const { n, c, h, w: wd, o, kh, kw, stride, pad, oh, ow } = d;
  const acc = new Float64Array(c * h * wd);
  for (let b = 0; b < n; b++) {
    acc.fill(0);
    for (let f = 0; f < o; f++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          const g = dy[((b * o + f) * oh + i) * ow + j];
          for (let ch = 0; ch < c; ch++) {
            const wb = (f * c + ch) * kh * kw;
            for (let p = 0; p < kh; p++) {
              const y = i * stride + p - pad;
              if (y < 0 || y >= h) continue;
              for (let q = 0; q < kw; q++) {
                const xx = j * stride + q - pad;
                if (xx < 0 || xx >= wd) continue;
                acc[(ch * h + y) * wd + xx] += g * w[wb + p * kw + q];
              }
            }
          }
        }
      }
    }
    const base = b * c * h * wd;
    for (let t = 0; t < acc.length; t++) dx[base + t] = acc[t];
  }
}

// dw[o,c,p,q] = Σ_{n,i,j} dy[n,o,i,j] · x[n, c, i·s + p − pad, j·s + q − pad]
export function conv2dBackwardWeight(dw: Float32Array, x: Float32Array, dy: Float32Array, d: Conv2dDims): void {
  const { n, c, h, w: wd, o, kh, kw, stride, pad, oh, ow } = d;
  for (let f = 0; f < o; f++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < kh; p++) {
        for (let q = 0; q < kw; q++) {
          let s = 0;
          for (let b = 0; b < n; b++) {
            const xb = (b * c + ch) * h * wd;
            const yb = (b * o + f) * oh * ow;
            for (let i = 0; i < oh; i++) {
              const y = i * stride + p - pad;
              if (y < 0 || y >= h) continue;
              for (let j = 0; j < ow; j++) {
                const xx = j * stride + q - pad;
                if (xx < 0 || xx >= wd) continue;
                s += dy[yb + i * ow + j] * x[xb + y * wd + xx];
              }
            }
          }
          dw[((f * c + ch) * kh + p) * kw + q] = s;
        }
      }
    }
  }
}
