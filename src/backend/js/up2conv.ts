// Reference up2Conv2d kernels: the convolution of the nearest 2x upsampling
// u = upsample2(x), u[.., i, j] = x[.., ⌊i/2⌋, ⌊j/2⌋], built from the reference
// kernels it fuses (dims.h, dims.w are x's; the conv sees 2h x 2w):
//   forward  y  = conv2d(u, w) + bias
//   dx = upsample2dBackward(conv2dBackwardInput(dy))   (each x pixel sums its 2x2 block)
//   dw = conv2dBackwardWeight(u, dy)
import type { Conv2dDims } from '../contract.js';
import { conv2dBias, conv2dBackwardInput, conv2dBackwardWeight } from './conv2d.js';
import { upsample2d, upsample2dBackward } from './pool.js';

const onUp = (d: Conv2dDims): Conv2dDims => ({ ...d, h: 2 * d.h, w: 2 * d.w });

function up(x: Float32Array, d: Conv2dDims): Float32Array {
  const u = new Float32Array(4 * x.length);
  upsample2d(u, x, d.n, d.c, d.h, d.w, 2);
  return u;
}

export function up2Conv2d(out: Float32Array, x: Float32Array, w: Float32Array, bias: Float32Array, d: Conv2dDims): void {
  conv2dBias(out, up(x, d), w, bias, onUp(d));
}

export function up2Conv2dBackwardInput(dx: Float32Array, dy: Float32Array, w: Float32Array, d: Conv2dDims): void {
  const du = new Float32Array(4 * dx.length);
  conv2dBackwardInput(du, dy, w, onUp(d));
  upsample2dBackward(dx, du, d.n, d.c, d.h, d.w, 2);
}

export function up2Conv2dBackwardWeight(dw: Float32Array, x: Float32Array, dy: Float32Array, d: Conv2dDims): void {
  conv2dBackwardWeight(dw, up(x, d), dy, onUp(d));
}
