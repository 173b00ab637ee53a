// BernoulliMixture: monotone EM, recovery, the two-matmul E-step against a direct sum.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, throwsMatch } from '../helpers.js';
import { matchRows } from './synthetic.js';

const D = 24, TRUE_W = [0.5, 0.3, 0.2];
const TRUE_P = [0, 1, 2].map((k) => Array.from({ length: D }, (_, i) => (Math.floor(i / 8) === k ? 0.9 : 0.1)));
function binaryData(n, seed) {
  const r = new lk.Rng(seed), x = new Float32Array(n * D), y = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    let u = r.uniform(), k = 0;
    while (k < 2 && u >= TRUE_W[k]) { u -= TRUE_W[k]; k++; }
    y[s] = k;
    for (let i = 0; i < D; i++) x[s * D + i] = r.uniform() < TRUE_P[k][i] ? 1 : 0;
  }
  return { x: lk.tensor(x, [n, D]), y };
}
const { x: X } = binaryData(2000, 21);

test('the log-likelihood never decreases (one E-step then one M-step per iteration)', () => {
  for (const seed of [1, 2, 3]) {
    const b = new lk.BernoulliMixture({ nComponents: 5, maxIter: 30, tol: 0, seed, warnings: false }).fit(X);
    const h = [b.initialLogLikelihood, ...b.logLikelihoodHistory];
    assert.is(h.length, 31);
    for (let i = 1; i < h.length; i++) assert.ok(h[i] >= h[i - 1] - 1e-5 * Math.abs(h[i - 1]), `step ${i}: ${h[i - 1]} -> ${h[i]}`);
  }
});

test('recovers known weights and pixel probabilities', () => {
  const b = new lk.BernoulliMixture({ nComponents: 3, maxIter: 100, seed: 4, nInit: 2 }).fit(X);
  const probs = b.probs.toArray(), order = matchRows(probs, TRUE_P);
  assert.equal([...new Set(order)].length, 3);
  order.forEach((k, j) => {
    assert.ok(Math.abs(b.weights.data[k] - TRUE_W[j]) < 0.03, `weight ${b.weights.data[k]} vs ${TRUE_W[j]}`);
    probs[k].forEach((v, i) => assert.ok(Math.abs(v - TRUE_P[j][i]) < 0.05, `p ${v} vs ${TRUE_P[j][i]}`));
  });
});

test('scoreSamples equals the direct sum x ln p + (1 − x) ln(1 − p) with logsumexp', () => {
  const b = new lk.BernoulliMixture({ nComponents: 3, maxIter: 5, seed: 7, warnings: false }).fit(X);
  const P = b.probs.data, W = b.weights.data, s = b.scoreSamples(X).data;
  for (let n = 0; n < 50; n++) {
    const terms = [0, 1, 2].map((k) => {
      let t = Math.log(W[k]);
      for (let i = 0; i < D; i++) { const x = X.data[n * D + i], p = P[k * D + i]; t += x * Math.log(p) + (1 - x) * Math.log(1 - p); }
      return t;
    });
    const m = Math.max(...terms), ref = m + Math.log(terms.reduce((a, t) => a + Math.exp(t - m), 0));
    assert.ok(Math.abs(s[n] - ref) < 1e-3, `sample ${n}: ${s[n]} vs ${ref}`);
  }
});

test('fitPredict = predict; maxIter 0 returns the init; sample reproduces probs', () => {
  const b = new lk.BernoulliMixture({ nComponents: 3, seed: 3, warnings: false });
  assert.equal(Array.from(b.fitPredict(X)), Array.from(b.predict(X)));
  const probs = TRUE_P.map((r) => r.map((v) => (v > 0.5 ? 0.7 : 0.3)));
  const z = new lk.BernoulliMixture({ nComponents: 3, maxIter: 0, init: { weights: [0.2, 0.3, 0.5], probs } }).fit(X);
  assert.equal(z.probs.toArray().map((r) => r.map((v) => Math.round(v * 10) / 10)), probs);
  assert.equal(Array.from(z.weights.data).map((v) => Math.round(v * 10) / 10), [0.2, 0.3, 0.5]);
  const f = new lk.BernoulliMixture({ nComponents: 3, maxIter: 50, seed: 4 }).fit(X);
  const { x, labels } = f.sample(20000, 5);
  for (let k = 0; k < 3; k++) {
    let n = 0; const m = new Float64Array(D);
    for (let s = 0; s < 20000; s++) if (labels[s] === k) { n++; for (let i = 0; i < D; i++) m[i] += x.data[s * D + i]; }
    for (let i = 0; i < D; i++) assert.ok(Math.abs(m[i] / n - f.probs.data[k * D + i]) < 0.04);
  }
});

test('smoothing keeps probabilities strictly inside (0, 1); bad input errors', () => {
  const zeros = lk.tensor(Array.from({ length: 10 }, (_, i) => [i % 2, 0, 1]));
  const b = new lk.BernoulliMixture({ nComponents: 2, seed: 1, maxIter: 10, warnings: false }).fit(zeros);
  for (const p of b.probs.data) assert.ok(p > 0 && p <= 1, `p = ${p}`);
  for (const v of b.scoreSamples(zeros).data) assert.ok(Number.isFinite(v));
  assert.ok(Number.isFinite(b.score(zeros)));
  throwsMatch(() => new lk.BernoulliMixture({ nComponents: 2 }).fit(lk.tensor([[0, 2], [1, 0]])), /outside \[0, 1\]/);
  throwsMatch(() => new lk.BernoulliMixture({ nComponents: 2 }).fit(lk.tensor([[0, NaN], [1, 0]])), /non-finite/);
  throwsMatch(() => new lk.BernoulliMixture({ nComponents: 3 }).fit(lk.tensor([[0, 1], [1, 0]])), /only 2 samples/);
  throwsMatch(() => new lk.BernoulliMixture({ nComponents: 2, init: { probs: [[0.5, 0.5]] } }).fit(X), /probs have shape/);
});

test.run();
