// The conv2d kernel property shared by kernels.test.js and conv_wide.test.js:
// sizes drawn by a fast-check record get their output size, and the active
// backend's conv2d, both gradients and conv2dBias must match the js reference.
import { allClose, seededData } from '../helpers.js';
import { jsKernels } from '../../dist/backend/js/index.js';
import { kernels } from '../../dist/backend/registry.js';

/** The record of sizes with oh, ow added; only those with an output. */
export function convDims(record) {
  return record.map((r) => ({ ...r, oh: Math.floor((r.h + 2 * r.pad - r.kh) / r.stride) + 1, ow: Math.floor((r.w + 2 * r.pad - r.kw) / r.stride) + 1 }))
    .filter((r) => r.oh >= 1 && r.ow >= 1);
}

/** Check the four conv kernels on sizes d; the gradient buffers start at 7, so a kernel must write all of them. */
export function checkConvKernels(d) {
  const K = kernels();
  const x = seededData(d.n * d.c * d.h * d.w, d.seed), w = seededData(d.o * d.c * d.kh * d.kw, d.seed + 1);
  const dy = seededData(d.n * d.o * d.oh * d.ow, d.seed + 2);
  const tol = { atol: 1e-5 * Math.sqrt(d.c * d.kh * d.kw * d.n * d.oh * d.ow), rtol: 1e-4 };
  const y1 = new Float32Array(dy.length), y2 = new Float32Array(dy.length);
  K.conv2d(y1, x, w, d); jsKernels.conv2d(y2, x, w, d);
  allClose(y1, y2, { ...tol, msg: `conv2d ${JSON.stringify(d)}` });
  const dx1 = new Float32Array(x.length).fill(7), dx2 = new Float32Array(x.length);
  K.conv2dBackwardInput(dx1, dy, w, d); jsKernels.conv2dBackwardInput(dx2, dy, w, d);
  allClose(dx1, dx2, { ...tol, msg: `conv2dBackwardInput ${JSON.stringify(d)}` });
  const dw1 = new Float32Array(w.length).fill(7), dw2 = new Float32Array(w.length);
  K.conv2dBackwardWeight(dw1, x, dy, d); jsKernels.conv2dBackwardWeight(dw2, x, dy, d);
  allClose(dw1, dw2, { ...tol, msg: `conv2dBackwardWeight ${JSON.stringify(d)}` });
  // conv2dBias (js on backends without it) = conv2d + bias[o] on each plane
  const bias = seededData(d.o, d.seed + 3), yb = new Float32Array(dy.length);
  K.conv2dBias(yb, x, w, bias, d);
  const plane = d.oh * d.ow;
  allClose(yb, y2.map((v, i) => v + bias[Math.floor(i / plane) % d.o]), { ...tol, msg: `conv2dBias ${JSON.stringify(d)}` });
}
