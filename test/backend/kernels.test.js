// Every kernel of the current backend against the js reference kernels, called directly.
import { test } from 'uvu';
import fc from 'fast-check';
import { lk, allClose, RUNS, seededData, BACKEND } from '../helpers.js';
import { jsKernels } from '../../dist/backend/js/index.js';
import { kernels } from '../../dist/backend/registry.js';
import { UNARY_OPS, BINARY_OPS } from '../../dist/backend/contract.js';
import { checkConvKernels, convDims } from './conv_check.js';

const K = () => kernels();

test(`[${BACKEND}] unary kernels match the reference`, () => {
  fc.assert(fc.property(fc.constantFrom(...UNARY_OPS), fc.integer({ min: 1, max: 2000 }), fc.integer(), (op, n, seed) => {
    const x = seededData(n, seed, 6);
    const positive = ['log', 'sqrt', 'pow', 'log1p'].includes(op);
    if (positive) for (let i = 0; i < n; i++) x[i] = Math.abs(x[i]) + 0.01;
    const alpha = op === 'pow' ? 1.7 : op.startsWith('clip') ? -1 : 0.1, beta = 1;
    const a = new Float32Array(n), e = new Float32Array(n);
    K().unary(op, a, x, alpha, beta);
    jsKernels.unary(op, e, x, alpha, beta);
    allClose(a, e, { atol: 2e-6, rtol: 4e-6, msg: op });
  }), { numRuns: RUNS * 2 });
});

test(`[${BACKEND}] binary kernels match the reference (broadcast strides)`, () => {
  fc.assert(fc.property(fc.constantFrom(...BINARY_OPS), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 3 }), fc.integer(),
    (op, r, c, mode, seed) => {
      // mode 0: same shape, 1: row vector b, 2: column vector b, 3: scalar a
      const shape = [r, c];
      const aLen = mode === 3 ? 1 : r * c, bLen = mode === 0 || mode === 3 ? r * c : mode === 1 ? c : r;
      const a = seededData(aLen, seed), b = seededData(bLen, seed + 1);
      if (op === 'eq') b.set(a.subarray(0, Math.min(aLen, bLen)));
      const as = mode === 3 ? [0, 0] : [c, 1];
      const bs = mode === 0 || mode === 3 ? [c, 1] : mode === 1 ? [0, 1] : [1, 0];
      const o1 = new Float32Array(r * c), o2 = new Float32Array(r * c);
      K().binary(op, o1, a, b, shape, as, bs);
      jsKernels.binary(op, o2, a, b, shape, as, bs);
      allClose(o1, o2, { atol: 1e-6, rtol: 1e-6, msg: `${op} mode ${mode}` });
    }), { numRuns: RUNS * 2 });
});

const rnd = fc.record({ outer: fc.integer({ min: 1, max: 9 }), n: fc.integer({ min: 1, max: 300 }), inner: fc.constantFrom(1, 1, 2, 5), seed: fc.integer() });

test(`[${BACKEND}] reduce, logsumexp and softmax kernels match the reference`, () => {
  fc.assert(fc.property(rnd, fc.constantFrom(1, 30, 1e4), ({ outer, n, inner, seed }, scale) => {
    const x = seededData(outer * n * inner, seed, scale);
    for (const op of ['sum', 'max']) {
      const a = new Float32Array(outer * inner), e = new Float32Array(outer * inner);
      K().reduce(op, a, x, outer, n, inner);
      jsKernels.reduce(op, e, x, outer, n, inner);
      allClose(a, e, { atol: 1e-5 * scale * Math.sqrt(n), rtol: 1e-5, msg: op });
    }
    const a = new Float32Array(outer * inner), e = new Float32Array(outer * inner);
    K().logsumexp(a, x, outer, n, inner);
    jsKernels.logsumexp(e, x, outer, n, inner);
    allClose(a, e, { atol: 2e-6 * Math.max(scale, 1), rtol: 2e-6, msg: 'logsumexp' });
    for (const log of [false, true]) {
      const s1 = new Float32Array(x.length), s2 = new Float32Array(x.length);
      K().softmax(s1, x, outer, n, inner, log);
      jsKernels.softmax(s2, x, outer, n, inner, log);
      allClose(s1, s2, { atol: log ? 2e-6 * scale : 1e-6, rtol: 1e-5, msg: `softmax log=${log}` });
    }
  }), { numRuns: RUNS * 2 });
});

