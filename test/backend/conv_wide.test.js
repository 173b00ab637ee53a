// conv2d kernels on the GAN's kind of shapes (rows of 8-40 outputs, 1-33 channels,
// stride 1), where native AVX-512 takes its direct, im2col-free paths: every
// output block (1, 2, 4, 8 channels), row tails, several rows per register
// tile, pads past kernel-1 (the gradient falls back) and more channels than the
// direct path takes. Against the js reference kernels, called directly.
import { test } from 'uvu';
import fc from 'fast-check';
import { lk, allClose, RUNS, seededData, BACKEND } from '../helpers.js';
import { jsKernels } from '../../dist/backend/js/index.js';
import { kernels } from '../../dist/backend/registry.js';
import { checkConvKernels, convDims } from './conv_check.js';

const arb = convDims(fc.record({
  n: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 1, max: 9 }),
  o: fc.constantFrom(1, 2, 3, 4, 5, 8, 9, 16, 17, 33), h: fc.integer({ min: 1, max: 12 }), w: fc.integer({ min: 8, max: 40 }),
  kh: fc.constantFrom(1, 2, 3, 5), kw: fc.constantFrom(1, 3, 4), stride: fc.constantFrom(1, 1, 1, 2), pad: fc.constantFrom(0, 1, 2, 3), seed: fc.integer(),
}));

test(`[${BACKEND}] conv2d kernels on wide rows and few channels match the reference`, () => {
  fc.assert(fc.property(arb, checkConvKernels), { numRuns: RUNS * 2 });
});

test(`[${BACKEND}] conv2d with a bias: output and all three gradients (fused where the backend has conv2dBias)`, () => {
  fc.assert(fc.property(arb, (d) => {
    const x = lk.variable(lk.tensor(seededData(d.n * d.c * d.h * d.w, d.seed), [d.n, d.c, d.h, d.w]));
    const w = lk.variable(lk.tensor(seededData(d.o * d.c * d.kh * d.kw, d.seed + 1), [d.o, d.c, d.kh, d.kw]));
    const b = lk.variable(lk.tensor(seededData(d.o, d.seed + 2), [d.o]));
    const y = lk.conv2d(x, w, b, { stride: d.stride, padding: d.pad });
    const dy = lk.tensor(seededData(y.size, d.seed + 3), y.shape);
    lk.sum(lk.mul(y, dy)).backward();
    // the same through the unfused ops: conv2d without a bias, then a broadcast add
    const x2 = lk.variable(lk.tensor(x.data, x.shape)), w2 = lk.variable(lk.tensor(w.data, w.shape)), b2 = lk.variable(lk.tensor(b.data, b.shape));
    const y2 = lk.add(lk.conv2d(x2, w2, null, { stride: d.stride, padding: d.pad }), lk.reshape(b2, [1, d.o, 1, 1]));
    lk.sum(lk.mul(y2, dy)).backward();
    const tol = { atol: 1e-5 * Math.sqrt(d.c * d.kh * d.kw * d.n * d.oh * d.ow), rtol: 1e-4 };
    allClose(y, y2, tol);
    allClose(x.grad, x2.grad, tol);
    allClose(w.grad, w2.grad, tol);
    allClose(b.grad, b2.grad, tol);
    // db[o] = Σ dy[·, o, ·, ·], summed here in float64
    const plane = d.oh * d.ow, db = new Float64Array(d.o);
    dy.data.forEach((v, i) => { db[Math.floor(i / plane) % d.o] += v; });
    allClose(b.grad, db, tol);
  }), { numRuns: RUNS });
});

test(`[${BACKEND}] conv2d kernels at the GAN layer shapes (batch 16) match the reference`, () => {
  // [c, h, w, o, k, pad] of every conv layer of the course GAN (D then G)
  for (const [c, h, w, o, k, pad] of [[1, 28, 28, 2, 3, 1], [2, 14, 14, 4, 3, 1], [4, 7, 7, 8, 3, 0], [32, 14, 14, 16, 3, 1], [16, 28, 28, 8, 3, 1], [8, 28, 28, 1, 3, 1]]) {
    const n = 16, oh = h + 2 * pad - k + 1, ow = w + 2 * pad - k + 1;
    const d = { n, c, h, w, o, kh: k, kw: k, stride: 1, pad, oh, ow };
    const x = seededData(n * c * h * w, c), wt = seededData(o * c * k * k, o), dy = seededData(n * o * oh * ow, h);
    const tol = { atol: 1e-5 * Math.sqrt(c * k * k * n * oh * ow), rtol: 1e-4 };
    const pairs = [
      [dy.length, (K, out) => K.conv2d(out, x, wt, d), 'conv2d'],
      [x.length, (K, out) => K.conv2dBackwardInput(out, dy, wt, d), 'conv2dBackwardInput'],
      [wt.length, (K, out) => K.conv2dBackwardWeight(out, x, dy, d), 'conv2dBackwardWeight'],
    ];
    for (const [len, run, name] of pairs) {
      const a = new Float32Array(len), e = new Float32Array(len);
      run(kernels(), a); run(jsKernels, e);
      allClose(a, e, { ...tol, msg: `${name} ${JSON.stringify(d)}` });
    }
  }
});

test.run();
