// Every classical model refuses an unknown option, naming it and listing the
// known ones, and checks option values with messages that name the option.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, throwsMatch } from '../helpers.js';

function refuses(build, model, typo, known) {
  let message = '';
  try { build(); } catch (e) { message = e.message; }
  assert.ok(message, `${model}: an unknown option '${typo}' was accepted`);
  assert.match(message, new RegExp(`^${model}: unknown option '${typo}'; known options: `));
  for (const k of known) assert.ok(message.includes(k), `${model}: "${message}" does not list '${k}'`);
}

const mixture = ['nComponents', 'maxIter', 'tol', 'nInit', 'seed', 'warmStart', 'warnings', 'onIteration', 'signal'];

test('mixtures refuse unknown constructor options and list the known ones', () => {
  refuses(() => new lk.GaussianMixture({ nComponents: 2, maxIters: 5 }), 'GaussianMixture', 'maxIters', [...mixture, 'covarianceType', 'regCovar', 'init']);
  refuses(() => new lk.BernoulliMixture({ nComponents: 2, alpha: 1 }), 'BernoulliMixture', 'alpha', [...mixture, 'alpha1', 'alpha2', 'init']);
  refuses(() => new lk.SemiSupervisedGDA({ lamda: 1 }), 'SemiSupervisedGDA', 'lamda', ['lambda', 'maxIter', 'tol', 'regCovar', 'onIteration', 'signal']);
});

test('K-means, PCA and ICA refuse unknown constructor options', () => {
  refuses(() => new lk.KMeans({ nClusters: 2, nClusters2: 3 }), 'KMeans', 'nClusters2', ['nClusters', 'maxIter', 'tol', 'init', 'nInit', 'seed', 'onIteration']);
  refuses(() => new lk.PCA({ n_components: 2 }), 'PCA', 'n_components', ['nComponents', 'whiten', 'svdSolver']);
  refuses(() => new lk.ICA({ epoch: 3 }), 'ICA', 'epoch', ['learningRate', 'epochs', 'batchSize', 'seed', 'natural', 'density', 'whiten', 'schedule', 'onEpoch', 'signal']);
});

test('the KL tools refuse unknown options', () => {
  refuses(() => lk.kl.fitGaussian((x) => lk.neg(lk.mul(x, x)), { direction: 'reverse', point: 101 }), 'fitGaussian', 'point', ['direction', 'lo', 'hi', 'points']);
  refuses(() => lk.kl.klMonteCarloGaussian([0], 1, [1], 1, { sample: 10 }), 'klMonteCarloGaussian', 'sample', ['samples', 'seed']);
  throwsMatch(() => lk.kl.fitGaussian((x) => x, { points: 5 }), /fitGaussian: points must be an integer >= 11/);
});

test('the options of API.md and of the callers are known', () => {
  const signal = new AbortController().signal;
  new lk.GaussianMixture({ nComponents: 2, maxIter: 3, tol: 0, regCovar: 1e-6, covarianceType: 'diag', init: 'random', nInit: 1, seed: 1, warnings: false, warmStart: false, signal, onIteration: () => {} });
  new lk.BernoulliMixture({ nComponents: 2, maxIter: 3, tol: 0, alpha1: 1e-8, alpha2: 1e-8, init: 'random', seed: 1, warnings: false });
  new lk.SemiSupervisedGDA({ lambda: 1, maxIter: 3, tol: 1e-5, regCovar: 1e-3, signal, warnings: false, onIteration: () => {} });
  new lk.KMeans({ nClusters: 2, maxIter: 3, tol: 1e-4, init: 'k-means++', nInit: 2, seed: 1, onIteration: () => {} });
  new lk.PCA({ nComponents: 2, whiten: true, svdSolver: 'full' });
  new lk.ICA({ learningRate: 0.01, epochs: 2, batchSize: 8, seed: 1, natural: true, density: 'extended', whiten: true, schedule: [0.1], onEpoch: () => {}, signal });
});

test('option values: messages name the model and the option', () => {
  throwsMatch(() => new lk.GaussianMixture({ nComponents: 2, maxIter: 1.5 }), /GaussianMixture: maxIter must be a non-negative integer/);
  throwsMatch(() => new lk.GaussianMixture({ nComponents: 2, covarianceType: 'ful' }), /GaussianMixture: covarianceType must be 'full' or 'diag'/);
  throwsMatch(() => new lk.BernoulliMixture({ nComponents: 2, warmStart: 'yes' }), /BernoulliMixture: warmStart must be true or false/);
  throwsMatch(() => new lk.KMeans({ nClusters: 0 }), /KMeans: nClusters must be a positive integer/);
  throwsMatch(() => new lk.ICA({ learningRate: -1 }), /ICA: learningRate must be a positive finite number/);
  throwsMatch(() => new lk.PCA({ svdSolver: 'arpack' }), /PCA: svdSolver must be 'auto' or 'full' or 'randomized'/);
  throwsMatch(() => new lk.SemiSupervisedGDA({ onIteration: 3 }), /SemiSupervisedGDA: onIteration must be a function/);
});

test('ICA runs on the shared epoch loop: onEpoch infos, history and signal', () => {
  const rng = new lk.Rng(3), n = 400, x = new Float32Array(n * 2);
  for (let t = 0; t < n; t++) { const a = Math.sign(rng.uniform() - 0.5), b = rng.uniform() * 2 - 1; x[t * 2] = a + 0.5 * b; x[t * 2 + 1] = 0.3 * a - b; }
  const seen = [];
  const ica = new lk.ICA({ epochs: 4, seed: 1, onEpoch: (e) => { seen.push(e); } }).fit(x, [n, 2]);
  assert.equal(seen.map((e) => e.epoch), [0, 1, 2, 3]);
  assert.equal(ica.logLikelihoodHistory, seen.map((e) => e.logLikelihood));
  seen.forEach((e) => assert.ok(Math.abs(e.loss + e.logLikelihood) < 1e-12));
  assert.equal(ica.history.length, 4);
  const ac = new AbortController();
  const stopped = new lk.ICA({ epochs: 4, seed: 1, signal: ac.signal, onEpoch: () => { ac.abort(); } }).fit(x, [n, 2]);
  assert.ok(stopped.stopped);
  assert.equal(stopped.history.length, 1);
  assert.equal(stopped.logLikelihoodHistory[0], ica.logLikelihoodHistory[0]);
});

test('SemiSupervisedGDA runs on the EM loop: an aborted signal stops it after one step', () => {
  const rng = new lk.Rng(4), gen = (m, k) => Array.from({ length: k }, () => [m + rng.normal(), m + rng.normal()]);
  const xl = lk.tensor([...gen(-2, 10), ...gen(2, 10)]), yl = [...Array(10).fill(0), ...Array(10).fill(1)];
  const xu = lk.tensor([...gen(-2, 100), ...gen(2, 100)]);
  const ac = new AbortController();
  const calls = [];
  const m = new lk.SemiSupervisedGDA({ tol: 0, maxIter: 50, signal: ac.signal, onIteration: (i) => { calls.push(i); ac.abort(); } }).fit(xl, yl, xu);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].iter, 1);
  assert.equal(m.nIter, 1);
  assert.equal(m.logLikelihoodHistory.length, 1);
  assert.not.ok(m.converged);
});

test.run();
