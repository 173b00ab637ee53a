// The fused kernels of the autograd layer (bias + activation, binary
// cross-entropy from logits) against the js reference, called directly; the
// fused ops against the same math written with plain ops (values and
// gradients) and a finite-difference gradient check.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lk, allClose, RUNS, seededData, BACKEND } from '../helpers.js';
import { jsKernels } from '../../dist/backend/js/index.js';
import { kernels } from '../../dist/backend/registry.js';
import { linear, bernoulliLogLik, reparam, klStdNormal, ACTIVATIONS } from '../../dist/autograd/ops/fused.js';

const K = () => kernels();
const CODES = Object.values(ACTIVATIONS);
const sizes = fc.record({ rows: fc.integer({ min: 1, max: 37 }), cols: fc.integer({ min: 1, max: 90 }), seed: fc.integer() });

test(`[${BACKEND}] biasAct matches the reference for every activation`, () => {
  fc.assert(fc.property(sizes, fc.constantFrom(...CODES), ({ rows, cols, seed }, code) => {
    const y0 = seededData(rows * cols, seed, 4), b = seededData(cols, seed + 1, 2);
    const a = y0.slice(), e = y0.slice();
    K().biasAct(a, b, rows, cols, code);
    jsKernels.biasAct(e, b, rows, cols, code);
    allClose(a, e, { atol: 2e-6, rtol: 4e-6, msg: `act ${code} ${rows}x${cols}` });
  }), { numRuns: RUNS * 2 });
});

test(`[${BACKEND}] biasActGrad matches the reference (and may write over g)`, () => {
  fc.assert(fc.property(sizes, fc.constantFrom(...CODES), fc.boolean(), ({ rows, cols, seed }, code, inPlace) => {
    const y = seededData(rows * cols, seed, 1), g = seededData(rows * cols, seed + 2, 3);
    if (code === 2) for (let i = 0; i < y.length; i++) y[i] = Math.max(y[i], 0); // relu outputs
    if (code === 3) for (let i = 0; i < y.length; i++) y[i] = (y[i] + 1) / 2; // sigmoid outputs
    const da = inPlace ? g.slice() : new Float32Array(rows * cols), dba = new Float32Array(cols).fill(NaN);
    const de = new Float32Array(rows * cols), dbe = new Float32Array(cols);
    K().biasActGrad(da, dba, inPlace ? da : g, y, rows, cols, code);
    jsKernels.biasActGrad(de, dbe, g, y, rows, cols, code);
    allClose(da, de, { atol: 1e-6, rtol: 1e-6, msg: `dx act ${code}` });
    allClose(dba, dbe, { atol: 1e-5, rtol: 1e-5, msg: `db act ${code}` });
  }), { numRuns: RUNS * 2 });
});

test(`[${BACKEND}] bceLogits and bceLogitsGrad match the reference`, () => {
  fc.assert(fc.property(sizes, fc.boolean(), ({ rows, cols, seed }, binary) => {
    const l = seededData(rows * cols, seed, 30), x = seededData(rows * cols, seed + 3, 1).map((v) => (binary ? (v > 0 ? 1 : 0) : (v + 1) / 2));
    const g = seededData(rows, seed + 4, 2);
    const oa = new Float32Array(rows), oe = new Float32Array(rows);
    K().bceLogits(oa, l, x, rows, cols);
    jsKernels.bceLogits(oe, l, x, rows, cols);
    allClose(oa, oe, { atol: 1e-4, rtol: 1e-5, msg: `bce ${rows}x${cols}` });
    const da = new Float32Array(rows * cols), de = new Float32Array(rows * cols);
    K().bceLogitsGrad(da, g, l, x, rows, cols);
    jsKernels.bceLogitsGrad(de, g, l, x, rows, cols);
    allClose(da, de, { atol: 1e-6, rtol: 1e-5, msg: `bce grad ${rows}x${cols}` });
  }), { numRuns: RUNS * 2 });
});

test('the reference kernels compute the math they document', () => {
  // 1 x 2: y = act(y + b); dx = g act'(y); db = column sums; bce = softplus(l) − l x
  const y = Float32Array.of(0.5, -1), b = Float32Array.of(0.25, 0.5);
  jsKernels.biasAct(y, b, 1, 2, ACTIVATIONS.tanh);
  allClose(y, [Math.tanh(0.75), Math.tanh(-0.5)]);
  const dx = new Float32Array(4), db = new Float32Array(2);
  jsKernels.biasActGrad(dx, db, Float32Array.of(1, 2, 3, 4), Float32Array.of(0.5, 0, 0.25, 1), 2, 2, ACTIVATIONS.sigmoid);
  allClose(dx, [0.25, 0, 3 * 0.1875, 0]);
  allClose(db, [0.25 + 3 * 0.1875, 0]);
  const out = new Float32Array(1);
  jsKernels.bceLogits(out, Float32Array.of(2, -3), Float32Array.of(1, 0), 1, 2);
  allClose(out, [Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-3))]);
});

