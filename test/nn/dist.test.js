import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';

const opts = { eps: 1e-2, atol: 3e-3, rtol: 2e-2 };
function check(name, f, inputs) {
  const r = lk.gradcheck((...xs) => lk.sum(f(...xs)), inputs, opts);
  assert.ok(r.ok, `${name}: gradcheck failed (max abs err ${r.maxAbsErr}, rel ${r.maxRelErr})`);
}

test('logpdfDiagonalGaussian: closed form, sums over the last axis', () => {
  const z = lk.tensor([[0.5, -1], [2, 0]]), mu = lk.tensor([0, 1]), v = lk.tensor([1, 4]);
  const lp = lk.dist.logpdfDiagonalGaussian(z, mu, v);
  assert.equal(lp.shape, [2]);
  const f = (x, m, s2) => -0.5 * (Math.log(2 * Math.PI * s2) + (x - m) ** 2 / s2);
  allClose(lp, [f(0.5, 0, 1) + f(-1, 1, 4), f(2, 0, 1) + f(0, 1, 4)], { atol: 1e-5 });
  allClose(lk.dist.logpdfDiagonalGaussianLogVar(z, mu, lk.log(v)), lp, { atol: 1e-5 });
});

test('logpdfBernoulli and logpdfBernoulliLogits agree; sampleBernoulli frequencies', () => {
  const x = lk.tensor([[1, 0, 1], [0, 0, 1]]), logits = lk.tensor([[0.3, -2, 4], [1, 0, -1]]);
  allClose(lk.dist.logpdfBernoulli(x, lk.sigmoid(logits)), lk.dist.logpdfBernoulliLogits(x, logits), { atol: 1e-5 });
  assert.ok(Number.isFinite(lk.dist.logpdfBernoulli(lk.tensor([1, 0]), lk.tensor([0, 1])).item()));
  lk.seed(3);
  const s = lk.dist.sampleBernoulli(lk.full([20000], 0.3));
  assert.ok(s.data.every((v) => v === 0 || v === 1));
  assert.ok(Math.abs(lk.mean(s).item() - 0.3) < 0.015);
});

test('sampleDiagonalGaussian is reparameterised: moments, and d z / d μ = 1, d z / d σ² = ε / 2σ', () => {
  lk.seed(4);
  const mu = lk.full([40000], 2), v = lk.full([40000], 9);
  const z = lk.dist.sampleDiagonalGaussian(mu, v);
  const m = lk.mean(z).item(), sd = Math.sqrt(lk.mean(lk.square(lk.sub(z, m))).item());
  assert.ok(Math.abs(m - 2) < 0.06 && Math.abs(sd - 3) < 0.06, `mean ${m}, sd ${sd}`);
  const eps = lk.tensor([0.5, -1]);
  const [gm, gv] = lk.grad((a, b) => lk.sum(lk.dist.sampleDiagonalGaussian(a, b, { noise: eps })))(lk.tensor([0, 1]), lk.tensor([4, 1]));
  allClose(gm, [1, 1]);
  allClose(gv, [0.5 / 4, -1 / 2], { atol: 1e-6 });
  lk.seed(9); const a = lk.dist.sampleDiagonalGaussian(lk.zeros([5]), lk.ones([5]));
  lk.seed(9); const b = lk.dist.sampleDiagonalGaussian(lk.zeros([5]), lk.ones([5]));
  allClose(a, b, { atol: 0, rtol: 0 });
});

test('klStdNormal and klDiagonalGaussianLogVar: closed forms, and agree with lk.dist.klGaussian', () => {
  const mu = lk.tensor([[0.3, -1.2]]), lv = lk.tensor([[0.5, -0.7]]);
  const kl = lk.dist.klStdNormal(mu, lv).item();
  const ref = lk.dist.klGaussian(lk.tensor([0.3, -1.2]), lk.exp(lk.tensor([0.5, -0.7])), lk.tensor([0, 0]), lk.tensor([1, 1]));
  assert.ok(Math.abs(kl - ref) < 1e-5, `${kl} vs ${ref}`);
  const mu1 = lk.tensor([1, 0.5]), lv1 = lk.tensor([0.2, 0.1]);
  const kl2 = lk.dist.klDiagonalGaussianLogVar(mu, lv, mu1, lv1).item();
  const ref2 = lk.dist.klGaussian(lk.tensor([0.3, -1.2]), lk.exp(lk.tensor([0.5, -0.7])), mu1, lk.exp(lv1));
  assert.ok(Math.abs(kl2 - ref2) < 1e-5, `${kl2} vs ${ref2}`);
  allClose([lk.dist.klStdNormal(lk.zeros([1, 3]), lk.zeros([1, 3])).item()], [0]);
  throwsMatch(() => lk.dist.klStdNormal(lk.zeros([2]), lk.zeros([3])), /same shape/);
});

test('dist: gradcheck of every density, sampler and KL', () => {
  lk.seed(5);
  const z = lk.randn([3, 4]), mu = lk.randn([3, 4]), v = lk.add(lk.rand([3, 4]), 0.5), lv = lk.mul(lk.randn([3, 4]), 0.3);
  const x = lk.dist.sampleBernoulli(lk.full([3, 4], 0.5)), p = lk.add(lk.mul(lk.rand([3, 4]), 0.8), 0.1);
  const eps = lk.randn([3, 4]);
  check('logpdfDiagonalGaussian', lk.dist.logpdfDiagonalGaussian, [z, mu, v]);
  check('logpdfDiagonalGaussianLogVar', lk.dist.logpdfDiagonalGaussianLogVar, [z, mu, lv]);
  check('logpdfBernoulli', (q) => lk.dist.logpdfBernoulli(x, q), [p]);
  check('logpdfBernoulliLogits', (l) => lk.dist.logpdfBernoulliLogits(x, l), [z]);
  check('sampleDiagonalGaussian', (m, s2) => lk.square(lk.dist.sampleDiagonalGaussian(m, s2, { noise: eps })), [mu, v]);
  check('sampleDiagonalGaussianLogVar', (m, l) => lk.square(lk.dist.sampleDiagonalGaussianLogVar(m, l, { noise: eps })), [mu, lv]);
  check('klStdNormal', lk.dist.klStdNormal, [mu, lv]);
  check('klDiagonalGaussianLogVar', lk.dist.klDiagonalGaussianLogVar, [mu, lv, z, lk.mul(lv, -1)]);
});

test.run();
