// GaussianMixture, mirroring scikit-learn's mixture tests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, throwsMatch } from '../helpers.js';
import { gaussianMixtureData, THREE, matchRows, momentsOf } from './synthetic.js';

const { x: X, y: Y } = gaussianMixtureData(1500, THREE.weights, THREE.means, THREE.covs, 11);
const TYPES = ['full', 'diag', 'spherical', 'tied'];

test('the log-likelihood never decreases over EM steps (every covariance type)', () => {
  for (const covarianceType of TYPES) {
    for (const init of ['random', 'kmeans']) {
      const g = new lk.GaussianMixture({ nComponents: 4, covarianceType, init, maxIter: 25, tol: 0, seed: 3, warnings: false }).fit(X);
      const h = [g.initialLogLikelihood, ...g.logLikelihoodHistory];
      assert.is(g.logLikelihoodHistory.length, 25);
      for (let i = 1; i < h.length; i++) {
        assert.ok(h[i] >= h[i - 1] - 1e-5 * Math.abs(h[i - 1]), `${covarianceType}/${init}: step ${i} decreased ${h[i - 1]} -> ${h[i]}`);
      }
      assert.ok(Math.abs(g.score(X) - h[h.length - 1]) < 1e-4, `${covarianceType}: score equals the last history entry`);
    }
  }
});

test('recovers known weights, means and covariances', () => {
  const g = new lk.GaussianMixture({ nComponents: 3, seed: 1 }).fit(X);
  assert.ok(g.converged);
  const means = g.means.toArray(), order = matchRows(means, THREE.means);
  assert.equal([...new Set(order)].length, 3);
  const w = g.weights.data, C = g.covariances;
  assert.equal(C.shape, [3, 2, 2]);
  order.forEach((k, j) => {
    assert.ok(Math.abs(w[k] - THREE.weights[j]) < 0.03, `weight ${w[k]} vs ${THREE.weights[j]}`);
    means[k].forEach((v, i) => assert.ok(Math.abs(v - THREE.means[j][i]) < 0.12, `mean ${v} vs ${THREE.means[j][i]}`));
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
      const v = C.data[k * 4 + a * 2 + b];
      assert.ok(Math.abs(v - THREE.covs[j][a][b]) < 0.15, `cov ${v} vs ${THREE.covs[j][a][b]}`);
    }
  });
  // labels agree with the generating components (up to relabelling)
  const pred = g.predict(X);
  let agree = 0;
  for (let s = 0; s < Y.length; s++) if (pred[s] === order[Y[s]]) agree++;
  assert.ok(agree / Y.length > 0.97, `agreement ${agree / Y.length}`);
});

test('fitPredict equals predict after fit; predictProba rows sum to 1', () => {
  for (const covarianceType of TYPES) {
    const g = new lk.GaussianMixture({ nComponents: 3, covarianceType, seed: 5, warnings: false });
    const labels = g.fitPredict(X);
    assert.equal(Array.from(labels), Array.from(g.predict(X)), covarianceType);
    const p = g.predictProba(X);
    for (let s = 0; s < 20; s++) assert.ok(Math.abs(p.data[s * 3] + p.data[s * 3 + 1] + p.data[s * 3 + 2] - 1) < 1e-5);
  }
});

test('sample reproduces the fitted means and covariances', () => {
  const g = new lk.GaussianMixture({ nComponents: 3, seed: 2 }).fit(X);
  const { x, labels } = g.sample(30000, 9);
  assert.equal(x.shape, [30000, 2]);
  const M = g.means.data, C = g.covariances.data;
  for (let k = 0; k < 3; k++) {
    const mo = momentsOf(x.data, 2, (s) => labels[s] === k);
    assert.ok(Math.abs(mo.n / 30000 - g.weights.data[k]) < 0.015, 'component frequency');
    for (let i = 0; i < 2; i++) assert.ok(Math.abs(mo.mean[i] - M[k * 2 + i]) < 0.05, `mean ${mo.mean[i]} vs ${M[k * 2 + i]}`);
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(mo.cov[i] - C[k * 4 + i]) < 0.08, `cov ${mo.cov[i]} vs ${C[k * 4 + i]}`);
  }
});