const T = (shape, seed, scale = 1) => lk.tensor(seededData(shape.reduce((a, c) => a * c, 1), seed, scale), shape);
const V = (t) => { const v = lk.variable(t.clone()); return v; };
const plainAct = { identity: (h) => h, tanh: lk.tanh, relu: lk.relu, sigmoid: lk.sigmoid };

for (const act of Object.keys(ACTIVATIONS)) {
  for (const withBias of [true, false]) {
    test(`linear(${act}${withBias ? '' : ', no bias'}) equals act(x Wᵀ + b) in value and gradients`, () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 11 }), fc.integer(), (n, inF, outF, seed) => {
        const x0 = T([n, inF], seed), w0 = T([outF, inF], seed + 1), b0 = T([outF], seed + 2), r = T([n, outF], seed + 3);
        const run = (fused) => {
          const x = V(x0), w = V(w0), b = withBias ? V(b0) : null;
          const y = fused ? linear(x, w, b, act) : plainAct[act](b ? lk.add(lk.matmul(x, w, { transposeB: true }), b) : lk.matmul(x, w, { transposeB: true }));
          lk.sum(lk.mul(y, r)).backward();
          return { y: y.data, gx: x.grad.data, gw: w.grad.data, gb: b?.grad.data };
        };
        const f = run(true), p = run(false);
        allClose(f.y, p.y, { atol: 1e-5, rtol: 1e-5, msg: 'value' });
        allClose(f.gx, p.gx, { atol: 1e-5, rtol: 1e-4, msg: 'dx' });
        allClose(f.gw, p.gw, { atol: 1e-5, rtol: 1e-4, msg: 'dW' });
        if (withBias) allClose(f.gb, p.gb, { atol: 1e-5, rtol: 1e-4, msg: 'db' });
      }), { numRuns: RUNS });
    });
  }
  test(`gradcheck linear(${act})`, () => {
    const r = lk.gradcheck((x, w, b) => lk.sum(lk.mul(linear(x, w, b, act), T([4, 3], 9))), [T([4, 5], 1), T([3, 5], 2), T([3], 3)],
      { eps: 1e-3, atol: 5e-3, rtol: 2e-2 });
    assert.ok(r.ok, `linear(${act}): maxAbsErr ${r.maxAbsErr}`);
  });
}

test('bernoulliLogLik equals logpdfBernoulliLogits in value and gradients (logits and x)', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }), fc.integer(), (shape, seed) => {
    const l0 = T(shape, seed, 8);
    const xd = seededData(l0.size, seed + 1).map((v) => (v + 1) / 2);
    const r = T(shape.slice(0, -1), seed + 2);
    const run = (fused) => {
      const l = V(l0), x = V(lk.tensor(xd, shape));
      const y = fused ? bernoulliLogLik(x, l) : lk.dist.logpdfBernoulliLogits(x, l);
      assert.equal([...y.shape], shape.slice(0, -1));
      lk.sum(lk.mul(y, r)).backward();
      return { y: y.data, gl: l.grad.data, gx: x.grad.data };
    };
    const f = run(true), p = run(false);
    allClose(f.y, p.y, { atol: 1e-4, rtol: 1e-5, msg: 'value' });
    allClose(f.gl, p.gl, { atol: 1e-6, rtol: 1e-5, msg: 'd logits' });
    allClose(f.gx, p.gx, { atol: 1e-5, rtol: 1e-5, msg: 'dx' });
  }), { numRuns: RUNS });
});

test('gradcheck bernoulliLogLik', () => {
  const x = lk.tensor(seededData(12, 5).map((v) => (v + 1) / 2), [3, 4]);
  const r = lk.gradcheck((l, t) => lk.sum(lk.mul(bernoulliLogLik(t, l), T([3], 6))), [T([3, 4], 4, 3), x], { eps: 1e-3, atol: 5e-3, rtol: 2e-2 });
  assert.ok(r.ok, `bernoulliLogLik: maxAbsErr ${r.maxAbsErr}`);
});

