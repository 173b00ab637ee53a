// 000 P5 (simple flows / change of variables), each part checked two ways where a
// bijection exists: exact logProb of the TransformedDistribution against the
// analytic density, and 20,000 seeded samples against the analytic CDF with a
// Kolmogorov–Smirnov bound at α = 0.001 (1.949/√n ≈ 0.0138), plus a histogram check.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose } from '../helpers.js';
import { ksStatistic, ksBound, normalCdf } from './stats.js';

const N = 20000;
const F = lk.flows;

/** Max |histogram density − analytic density| over equal bins of [lo, hi], and the bins' standard error there. */
function histogramGap(samples, density, lo, hi, bins) {
  const counts = new Float64Array(bins), w = (hi - lo) / bins;
  for (const v of samples) if (v >= lo && v < hi) counts[Math.floor((v - lo) / w)]++;
  let worst = 0;
  for (let b = 0; b < bins; b++) {
    // the exact bin probability by Simpson's rule on the density
    const a = lo + b * w, m = a + w / 2, c = a + w;
    const p = (w / 6) * (density(a) + 4 * density(m) + density(c));
    const se = Math.sqrt(p * (1 - p) / samples.length);
    worst = Math.max(worst, Math.abs(counts[b] / samples.length - p) / se);
  }
  return worst; // in standard errors
}

test('P5a: 1/X of a Cauchy(0,1) X is Cauchy(0,1) — exact logProb', () => {
  const y = lk.tensor([-50, -3, -1, -0.2, 0.01, 0.5, 1, 2.5, 40]);
  const inv = new F.TransformedDistribution(new lk.dist.Cauchy({ loc: 0, scale: 1 }), [new F.Reciprocal()]);
  // p_Y(y) = p_X(1/y) |d(1/y)/dy| = 1/(π(1 + 1/y²)) · 1/y² = 1/(π(1 + y²))
  allClose(inv.logProb(y), Array.from(y.data, (v) => -Math.log(Math.PI * (1 + v * v))), { atol: 1e-5 });
  allClose(inv.logProb(y), new lk.dist.Cauchy().logProb(y), { atol: 1e-5 });
  // and with a scale: 1/X of Cauchy(0, γ) is Cauchy(0, 1/γ)
  allClose(new F.TransformedDistribution(new lk.dist.Cauchy({ scale: 4 }), new F.Reciprocal()).logProb(y), new lk.dist.Cauchy({ scale: 0.25 }).logProb(y), { atol: 1e-5 });
});

test('P5a: 1/X of a Cauchy(0,1) X is Cauchy(0,1) — sampling (KS and histogram)', () => {
  lk.seed(501);
  const inv = new F.TransformedDistribution(new lk.dist.Cauchy(), [new F.Reciprocal()]);
  const s = inv.sample([N]);
  const D = ksStatistic(s.data, (v) => 0.5 + Math.atan(v) / Math.PI);
  assert.ok(D < ksBound(N), `KS statistic ${D} >= ${ksBound(N)}`);
  const gap = histogramGap(s.data, (v) => 1 / (Math.PI * (1 + v * v)), -4, 4, 16);
  assert.ok(gap < 4, `a histogram bin is ${gap} standard errors off`);
});

test('P5b: e^Y of a normal Y is log-normal — exact logProb', () => {
  const mu = 0.4, sigma = 0.6;
  const logNormal = new F.TransformedDistribution(new lk.dist.Normal({ loc: mu, scale: sigma }), [new F.Exp()]);
  const z = lk.tensor([0.05, 0.3, 1, 1.5, 2.7, 6, 20]);
  // f_Z(z) = 1/(√(2π) σ z) · exp(−(ln z − μ)²/(2σ²)), z > 0
  const want = Array.from(z.data, (v) => -Math.log(Math.sqrt(2 * Math.PI) * sigma * v) - (Math.log(v) - mu) ** 2 / (2 * sigma * sigma));
  allClose(logNormal.logProb(z), want, { atol: 1e-5 });
  // differentiable in the base parameters and in z (gradcheck of the change of variables)
  const r = lk.gradcheck((m, s, v) => lk.sum(new F.TransformedDistribution(new lk.dist.Normal({ loc: m, scale: s }), [new F.Exp()]).logProb(v)),
    [lk.tensor(mu), lk.tensor(sigma), lk.tensor([0.5, 1.5, 3])], { eps: 1e-2, atol: 3e-3, rtol: 2e-2 });
  assert.ok(r.ok, `gradcheck ${r.maxAbsErr}`);
});

