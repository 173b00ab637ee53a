// The GM-VAE of 001 P7: p(z) uniform, p(w|z) = N(μ_z, σ_z² I), p(x|w) Gaussian (or Bernoulli),
// q(w|x) q(z|w,x), the three-term ELBO, trained on −ELBO.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';
import { mnistSubset } from './mnist.js';
import { tfCpu, tf, toTf, linear, compareStep } from './tfref.js';
import { gmvaeLoss } from '../../bench/refs/gmvae.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOG_2PI = Math.log(2 * Math.PI);

/** K well-separated clusters in D dimensions: x = c_k + 0.3 ε, labels k = i mod K. */
export function clusters(n, seed, K = 3, D = 10) {
  const r = new lk.Rng(seed), c = Array.from({ length: K }, (_, k) => Array.from({ length: D }, (_, d) => 3 * Math.sin(1.7 * (k + 1) * (d + 1))));
  const x = new Float32Array(n * D), y = new Int32Array(n);
  for (let i = 0; i < n; i++) { const k = i % K; y[i] = k; for (let d = 0; d < D; d++) x[i * D + d] = c[k][d] + 0.3 * r.normal(); }
  return { x: lk.tensor(x, [n, D]), y };
}

test('the three terms are the ELBO of P7.1, recomputed by hand from the model pieces', () => {
  lk.seed(51);
  const K = 3, L = 2, D = 5;
  const m = new lk.GMVAE({ inputDim: D, hiddenDim: 8, latentDim: L, nComponents: K, seed: 2 });
  for (let k = 0; k < K; k++) m.priorLogVar.data[k] = 0.4 * (k - 1);
  const x = lk.randn([4, D]), eps = lk.randn([4, L]);
  const t = lk.noGrad(() => m.terms(x, { noise: eps }));
  allClose(t.elbo, lk.add(lk.add(t.recon, t.wTerm), t.zTerm), { atol: 1e-4 });
  const { mu, logVar, hidden } = lk.noGrad(() => m.encode(x));
  const w = lk.add(mu, lk.mul(lk.exp(lk.mul(logVar, 0.5)), eps));
  const logQ = lk.noGrad(() => m.componentLogits(w, hidden));
  const dec = lk.noGrad(() => m.decodeParams(w));
  for (let i = 0; i < 4; i++) {
    let recon = 0, wTerm = 0, zTerm = 0;
    for (let d = 0; d < D; d++) { const j = i * D + d, lv = dec.logVar.data[j]; recon += -0.5 * (LOG_2PI + lv + (x.data[j] - dec.out.data[j]) ** 2 / Math.exp(lv)); }
    for (let k = 0; k < K; k++) {
      const q = Math.exp(logQ.data[i * K + k]), s2 = Math.exp(m.priorLogVar.data[k]);
      let lp = 0;
      for (let l = 0; l < L; l++) lp += -0.5 * (LOG_2PI + Math.log(s2) + (w.data[i * L + l] - m.priorMu.data[k * L + l]) ** 2 / s2);
      wTerm += q * lp;
      zTerm -= q * (Math.log(q) + Math.log(K)); // −KL(q(z|w,x) ‖ U)
    }
    for (let l = 0; l < L; l++) wTerm += 0.5 * (1 + LOG_2PI + logVar.data[i * L + l]); // −E log q(w|x)
    assert.ok(Math.abs(t.recon.data[i] - recon) < 1e-3, `recon ${t.recon.data[i]} vs ${recon}`);
    assert.ok(Math.abs(t.wTerm.data[i] - wTerm) < 1e-3, `wTerm ${t.wTerm.data[i]} vs ${wTerm}`);
    assert.ok(Math.abs(t.zTerm.data[i] - zTerm) < 1e-4, `zTerm ${t.zTerm.data[i]} vs ${zTerm}`);
    assert.ok(zTerm <= 1e-6 && zTerm >= -Math.log(K) - 1e-6);
  }
});

test('the ELBO is a lower bound: ≤ log p(x) estimated by importance sampling (tiny model)', () => {
  lk.seed(52);
  const { x } = clusters(60, 5, 3, 4);
  const m = new lk.GMVAE({ inputDim: 4, hiddenDim: 8, latentDim: 2, nComponents: 3, seed: 3 });
  m.fit(x, { epochs: 5, batchSize: 20, learningRate: 3e-3, seed: 1 });
  const e = lk.noGrad(() => { let acc = null; for (let s = 0; s < 300; s++) { const v = m.terms(x).elbo; acc = acc ? lk.add(acc, v) : v; } return lk.div(acc, 300); });
  const lp = m.logProbSamples(x, { samples: 4000 });
  let gap = 0;
  for (let i = 0; i < 60; i++) {
    assert.ok(e.data[i] <= lp.data[i] + 0.02, `row ${i}: ELBO ${e.data[i]} > log p(x) ≈ ${lp.data[i]}`);
    gap += (lp.data[i] - e.data[i]) / 60;
  }
  assert.ok(gap > 0, `mean gap log p(x) − ELBO = ${gap}`);
  assert.ok(Math.abs(m.logProb(x, { samples: 4000 }) - lk.mean(lp).item()) < 0.05, 'logProb is the mean of logProbSamples');
});

