// Elementwise ops and broadcasting, property-tested against naive loops in float64.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lk, allClose, RUNS, seededData } from '../helpers.js';

const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 4 });

/** Two broadcast-compatible shapes: take a shape and set random axes to 1 / drop leading axes. */
const pairArb = fc.record({
  shape: shapeArb,
  maskA: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  maskB: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  dropA: fc.integer({ min: 0, max: 4 }),
  seed: fc.integer(),
}).map(({ shape, maskA, maskB, dropA, seed }) => {
  const a = shape.map((d, i) => (maskA[i] ? 1 : d)).slice(Math.min(dropA, shape.length));
  const b = shape.map((d, i) => (maskB[i] ? 1 : d));
  return { a, b, seed };
});

function naiveBroadcast(f, a, as, b, bs) {
  const nd = Math.max(as.length, bs.length);
  const pa = [...Array(nd - as.length).fill(1), ...as], pb = [...Array(nd - bs.length).fill(1), ...bs];
  const out = pa.map((d, i) => Math.max(d, pb[i]));
  const size = out.reduce((x, y) => x * y, 1);
  const res = new Float64Array(size);
  const idx = new Array(nd).fill(0);
  const flat = (s, ix) => s.reduce((acc, d, i) => acc * d + (d === 1 ? 0 : ix[i]), 0);
  for (let o = 0; o < size; o++) {
    let r = o;
    for (let i = nd - 1; i >= 0; i--) { idx[i] = r % out[i]; r = Math.floor(r / out[i]); }
    res[o] = f(a[flat(pa, idx)], b[flat(pb, idx)]);
  }
  return { res, out };
}

const binaries = { add: (x, y) => x + y, sub: (x, y) => x - y, mul: (x, y) => x * y, div: (x, y) => x / y };

for (const [name, f] of Object.entries(binaries)) {
  test(`${name} broadcasts like NumPy`, () => {
    fc.assert(fc.property(pairArb, ({ a, b, seed }) => {
      const n = (s) => s.reduce((x, y) => x * y, 1);
      const ad = seededData(n(a), seed), bd = seededData(n(b), seed + 1);
      if (name === 'div') for (let i = 0; i < bd.length; i++) bd[i] = bd[i] >= 0 ? bd[i] + 0.5 : bd[i] - 0.5;
      const y = lk[name](lk.tensor(ad, a), lk.tensor(bd, b));
      const { res, out } = naiveBroadcast(f, ad, a, bd, b);
      assert.equal([...y.shape], out);
      allClose(y.data, res, { atol: 1e-6, rtol: 1e-6, msg: `${name} ${JSON.stringify(a)} ${JSON.stringify(b)}` });
    }), { numRuns: RUNS * 2 });
  });
}

test('numbers are accepted on either side', () => {
  allClose(lk.sub(1, lk.tensor([1, 2])), [0, -1]);
  allClose(lk.div(lk.tensor([1, 2]), 2), [0.5, 1]);
  allClose(lk.tensor([1, 2]).mul(3), [3, 6]);
});

test('algebraic identities: (a + b) − b = a, a · 1 = a, a / a = 1, −(−a) = a', () => {
  fc.assert(fc.property(shapeArb, fc.integer(), (shape, seed) => {
    const size = shape.reduce((x, y) => x * y, 1);
    const a = lk.tensor(seededData(size, seed, 10), shape), b = lk.tensor(seededData(size, seed + 7, 10), shape);
    allClose(lk.sub(lk.add(a, b), b), a, { atol: 1e-5 });
    allClose(lk.mul(a, 1), a, { atol: 0, rtol: 0 });
    allClose(lk.neg(lk.neg(a)), a, { atol: 0, rtol: 0 });
    const nz = lk.add(lk.abs(a), 0.1);
    allClose(lk.div(nz, nz), lk.ones(shape), { atol: 1e-7 });
    allClose(lk.exp(lk.log(nz)), nz, { atol: 1e-5, rtol: 1e-5 });
    allClose(lk.sqrt(lk.square(a)), lk.abs(a), { atol: 1e-5 });
  }), { numRuns: RUNS });
});

const unaries = {
  exp: Math.exp, log: (x) => Math.log(Math.abs(x) + 0.1), sqrt: (x) => Math.sqrt(Math.abs(x) + 0.1),
  abs: Math.abs, square: (x) => x * x, tanh: Math.tanh, sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu: (x) => Math.max(x, 0), softplus: (x) => Math.log1p(Math.exp(x)), logSigmoid: (x) => -Math.log1p(Math.exp(-x)),
  neg: (x) => -x, log1p: (x) => Math.log1p(Math.abs(x)),
};
const domain = { log: (x) => lk.add(lk.abs(x), 0.1), sqrt: (x) => lk.add(lk.abs(x), 0.1), log1p: (x) => lk.abs(x) };

for (const [name, f] of Object.entries(unaries)) {
  test(`${name} matches Math on random values`, () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer(), (n, seed) => {
      const x = lk.tensor(seededData(n, seed, 8));
      const y = lk[name](domain[name] ? domain[name](x) : x);
      const e = Array.from(x.data, f);
      allClose(y.data, e, { atol: 1e-6, rtol: 2e-6, msg: name });
    }), { numRuns: RUNS });
  });
}

test('leakyRelu, pow, clip', () => {
  const x = lk.tensor([-2, -0.5, 0, 0.5, 2]);
  allClose(lk.leakyRelu(x, 0.2), [-0.4, -0.1, 0, 0.5, 2]);
  allClose(lk.leakyRelu(x), [-0.02, -0.005, 0, 0.5, 2]);
  allClose(lk.pow(lk.abs(x), 3), [8, 0.125, 0, 0.125, 8]);
  allClose(lk.clip(x, -1, 1), [-1, -0.5, 0, 0.5, 1]);
});

test('softplus and logSigmoid are stable for large |x|', () => {
  const x = lk.tensor([-1000, -50, 50, 1000]);
  allClose(lk.softplus(x), [0, Math.exp(-50), 50, 1000], { atol: 1e-6 });
  allClose(lk.logSigmoid(x), [-1000, -50, -Math.exp(-50), 0], { atol: 1e-6 });
  assert.ok(lk.sigmoid(x).data.every(Number.isFinite));
});

test.run();
