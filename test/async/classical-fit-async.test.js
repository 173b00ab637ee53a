// fitAsync() of the classical models (issue 16): fit()'s arguments and exact
// results, a turn of the event loop between EM steps / Lloyd iterations /
// mini-batches, and an AbortSignal (a constructor option) that stops it early
// with a usable model.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, throwsMatch } from '../helpers.js';

lk.seed(11);
const X = lk.randn([400, 2]);
const B = lk.tensor(Array.from({ length: 200 }, (_, i) => Array.from({ length: 10 }, (_, j) => ((i * 5 + j * 3) % 7 < 3 + (i % 2) ? 1 : 0))));
const yl = Int32Array.from({ length: 80 }, (_, i) => (X.data[i * 2] > 0 ? 1 : 0));
const XL = lk.tensor(Array.from(X.data.subarray(0, 160)), [80, 2]), XU = lk.tensor(Array.from(X.data.subarray(160)), [320, 2]);
const S = lk.rand([300, 3]);
const arr = (t) => Array.from(t instanceof lk.Tensor ? t.data : t);

// [model, fit arguments, its results]
const CASES = [
  ['GaussianMixture', (o = {}) => new lk.GaussianMixture({ nComponents: 3, seed: 2, maxIter: 30, nInit: 2, warnings: false, ...o }), [X],
    (m) => [arr(m.means), arr(m.covariances), arr(m.predict(X)), m.logLikelihoodHistory, m.nIter]],
  ['BernoulliMixture', (o = {}) => new lk.BernoulliMixture({ nComponents: 3, seed: 3, alpha1: 1e-3, alpha2: 1e-3, warnings: false, ...o }), [B],
    (m) => [arr(m.probs), arr(m.weights), m.logLikelihoodHistory, m.nIter]],
  ['SemiSupervisedGDA', (o = {}) => new lk.SemiSupervisedGDA({ maxIter: 20, ...o }), [XL, yl, XU],
    (m) => [m.phi, arr(m.means), arr(m.covariances), m.logLikelihoodHistory, m.nIter]],
  ['KMeans', (o = {}) => new lk.KMeans({ nClusters: 4, seed: 4, nInit: 3, ...o }), [X],
    (m) => [arr(m.centroids), arr(m.labels), m.inertia, m.nIter]],
  ['PCA', (o = {}) => new lk.PCA({ nComponents: 2, ...o }), [S],
    (m) => [arr(m.components), arr(m.transform(S)), m.noiseVariance]],
  ['ICA', (o = {}) => new lk.ICA({ epochs: 3, seed: 5, ...o }), [S],
    (m) => [arr(m.unmixing), arr(m.transform(S)), m.logLikelihoodHistory]],
];

test('fitAsync gives exactly what fit gives, and lets the event loop run between steps', async () => {
  for (const [name, make, args, results] of CASES) {
    const sync = make().fit(...args);
    let turns = 0, alive = true;
    const tick = () => { if (alive) { turns++; setImmediate(tick); } };
    setImmediate(tick);
    const m = make(), p = m.fitAsync(...args);
    assert.instance(p, Promise);
    assert.is(await p, m, `${name}: resolves to the model`);
    alive = false;
    assert.equal(results(m), results(sync), `${name}: fitAsync equals fit`);
    assert.ok(turns >= 1, `${name}: the event loop ran during the fit (${turns} turns)`);
  }
});

test('AbortSignal.timeout stops a long fitAsync early with a usable model', async () => {
  const long = [
    ['GaussianMixture', () => new lk.GaussianMixture({ nComponents: 3, seed: 1, maxIter: 1e7, tol: 0, warnings: false, signal: AbortSignal.timeout(40) }), [X],
      (m) => { assert.ok(m.nIter > 0 && m.nIter < 1e7); assert.ok(Number.isFinite(m.score(X))); assert.is(m.predict(X).length, 400); }],
    ['BernoulliMixture', () => new lk.BernoulliMixture({ nComponents: 3, seed: 1, maxIter: 1e7, tol: 0, alpha1: 1e-3, alpha2: 1e-3, warnings: false, signal: AbortSignal.timeout(40) }), [B],
      (m) => { assert.ok(m.nIter > 0 && m.nIter < 1e7); assert.ok(Number.isFinite(m.score(B))); }],
    ['SemiSupervisedGDA', () => new lk.SemiSupervisedGDA({ maxIter: 1e7, tol: 0, signal: AbortSignal.timeout(40) }), [XL, yl, XU],
      (m) => { assert.ok(m.nIter > 0 && m.nIter < 1e7); assert.is(m.predict(X).length, 400); }],
    ['KMeans', () => new lk.KMeans({ nClusters: 8, seed: 1, nInit: 1e6, signal: AbortSignal.timeout(40) }), [X],
      (m) => { assert.equal(m.centroids.shape, [8, 2]); assert.ok(Number.isFinite(m.score(X))); }],
    ['ICA', () => new lk.ICA({ epochs: 1e6, seed: 1, signal: AbortSignal.timeout(40) }), [S],
      (m) => { assert.ok(m.stopped); assert.ok(m.history.length < 1e6); assert.equal(m.transform(S).shape, [300, 3]); }],
  ];
  for (const [name, make, args, usable] of long) {
    const t0 = performance.now(), m = await make().fitAsync(...args), ms = performance.now() - t0;
    assert.ok(ms < 5000, `${name}: stopped after ${ms.toFixed(0)} ms`);
    usable(m);
    const back = lk[name].fromBytes(m.toBytes()); // and it saves
    assert.instance(back, lk[name]);
  }
});

test('fit during a fitAsync is refused; a fitAsync that fails rejects and keeps the old fit', async () => {
  const g = new lk.GaussianMixture({ nComponents: 2, seed: 0, maxIter: 50, tol: 0, warnings: false }).fit(X);
  const running = g.fitAsync(X);
  throwsMatch(() => g.fit(X), /GaussianMixture\.fit: an earlier fitAsync\(\) on this model is still running/);
  assert.is(await running, g);
  g.onIteration = ({ iter }) => { if (iter === 3) throw new Error('stop here'); };
  const before = arr(g.means);
  let err = null;
  try { await g.fitAsync(X); } catch (e) { err = e; }
  assert.match(err?.message ?? '', /stop here/);
  assert.equal(arr(g.means), before);
  assert.ok(Number.isFinite(g.score(X)));
});

test.run();
