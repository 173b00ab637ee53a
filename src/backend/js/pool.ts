// Reference max pooling (no padding) and nearest upsampling, with their gradients.
import type { Pool2dDims } from '../contract.js';

export function maxPool2d(out: Float32Array, argmax: Int32Array, x: Float32Array, d: Pool2dDims): void {
  const { n, c, h, w, k, stride, oh, ow } = d;
  for (let plane = 0; plane < n * c; plane++) {
    const xb = plane * h * w, ob = plane * oh * ow;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let best = -Infinity, at = (i * stride) * w + j * stride;
        for (let p = 0; p < k; p++) {
          for (let q = 0; q < k; q++) {
            const idx = (i * stride + p) * w + (j * stride + q);
            const v = x[xb + idx];
            if (v > best || Number.isNaN(v)) { best = v; at = idx; if (Number.isNaN(v)) { p = k; break; } }
          }
        }
        out[ob + i * ow + j] = x[xb + at];
        argmax[ob + i * ow + j] = at;
      }
    }
  }
}

export function maxPool2dBackward(dx: Float32Array, dy: Float32Array, argmax: Int32Array, d: Pool2dDims): void {
  const { n, c, h, w, oh, ow } = d;
  dx.fill(0);
  for (let plane = 0; plane < n * c; plane++) {
    const xb = plane * h * w, ob = plane * oh * ow;
    for (let t = 0; t < oh * ow; t++) dx[xb + argmax[ob + t]] += dy[ob + t];
  }
}

export function upsample2d(out: Float32Array, x: Float32Array, n: number, c: number, h: number, w: number, s: number): void {
  const W = w * s;
  for (let plane = 0; plane < n * c; plane++) {
    const xb = plane * h * w, ob = plane * h * s * W;
    for (let i = 0; i < h * s; i++) {
      const row = xb + Math.floor(i / s) * w;
      for (let j = 0; j < W; j++) out[ob + i * W + j] = x[row + Math.floor(j / s)];
    }
  }
}

export function upsample2dBackward(dx: Float32Array, dy: Float32Array, n: number, c: number, h: number, w: number, s: number): void {
  const W = w * s;
  for (let plane = 0; plane < n * c; plane++) {
    const xb = plane * h * w, ob = plane * h * s * W;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        let acc = 0;
        for (let p = 0; p < s; p++) for (let q = 0; q < s; q++) acc += dy[ob + (i * s + p) * W + j * s + q];
        dx[xb + i * w + j] = acc;
      }
    }
  }
}
