// conv2d, maxPool2d and upsample2d against naive loops written here (independent of the kernels).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lk, allClose, RUNS, seededData } from '../helpers.js';

function naiveConv(x, w, [n, c, h, wd], [o, , kh, kw], s, p) {
  const oh = Math.floor((h + 2 * p - kh) / s) + 1, ow = Math.floor((wd + 2 * p - kw) / s) + 1;
  const out = new Float64Array(n * o * oh * ow);
  const X = (b, ch, y, xx) => (y < 0 || y >= h || xx < 0 || xx >= wd ? 0 : x[((b * c + ch) * h + y) * wd + xx]);
  for (let b = 0; b < n; b++) for (let f = 0; f < o; f++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
    let acc = 0;
    for (let ch = 0; ch < c; ch++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
      acc += X(b, ch, i * s + u - p, j * s + v - p) * w[((f * c + ch) * kh + u) * kw + v];
    }
    out[((b * o + f) * oh + i) * ow + j] = acc;
  }
  return { out, oh, ow };
}

const convArb = fc.record({
  n: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 5 }), o: fc.integer({ min: 1, max: 6 }),
  h: fc.integer({ min: 3, max: 11 }), w: fc.integer({ min: 3, max: 11 }), k: fc.constantFrom(1, 2, 3, 5),
  stride: fc.constantFrom(1, 1, 2, 3), pad: fc.constantFrom(0, 0, 1, 2), seed: fc.integer(),
}).filter((r) => r.h + 2 * r.pad >= r.k && r.w + 2 * r.pad >= r.k);

test('conv2d matches a naive loop (stride, padding, odd sizes)', () => {
  fc.assert(fc.property(convArb, ({ n, c, o, h, w, k, stride, pad, seed }) => {
    const xd = seededData(n * c * h * w, seed), wdata = seededData(o * c * k * k, seed + 1);
    const y = lk.conv2d(lk.tensor(xd, [n, c, h, w]), lk.tensor(wdata, [o, c, k, k]), null, { stride, padding: pad });
    const { out, oh, ow } = naiveConv(xd, wdata, [n, c, h, w], [o, c, k, k], stride, pad);
    assert.equal([...y.shape], [n, o, oh, ow]);
    allClose(y, out, { atol: 1e-5 * c * k, rtol: 1e-4 });
  }), { numRuns: RUNS * 2 });
});

test('conv2d gradients equal the products of the naive loop (adjoint identities)', () => {
  // <dy, conv(x, w)> is bilinear: its gradient in x is conv2dBackwardInput(dy), in w conv2dBackwardWeight.
  // Check against directional derivatives: <dx, e> = <dy, conv(e, w)> and <dw, f> = <dy, conv(x, f)>.
  fc.assert(fc.property(convArb, ({ n, c, o, h, w, k, stride, pad, seed }) => {
    const x = lk.variable(lk.tensor(seededData(n * c * h * w, seed), [n, c, h, w]));
    const wt = lk.variable(lk.tensor(seededData(o * c * k * k, seed + 1), [o, c, k, k]));
    const y = lk.conv2d(x, wt, null, { stride, padding: pad });
    const dy = lk.tensor(seededData(y.size, seed + 2), y.shape);
    lk.sum(lk.mul(y, dy)).backward();
    const e = seededData(x.size, seed + 3), f = seededData(wt.size, seed + 4);
    const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);
    const ce = naiveConv(e, wt.data, [n, c, h, w], [o, c, k, k], stride, pad).out;
    const cf = naiveConv(x.data, f, [n, c, h, w], [o, c, k, k], stride, pad).out;
    const tol = 1e-4 * Math.sqrt(y.size) * c * k + 1e-4;
    assert.ok(Math.abs(dot(x.grad.data, e) - dot(dy.data, ce)) < tol, 'input gradient');
    assert.ok(Math.abs(dot(wt.grad.data, f) - dot(dy.data, cf)) < tol, 'weight gradient');
  }), { numRuns: RUNS });
});

test('conv2d with bias adds one value per output channel', () => {
  const x = lk.ones([1, 1, 3, 3]), w = lk.ones([2, 1, 1, 1]), b = lk.tensor([10, 20]);
  const y = lk.conv2d(x, w, b);
  assert.equal(y.toArray()[0].map((plane) => plane[0][0]), [11, 21]);
});

const poolArb = fc.record({
  n: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 2, max: 9 }),
  w: fc.integer({ min: 2, max: 9 }), k: fc.constantFrom(2, 3), stride: fc.constantFrom(1, 2, 3), seed: fc.integer(),
}).filter((r) => r.h >= r.k && r.w >= r.k);

test('maxPool2d takes the window max and routes the gradient to it', () => {
  fc.assert(fc.property(poolArb, ({ n, c, h, w, k, stride, seed }) => {
    const d = seededData(n * c * h * w, seed);
    const x = lk.variable(lk.tensor(d, [n, c, h, w]));
    const y = lk.maxPool2d(x, { kernel: k, stride });
    const oh = Math.floor((h - k) / stride) + 1, ow = Math.floor((w - k) / stride) + 1;
    assert.equal([...y.shape], [n, c, oh, ow]);
    const g = seededData(y.size, seed + 1);
    const expGrad = new Float64Array(x.size);
    for (let pl = 0; pl < n * c; pl++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
      let best = -Infinity, at = -1;
      for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) {
        const idx = pl * h * w + (i * stride + u) * w + j * stride + v;
        if (d[idx] > best) { best = d[idx]; at = idx; }
      }
      const o = pl * oh * ow + i * ow + j;
      assert.is(y.data[o], best);
      expGrad[at] += g[o];
    }
    lk.sum(lk.mul(y, lk.tensor(g, y.shape))).backward();
    allClose(x.grad, expGrad, { atol: 1e-6 });
  }), { numRuns: RUNS });
});

test('upsample2d repeats pixels and sums the gradient back', () => {
  const x = lk.variable(lk.tensor([[[[1, 2], [3, 4]]]]));
  const y = lk.upsample2d(x, { scale: 2 });
  assert.equal(y.toArray(), [[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]);
  lk.sum(lk.mul(y, lk.arange(16).reshape([1, 1, 4, 4]))).backward();
  assert.equal(x.grad.toArray(), [[[[0 + 1 + 4 + 5, 2 + 3 + 6 + 7], [8 + 9 + 12 + 13, 10 + 11 + 14 + 15]]]]);
  fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 3 }), fc.integer(), (c, h, s, seed) => {
    const t = lk.tensor(seededData(2 * c * h * (h + 1), seed), [2, c, h, h + 1]);
    const u = lk.upsample2d(t, { scale: s });
    assert.equal([...u.shape], [2, c, h * s, (h + 1) * s]);
    allClose(lk.sum(u, [2, 3]), lk.mul(lk.sum(t, [2, 3]), s * s), { atol: 1e-4 });
  }), { numRuns: RUNS });
});

test.run();
