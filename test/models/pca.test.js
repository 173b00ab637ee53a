// PCA: reconstruction error = sum of the dropped eigenvalues, orthonormal
// components, whitening, nComponentsFor.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lk, RUNS, seededData, throwsMatch } from '../helpers.js';

/** Correlated data: N x D = Z [N x D] · M [D x D] + offset. */
function data(n, d, seed) {
  const z = seededData(n * d, seed, 1), m = seededData(d * d, seed + 1, 1), x = new Float32Array(n * d);
  for (let s = 0; s < n; s++) for (let j = 0; j < d; j++) {
    let v = 3 + j;
    for (let k = 0; k < d; k++) v += z[s * d + k] * m[k * d + j] * (k + 1);
    x[s * d + j] = v;
  }
  return lk.tensor(x, [n, d]);
}

test('reconstruction error equals the sum of the dropped eigenvalues', () => {
  fc.assert(fc.property(fc.integer({ min: 2, max: 8 }), fc.integer(), fc.integer({ min: 1, max: 8 }), (d, seed, kk) => {
    const k = Math.min(kk, d), n = 60;
    const X = data(n, d, seed);
    const pca = new lk.PCA({ nComponents: k }).fit(X);
    const R = pca.inverseTransform(pca.transform(X));
    let err = 0;
    for (let i = 0; i < X.size; i++) err += (X.data[i] - R.data[i]) ** 2;
    err /= n - 1;
    const ev = pca.eigenvalues.data;
    let dropped = 0, total = 0;
    for (let i = 0; i < d; i++) { total += ev[i]; if (i >= k) dropped += ev[i]; }
    assert.ok(Math.abs(err - dropped) < 1e-3 * total + 1e-6, `error ${err} vs dropped ${dropped}`);
    assert.ok(Math.abs(pca.noiseVariance - dropped) < 1e-9 + 1e-6 * total);
  }), { numRuns: RUNS });
});

test('components are orthonormal rows; projections have variance = explainedVariance and are uncorrelated', () => {
  const X = data(400, 6, 3), pca = new lk.PCA({ nComponents: 4 }).fit(X);
  const C = pca.components.toArray();
  assert.equal(pca.components.shape, [4, 6]);
  for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) {
    const dot = C[a].reduce((s, v, i) => s + v * C[b][i], 0);
    assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-5);
  }
  const Z = pca.transform(X).data, ev = pca.explainedVariance.data;
  for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) {
    let s = 0;
    for (let n = 0; n < 400; n++) s += Z[n * 4 + a] * Z[n * 4 + b];
    s /= 399;
    assert.ok(Math.abs(s - (a === b ? ev[a] : 0)) < 1e-3 * ev[0], `cov ${a},${b} = ${s}`);
  }
  for (let i = 1; i < 4; i++) assert.ok(ev[i] <= ev[i - 1]);
  const ratio = pca.explainedVarianceRatio.data.reduce((a, b) => a + b, 0);
  assert.ok(ratio <= 1 + 1e-6 && ratio > 0.5);
});

test('whitening gives unit variance; a fraction picks nComponentsFor(fraction)', () => {
  const X = data(300, 5, 8);
  const w = new lk.PCA({ nComponents: 3, whiten: true }).fit(X);
  const Z = w.transform(X).data;
  for (let a = 0; a < 3; a++) { let s = 0; for (let n = 0; n < 300; n++) s += Z[n * 3 + a] ** 2; assert.ok(Math.abs(s / 299 - 1) < 1e-3); }
  const R = w.inverseTransform(w.transform(X)), plain = new lk.PCA({ nComponents: 3 }).fit(X);
  const R2 = plain.inverseTransform(plain.transform(X));
  for (let i = 0; i < 30; i++) assert.ok(Math.abs(R.data[i] - R2.data[i]) < 1e-3);
  const full = new lk.PCA().fit(X);
  const k95 = full.nComponentsFor(0.95);
  assert.is(new lk.PCA({ nComponents: 0.95 }).fit(X).nComponents, k95);
  const ev = full.eigenvalues.data, tot = ev.reduce((a, b) => a + b, 0);
  let c = 0; for (let i = 0; i < k95; i++) c += ev[i];
  assert.ok(c / tot >= 0.95 && (k95 === 1 || (c - ev[k95 - 1]) / tot < 0.95));
  assert.ok(full.nComponentsFor(0.99) >= k95);
});

test('errors', () => {
  throwsMatch(() => new lk.PCA({ nComponents: 10 }).fit(data(5, 3, 1)), /at most 3/);
  throwsMatch(() => new lk.PCA({ nComponents: -1 }), /nComponents/);
  throwsMatch(() => new lk.PCA().fit(lk.tensor([[1, 2]])), /at least 2 samples/);
  throwsMatch(() => new lk.PCA().transform(lk.tensor([[1, 2]])), /not fitted/);
  const p = new lk.PCA({ nComponents: 2 }).fit(data(20, 3, 2));
  throwsMatch(() => p.transform(lk.zeros([2, 4])), /4 features/);
  throwsMatch(() => p.inverseTransform(lk.zeros([2, 3])), /3 features/);
});

test.run();
