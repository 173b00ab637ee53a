// Files of the classical models (issue 11, 'Model files that cannot lie'):
// save(path) / load(path) and toBytes() / fromBytes() in the checksummed
// format of format.ts; a loaded model predicts exactly as the saved one; an
// unfitted model, a wrong model name, a flipped bit and a NaN give clear errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lk, throwsMatch } from '../helpers.js';
import { crc32 } from '../../dist/models/format.js';
import { gaussianMixtureData, THREE } from './synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'latentkit-classical-files-'));
const { x: X } = gaussianMixtureData(300, THREE.weights, THREE.means, THREE.covs, 5);
const B = lk.tensor(Array.from({ length: 200 }, (_, i) => Array.from({ length: 12 }, (_, j) => ((i * 7 + j * 3) % 5 < 2 + (i % 3) ? 1 : 0))));
const yl = Int32Array.from({ length: 60 }, (_, i) => (X.data[i * 2] > 0 ? 1 : 0));
const XL = lk.tensor(Array.from(X.data.subarray(0, 120)), [60, 2]), XU = lk.tensor(Array.from(X.data.subarray(120)), [240, 2]);
lk.seed(3);
const S = lk.rand([400, 3]);

const arr = (t) => Array.from(t instanceof lk.Tensor ? t.data : t);
// name -> [make a fitted model, what must be identical after a round trip]
const CASES = {
  GaussianMixture: ['full', 'diag', 'spherical', 'tied'].map((covarianceType) => [
    () => new lk.GaussianMixture({ nComponents: 3, covarianceType, seed: 1, warnings: false }).fit(X),
    (m) => [arr(m.predict(X)), arr(m.predictProba(X)), m.score(X), arr(m.means), arr(m.covariances), m.nIter, m.converged, m.logLikelihoodHistory],
  ]),
  BernoulliMixture: [[
    () => new lk.BernoulliMixture({ nComponents: 3, seed: 2, alpha1: 1e-3, alpha2: 1e-3, warnings: false }).fit(B),
    (m) => [arr(m.predict(B)), arr(m.predictProba(B)), m.score(B), arr(m.probs), arr(m.weights), m.logLikelihoodHistory],
  ]],
  SemiSupervisedGDA: [[
    () => new lk.SemiSupervisedGDA({ lambda: 0.5, maxIter: 20 }).fit(XL, yl, XU),
    (m) => [arr(m.predict(X)), arr(m.predictProba(X)), m.phi, arr(m.means), arr(m.covariances), m.nIter, m.logLikelihoodHistory],
  ]],
  KMeans: [[
    () => new lk.KMeans({ nClusters: 3, seed: 4 }).fit(X),
    (m) => [arr(m.predict(X)), arr(m.transform(X)), m.score(X), arr(m.centroids), arr(m.labels), m.inertia, m.nIter],
  ]],
  PCA: [[
    () => new lk.PCA({ nComponents: 2, whiten: true }).fit(S),
    (m) => [arr(m.transform(S)), arr(m.inverseTransform(m.transform(S))), arr(m.explainedVarianceRatio), m.noiseVariance, m.nComponentsFor(0.5)],
  ]],
  ICA: [[
    () => new lk.ICA({ epochs: 3, seed: 5 }).fit(S),
    (m) => [arr(m.transform(S)), arr(m.unmixing), arr(m.mixing), m.logLikelihoodHistory, m.stopped],
  ]],
};

for (const [name, cases] of Object.entries(CASES)) {
  test(`${name}: toBytes / fromBytes and save / load predict exactly as the fitted model`, () => {
    cases.forEach(([make, answers], i) => {
      const m = make(), want = answers(m);
      const bytes = m.toBytes();
      assert.instance(bytes, Uint8Array);
      const back = lk[name].fromBytes(bytes);
      assert.instance(back, lk[name]);
      assert.equal(answers(back), want, `${name} case ${i}: fromBytes`);
      const path = join(dir, `${name}-${i}.lkm`);
      assert.is(m.save(path), m);
      assert.equal(answers(lk[name].load(path)), want, `${name} case ${i}: load`);
    });
  });
}

