// up2Conv2d (the GAN generator's Upsample(2) + Conv2d in one kernel) and its two
// gradients against the js reference, which runs upsample2d and the conv2d
// reference kernels; the op built on them (models/gan_upconv.ts) against the
// two layers unfused, and by finite differences.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lk, allClose, RUNS, seededData, BACKEND } from '../helpers.js';
import { jsKernels } from '../../dist/backend/js/index.js';
import { kernels } from '../../dist/backend/registry.js';
import { upsampleConv } from '../../dist/models/gan_upconv.js';

// dims.h, dims.w: the low-resolution input's; oh, ow: the conv's on the 2h x 2w image.
// Mostly the fused path's shapes (3x3, pad 1, stride 1, rows >= 7), some that fall back.
const arb = fc.record({
  n: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 1, max: 34 }), o: fc.constantFrom(1, 2, 3, 4, 5, 8, 9, 16, 17),
  h: fc.integer({ min: 1, max: 15 }), w: fc.integer({ min: 1, max: 16 }),
  k: fc.constantFrom(3, 3, 3, 1, 2), pad: fc.constantFrom(1, 1, 1, 0, 2), stride: fc.constantFrom(1, 1, 1, 2), seed: fc.integer(),
}).map((r) => ({ ...r, kh: r.k, kw: r.k, oh: Math.floor((2 * r.h + 2 * r.pad - r.k) / r.stride) + 1, ow: Math.floor((2 * r.w + 2 * r.pad - r.k) / r.stride) + 1 }))
  .filter((r) => r.oh >= 1 && r.ow >= 1);

test(`[${BACKEND}] up2Conv2d kernels match the reference (upsample2d, then the conv2d kernels)`, () => {
  fc.assert(fc.property(arb, (r) => {
    const { n, c, h, w, o, kh, kw, stride, pad, oh, ow } = r;
    const d = { n, c, h, w, o, kh, kw, stride, pad, oh, ow };
    const x = seededData(n * c * h * w, r.seed), wt = seededData(o * c * kh * kw, r.seed + 1);
    const bias = seededData(o, r.seed + 2), dy = seededData(n * o * oh * ow, r.seed + 3);
    const tol = { atol: 1e-5 * Math.sqrt(4 * c * kh * kw * n * oh * ow), rtol: 1e-4 };
    const cases = [
      ['up2Conv2d', dy.length, (K, out) => K.up2Conv2d(out, x, wt, bias, d)],
      ['up2Conv2dBackwardInput', x.length, (K, out) => K.up2Conv2dBackwardInput(out, dy, wt, d)],
      ['up2Conv2dBackwardWeight', wt.length, (K, out) => K.up2Conv2dBackwardWeight(out, x, dy, d)],
    ];
    for (const [name, len, run] of cases) {
      const a = new Float32Array(len).fill(NaN), e = new Float32Array(len);
      run(kernels(), a); run(jsKernels, e);
      allClose(a, e, { ...tol, msg: `${name} ${JSON.stringify(d)}` });
    }
  }), { numRuns: RUNS * 2 });
});

test(`[${BACKEND}] up2Conv2d at the GAN's shapes (batch 64) matches the reference`, () => {
  for (const [c, h, o] of [[32, 7, 16], [16, 14, 8]]) {
    const n = 64, d = { n, c, h, w: h, o, kh: 3, kw: 3, stride: 1, pad: 1, oh: 2 * h, ow: 2 * h };
    const x = seededData(n * c * h * h, c), wt = seededData(o * c * 9, o), bias = seededData(o, 5), dy = seededData(n * o * 4 * h * h, h);
    const tol = { atol: 1e-5 * Math.sqrt(36 * c * n * h * h), rtol: 1e-4 };
    for (const [name, len, run] of [
      ['up2Conv2d', dy.length, (K, out) => K.up2Conv2d(out, x, wt, bias, d)],
      ['up2Conv2dBackwardInput', x.length, (K, out) => K.up2Conv2dBackwardInput(out, dy, wt, d)],
      ['up2Conv2dBackwardWeight', wt.length, (K, out) => K.up2Conv2dBackwardWeight(out, x, dy, d)],
    ]) {
      const a = new Float32Array(len).fill(NaN), e = new Float32Array(len);
      run(kernels(), a); run(jsKernels, e);
      allClose(a, e, { ...tol, msg: `${name} ${JSON.stringify(d)}` });
    }
  }
});

test(`[${BACKEND}] up2Conv2d kernels refuse an output size that does not fit the upsampled image`, () => {
  const d = { n: 1, c: 1, h: 4, w: 4, o: 1, kh: 3, kw: 3, stride: 1, pad: 1, oh: 4, ow: 4 }; // the conv of the 8x8 image is 8x8
  assert.throws(() => kernels().up2Conv2d(new Float32Array(16), new Float32Array(16), new Float32Array(9), new Float32Array(1), d), /oh\/ow/);
});

const T = (shape, seed) => lk.tensor(seededData(shape.reduce((a, b) => a * b, 1), seed), shape);

test(`[${BACKEND}] upsampleConv equals Upsample(2) then Conv2d, output and all three gradients`, () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 9 }),
    fc.integer({ min: 4, max: 12 }), fc.constantFrom(0, 1), fc.integer(), (n, c, o, h, pad, seed) => {
      const run = (fused) => {
        const conv = new lk.nn.Conv2d(c, o, 3, { padding: pad });
        conv.weight = lk.variable(T([o, c, 3, 3], seed));
        conv.bias = lk.variable(T([o], seed + 1));
        const x = lk.variable(T([n, c, h, h + 1], seed + 2));
        const y = fused ? upsampleConv(x, conv) : conv.forward(lk.upsample2d(x, { scale: 2 }));
        lk.sum(lk.mul(y, T(y.shape, seed + 3))).backward();
        return { y, gx: x.grad, gw: conv.weight.grad, gb: conv.bias.grad };
      };
      const f = run(true), p = run(false);
      const tol = { atol: 1e-5 * Math.sqrt(36 * c * n * h * h), rtol: 1e-4 };
      allClose(f.y, p.y, { ...tol, msg: 'value' });
      allClose(f.gx, p.gx, { ...tol, msg: 'dx' });
      allClose(f.gw, p.gw, { ...tol, msg: 'dW' });
      allClose(f.gb, p.gb, { ...tol, msg: 'db' });
    }), { numRuns: RUNS });
});

test(`[${BACKEND}] gradcheck upsampleConv (x, W, b)`, () => {
  const conv = new lk.nn.Conv2d(2, 3, 3, { padding: 1 }); // x rows of 7: the fused (phase) path on native
  const r = lk.gradcheck((x, w, b) => {
    conv.weight = w; conv.bias = b;
    return lk.sum(lk.mul(upsampleConv(x, conv), T([2, 3, 8, 14], 9)));
  }, [T([2, 2, 4, 7], 1), T([3, 2, 3, 3], 2), T([3], 3)], { eps: 1e-3, atol: 5e-3, rtol: 2e-2 });
  assert.ok(r.ok, `upsampleConv: maxAbsErr ${r.maxAbsErr}`);
});

test.run();
