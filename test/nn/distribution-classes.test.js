// lk.dist classes (elementwise, as torch.distributions): closed-form log-densities with
// broadcasting, finite-difference gradchecks in x and the parameters, seeded and
// reparameterised sampling checked against the CDF (Kolmogorov–Smirnov), and errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';
import { ksStatistic, ksBound, normalCdf } from '../flows/stats.js';

const gc = { eps: 1e-2, atol: 3e-3, rtol: 2e-2 };
function check(name, f, inputs) {
  const r = lk.gradcheck((...xs) => lk.sum(f(...xs)), inputs, gc);
  assert.ok(r.ok, `${name}: gradcheck failed (max abs err ${r.maxAbsErr}, rel ${r.maxRelErr})`);
}

const x = lk.tensor([[-1.5, 0.2, 3], [0.7, -0.4, 1.1]]);
const loc = lk.tensor([0.5, -1, 2]), scale = lk.tensor([1.5, 0.5, 2]);
const cases = {
  Normal: (v, m, s) => -0.5 * ((v - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI),
  Cauchy: (v, m, s) => -Math.log(Math.PI * s * (1 + ((v - m) / s) ** 2)),
  Logistic: (v, m, s) => { const z = (v - m) / s; return -z - 2 * Math.log1p(Math.exp(-z)) - Math.log(s); },
};

test('Normal, Cauchy, Logistic: logProb closed forms, broadcasting [2,3] x against [3] parameters', () => {
  for (const [name, f] of Object.entries(cases)) {
    const d = new lk.dist[name]({ loc, scale });
    assert.equal(d.batchShape, [3]);
    const lp = d.logProb(x);
    assert.equal(lp.shape, [2, 3], name);
    const want = Array.from(x.data, (v, i) => f(v, loc.data[i % 3], scale.data[i % 3]));
    allClose(lp, want, { atol: 1e-5, msg: name });
    // plain-number parameters, default loc 0 / scale 1
    allClose(new lk.dist[name]({ loc: 0.5, scale: 2 }).logProb(x), Array.from(x.data, (v) => f(v, 0.5, 2)), { atol: 1e-5, msg: `${name} numbers` });
    allClose(new lk.dist[name]().logProb(x), Array.from(x.data, (v) => f(v, 0, 1)), { atol: 1e-5, msg: `${name} default` });
  }
});

test('Uniform: −log(b − a) inside [a, b), −∞ outside; broadcasting', () => {
  const u = new lk.dist.Uniform({ low: lk.tensor([0, -1]), high: lk.tensor([2, 3]) });
  const lp = u.logProb(lk.tensor([[1, -2], [2, 2.9], [0, -1]]));
  assert.equal(lp.shape, [3, 2]);
  allClose(lp, [-Math.log(2), -Infinity, -Infinity, -Math.log(4), -Math.log(2), -Math.log(4)], { atol: 1e-6 });
});

test('gradcheck: logProb in x, loc and scale (Normal, Cauchy, Logistic); in low and high (Uniform)', () => {
  for (const name of Object.keys(cases)) {
    check(`${name} d/dx`, (v) => new lk.dist[name]({ loc, scale }).logProb(v), [x]);
    check(`${name} d/dloc,dscale`, (m, s) => new lk.dist[name]({ loc: m, scale: s }).logProb(x), [loc, scale]);
  }
  const inside = lk.tensor([[0.5, 1.2], [1.9, -0.5]]);
  check('Uniform d/dlow,dhigh', (a, b) => new lk.dist.Uniform({ low: a, high: b }).logProb(inside), [lk.tensor([0, -1]), lk.tensor([2, 3])]);
  const [ga, gb] = lk.grad((a, b) => lk.sum(new lk.dist.Uniform({ low: a, high: b }).logProb(lk.tensor([0.5]))))(lk.tensor(0), lk.tensor(2));
  allClose(ga, [0.5]); allClose(gb, [-0.5]); // d/da −log(b − a) = 1/(b − a), d/db = −1/(b − a)
});

const cdfs = {
  Normal: (v, m, s) => normalCdf((v - m) / s),
  Cauchy: (v, m, s) => 0.5 + Math.atan((v - m) / s) / Math.PI,
  Logistic: (v, m, s) => 1 / (1 + Math.exp(-(v - m) / s)),
};

test('sample: 20,000 seeded draws pass a Kolmogorov–Smirnov test against the CDF (α = 0.001)', () => {
  const n = 20000;
  for (const [name, F] of Object.entries(cdfs)) {
    lk.seed(21);
    const s = new lk.dist[name]({ loc: 0.5, scale: 2 }).sample([n]);
    assert.equal(s.shape, [n]);
    const D = ksStatistic(s.data, (v) => F(v, 0.5, 2));
    assert.ok(D < ksBound(n), `${name}: KS statistic ${D} >= ${ksBound(n)}`);
  }
  lk.seed(22);
  const u = new lk.dist.Uniform({ low: -1, high: 3 }).sample(n);
  assert.ok(u.data.every((v) => v >= -1 && v < 3));
  const D = ksStatistic(u.data, (v) => Math.min(Math.max((v + 1) / 4, 0), 1));
  assert.ok(D < ksBound(n), `Uniform: KS ${D}`);
});

test('sample: shape [...shape, ...batchShape], seeded reproducibility, reparameterised gradients', () => {
  const d = new lk.dist.Normal({ loc: lk.tensor([0, 10]), scale: lk.tensor([1, 0.1]) });
  lk.seed(5); const a = d.sample([4, 3]);
  lk.seed(5); const b = d.sample([4, 3]);
  assert.equal(a.shape, [4, 3, 2]);
  allClose(a, b, { atol: 0, rtol: 0 });
  const r1 = new lk.dist.Cauchy({}, { rng: new lk.Rng(3) }).sample(5), r2 = new lk.dist.Cauchy({}, { rng: new lk.Rng(3) }).sample(5);
  allClose(r1, r2, { atol: 0, rtol: 0 });
  assert.equal(new lk.dist.Logistic().sample().shape, []);
  // x = loc + scale·ε: dx/dloc = 1, dx/dscale = ε = (x − loc)/scale
  for (const name of ['Normal', 'Cauchy', 'Logistic']) {
    const m = lk.variable(lk.tensor([1, -2])), s = lk.variable(lk.tensor([2, 0.5]));
    lk.seed(8);
    const z = new lk.dist[name]({ loc: m, scale: s }).sample([3]);
    lk.sum(z).backward();
    allClose(m.grad, [3, 3], { msg: name });
    const eps = [0, 1].map((j) => [0, 1, 2].reduce((acc, i) => acc + (z.data[i * 2 + j] - m.data[j]) / s.data[j], 0));
    allClose(s.grad, eps, { atol: 1e-4, msg: name });
  }
  const lo = lk.variable(lk.tensor(1)), hi = lk.variable(lk.tensor(3));
  lk.seed(9);
  const u = new lk.dist.Uniform({ low: lo, high: hi }).sample([10]);
  lk.sum(u).backward();
  const t = Array.from(u.data, (v) => (v - 1) / 2).reduce((p, q) => p + q, 0);
  allClose(lo.grad, [10 - t], { atol: 1e-4 }); allClose(hi.grad, [t], { atol: 1e-4 });
});

test('bad parameters throw an Error naming the cause and the fix', () => {
  for (const name of ['Normal', 'Cauchy', 'Logistic']) {
    throwsMatch(() => new lk.dist[name]({ loc: 0, scale: 0 }), new RegExp(`${name}: scale must be > 0, got 0.*positive scale`));
    throwsMatch(() => new lk.dist[name]({ loc: 0, scale: lk.tensor([1, -2]) }), /scale must be > 0, got -2 at index 1/);
    throwsMatch(() => new lk.dist[name]({ loc: NaN, scale: 1 }), /loc must be finite, got NaN/);
    throwsMatch(() => new lk.dist[name]({ loc: 'a', scale: 1 }), /loc must be a number or a Tensor/);
  }
  throwsMatch(() => new lk.dist.Uniform({ low: 2, high: 1 }), /need low < high, got low 2 >= high 1.*swap/);
  throwsMatch(() => new lk.dist.Uniform({ low: lk.tensor([0, 1]), high: 1 }), /low 1 >= high 1 at index 1/);
  throwsMatch(() => new lk.dist.Uniform({ low: 0, high: Infinity }), /high must be finite/);
  throwsMatch(() => new lk.dist.Normal({ loc: lk.zeros([2]), scale: lk.ones([3]) }), /\[2\].*\[3\]|\[3\].*\[2\]/);
  throwsMatch(() => new lk.dist.Normal().logProb([1, 2]), /x must be a Tensor/);
  // the old function exports keep working
  allClose(lk.dist.logpdfDiagonalGaussian(lk.tensor([[0.5]]), 0, 1), [cases.Normal(0.5, 0, 1)], { atol: 1e-6 });
});

test('Categorical: log-probabilities, one-hot path, sampling frequencies, errors', () => {
  const logits = lk.tensor([[0, Math.log(3)], [Math.log(2), 0]]);
  const c = new lk.dist.Categorical({ logits });
  allClose(c.logProb(lk.tensor([[1, 0], [0, 1]])), [Math.log(3 / 4), Math.log(2 / 3), Math.log(1 / 4), Math.log(1 / 3)], { atol: 1e-6 });
  allClose(c.logProbOneHot(lk.dist.oneHot(lk.tensor([1, 0]), 2)), [Math.log(3 / 4), Math.log(2 / 3)], { atol: 1e-6 });
  allClose(new lk.dist.Categorical({ probs: lk.tensor([1, 3]) }).logProb(lk.tensor([1])), [Math.log(0.75)], { atol: 1e-6 });
  lk.seed(4);
  const s = c.sample([20000]);
  assert.equal(s.shape, [20000, 2]);
  let ones0 = 0, ones1 = 0;
  for (let i = 0; i < 20000; i++) { ones0 += s.data[2 * i]; ones1 += s.data[2 * i + 1]; }
  assert.ok(Math.abs(ones0 / 20000 - 0.75) < 0.015 && Math.abs(ones1 / 20000 - 1 / 3) < 0.015, `${ones0 / 20000} ${ones1 / 20000}`);
  throwsMatch(() => c.logProb(lk.tensor([[2, 0]])), /integers in \[0, 1\]/);
  throwsMatch(() => new lk.dist.Categorical({ probs: lk.tensor([1, -1]) }), /probs must be finite and >= 0/);
  throwsMatch(() => new lk.dist.Categorical({}), /exactly one of/);
});

test.run();
