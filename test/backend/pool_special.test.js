// maxPool2d on ties, NaN and ±Infinity (the cases random data never hits), in
// particular the 2x2 / stride-2 vector paths: the same max and argmax as the
// reference (the first max in window order wins; the first NaN wins the window).
import { test } from 'uvu';
import fc from 'fast-check';
import { allClose, RUNS, BACKEND } from '../helpers.js';
import { jsKernels } from '../../dist/backend/js/index.js';
import { kernels } from '../../dist/backend/registry.js';

const special = fc.constantFrom(0, 1, 1, 2, -1, NaN, Infinity, -Infinity, 0.5);

test(`[${BACKEND}] maxPool2d with ties, NaN and infinities matches the reference`, () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 20 }),
    fc.integer({ min: 2, max: 30 }), fc.constantFrom(2, 2, 3), fc.constantFrom(2, 2, 1), fc.integer(), (n, c, h, w, k, stride, seed) => {
      if (h < k || w < k) return;
      const oh = Math.floor((h - k) / stride) + 1, ow = Math.floor((w - k) / stride) + 1;
      const d = { n, c, h, w, k, stride, oh, ow };
      const vals = fc.sample(special, { numRuns: n * c * h * w, seed });
      const x = Float32Array.from(vals);
      const o1 = new Float32Array(n * c * oh * ow), o2 = new Float32Array(o1.length);
      const a1 = new Int32Array(o1.length), a2 = new Int32Array(o1.length);
      kernels().maxPool2d(o1, a1, x, d); jsKernels.maxPool2d(o2, a2, x, d);
      allClose(a1, a2, { atol: 0, rtol: 0, msg: `argmax ${JSON.stringify(d)}` });
      for (let i = 0; i < o1.length; i++) {
        if (!(Object.is(o1[i], o2[i]) || (o1[i] === o2[i]))) throw new Error(`maxPool2d ${JSON.stringify(d)} at ${i}: ${o1[i]} vs ${o2[i]}`);
      }
    }), { numRuns: RUNS * 4 });
});

test.run();
