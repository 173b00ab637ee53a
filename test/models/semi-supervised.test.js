// SemiSupervisedGDA: monotone hybrid objective, unlabeled data help, errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, throwsMatch } from '../helpers.js';
import { gaussianMixtureData } from './synthetic.js';

const W = [0.4, 0.6], M = [[0, 0], [2.5, 1]], C = [[[1, 0.6], [0.6, 1]], [[1, -0.5], [-0.5, 1.5]]];
const lab = gaussianMixtureData(12, W, M, C, 31), unl = gaussianMixtureData(1500, W, M, C, 32), tst = gaussianMixtureData(3000, W, M, C, 33);
const acc = (m) => { const p = m.predict(tst.x); let a = 0; for (let i = 0; i < p.length; i++) if (p[i] === tst.y[i]) a++; return a / p.length; };

test('the hybrid objective never decreases; unlabeled data bring the estimate to the truth', () => {
  const g = new lk.SemiSupervisedGDA({ lambda: 1, maxIter: 200, tol: 1e-8 }).fit(lab.x, lab.y, unl.x);
  const h = g.logLikelihoodHistory;
  assert.ok(h.length > 2);
  for (let i = 1; i < h.length; i++) assert.ok(h[i] >= h[i - 1] - 1e-7, `step ${i}: ${h[i - 1]} -> ${h[i]}`);
  assert.ok(Math.abs(g.phi - 0.6) < 0.05, `phi ${g.phi}`);
  g.means.toArray().forEach((m, j) => m.forEach((v, i) => assert.ok(Math.abs(v - M[j][i]) < 0.25, `mean ${v} vs ${M[j][i]}`)));
  assert.equal(g.covariances.shape, [2, 2, 2]);
  const labeledOnly = new lk.SemiSupervisedGDA({ maxIter: 0, regCovar: 1e-6 }).fit(lab.x, lab.y, unl.x);
  assert.ok(acc(g) >= acc(labeledOnly) - 0.005, `semi ${acc(g)} vs labeled-only ${acc(labeledOnly)}`);
  assert.ok(acc(g) > 0.85);
  const p = g.predictProba(tst.x).data;
  assert.ok(Math.abs(p[0] + p[1] - 1) < 1e-6);
});

test('lambda = 0 ignores the unlabeled data', () => {
  const a = new lk.SemiSupervisedGDA({ lambda: 0 }).fit(lab.x, lab.y, unl.x);
  const b = new lk.SemiSupervisedGDA({}).fit(lab.x, lab.y);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(a.means.data[i] - b.means.data[i]) < 1e-5);
  assert.ok(Math.abs(a.phi - b.phi) < 1e-9);
});

test('errors', () => {
  throwsMatch(() => new lk.SemiSupervisedGDA().fit(lab.x, [0, 1]), /labels for 12/);
  throwsMatch(() => new lk.SemiSupervisedGDA().fit(lab.x, new Int32Array(12)), /each class/);
  throwsMatch(() => new lk.SemiSupervisedGDA().fit(lab.x, Int32Array.from(lab.y, (v) => v * 2)), /must be 0 or 1/);
  throwsMatch(() => new lk.SemiSupervisedGDA().fit(lab.x, lab.y, lk.zeros([3, 3])), /3 features/);
  const same = lk.tensor([[1, 1], [1, 1], [2, 2], [2, 2]]);
  throwsMatch(() => new lk.SemiSupervisedGDA({ regCovar: 0 }).fit(same, [0, 0, 1, 1]), /regCovar/);
  throwsMatch(() => new lk.SemiSupervisedGDA().predict(lab.x), /not fitted/);
});

test('maxIter 0 is the labelled-only GDA estimate (φ = labelled fraction of y = 1, class means and covariances)', () => {
  const g = new lk.SemiSupervisedGDA({ maxIter: 0, regCovar: 0 }).fit(lab.x, lab.y, unl.x);
  const n = lab.y.length, d = 2, X = lab.x.data;
  const ones = Array.from(lab.y).filter((v) => v === 1).length;
  assert.ok(Math.abs(g.phi - ones / n) < 1e-12, `phi ${g.phi} vs ${ones / n}`);
  for (let k = 0; k < 2; k++) {
    const rows = [];
    for (let i = 0; i < n; i++) if (lab.y[i] === k) rows.push([X[i * d], X[i * d + 1]]);
    const mu = [0, 1].map((j) => rows.reduce((a, r) => a + r[j], 0) / rows.length);
    for (let j = 0; j < d; j++) assert.ok(Math.abs(g.means.data[k * d + j] - mu[j]) < 1e-5, `mean ${k},${j}`);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
      const c = rows.reduce((s, r) => s + (r[a] - mu[a]) * (r[b] - mu[b]), 0) / rows.length; // ML covariance (÷ N_k)
      assert.ok(Math.abs(g.covariances.data[k * d * d + a * d + b] - c) < 1e-5, `cov ${k} ${a}${b}: ${g.covariances.data[k * d * d + a * d + b]} vs ${c}`);
    }
  }
  // the same estimate with no unlabelled data at all
  const alone = new lk.SemiSupervisedGDA({ regCovar: 0 }).fit(lab.x, lab.y);
  assert.ok(Math.abs(alone.phi - g.phi) < 1e-12);
  // and EM from it moves φ towards the truth (0.6), not from ~0
  const em1 = new lk.SemiSupervisedGDA({ maxIter: 1, tol: 0 }).fit(lab.x, lab.y, unl.x);
  assert.ok(em1.phi > 0.3 && em1.phi < 0.9, `phi after one EM step ${em1.phi}`);
});

test.run();
