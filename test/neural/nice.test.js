import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';
import { tfCpu, tf, toTf, linear, compareStep } from './tfref.js';
import { mnistSubset } from './mnist.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function randomiseScale(model, seed) {
  const r = new lk.Rng(seed);
  for (let i = 0; i < model.logScale.size; i++) model.logScale.data[i] = (r.uniform() - 0.5) * 0.6;
}

/** log|det J| of a square matrix (float64 LU with partial pivoting). */
function logAbsDet(a, n) {
  const m = Float64Array.from(a);
  let s = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    if (p !== c) for (let k = 0; k < n; k++) { const t = m[c * n + k]; m[c * n + k] = m[p * n + k]; m[p * n + k] = t; }
    const piv = m[c * n + c];
    s += Math.log(Math.abs(piv));
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / piv;
      for (let k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
    }
  }
  return s;
}

test('NICE: inverse(forward(x)) = x and forward(inverse(z)) = z', () => {
  lk.seed(1);
  const model = new lk.NICE({ inputDim: 11, couplingLayers: 4, hiddenDim: 16, hiddenLayers: 2, seed: 3 });
  randomiseScale(model, 9);
  const x = lk.rand([20, 11]);
  const z = lk.noGrad(() => model.forward(x));
  allClose(model.inverse(z), x, { atol: 2e-5, rtol: 1e-4 });
  const w = lk.randn([5, 11]);
  allClose(lk.noGrad(() => model.forward(model.inverse(w))), w, { atol: 2e-5, rtol: 1e-4 });
});

test('NICE: log-det equals log|det| of the brute-force Jacobian (D = 6)', () => {
  lk.seed(2);
  const d = 6;
  const model = new lk.NICE({ inputDim: d, couplingLayers: 3, hiddenDim: 8, hiddenLayers: 2, seed: 4 });
  randomiseScale(model, 5);
  const x0 = lk.randn([1, d]);
  const jac = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const [g] = lk.grad((x) => model.forward(x).slice([0, i], [1, 1]).sum())(x0);
    for (let j = 0; j < d; j++) jac[i * d + j] = g.data[j];
  }
  const brute = logAbsDet(jac, d);
  const { logDet } = lk.noGrad(() => model.forwardWithLogDet(x0));
  assert.ok(Math.abs(logDet.item() - brute) < 1e-4, `logDet ${logDet.item()} vs brute-force ${brute}`);
  assert.ok(Math.abs(brute) > 0.1, 'the test uses a non-trivial scaling');
  // the couplings alone are volume-preserving: the Jacobian is not the identity yet has det e^{Σs}
  let offDiag = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j) offDiag += Math.abs(jac[i * d + j]);
  assert.ok(offDiag > 1e-3);
});

test('NICE: one step matches tfjs (loss and every gradient)', async () => {
  await tfCpu();
  lk.seed(3);
  const d = 784;
  const model = new lk.NICE({ inputDim: d, couplingLayers: 4, hiddenDim: 64, hiddenLayers: 3, seed: 6 });
  randomiseScale(model, 7);
  const { x } = mnistSubset(8);
  const xd = model.dequantize(x, new lk.Rng(1));
  const loss = lk.neg(lk.mean(model.logProbSamples(xd)));
  // even/odd coordinates through a reshape to [N, D/2, 2] (tfjs's gather gradient is very slow)
  const split = (h) => { const r = tf.reshape(h, [-1, d / 2, 2]); return [tf.reshape(tf.slice(r, [0, 0, 0], [-1, -1, 1]), [-1, d / 2]), tf.reshape(tf.slice(r, [0, 0, 1], [-1, -1, 1]), [-1, d / 2])]; };
  const join2 = (e, o) => tf.reshape(tf.stack([e, o], 2), [-1, d]);
  const tfLoss = (P) => {
    let h = toTf(xd);
    for (let i = 0; i < 4; i++) {
      const [e, o] = split(h);
      const [xa, xb] = i % 2 === 0 ? [e, o] : [o, e];
      let m = xa;
      for (let j = 0; j < 3; j++) m = tf.relu(linear(m, P, `couplings.${i}.layers.${2 * j}`));
      m = linear(m, P, `couplings.${i}.layers.6`);
      const yb = tf.add(xb, m);
      h = i % 2 === 0 ? join2(xa, yb) : join2(yb, xa);
    }
    const s = P.logScale;
    const z = tf.mul(h, tf.exp(s));
    const logPrior = tf.neg(tf.sum(tf.add(tf.softplus(z), tf.softplus(tf.neg(z))), -1));
    return tf.neg(tf.mean(tf.add(logPrior, tf.sum(s))));
  };
  compareStep(model, loss, tfLoss);
});