test(`[${BACKEND}] reparam, klStdNormal and their gradients match the reference`, () => {
  fc.assert(fc.property(sizes, ({ rows, cols, seed }) => {
    const n = rows * cols, mu = seededData(n, seed, 3), lv = seededData(n, seed + 1, 4), eps = seededData(n, seed + 2, 2);
    const g = seededData(n, seed + 3), gr = seededData(rows, seed + 4);
    const pair = (f) => { const a = f(K()), e = f(jsKernels); return [a, e]; };
    const [za, ze] = pair((k) => { const z = new Float32Array(n); k.reparam(z, mu, lv, eps); return z; });
    allClose(za, ze, { atol: 1e-5, rtol: 1e-5, msg: 'reparam' });
    const [da, de] = pair((k) => { const d = new Float32Array(n); k.reparamGrad(d, g, lv, eps); return d; });
    allClose(da, de, { atol: 1e-5, rtol: 1e-5, msg: 'reparamGrad' });
    const [ka, ke] = pair((k) => { const o = new Float32Array(rows); k.klStdNormal(o, mu, lv, rows, cols); return o; });
    allClose(ka, ke, { atol: 1e-4, rtol: 1e-5, msg: 'klStdNormal' });
    const [ga, ge] = pair((k) => { const a = new Float32Array(n), b = new Float32Array(n); k.klStdNormalGrad(a, b, gr, mu, lv, rows, cols); return [...a, ...b]; });
    allClose(Float32Array.from(ga), ge, { atol: 1e-5, rtol: 1e-5, msg: 'klStdNormalGrad' });
  }), { numRuns: RUNS * 2 });
});

test('reparam and klStdNormal equal lk.dist in value and gradients', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (n, l, seed) => {
    const mu0 = T([n, l], seed, 2), lv0 = T([n, l], seed + 1, 2), eps = T([n, l], seed + 2), r = T([n, l], seed + 3), rk = T([n], seed + 4);
    const run = (fused) => {
      const mu = V(mu0), lv = V(lv0);
      const z = fused ? reparam(mu, lv, eps) : lk.dist.sampleDiagonalGaussianLogVar(mu, lv, { noise: eps });
      const kl = fused ? klStdNormal(mu, lv) : lk.dist.klStdNormal(mu, lv);
      assert.equal([...kl.shape], [n]);
      lk.add(lk.sum(lk.mul(z, r)), lk.sum(lk.mul(kl, rk))).backward();
      return { z: z.data, kl: kl.data, gm: mu.grad.data, gl: lv.grad.data };
    };
    const f = run(true), p = run(false);
    for (const k of ['z', 'kl', 'gm', 'gl']) allClose(f[k], p[k], { atol: 1e-5, rtol: 1e-5, msg: k });
  }), { numRuns: RUNS });
});

test('gradcheck reparam (μ, lv and the noise) and klStdNormal', () => {
  const r = lk.gradcheck((m, l, e) => lk.sum(lk.mul(reparam(m, l, e), T([3, 2], 7))), [T([3, 2], 1), T([3, 2], 2), T([3, 2], 3)], { eps: 1e-3, atol: 5e-3, rtol: 2e-2 });
  assert.ok(r.ok, `reparam: maxAbsErr ${r.maxAbsErr}`);
  const q = lk.gradcheck((m, l) => lk.sum(lk.mul(klStdNormal(m, l), T([3], 8))), [T([3, 2], 4), T([3, 2], 5)], { eps: 1e-3, atol: 5e-3, rtol: 2e-2 });
  assert.ok(q.ok, `klStdNormal: maxAbsErr ${q.maxAbsErr}`);
  assert.throws(() => reparam(T([3, 2], 1), T([3, 2], 2), T([2, 3], 3)), /noise \[2,3\] must have the shape of mu \[3,2\]/);
});

test('the fused ops refuse bad input with the cause', () => {
  assert.throws(() => linear(T([2, 3], 1), T([4, 5], 2), null), /do not align/);
  assert.throws(() => linear(T([2, 3], 1), T([4, 3], 2), T([5], 3)), /bias \[5\] must be \[4\]/);
  assert.throws(() => linear(T([2, 3], 1), T([4, 3], 2), null, 'gelu'), /unknown activation 'gelu'/);
  assert.throws(() => bernoulliLogLik(T([2, 3], 1), T([3, 2], 2)), /must have one shape/);
});

test('Sequential runs Linear + activation fused, with the same result as layer by layer', () => {
  lk.seed(3);
  const net = new lk.nn.Sequential(new lk.nn.Linear(5, 7), new lk.nn.Tanh(), new lk.nn.Linear(7, 4), new lk.nn.ReLU(), new lk.nn.Linear(4, 2), new lk.nn.Sigmoid());
  const x = T([6, 5], 8);
  const fused = net.forward(x);
  assert.ok(fused.node.op.startsWith('linear(sigmoid)'), fused.node.op);
  const plain = net.layers.reduce((h, m) => m.forward(h), x);
  allClose(fused.data, plain.data, { atol: 1e-6, rtol: 1e-6 });
});

test.run();