test('the config is the plain-data options: a loaded model refits as the saved one would', () => {
  const g = new lk.GaussianMixture({ nComponents: 3, covarianceType: 'diag', regCovar: 1e-4, seed: 9, maxIter: 7, warnings: false }).fit(X);
  const back = lk.GaussianMixture.fromBytes(g.toBytes());
  assert.is(back.covarianceType, 'diag');
  assert.is(back.regCovar, 1e-4);
  assert.is(back.maxIter, 7);
  const fresh = new lk.GaussianMixture({ nComponents: 3, covarianceType: 'diag', regCovar: 1e-4, seed: 9, maxIter: 7, warnings: false }).fit(X);
  assert.equal(arr(back.fit(X).means), arr(fresh.means));
});

test('an unfitted model is not saved; a wrong model name, a flipped bit and a NaN are refused', () => {
  for (const [name, cases] of Object.entries(CASES)) {
    const unfitted = { GaussianMixture: { nComponents: 2 }, BernoulliMixture: { nComponents: 2 }, KMeans: { nClusters: 2 } }[name];
    throwsMatch(() => new lk[name](unfitted).toBytes(), new RegExp(`${name}\\.toBytes: the model is not fitted yet`));
    throwsMatch(() => new lk[name](unfitted).save(join(dir, 'never.lkm')), new RegExp(`${name}\\.save: the model is not fitted yet`));
    const bytes = cases[0][0]().toBytes();
    const other = name === 'KMeans' ? 'PCA' : 'KMeans';
    throwsMatch(() => lk[other].fromBytes(bytes), new RegExp(`holds a ${name} model, not a ${other}; load it with lk\\.${name}\\.load\\(\\)`));
    const flipped = bytes.slice();
    flipped[flipped.length - 3] ^= 0x10;
    throwsMatch(() => lk[name].fromBytes(flipped), /CRC-32 checksum does not match/);
    // a NaN in the first stored value, with a recomputed checksum (a file that was wrong when written)
    const nan = bytes.slice(), view = new DataView(nan.buffer);
    view.setFloat32(16 + view.getUint32(8, true), NaN, true);
    view.setUint32(12, crc32(nan.subarray(16)), true);
    throwsMatch(() => lk[name].fromBytes(nan), /has a NaN value in/);
    throwsMatch(() => lk[name].load(join(dir, 'missing.lkm')), new RegExp(`${name}\\.load: cannot read`));
  }
});

test('a file that lacks a fitted tensor, or has a config the model refuses, names the problem', () => {
  const bytes = CASES.KMeans[0][0]().toBytes(), view = new DataView(bytes.buffer);
  const h = view.getUint32(8, true), head = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + h)));
  const rewrite = (header, payload) => {
    let json = new TextEncoder().encode(JSON.stringify(header));
    const padded = new Uint8Array(Math.ceil(json.length / 4) * 4).fill(0x20);
    padded.set(json); json = padded;
    const out = new Uint8Array(16 + json.length + payload.length);
    out.set(bytes.subarray(0, 8)); out.set(json, 16); out.set(payload, 16 + json.length);
    const v = new DataView(out.buffer);
    v.setUint32(8, json.length, true);
    v.setUint32(12, crc32(out.subarray(16)), true);
    return out;
  };
  const payload = bytes.subarray(16 + h), centroidBytes = head.tensors[0].shape.reduce((a, b) => a * b, 1) * 4;
  const noLabels = rewrite({ ...head, tensors: [head.tensors[0]] }, payload.subarray(0, centroidBytes));
  throwsMatch(() => lk.KMeans.fromBytes(noLabels), /KMeans\.load: the toBytes\(\) data has no tensor "labels"/);
  const badConfig = rewrite({ ...head, config: { ...head.config, nClusters: -1 } }, payload);
  throwsMatch(() => lk.KMeans.fromBytes(badConfig), /has a config the model refuses: KMeans: nClusters must be a positive integer/);
  const wrongK = rewrite({ ...head, config: { ...head.config, nClusters: 4 } }, payload);
  throwsMatch(() => lk.KMeans.fromBytes(wrongK), /stores "centroids" with shape \[3,2\]; expected \[4,2\]/);
});

test.run();