test('P5b: e^Y of a normal Y is log-normal — sampling (KS and histogram)', () => {
  const mu = 0.4, sigma = 0.6;
  lk.seed(502);
  const s = new F.TransformedDistribution(new lk.dist.Normal({ loc: mu, scale: sigma }), [new F.Exp()]).sample([N]);
  assert.ok(s.data.every((v) => v > 0));
  const D = ksStatistic(s.data, (v) => normalCdf((Math.log(v) - mu) / sigma));
  assert.ok(D < ksBound(N), `KS statistic ${D} >= ${ksBound(N)}`);
  const pdf = (v) => (v <= 0 ? 0 : Math.exp(-((Math.log(v) - mu) ** 2) / (2 * sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma * v));
  const gap = histogramGap(s.data, pdf, 0, 6, 24);
  assert.ok(gap < 4, `a histogram bin is ${gap} standard errors off`);
});

// P5c: F(z) = πz²/4 on [0, 1]; πz²/4 − (z² arctan√(z²−1) − √(z²−1)) on [1, √2]
const cdfZ = (z) => {
  if (z <= 0) return 0;
  if (z <= 1) return Math.PI * z * z / 4;
  if (z >= Math.SQRT2) return 1;
  const r = Math.sqrt(z * z - 1);
  return Math.PI * z * z / 4 - (z * z * Math.atan(r) - r);
};
// f(z) = πz/2 on [0, 1]; πz/2 − 2z arctan√(z²−1) on [1, √2]
const pdfZ = (z) => (z < 0 || z > Math.SQRT2 ? 0 : z <= 1 ? Math.PI * z / 2 : Math.PI * z / 2 - 2 * z * Math.atan(Math.sqrt(z * z - 1)));

test('P5c: the density of Z = |P − (1,1)|, P uniform on [0,2]², integrates to 1 and is the derivative of its CDF', () => {
  let total = 0;
  const m = 20000, h = Math.SQRT2 / m;
  for (let i = 0; i < m; i++) total += pdfZ((i + 0.5) * h) * h;
  assert.ok(Math.abs(total - 1) < 1e-6, `∫ f = ${total}`);
  for (const z of [0.3, 0.9, 1.1, 1.3, 1.4]) {
    const d = (cdfZ(z + 1e-6) - cdfZ(z - 1e-6)) / 2e-6;
    assert.ok(Math.abs(d - pdfZ(z)) < 1e-4, `F'(${z}) = ${d}, f = ${pdfZ(z)}`);
  }
  assert.ok(Math.abs(cdfZ(Math.SQRT2) - 1) < 1e-12 && Math.abs(cdfZ(1) - Math.PI / 4) < 1e-12);
});

test('P5c: Z = |P − (1,1)| for P uniform on [0,2]² — sampling (KS and histogram)', () => {
  lk.seed(503);
  const p = new lk.dist.Uniform({ low: 0, high: 2 }).sample([N, 2]);
  const z = lk.sqrt(lk.sum(lk.square(lk.sub(p, 1)), 1));
  assert.equal(z.shape, [N]);
  assert.ok(z.data.every((v) => v >= 0 && v <= Math.SQRT2 + 1e-6));
  const D = ksStatistic(z.data, cdfZ);
  assert.ok(D < ksBound(N), `KS statistic ${D} >= ${ksBound(N)}`);
  const gap = histogramGap(z.data, pdfZ, 0, Math.SQRT2, 20);
  assert.ok(gap < 4, `a histogram bin is ${gap} standard errors off`);
  // the density the naive answer would give (πz/2 on all of [0, √2]) is rejected by the same test
  assert.ok(ksStatistic(z.data, (v) => Math.min(Math.PI * v * v / 4, 1)) > ksBound(N));
});

test.run();
