// A failed fit changes nothing (issue 11): a refit that throws (a collapsed
// component, a throwing callback) leaves the previous fit intact and usable;
// GaussianMixture init as nested arrays; BernoulliMixture refuses non-binary
// data in predict/score as fit does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, throwsMatch } from '../helpers.js';
import { gaussianMixtureData, THREE } from './synthetic.js';

const { x: X } = gaussianMixtureData(300, THREE.weights, THREE.means, THREE.covs, 7);
const same = lk.tensor(Array.from({ length: 20 }, (_, i) => (i < 10 ? [1, 2] : [3, 4])));
const arr = (t) => Array.from(t instanceof lk.Tensor ? t.data : t);
const boom = () => { throw new Error('callback failed'); };

test('GaussianMixture: a refit that collapses (regCovar 0) or whose onIteration throws keeps the old fit', () => {
  for (const covarianceType of ['full', 'diag']) {
    const g = new lk.GaussianMixture({ nComponents: 2, covarianceType, seed: 0, warnings: false }).fit(X);
    const before = [arr(g.weights), arr(g.means), arr(g.covariances), arr(g.predict(X)), g.score(X), g.nIter, g.converged, [...g.logLikelihoodHistory]];
    const now = () => [arr(g.weights), arr(g.means), arr(g.covariances), arr(g.predict(X)), g.score(X), g.nIter, g.converged, [...g.logLikelihoodHistory]];
    g.regCovar = 0;
    throwsMatch(() => g.fit(same), /increase regCovar/);
    assert.equal(now(), before, `${covarianceType}: after the collapse`);
    g.regCovar = 1e-6;
    g.onIteration = boom;
    throwsMatch(() => g.fit(X), /callback failed/);
    assert.equal(now(), before, `${covarianceType}: after the throwing callback`);
    g.warmStart = true; // warmStart updates the fitted parameters in place: they too come back
    throwsMatch(() => g.fit(X), /callback failed/);
    assert.equal(now(), before, `${covarianceType}: after a warm-started throwing refit`);
    g.onIteration = undefined;
    assert.ok(Number.isFinite(g.fit(X).score(X)), 'and it refits afterwards');
  }
});

test('a first fit that throws leaves the model unfitted', () => {
  const g = new lk.GaussianMixture({ nComponents: 2, regCovar: 0, seed: 0 });
  throwsMatch(() => g.fit(same), /regCovar/);
  throwsMatch(() => g.predict(X), /not fitted yet/);
  throwsMatch(() => g.toBytes(), /not fitted yet/);
});

test('a failed fit rewinds the seeded generator: the next fit equals a fresh model\'s', () => {
  const opts = { nComponents: 3, init: 'random', seed: 12, maxIter: 10, warnings: false };
  const g = new lk.GaussianMixture({ ...opts, onIteration: boom });
  throwsMatch(() => g.fit(X), /callback failed/);
  g.onIteration = undefined;
  assert.equal(arr(g.fit(X).means), arr(new lk.GaussianMixture(opts).fit(X).means));
  const k = new lk.KMeans({ nClusters: 3, seed: 6, onIteration: boom });
  throwsMatch(() => k.fit(X), /callback failed/);
  k.onIteration = undefined;
  assert.equal(arr(k.fit(X).centroids), arr(new lk.KMeans({ nClusters: 3, seed: 6 }).fit(X).centroids));
});

test('SemiSupervisedGDA: a refit that collapses or whose onIteration throws keeps the old fit', () => {
  const yl = Int32Array.from({ length: 60 }, (_, i) => (X.data[i * 2] > 0 ? 1 : 0));
  const XL = lk.tensor(Array.from(X.data.subarray(0, 120)), [60, 2]), XU = lk.tensor(Array.from(X.data.subarray(120)), [240, 2]);
  const m = new lk.SemiSupervisedGDA({ maxIter: 10 }).fit(XL, yl, XU);
  const now = () => [m.phi, arr(m.means), arr(m.covariances), arr(m.predict(X)), arr(m.predictProba(X)), m.nIter, [...m.logLikelihoodHistory]];
  const before = now();
  m.regCovar = 0;
  throwsMatch(() => m.fit(lk.tensor([[1, 1], [1, 1], [2, 2], [2, 2]]), [0, 0, 1, 1]), /regCovar/);
  assert.equal(now(), before);
  m.regCovar = 1e-6;
  m.onIteration = boom;
  throwsMatch(() => m.fit(XL, yl, XU), /callback failed/);
  assert.equal(now(), before);
});

