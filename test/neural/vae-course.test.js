// The VAE as the course writes it: Eq. 2 (single-sample ELBO) by default, β-VAE
// (β weighs the KL of the training loss, elbo() stays the ELBO), and the Gaussian decoder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';
import { mnistSubset } from './mnist.js';

const LOG_2PI = Math.log(2 * Math.PI);
const rowSums = (t) => { const [n, d] = t.shape, out = new Float64Array(n); for (let i = 0; i < n * d; i++) out[Math.floor(i / d)] += t.data[i]; return out; };

test("default estimator is 'sample' (003 P2c Eq. 2): log p(x|z) + log p(z) − log q(z|x) at the draw", () => {
  lk.seed(41);
  const { x } = mnistSubset(6, { binary: true });
  const m = new lk.VAE({ inputDim: 784, hiddenDim: 16, seed: 2 });
  assert.is(m.estimator, 'sample');
  assert.is(m.config().estimator, 'sample');
  const eps = lk.randn([6, 2]);
  const t = lk.noGrad(() => m.terms(x, { noise: eps }));
  const { mu, logVar } = lk.noGrad(() => m.encode(x));
  const z = lk.add(mu, lk.mul(lk.exp(lk.mul(logVar, 0.5)), eps));
  const logits = lk.noGrad(() => m.decodeLogits(z));
  for (let i = 0; i < 6; i++) {
    let ll = 0, lp = 0, lq = 0;
    for (let d = 0; d < 784; d++) { const f = logits.data[i * 784 + d], xv = x.data[i * 784 + d]; ll += xv * f - Math.log1p(Math.exp(f)); }
    for (let j = 0; j < 2; j++) {
      const zz = z.data[i * 2 + j], mm = mu.data[i * 2 + j], lv = logVar.data[i * 2 + j];
      lp += -0.5 * (LOG_2PI + zz * zz);
      lq += -0.5 * (LOG_2PI + lv + (zz - mm) ** 2 / Math.exp(lv));
    }
    assert.ok(Math.abs(t.elbo.data[i] - (ll + lp - lq)) < 2e-3, `row ${i}: ${t.elbo.data[i]} vs ${ll + lp - lq}`);
  }
  // 'analytic' stays available and estimates the same ELBO (averaged over draws)
  const a = new lk.VAE({ inputDim: 784, hiddenDim: 16, seed: 2, estimator: 'analytic' });
  lk.seed(1); const ea = a.elbo(x, { samples: 400 });
  lk.seed(1); const es = m.elbo(x, { samples: 400 });
  assert.ok(Math.abs(ea - es) < 0.02 * Math.abs(ea), `analytic ${ea} vs sample ${es}`);
});

for (const kind of ['VAE', 'CVAE']) {
  test(`${kind}: beta weighs the KL in the training loss; elbo() is the ELBO whatever beta`, () => {
    lk.seed(42);
    const { x, labels } = mnistSubset(64, { binary: true });
    const make = (beta) => new lk[kind]({ inputDim: 784, hiddenDim: 32, latentDim: 4, seed: 3, beta });
    const args = kind === 'CVAE' ? [x, labels] : [x];
    const m1 = make(1), m4 = make(4);
    assert.is(m4.beta, 4);
    // same weights: the same ELBO (same draws), but the loss is −mean(log p(x|z) − β kl)
    lk.seed(7); const e1 = m1.elbo(...args);
    lk.seed(7); const e4 = m4.elbo(...args);
    assert.ok(Math.abs(e1 - e4) < 1e-4, `${e1} vs ${e4}`);
    const eps = lk.randn([64, 4]);
    const t = kind === 'CVAE' ? m4.terms(x, labels, { noise: eps, beta: 4 }) : m4.terms(x, { noise: eps, beta: 4 });
    const want = -(lk.mean(t.logLik).item() - 4 * lk.mean(t.kl).item());
    assert.ok(Math.abs(t.loss.item() - want) < 1e-3 * Math.abs(want), `loss ${t.loss.item()} vs ${want}`);
    allClose(t.elbo, lk.sub(t.logLik, t.kl), { atol: 1e-3 });
    // training: a larger β buys a smaller KL (the β-VAE trade-off)
    const fit = (m) => (kind === 'CVAE' ? m.fit(x, labels, { epochs: 6, batchSize: 16, learningRate: 3e-3, seed: 1 }) : m.fit(x, { epochs: 6, batchSize: 16, learningRate: 3e-3, seed: 1 }));
    const lo = fit(make(0.25)), hi = fit(make(4));
    const klOf = (m) => { const { mu, logVar } = lk.noGrad(() => (kind === 'CVAE' ? m.encode(x, labels) : m.encode(x))); return lk.mean(lk.dist.klStdNormal(mu, logVar)).item(); };
    assert.ok(klOf(hi) < 0.7 * klOf(lo), `KL with β = 4: ${klOf(hi)}, with β = 0.25: ${klOf(lo)}`);
    assert.ok(lo.history.at(-1).kl > hi.history.at(-1).kl);
  });
}