const convArb = convDims(fc.record({
  n: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 7 }), o: fc.integer({ min: 1, max: 9 }),
  h: fc.integer({ min: 1, max: 13 }), w: fc.integer({ min: 1, max: 13 }), kh: fc.constantFrom(1, 2, 3, 5), kw: fc.constantFrom(1, 3, 4),
  stride: fc.constantFrom(1, 2, 3), pad: fc.constantFrom(0, 1, 2), seed: fc.integer(),
}));

test(`[${BACKEND}] conv2d, both gradient kernels and conv2dBias match the reference`, () => {
  fc.assert(fc.property(convArb, checkConvKernels), { numRuns: RUNS * 2 });
});

test(`[${BACKEND}] pooling, upsampling and transpose kernels match the reference`, () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }),
    fc.constantFrom(2, 3), fc.constantFrom(1, 2, 3), fc.integer(), (n, c, h, w, k, stride, seed) => {
      if (h < k || w < k) return;
      const oh = Math.floor((h - k) / stride) + 1, ow = Math.floor((w - k) / stride) + 1;
      const d = { n, c, h, w, k, stride, oh, ow };
      const x = seededData(n * c * h * w, seed);
      const o1 = new Float32Array(n * c * oh * ow), o2 = new Float32Array(o1.length);
      const a1 = new Int32Array(o1.length), a2 = new Int32Array(o1.length);
      K().maxPool2d(o1, a1, x, d); jsKernels.maxPool2d(o2, a2, x, d);
      allClose(o1, o2, { atol: 0, rtol: 0, msg: 'maxPool2d' });
      allClose(a1, a2, { atol: 0, rtol: 0, msg: 'argmax' });
      const g = seededData(o1.length, seed + 1);
      const d1 = new Float32Array(x.length).fill(7), d2 = new Float32Array(x.length);
      K().maxPool2dBackward(d1, g, a1, d); jsKernels.maxPool2dBackward(d2, g, a2, d);
      allClose(d1, d2, { atol: 1e-6, msg: 'maxPool2dBackward' });
      const s = stride;
      const u1 = new Float32Array(x.length * s * s), u2 = new Float32Array(u1.length);
      K().upsample2d(u1, x, n, c, h, w, s); jsKernels.upsample2d(u2, x, n, c, h, w, s);
      allClose(u1, u2, { atol: 0, rtol: 0, msg: 'upsample2d' });
      const b1 = new Float32Array(x.length), b2 = new Float32Array(x.length);
      K().upsample2dBackward(b1, u1, n, c, h, w, s); jsKernels.upsample2dBackward(b2, u1, n, c, h, w, s);
      allClose(b1, b2, { atol: 1e-5, msg: 'upsample2dBackward' });
      const shape = [n, c, h, w], perm = [3, 1, 0, 2];
      const t1 = new Float32Array(x.length), t2 = new Float32Array(x.length);
      K().transpose(t1, x, shape, perm); jsKernels.transpose(t2, x, shape, perm);
      allClose(t1, t2, { atol: 0, rtol: 0, msg: 'transpose' });
    }), { numRuns: RUNS * 2 });
});


test(`[${BACKEND}] adam kernel matches the reference over several steps`, () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 300000 }), fc.integer(), fc.constantFrom(0, 0.01), (n, seed, wd) => {
    const p1 = seededData(n, seed), p2 = p1.slice();
    const m1 = new Float32Array(n), v1 = new Float32Array(n), m2 = new Float32Array(n), v2 = new Float32Array(n);
    for (let t = 1; t <= 3; t++) {
      // |g| >= 0.02 > |wd·p|: keeps g + wd·p away from cancellation, where float32 and float64
      // legitimately disagree (at t = 1 the step is lr·g'/(|g'| + ε), ill-conditioned for |g'| << ε)
      const g = seededData(n, seed + t, 0.08).map((u) => Math.sign(u || 1) * 0.02 + u);
      K().adam(p1, m1, v1, g, 1e-2, 0.9, 0.999, 1e-8, t, wd);
      jsKernels.adam(p2, m2, v2, g, 1e-2, 0.9, 0.999, 1e-8, t, wd);
    }
    allClose(m1, m2, { atol: 1e-7, rtol: 1e-5, msg: 'adam m' });
    allClose(v1, v2, { atol: 1e-9, rtol: 1e-5, msg: 'adam v' });
    allClose(p1, p2, { atol: 1e-6, rtol: 1e-5, msg: 'adam p' });
  }), { numRuns: Math.max(5, Math.floor(RUNS / 2)) });
});

test.run();