test('KMeans, BernoulliMixture and ICA: a refit whose callback throws keeps the old fit', () => {
  const k = new lk.KMeans({ nClusters: 3, seed: 1 }).fit(X);
  const kb = [arr(k.centroids), arr(k.labels), k.inertia, arr(k.predict(X))];
  k.onIteration = boom;
  throwsMatch(() => k.fit(lk.rand([50, 2])), /callback failed/);
  assert.equal([arr(k.centroids), arr(k.labels), k.inertia, arr(k.predict(X))], kb);
  const B = lk.tensor(Array.from({ length: 80 }, (_, i) => Array.from({ length: 6 }, (_, j) => ((i + j) % 3 === 0 ? 1 : 0))));
  const b = new lk.BernoulliMixture({ nComponents: 2, seed: 1, alpha1: 1e-3, alpha2: 1e-3, warnings: false }).fit(B);
  const bb = [arr(b.probs), arr(b.weights), arr(b.predict(B))];
  b.onIteration = boom;
  throwsMatch(() => b.fit(B), /callback failed/);
  assert.equal([arr(b.probs), arr(b.weights), arr(b.predict(B))], bb);
  lk.seed(2);
  const S = lk.rand([200, 3]);
  const ica = new lk.ICA({ epochs: 2, seed: 3 }).fit(S);
  const ib = [arr(ica.unmixing), arr(ica.transform(S)), [...ica.logLikelihoodHistory]];
  ica.onEpoch = boom;
  throwsMatch(() => ica.fit(S), /callback failed/);
  assert.equal([arr(ica.unmixing), arr(ica.transform(S)), [...ica.logLikelihoodHistory]], ib);
});

test('GaussianMixture init as nested arrays (the documented form) equals the Tensor form', () => {
  const init = { weights: [0.3, 0.3, 0.4], means: THREE.means, covariances: THREE.covs };
  const opts = { nComponents: 3, maxIter: 5, tol: 0, warnings: false };
  const a = new lk.GaussianMixture({ ...opts, init }).fit(X);
  const b = new lk.GaussianMixture({ ...opts, init: { ...init, means: lk.tensor(THREE.means), covariances: lk.tensor(THREE.covs) } }).fit(X);
  assert.equal(arr(a.means), arr(b.means));
  assert.equal(arr(a.covariances), arr(b.covariances));
  const diag = new lk.GaussianMixture({ ...opts, covarianceType: 'diag', init: { means: THREE.means, covariances: [[1, 1], [1, 2], [2, 1]] } }).fit(X);
  assert.equal(diag.covariances.shape, [3, 2]);
  throwsMatch(() => new lk.GaussianMixture({ ...opts, init: { means: THREE.means, covariances: [[1, 0], [0, 1]] } }).fit(X), /covariances have shape \[2,2\]; covarianceType 'full' needs \[3,2,2\]/);
  throwsMatch(() => new lk.GaussianMixture({ ...opts, init: { means: THREE.means, covariances: [[[1, 0], [0]], [[1, 0], [0, 1]], [[1, 0], [0, 1]]] } }).fit(X), /covariances must be a Tensor or nested arrays of numbers: .*ragged/);
});

test('BernoulliMixture.predict / score / predictProba refuse values outside [0, 1], as fit does', () => {
  const B = lk.tensor(Array.from({ length: 40 }, (_, i) => Array.from({ length: 4 }, (_, j) => ((i + j) % 2))));
  const b = new lk.BernoulliMixture({ nComponents: 2, seed: 1, warnings: false }).fit(B);
  const bad = lk.tensor([[0, 1, 0, 1], [0, 2.5, 1, 0]]);
  throwsMatch(() => b.predict(bad), /BernoulliMixture\.predict: value 2\.5 at sample 1 is outside \[0, 1\]; binarise the data/);
  throwsMatch(() => b.score(lk.tensor([[0, -1, 0, 1]])), /BernoulliMixture\.scoreSamples: value -1 at sample 0 is outside \[0, 1\]/);
  throwsMatch(() => b.predictProba(bad), /BernoulliMixture\.predictProba: value 2\.5/);
  assert.is(b.predict(lk.tensor([[0, 0.5, 1, 0]])).length, 1); // probabilities in [0, 1] are data
});

test.run();
