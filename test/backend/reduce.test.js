// Reductions against naive float64 loops; logsumexp stability; softmax rows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lk, allClose, RUNS, seededData } from '../helpers.js';

const caseArb = fc.record({
  shape: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
  axisPick: fc.nat(),
  keep: fc.boolean(),
  seed: fc.integer(),
});

function naiveReduce(data, shape, ax, f, init) {
  const outer = shape.slice(0, ax).reduce((a, b) => a * b, 1), n = shape[ax];
  const inner = shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    let acc = init;
    for (let j = 0; j < n; j++) acc = f(acc, data[(o * n + j) * inner + i]);
    out[o * inner + i] = acc;
  }
  return out;
}

test('sum, max, mean along a random axis match a naive loop', () => {
  fc.assert(fc.property(caseArb, ({ shape, axisPick, keep, seed }) => {
    const ax = axisPick % shape.length;
    const size = shape.reduce((a, b) => a * b, 1);
    const d = seededData(size, seed, 5);
    const x = lk.tensor(d, shape);
    const s = lk.sum(x, ax, keep), m = lk.max(x, ax, keep), mu = lk.mean(x, ax);
    const expShape = keep ? shape.map((v, i) => (i === ax ? 1 : v)) : shape.filter((_, i) => i !== ax);
    assert.equal([...s.shape], expShape);
    allClose(s, naiveReduce(d, shape, ax, (a, b) => a + b, 0), { atol: 1e-5 });
    allClose(m, naiveReduce(d, shape, ax, Math.max, -Infinity), { atol: 0, rtol: 0 });
    allClose(mu, naiveReduce(d, shape, ax, (a, b) => a + b, 0).map((v) => v / shape[ax]), { atol: 1e-6 });
  }), { numRuns: RUNS * 2 });
});

test('sum over all axes and several axes', () => {
  const x = lk.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.is(lk.sum(x).item(), 21);
  assert.equal(lk.sum(x).shape, []);
  assert.equal(lk.sum(x, [0, 1], true).shape, [1, 1]);
  allClose(lk.sum(x, -1), [6, 15]);
  allClose(lk.min(x, 0), [1, 2, 3]);
  allClose(lk.argmax(lk.tensor([[1, 9, 3], [7, 5, 6]]), 1), [1, 0]);
});

test('logsumexp matches log Σ exp in float64', () => {
  fc.assert(fc.property(caseArb, ({ shape, axisPick, seed }) => {
    const ax = axisPick % shape.length;
    const d = seededData(shape.reduce((a, b) => a * b, 1), seed, 20);
    const y = lk.logsumexp(lk.tensor(d, shape), ax);
    const e = naiveReduce(d, shape, ax, (a, b) => a + Math.exp(b), 0).map(Math.log);
    allClose(y, e, { atol: 1e-5, rtol: 1e-5 });
  }), { numRuns: RUNS });
});

test('logsumexp is stable at ±1e4 and handles -Infinity rows', () => {
  const x = lk.tensor([[1e4, 1e4], [-1e4, -1e4], [1e4, -1e4]]);
  allClose(lk.logsumexp(x, 1), [1e4 + Math.LN2, -1e4 + Math.LN2, 1e4], { atol: 1e-2, rtol: 0 });
  const y = lk.logsumexp(lk.tensor([[-Infinity, -Infinity], [0, -Infinity]]), 1);
  assert.is(y.data[0], -Infinity);
  assert.is(y.data[1], 0);
  const big = lk.tensor(seededData(4096, 3, 1e4), [4, 1024]);
  assert.ok(lk.logsumexp(big, 1).data.every(Number.isFinite));
});

test('softmax rows sum to 1 and logSoftmax = log softmax, even at ±1e4', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 300 }), fc.integer(), fc.constantFrom(1, 100, 1e4),
    (rows, cols, seed, scale) => {
      const x = lk.tensor(seededData(rows * cols, seed, scale), [rows, cols]);
      const p = lk.softmax(x, 1);
      assert.ok(p.data.every((v) => v >= 0 && v <= 1));
      allClose(lk.sum(p, 1), lk.ones([rows]), { atol: 1e-5 });
      const lp = lk.logSoftmax(x, 1);
      assert.ok(lp.data.every((v) => v <= 1e-6 && Number.isFinite(v)));
      allClose(lk.exp(lp), p, { atol: 1e-6, rtol: 1e-4 });
    }), { numRuns: RUNS });
});

test('softmax along axis 0 of a 3-D tensor', () => {
  const x = lk.tensor(seededData(24, 9), [3, 2, 4]);
  allClose(lk.sum(lk.softmax(x, 0), 0), lk.ones([2, 4]), { atol: 1e-6 });
});

test.run();
