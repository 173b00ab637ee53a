// ICA: separation of square wave, sawtooth and Laplace noise (Amari index of W·A).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, throwsMatch } from '../helpers.js';

function sources(n, seed) {
  const r = new lk.Rng(seed), s = new Float64Array(n * 3);
  for (let t = 0; t < n; t++) {
    s[t * 3] = Math.sign(Math.sin(t / 37)) || 1; // square wave
    s[t * 3 + 1] = ((t / 53) % 1) * 2 - 1; // sawtooth
    const u = r.uniform() - 0.5;
    s[t * 3 + 2] = -Math.sign(u) * Math.log(1 - 2 * Math.abs(u)); // Laplace
  }
  return s;
}
function mix(s, n, d, seed) {
  const r = new lk.Rng(seed), A = Array.from({ length: d * d }, () => r.uniform() * 2 - 1), x = new Float32Array(n * d);
  for (let t = 0; t < n; t++) for (let i = 0; i < d; i++) { let v = 0; for (let j = 0; j < d; j++) v += A[i * d + j] * s[t * d + j]; x[t * d + i] = v; }
  return { x: lk.tensor(x, [n, d]), A };
}
const amariOf = (ica, A, d) => {
  const W = ica.unmixing.data, P = new Float32Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) { let v = 0; for (let k = 0; k < d; k++) v += W[i * d + k] * A[k * d + j]; P[i * d + j] = v; }
  return lk.amariIndex(lk.tensor(P, [d, d]));
};

test('square wave, sawtooth and Laplace noise: Amari index < 0.05', () => {
  const { x, A } = mix(sources(4000, 1), 4000, 3, 2);
  for (const natural of [true, false]) {
    const ica = new lk.ICA({ density: 'extended', natural, epochs: 40, learningRate: 0.05, batchSize: 32, seed: 1 }).fit(x);
    const a = amariOf(ica, A, 3);
    assert.ok(a < 0.05, `natural=${natural}: Amari index ${a}`);
  }
});

test('the sigmoid (logistic) model separates super-Gaussian sources; transform recovers them', () => {
  const r = new lk.Rng(4), n = 4000, s = new Float64Array(n * 3);
  for (let i = 0; i < s.length; i++) { const u = r.uniform() - 0.5; s[i] = -Math.sign(u) * Math.log(1 - 2 * Math.abs(u)); }
  const { x, A } = mix(s, n, 3, 5);
  const ica = new lk.ICA({ epochs: 40, learningRate: 0.05, seed: 2 }).fit(x);
  assert.ok(amariOf(ica, A, 3) < 0.05, `Amari ${amariOf(ica, A, 3)}`);
  const y = ica.transform(x).data;
  for (let i = 0; i < 3; i++) { // each output correlates ~±1 with one source
    const best = Math.max(...[0, 1, 2].map((j) => {
      let sxy = 0, sxx = 0, syy = 0;
      for (let t = 0; t < n; t++) { sxy += y[t * 3 + i] * s[t * 3 + j]; sxx += y[t * 3 + i] ** 2; syy += s[t * 3 + j] ** 2; }
      return Math.abs(sxy) / Math.sqrt(sxx * syy);
    }));
    assert.ok(best > 0.98, `output ${i} best correlation ${best}`);
  }
  const h = ica.logLikelihoodHistory;
  assert.ok(h[h.length - 1] > h[0] - 1e-3, 'likelihood improved');
});

test('amariIndex: 0 for a scaled permutation, > 0 otherwise; errors', () => {
  assert.is(lk.amariIndex(lk.tensor([[0, 2, 0], [0, 0, -1], [3, 0, 0]])), 0);
  assert.ok(lk.amariIndex(lk.tensor([[1, 1], [0, 1]])) > 0.1);
  const x = lk.tensor(Array.from({ length: 50 }, (_, t) => [t % 7, 2 * (t % 7)]));
  throwsMatch(() => new lk.ICA({ seed: 1 }).fit(x), /linearly dependent/);
  throwsMatch(() => new lk.ICA({ density: 'gauss' }), /density/);
  throwsMatch(() => new lk.ICA().fit(lk.tensor([[1, 2]])), /need more samples/);
});

test.run();
