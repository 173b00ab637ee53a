// matmul against a float64 loop, over awkward shapes, transposes and batches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lk, allClose, RUNS, seededData } from '../helpers.js';

function naive(a, b, batch, m, k, n, ta, tb) {
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) {
      const av = ta ? a[t * m * k + p * m + i] : a[t * m * k + i * k + p];
      const bv = tb ? b[t * k * n + j * k + p] : b[t * k * n + p * n + j];
      s += av * bv;
    }
    out[t * m * n + i * n + j] = s;
  }
  return out;
}

// sizes include 1, primes and values around common block sizes (4, 6, 8, 16, 32, 64)
const dim = fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(31, 33, 47, 63, 64, 65, 97, 127, 130));
const caseArb = fc.record({ m: dim, k: dim, n: dim, batch: fc.constantFrom(1, 1, 2, 3), ta: fc.boolean(), tb: fc.boolean(), seed: fc.integer() });

test('matmul matches a float64 loop for every transpose flag and batch', () => {
  fc.assert(fc.property(caseArb, ({ m, k, n, batch, ta, tb, seed }) => {
    const ad = seededData(batch * m * k, seed), bd = seededData(batch * k * n, seed + 1);
    const aShape = ta ? [k, m] : [m, k], bShape = tb ? [n, k] : [k, n];
    const A = lk.tensor(ad, batch > 1 ? [batch, ...aShape] : aShape), B = lk.tensor(bd, batch > 1 ? [batch, ...bShape] : bShape);
    const y = lk.matmul(A, B, { transposeA: ta, transposeB: tb });
    assert.equal([...y.shape], batch > 1 ? [batch, m, n] : [m, n]);
    allClose(y, naive(ad, bd, batch, m, k, n, ta, tb), { atol: 2e-5 * Math.sqrt(k), rtol: 1e-4, msg: `m${m} k${k} n${n} b${batch} ${ta}${tb}` });
  }), { numRuns: RUNS * 2 });
});

test('matmul of a 3-D by a 2-D operand shares the 2-D one across the batch', () => {
  const a = lk.tensor(seededData(2 * 3 * 4, 5), [2, 3, 4]), b = lk.tensor(seededData(4 * 5, 6), [4, 5]);
  const y = lk.matmul(a, b);
  assert.equal(y.shape, [2, 3, 5]);
  const y0 = lk.matmul(lk.reshape(lk.slice(a, [0, 0, 0], [1, 3, 4]), [3, 4]), b);
  allClose(lk.slice(y, [0, 0, 0], [1, 3, 5]), y0, { atol: 1e-6 });
  const c = lk.tensor(seededData(3 * 4, 7), [3, 4]), d = lk.tensor(seededData(2 * 4 * 5, 8), [2, 4, 5]);
  assert.equal(lk.matmul(c, d).shape, [2, 3, 5]);
});

test('matmul with a zero-size dimension', () => {
  const y = lk.matmul(lk.zeros([3, 0]), lk.zeros([0, 2]));
  assert.equal(y.toArray(), [[0, 0], [0, 0], [0, 0]]);
});

test('matmul propagates NaN and Infinity', () => {
  const y = lk.matmul(lk.tensor([[NaN, 1]]), lk.tensor([[0], [1]]));
  assert.ok(Number.isNaN(y.data[0]));
  const z = lk.matmul(lk.tensor([[0, 1]]), lk.tensor([[Infinity], [1]]));
  assert.ok(Number.isNaN(z.data[0]));
});

test('matmul at 256 stays accurate (larger than any block)', () => {
  const n = 256;
  const ad = seededData(n * n, 11), bd = seededData(n * n, 12);
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    const y = lk.matmul(lk.tensor(ad, [n, n]), lk.tensor(bd, [n, n]), { transposeA: ta, transposeB: tb });
    allClose(y, naive(ad, bd, 1, n, n, n, ta, tb), { atol: 2e-4, rtol: 1e-4, msg: `${ta}${tb}` });
  }
});

test.run();
