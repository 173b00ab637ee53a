// KL tools: closed form vs Monte-Carlo, KL(p‖p) = 0, KL ≥ 0, fitGaussian.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lk, RUNS, seededData, throwsMatch } from '../helpers.js';

function randomGaussian(d, seed) {
  const b = seededData(d * d, seed), m = seededData(d, seed + 7, 2), c = [];
  for (let i = 0; i < d; i++) { c.push([]); for (let j = 0; j < d; j++) { let s = i === j ? 0.3 : 0; for (let k = 0; k < d; k++) s += b[i * d + k] * b[j * d + k]; c[i].push(s); } }
  return { mu: Array.from(m), cov: c };
}
const arb = fc.record({ d: fc.integer({ min: 1, max: 4 }), s0: fc.integer(), s1: fc.integer() });

test('closed form agrees with Monte-Carlo within its standard error', () => {
  fc.assert(fc.property(arb, ({ d, s0, s1 }) => {
    const p = randomGaussian(d, s0), q = randomGaussian(d, s1);
    const kl = lk.kl.klGaussian(p.mu, p.cov, q.mu, q.cov);
    const mc = lk.kl.klMonteCarloGaussian(p.mu, p.cov, q.mu, q.cov, { samples: 4000, seed: s0 ^ s1 });
    assert.ok(Math.abs(kl - mc.estimate) < 4.5 * mc.stdError + 1e-9, `closed ${kl} vs MC ${mc.estimate} ± ${mc.stdError}`);
  }), { numRuns: RUNS });
});

test('KL(p‖p) = 0 and KL ≥ 0 on random pairs; Tensor and diagonal forms', () => {
  fc.assert(fc.property(arb, ({ d, s0, s1 }) => {
    const p = randomGaussian(d, s0), q = randomGaussian(d, s1);
    assert.ok(Math.abs(lk.kl.klGaussian(p.mu, p.cov, p.mu, p.cov)) < 1e-9);
    assert.ok(lk.kl.klGaussian(p.mu, p.cov, q.mu, q.cov) >= 0);
  }), { numRuns: RUNS });
  // 1-D formula: ln(s1/s0) + (s0² + (m0 − m1)²) / (2 s1²) − ½
  const ref = Math.log(2 / 1) + (1 + 9) / 8 - 0.5;
  assert.ok(Math.abs(lk.kl.klGaussian(0, 1, 3, 4) - ref) < 1e-12);
  const t = lk.kl.klGaussian(lk.tensor([0, 1]), lk.tensor([[2, 0], [0, 3]]), lk.tensor([1, 1]), lk.tensor([1, 1]));
  assert.ok(Math.abs(t - lk.kl.klGaussian([0, 1], [2, 3], [1, 1], 1)) < 1e-12);
  const generic = lk.kl.klMonteCarlo(
    { sample: (n, rng) => lk.tensor(Float32Array.from({ length: n }, () => rng.normal())), logProb: (x) => Array.from(x.data, (v) => -0.5 * v * v - 0.5 * Math.log(2 * Math.PI)) },
    { logProb: (x) => Array.from(x.data, (v) => -0.5 * ((v - 1) / 2) ** 2 - Math.log(2) - 0.5 * Math.log(2 * Math.PI)) },
    { samples: 20000, seed: 3 });
  const exact = lk.kl.klGaussian(0, 1, 1, 4);
  assert.ok(Math.abs(generic.estimate - exact) < 4 * generic.stdError);
});

test('errors: dimensions, non-SPD covariance, NaN', () => {
  throwsMatch(() => lk.kl.klGaussian([0, 0], [[1, 0], [0, 1]], [0], 1), /same dimension/);
  throwsMatch(() => lk.kl.klGaussian([0, 0], [[1, 2], [2, 1]], [0, 0], 1), /not positive definite/);
  throwsMatch(() => lk.kl.klGaussian([0, NaN], 1, [0, 0], 1), /NaN/);
  throwsMatch(() => lk.kl.klGaussian([0, 0], [[1, 0.5], [0, 1]], [0, 0], 1), /not symmetric/);
  throwsMatch(() => lk.kl.klGaussian([0, 0], [1, 1, 1], [0, 0], 1), /shape \[3\]/);
});

const lse = (a, b) => { const m = Math.max(a, b); return m + Math.log(Math.exp(a - m) + Math.exp(b - m)); };
const mixture = (m) => (x) => Array.from(x.data, (v) => lse(Math.log(1 / 3) - 0.5 * (v + m) ** 2, Math.log(2 / 3) - 0.5 * (v - m) ** 2));

test('fitGaussian: forward KL matches moments, reverse KL is mode-seeking', () => {
  // the course example 1/3 N(−1, 1) + 2/3 N(1, 1): mean 1/3, variance 2 − 1/9
  const f = lk.kl.fitGaussian(mixture(1), { direction: 'forward', lo: -12, hi: 12, points: 4001 });
  assert.ok(Math.abs(f.mean - 1 / 3) < 1e-6 && Math.abs(f.std - Math.sqrt(2 - 1 / 9)) < 1e-5, `${f.mean} ${f.std}`);
  const r = lk.kl.fitGaussian(mixture(1), { direction: 'reverse', lo: -12, hi: 12, points: 4001 });
  assert.ok(r.std < f.std, 'reverse KL is narrower');
  // brute-force check that the reverse fit is the minimum over a grid of (m, s)
  const lp = (v) => lse(Math.log(1 / 3) - 0.5 * (v + 1) ** 2, Math.log(2 / 3) - 0.5 * (v - 1) ** 2) - 0.5 * Math.log(2 * Math.PI);
  const rev = (m, s) => { let k = 0; for (let x = -12; x < 12; x += 0.01) { const lq = -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI); k += Math.exp(lq) * (lq - lp(x)) * 0.01; } return k; };
  const at = rev(r.mean, r.std);
  for (const [dm, ds] of [[0.05, 0], [-0.05, 0], [0, 0.05], [0, -0.05]]) assert.ok(rev(r.mean + dm, r.std + ds) > at, 'not a minimum');
  // well-separated modes: reverse KL locks onto the heavier mode, forward covers both
  const r4 = lk.kl.fitGaussian(mixture(4), { direction: 'reverse', lo: -12, hi: 12 });
  const f4 = lk.kl.fitGaussian(mixture(4), { direction: 'forward', lo: -12, hi: 12 });
  assert.ok(Math.abs(r4.mean - 4) < 0.05 && Math.abs(r4.std - 1) < 0.05, `reverse ${r4.mean} ${r4.std}`);
  assert.ok(Math.abs(f4.mean - 4 / 3) < 1e-3 && f4.std > 3, `forward ${f4.mean} ${f4.std}`);
  throwsMatch(() => lk.kl.fitGaussian(mixture(1), { direction: 'sideways' }), /direction/);
  throwsMatch(() => lk.kl.fitGaussian(() => [1, 2], {}), /returned 2 values/);
  throwsMatch(() => lk.kl.fitGaussian(mixture(1), { lo: 1, hi: 0 }), /lo < hi/);
});

test.run();