test('maxIter 0 returns the given initialisation; warmStart continues', () => {
  const init = { weights: [0.5, 0.25, 0.25], means: [[0, 0], [5, 0], [0, 5]], covariances: 1000 };
  const g = new lk.GaussianMixture({ nComponents: 3, init, maxIter: 0 }).fit(X);
  assert.equal(g.means.toArray(), init.means);
  assert.equal(Array.from(g.weights.data), init.weights);
  assert.equal(Array.from(g.covariances.data.slice(0, 4)), [1000, 0, 0, 1000]);
  assert.is(g.logLikelihoodHistory.length, 0);
  const w = new lk.GaussianMixture({ nComponents: 3, init, maxIter: 5, tol: 0, warmStart: true, warnings: false }).fit(X);
  const last = w.logLikelihoodHistory[4];
  w.fit(X);
  assert.ok(Math.abs(w.initialLogLikelihood - last) < 1e-9, 'warm start begins where the last fit ended');
});

test('a degenerate component raises the regCovar error', () => {
  const same = lk.tensor(Array.from({ length: 20 }, (_, i) => (i < 10 ? [1, 2] : [3, 4])));
  throwsMatch(() => new lk.GaussianMixture({ nComponents: 2, regCovar: 0, seed: 0 }).fit(same), /increase regCovar.*reduce nComponents or scale the data/);
  throwsMatch(() => new lk.GaussianMixture({ nComponents: 2, covarianceType: 'diag', regCovar: 0, seed: 0 }).fit(same), /regCovar/);
  // the default regCovar keeps the same data fittable
  const g = new lk.GaussianMixture({ nComponents: 2, seed: 0 }).fit(same);
  assert.ok(Number.isFinite(g.score(same)));
});

test('bad input raises clear errors', () => {
  throwsMatch(() => new lk.GaussianMixture({ nComponents: 3 }).fit(lk.tensor([[NaN, 1], [1, 2], [3, 4]])), /non-finite/);
  throwsMatch(() => new lk.GaussianMixture({ nComponents: 5 }).fit(lk.tensor([[1, 1], [1, 2]])), /only 2 samples/);
  throwsMatch(() => new lk.GaussianMixture({ nComponents: 0 }), /nComponents/);
  throwsMatch(() => new lk.GaussianMixture({ nComponents: 2, covarianceType: 'weird' }), /covarianceType/);
  throwsMatch(() => new lk.GaussianMixture({ nComponents: 2 }).predict(X), /not fitted/);
  const g = new lk.GaussianMixture({ nComponents: 2, seed: 0, warnings: false }).fit(X);
  throwsMatch(() => g.predict(lk.zeros([3, 5])), /5 features but the model was fitted on 2/);
  throwsMatch(() => g.predict(new Float32Array(4)), /needs its shape/);
  assert.is(g.predict(new Float32Array(4), [2, 2]).length, 2);
  throwsMatch(() => new lk.GaussianMixture({ nComponents: 2, init: { means: [[0, 0]] } }).fit(X), /means have shape/);
});

test('bic picks the true number of components; nInit keeps the best run; onIteration can stop', () => {
  const bic = [1, 2, 3, 4].map((k) => new lk.GaussianMixture({ nComponents: k, seed: 4, warnings: false }).fit(X).bic(X));
  assert.is(bic.indexOf(Math.min(...bic)), 2, `bic ${bic}`);
  const one = new lk.GaussianMixture({ nComponents: 6, init: 'random', seed: 8, maxIter: 10, warnings: false }).fit(X);
  const many = new lk.GaussianMixture({ nComponents: 6, init: 'random', seed: 8, maxIter: 10, nInit: 3, warnings: false }).fit(X);
  assert.ok(many.score(X) >= one.score(X) - 1e-9);
  let calls = 0;
  const s = new lk.GaussianMixture({ nComponents: 3, seed: 1, tol: 0, maxIter: 50, onIteration: ({ iter }) => { calls++; return iter < 3; } }).fit(X);
  assert.is(calls, 3); assert.is(s.logLikelihoodHistory.length, 3);
  const aic = new lk.GaussianMixture({ nComponents: 3, seed: 1 }).fit(X).aic(X);
  assert.ok(aic < bic[2] + 1e-6);
});

test.run();