/** x = A w + 0.1 ε with w ~ N(0, I₂), D = 6: log p(x) = log N(x; 0, A Aᵀ + 0.01 I) exactly. */
function linearGaussian(n, seed) {
  const r = new lk.Rng(seed), D = 6, A = [[1, 0.5], [-0.8, 1], [0.3, -1.2], [1.1, 0.2], [0, 0.9], [-0.6, -0.4]];
  const x = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const w = [r.normal(), r.normal()];
    for (let d = 0; d < D; d++) x[i * D + d] = A[d][0] * w[0] + A[d][1] * w[1] + 0.1 * r.normal();
  }
  const C = A.map((a, i) => A.map((b, j) => a[0] * b[0] + a[1] * b[1] + (i === j ? 0.01 : 0)));
  const { logAbsDet } = lk.linalg.slogdet(lk.tensor(C));
  const Ci = lk.linalg.inv(lk.tensor(C)).toArray();
  let ll = 0;
  for (let i = 0; i < n; i++) {
    let q = 0;
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) q += x[i * D + a] * Ci[a][b] * x[i * D + b];
    ll += -0.5 * (D * LOG_2PI + (typeof logAbsDet === "number" ? logAbsDet : logAbsDet.item()) + q);
  }
  return { x: lk.tensor(x, [n, D]), logLik: ll / n };
}

test("likelihood 'gaussian': learned-variance decoder, exact log-density, training approaches the true log-likelihood", () => {
  lk.seed(43);
  const train = linearGaussian(2000, 1), held = linearGaussian(1000, 2);
  const m = new lk.VAE({ inputDim: 6, hiddenDim: 32, latentDim: 2, likelihood: 'gaussian', seed: 4 });
  assert.equal(m.config().likelihood, 'gaussian');
  // log p(x|z) = −½ Σ [log 2π + log σ² + (x − μ)² / σ²], σ² = 1e-3 + e^g
  const z = lk.randn([5, 2]), xs = held.x.slice([0], [5]);
  const { out, logVar } = lk.noGrad(() => m.decodeParams(z));
  const g = lk.noGrad(() => m.decLogVar.forward(lk.tanh(m.decHidden.forward(z))));
  const ll = lk.noGrad(() => m.logLikelihood(xs, z));
  const want = rowSums(lk.tensor(Float32Array.from(xs.data, (v, i) => {
    const s2 = 1e-3 + Math.exp(g.data[i]);
    assert.ok(Math.abs(Math.exp(logVar.data[i]) - s2) < 1e-5 * s2);
    return -0.5 * (LOG_2PI + Math.log(s2) + (v - out.data[i]) ** 2 / s2);
  }), [5, 6]));
  allClose(ll, Float32Array.from(want), { atol: 1e-3, rtol: 1e-4 });
  const before = m.elbo(held.x, { samples: 4 });
  m.fit(train.x, { epochs: 40, batchSize: 100, learningRate: 3e-3, seed: 1 });
  const after = m.elbo(held.x, { samples: 8 });
  console.log(`  Gaussian VAE held-out ELBO ${before.toFixed(2)} -> ${after.toFixed(2)} (true log p(x) ${held.logLik.toFixed(2)})`);
  assert.ok(after > before + 3, `held-out ELBO ${before} -> ${after}`);
  // a bound on the model's log-likelihood, itself below the data's on average; close after training
  assert.ok(after < held.logLik + 0.3, `ELBO ${after} vs true log p(x) ${held.logLik}`);
  assert.ok(after > held.logLik - 1.5, `ELBO ${after} vs true log p(x) ${held.logLik}`);
  // the means decode to the data's scale (not squashed into [0, 1]); inputs outside [0, 1] are fine
  assert.ok(Math.max(...m.decode(lk.randn([200, 2])).data) > 1.5);
});

test('likelihood errors name the cause and the fix', () => {
  throwsMatch(() => new lk.VAE({ inputDim: 4, likelihood: 'poisson' }), /likelihood must be 'bernoulli' or 'gaussian'/);
  throwsMatch(() => new lk.VAE({ inputDim: 4, minVariance: 0.1 }), /minVariance .* no meaning with likelihood 'bernoulli'/);
  throwsMatch(() => new lk.VAE({ inputDim: 4, likelihood: 'gaussian', minVariance: -1 }), /minVariance must be a non-negative/);
  throwsMatch(() => new lk.VAE({ inputDim: 2 }).fit(lk.tensor([[0, 3]])), /\[0, 1\]/);
});

test.run();