test('training raises the held-out ELBO and every component carries a cluster', () => {
  lk.seed(53);
  const K = 3, train = clusters(1500, 1, K), held = clusters(600, 2, K);
  const m = new lk.GMVAE({ inputDim: 10, hiddenDim: 32, latentDim: 2, nComponents: K, seed: 3 });
  const before = m.elbo(held.x, { samples: 4 });
  const epochs = [];
  m.fit(train.x, { epochs: 30, batchSize: 50, learningRate: 3e-3, seed: 1, onEpoch: (e) => { epochs.push(e); } });
  const after = m.elbo(held.x, { samples: 4 });
  assert.ok(after > before + 20, `held-out ELBO ${before} -> ${after}`);
  assert.ok(epochs.at(-1).elbo > epochs[0].elbo);
  const counts = m.componentCounts(held.x);
  assert.ok(counts.every((c) => c >= 0.2 * 600), `every component carries data: ${Array.from(counts)}`);
  // each component is one cluster (purity)
  const p = m.predict(held.x), best = new Map();
  for (let i = 0; i < p.length; i++) best.set(`${p[i]}:${held.y[i]}`, (best.get(`${p[i]}:${held.y[i]}`) ?? 0) + 1);
  let pure = 0;
  for (let k = 0; k < K; k++) pure += Math.max(...[0, 1, 2].map((c) => best.get(`${k}:${c}`) ?? 0));
  assert.ok(pure / 600 > 0.95, `purity ${pure / 600}`);
  // samples of component k land near cluster k's data
  const s = m.sample(6, [0, 1, 2]);
  assert.equal(s.shape, [6, 10]);
  assert.equal(Array.from(m.predict(s)).slice(0, 3), [0, 1, 2]);
});

test("likelihood 'bernoulli' on binary digits: ELBO rises; save/load; errors", () => {
  lk.seed(54);
  const { x } = mnistSubset(300, { binary: true });
  const m = new lk.GMVAE({ inputDim: 784, hiddenDim: 64, latentDim: 2, nComponents: 4, likelihood: 'bernoulli', seed: 5 });
  const before = m.elbo(x);
  m.fit(x, { epochs: 3, batchSize: 50, learningRate: 2e-3, seed: 2 });
  const after = m.elbo(x);
  assert.ok(after > before + 100, `ELBO ${before} -> ${after}`);
  assert.ok(m.decode(lk.randn([3, 2])).data.every((v) => v >= 0 && v <= 1));
  const path = join(tmpdir(), `lk-gmvae-${process.pid}.lkm`);
  m.save(path);
  const back = lk.GMVAE.load(path);
  assert.equal(back.config(), m.config());
  allClose(back.priorMu, m.priorMu, { atol: 0, rtol: 0 });
  assert.equal(Array.from(back.predict(x.slice([0], [10]))), Array.from(m.predict(x.slice([0], [10]))));
  throwsMatch(() => m.fit(lk.full([2, 784], 2)), /\[0, 1\]/);
  throwsMatch(() => m.sample(2, [7]), /component 7 is not in 0\.\.3/);
  throwsMatch(() => new lk.GMVAE({ inputDim: 4, likelihood: 'poisson' }), /likelihood must be 'bernoulli' or 'gaussian'/);
  assert.is(new lk.GMVAE({ inputDim: 4 }).likelihood, 'gaussian');
});

test('one step (Gaussian decoder, three-term ELBO) matches tfjs: loss and every gradient', async () => {
  await tfCpu();
  lk.seed(55);
  const n = 12, K = 4, L = 3, D = 20;
  const { x } = clusters(n, 7, 3, D);
  const m = new lk.GMVAE({ inputDim: D, hiddenDim: 16, latentDim: L, nComponents: K, seed: 6 });
  for (let k = 0; k < K; k++) m.priorLogVar.data[k] = 0.3 * Math.sin(k + 1);
  const eps = lk.randn([n, L]);
  const { loss } = m.terms(x, { noise: eps });
  compareStep(m, loss, (P) => {
    const tx = toTf(x), c = LOG_2PI;
    const h = tf.tanh(linear(tx, P, 'encHidden'));
    const mu = linear(h, P, 'encMu'), lv = linear(h, P, 'encLogVar');
    const w = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), toTf(eps)));
    const hd = tf.tanh(linear(w, P, 'decHidden'));
    const mean = linear(hd, P, 'decOut');
    const dlv = tf.add(tf.softplus(tf.sub(linear(hd, P, 'decLogVar'), Math.log(1e-3))), Math.log(1e-3)); // log(1e-3 + e^g)
    const recon = tf.mul(tf.sum(tf.add(tf.add(tf.mul(tf.square(tf.sub(tx, mean)), tf.exp(tf.neg(dlv))), dlv), c), -1), -0.5);
    return gmvaeLoss(tf, P, (t, name) => linear(t, P, name), { w, h, lv, recon });
  });
});

test.run();
