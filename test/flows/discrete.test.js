// 000 P7: discrete flows. Modular additive couplings are bijections of {0..K−1}^D,
// so log p(x) = log p_base(f(x)) with no Jacobian; the exact likelihood sums to 1 over
// all K^D configurations, and training (straight-through) beats the independent baseline.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';

const F = lk.flows;

/** Every configuration of {0..K−1}^D as rows [K^D, D]. */
function allConfigs(K, D) {
  const n = K ** D, out = new Float32Array(n * D);
  for (let i = 0; i < n; i++) { let r = i; for (let d = D - 1; d >= 0; d--) { out[i * D + d] = r % K; r = Math.floor(r / K); } }
  return lk.tensor(out, [n, D]);
}

/** Correlated pairs: x0 uniform on K values, x1 = x0 + e mod K with e = 0 (80%), +1 (10%), −1 (10%). */
function correlatedPairs(n, K, seed) {
  const r = new lk.Rng(seed), d = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = r.int(K), u = r.uniform();
    d[2 * i] = a; d[2 * i + 1] = (a + (u < 0.8 ? 0 : u < 0.9 ? 1 : K - 1)) % K;
  }
  return lk.tensor(d, [n, 2]);
}

test('tiny case by enumeration: the flow permutes {0..K−1}^D, inverse undoes it, Σ p(x) = 1 (K = 3, D = 3)', () => {
  const K = 3, D = 3;
  const flow = new F.DiscreteFlow({ numCategories: K, dim: D, layers: 3, hiddenDim: 8, seed: 5 });
  flow.baseLogits.data.set(Float32Array.from({ length: D * K }, (_, i) => Math.sin(3 * i))); // a non-uniform base
  const x = allConfigs(K, D);
  const y = flow.forward(x);
  const key = (t, i) => Array.from(t.data.slice(i * D, i * D + D)).join(',');
  assert.is(new Set(Array.from({ length: K ** D }, (_, i) => key(y, i))).size, K ** D, 'forward is a bijection');
  allClose(flow.inverse(y), x, { atol: 0, rtol: 0 });
  const lp = flow.logProb(x);
  const total = Array.from(lp.data).reduce((a, v) => a + Math.exp(v), 0);
  assert.ok(Math.abs(total - 1) < 1e-5, `Σ p = ${total}`);
  // the shifts actually move mass (not the identity): p(x) differs from the base's p(x)
  const baseLp = lk.sum(flow.base().logProb(x), 1);
  assert.ok(Array.from(lp.data).some((v, i) => Math.abs(v - baseLp.data[i]) > 1e-3));
  // the straight-through training loss equals the exact NLL in value
  allClose([flow.loss(x).item()], [-lk.mean(lp).item()], { atol: 1e-5 });
});

test('trained on correlated pairs (K = 6): NLL falls below the independent factorized baseline, on held-out data too', () => {
  const K = 6;
  const train = correlatedPairs(3000, K, 7), held = correlatedPairs(2000, K, 8);
  const baseline = F.factorizedBaseline(train, K);
  const heldBaseline = -lk.mean(lk.sum(new lk.dist.Categorical({ logits: baseline.logits }).logProb(held), 1)).item();
  const flow = new F.DiscreteFlow({ numCategories: K, dim: 2, seed: 1, temperature: 0.5 });
  const history = flow.fit(train, { epochs: 30, batchSize: 128, learningRate: 1e-2 });
  const nll = flow.nll(train), heldNll = flow.nll(held);
  // true entropy: log 6 + H(e) = 1.792 + 0.639 = 2.431 nats; baseline ≈ 2 log 6 = 3.58
  assert.ok(nll < baseline.nll - 0.8, `flow NLL ${nll} vs baseline ${baseline.nll}`);
  assert.ok(heldNll < heldBaseline - 0.8, `held-out flow NLL ${heldNll} vs baseline ${heldBaseline}`);
  assert.ok(nll > 2.431 - 0.05, `NLL ${nll} cannot beat the entropy by much`);
  assert.ok(history[history.length - 1] < history[0] - 0.8, `training loss ${history[0]} -> ${history[history.length - 1]}`);
  // still exactly normalised after training (D = 2: all 36 pairs)
  const total = Array.from(flow.logProb(allConfigs(K, 2)).data).reduce((a, v) => a + Math.exp(v), 0);
  assert.ok(Math.abs(total - 1) < 1e-5, `Σ p = ${total}`);
  // samples follow the learned correlation: most pairs have x1 − x0 ∈ {−1, 0, 1} mod K
  lk.seed(3);
  const s = flow.sample(2000);
  let near = 0;
  for (let i = 0; i < 2000; i++) { const e = (s.data[2 * i + 1] - s.data[2 * i] + K) % K; if (e === 0 || e === 1 || e === K - 1) near++; }
  assert.ok(near / 2000 > 0.9, `${near / 2000} of the samples are correlated pairs`);
});

test('DiscreteFlow errors', () => {
  throwsMatch(() => new F.DiscreteFlow({ numCategories: 1, dim: 2 }), /numCategories must be an integer >= 2/);
  throwsMatch(() => new F.DiscreteFlow({ numCategories: 3, dim: 1 }), /dim must be an integer >= 2/);
  const f = new F.DiscreteFlow({ numCategories: 3, dim: 2, seed: 1 });
  throwsMatch(() => f.forward(lk.tensor([[0, 3]])), /integers in \[0, 2\]/);
  throwsMatch(() => f.logProb(lk.zeros([2, 3])), /\[N, 2\]/);
});

test.run();
