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

/** The course's EM (000 P3) in float64: E-step in log space, the Dirichlet-smoothed M-step. */
function courseEM(x, n, d, p0, pi0, iters, a1 = 1e-8, a2 = 1e-8) {
  const K = pi0.length, p = Float64Array.from(p0), pi = Float64Array.from(pi0), eta = new Float64Array(n * K);
  for (let it = 0; it < iters; it++) {
    const lp = Array.from(p, Math.log), l1 = Array.from(p, (v) => Math.log1p(-v));
    for (let s = 0; s < n; s++) {
      let m = -Infinity;
      for (let k = 0; k < K; k++) {
        let t = Math.log(pi[k]);
        for (let i = 0; i < d; i++) t += x[s * d + i] ? lp[k * d + i] : l1[k * d + i];
        eta[s * K + k] = t; if (t > m) m = t;
      }
      let z = 0;
      for (let k = 0; k < K; k++) z += Math.exp(eta[s * K + k] - m);
      for (let k = 0; k < K; k++) eta[s * K + k] = Math.exp(eta[s * K + k] - m) / z;
    }
    const nk = new Float64Array(K);
    for (let s = 0; s < n; s++) for (let k = 0; k < K; k++) nk[k] += eta[s * K + k];
    const total = nk.reduce((a, b) => a + b, 0);
    for (let k = 0; k < K; k++) {
      pi[k] = (nk[k] + a2) / (total + a2 * K); // π̂_k = (N_k + α2) / (Σ N_k' + α2 K)
      for (let i = 0; i < d; i++) {
        let sx = 0;
        for (let s = 0; s < n; s++) sx += eta[s * K + k] * x[s * d + i];
        p[k * d + i] = (sx + a1) / (nk[k] + a1 * d); // p̂_k = (Σ η x + α1) / (N_k + α1 D)
      }
    }
  }
  return { p, pi };
}

test("the course's M-step and start: 15 iterations on held-out MNIST digits equal a float64 implementation", () => {
  const n = 600, d = 784, K = 10;
  const { images } = lk.data.mnist({ seed: 77, limit: 3000, binarize: true });
  const x = images.slice([2400], [n]); // digits no other test fits
  // the course's start: rows U(0, 1) normalised to unit length, π = 1/K
  const r = new lk.Rng(5), p0 = new Float64Array(K * d);
  for (let k = 0; k < K; k++) {
    let ss = 0;
    for (let i = 0; i < d; i++) { p0[k * d + i] = r.uniform(); ss += p0[k * d + i] ** 2; }
    for (let i = 0; i < d; i++) p0[k * d + i] /= Math.sqrt(ss);
  }
  const pi0 = new Array(K).fill(1 / K);
  const probs = Array.from({ length: K }, (_, k) => Array.from(p0.subarray(k * d, (k + 1) * d)));
  const b = new lk.BernoulliMixture({ nComponents: K, maxIter: 15, tol: 0, init: { weights: pi0, probs }, warnings: false }).fit(x);
  const ref = courseEM(x.data, n, d, Float32Array.from(p0), pi0, 15);
  let dp = 0, dw = 0;
  b.probs.data.forEach((v, i) => { dp = Math.max(dp, Math.abs(v - ref.p[i])); });
  b.weights.data.forEach((v, k) => { dw = Math.max(dw, Math.abs(v - ref.pi[k])); });
  console.log(`  Bernoulli mixture vs float64 course EM after 15 iterations: max |Δp| ${dp.toExponential(2)}, max |Δπ| ${dw.toExponential(2)}`);
  assert.ok(dp < 1e-4, `max |Δp| = ${dp}`);
  assert.ok(dw < 1e-4, `max |Δπ| = ${dw}`);
  assert.ok(Math.min(...b.weights.data) > 0.02, 'every component keeps data');
});

test("'random' init is the course's: unit-length rows of U(0, 1) draws, equal weights", () => {
  const b = new lk.BernoulliMixture({ nComponents: 4, maxIter: 0, seed: 9, warnings: false }).fit(X);
  const P = b.probs.toArray();
  for (const row of P) {
    const norm = Math.sqrt(row.reduce((a, v) => a + v * v, 0));
    assert.ok(Math.abs(norm - 1) < 1e-5, `row norm ${norm}`);
    assert.ok(row.every((v) => v >= 0 && v <= 1));
  }
  assert.equal(Array.from(b.weights.data, (v) => +v.toFixed(6)), [0.25, 0.25, 0.25, 0.25]);
});

test("alpha1 smooths the pixels (N_k + α1·D, or N_k + 2α1 with smoothing: 'beta'), alpha2 the weights", () => {
  // one sample per component, exactly assigned: N_k = 1, Σ η x = x
  const x = lk.tensor([[1, 0, 0, 0], [0, 1, 1, 1]]);
  const init = { weights: [0.5, 0.5], probs: [[0.99, 0.01, 0.01, 0.01], [0.01, 0.99, 0.99, 0.99]] };
  const a1 = 0.5, a2 = 2;
  const dir = new lk.BernoulliMixture({ nComponents: 2, maxIter: 1, tol: 0, alpha1: a1, alpha2: a2, init, warnings: false }).fit(x);
  const beta = new lk.BernoulliMixture({ nComponents: 2, maxIter: 1, tol: 0, alpha1: a1, alpha2: a2, smoothing: 'beta', init, warnings: false }).fit(x);
  // η is one-hot to within e^-18
  allCloseArr(dir.probs.data, [1.5 / 3, 0.5 / 3, 0.5 / 3, 0.5 / 3, 0.5 / 3, 1.5 / 3, 1.5 / 3, 1.5 / 3]);
  allCloseArr(beta.probs.data, [1.5 / 2, 0.5 / 2, 0.5 / 2, 0.5 / 2, 0.5 / 2, 1.5 / 2, 1.5 / 2, 1.5 / 2]);
  allCloseArr(dir.weights.data, [(1 + a2) / (2 + 2 * a2), (1 + a2) / (2 + 2 * a2)]);
  throwsMatch(() => new lk.BernoulliMixture({ nComponents: 2, smoothing: 'laplace' }), /smoothing must be 'dirichlet' or 'beta'/);
});

function allCloseArr(a, e) { e.forEach((v, i) => assert.ok(Math.abs(a[i] - v) < 1e-5, `element ${i}: ${a[i]} vs ${v}`)); }

test.run();