test('NICE: training lowers bits/dim on 200 MNIST digits; sample and save/load', () => {
  lk.seed(4);
  const { x } = mnistSubset(200);
  const model = new lk.NICE({ inputDim: 784, couplingLayers: 4, hiddenDim: 64, hiddenLayers: 2, seed: 1 });
  const before = model.bitsPerDim(x);
  const steps = [];
  model.fit(x, { epochs: 3, batchSize: 50, learningRate: 1e-2, seed: 1, onStep: (s) => { steps.push(s.bitsPerDim); } });
  const after = model.bitsPerDim(x);
  assert.is(steps.length, 12);
  assert.ok(after < before - 0.05, `bits/dim ${before} -> ${after}`);
  assert.ok(steps[11] < steps[0]);
  const s = model.sample(3);
  assert.equal(s.shape, [3, 784]);
  assert.ok(s.data.every(Number.isFinite));
  const path = join(tmpdir(), `lk-nice-${process.pid}.lkm`);
  model.save(path);
  const back = lk.NICE.load(path);
  assert.ok(Math.abs(back.bitsPerDim(x) - after) < 1e-6);
  throwsMatch(() => lk.VAE.load(path), /holds a NICE model, not a VAE/);
});

test('NICE: refuses bad options and inputs', () => {
  throwsMatch(() => new lk.NICE({ inputDim: 1 }), /at least 2/);
  const m = new lk.NICE({ inputDim: 4, hiddenDim: 4, hiddenLayers: 1 });
  throwsMatch(() => m.logProb(lk.zeros([2, 5])), /\[N, 4\]/);
  throwsMatch(() => m.fit(lk.full([2, 4], 3)), /\[0, 1\]/);
});

test('NICE is lk.flows: a TransformedDistribution(Logistic, inverses of AdditiveCoupling and Scale)', () => {
  lk.seed(6);
  const model = new lk.NICE({ inputDim: 6, couplingLayers: 3, hiddenDim: 8, hiddenLayers: 2, seed: 2 });
  randomiseScale(model, 3);
  const dist = model.distribution;
  assert.instance(dist, lk.flows.TransformedDistribution);
  assert.instance(dist.base, lk.dist.Logistic);
  assert.equal(dist.bijectors.map((b) => b.bijector.constructor.name), ['Scale', 'AdditiveCoupling', 'AdditiveCoupling', 'AdditiveCoupling']);
  // the flows' parameters are the model's (one copy, saved under the model's names)
  const mine = new Set(model.parameters());
  assert.ok(dist.parameters().every((p) => mine.has(p)) && dist.parameters().length === mine.size);
  // log p(x) = Σ_d log Logistic(f(x)_d) + Σ s, by hand
  const x = lk.rand([4, 6]);
  const z = lk.noGrad(() => model.forward(x)), lp = lk.noGrad(() => model.logProbSamples(x));
  const sumS = Array.from(model.logScale.data).reduce((a, v) => a + v, 0);
  for (let i = 0; i < 4; i++) {
    let want = sumS;
    for (let d = 0; d < 6; d++) { const v = z.data[i * 6 + d]; want += -v - 2 * Math.log1p(Math.exp(-v)); }
    assert.ok(Math.abs(lp.data[i] - want) < 1e-4, `row ${i}: ${lp.data[i]} vs ${want}`);
  }
  // sampling goes through the distribution: z ~ Logistic, x = f⁻¹(z)
  lk.seed(9); const a = model.sample(3);
  lk.seed(9); const b = lk.noGrad(() => dist.sample([3, 6]));
  allClose(a, b, { atol: 0, rtol: 0 });
});

test.run();
