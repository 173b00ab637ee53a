// TransformedDistribution: log p(y) = log p_X(f⁻¹(y)) − log|det ∂f/∂x|, elementwise and
// row-wise (NICE-style) flows, normalisation, gradchecks of logProb, learnable flows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';

const F = lk.flows;

test('elementwise flow: logProb = base.logProb(f⁻¹(y)) − log|f′|, and the density integrates to 1', () => {
  // logit-normal: y = σ(2x + 1), x ~ N(0, 1), on (0, 1)
  const d = new F.TransformedDistribution(new lk.dist.Normal(), [new F.Affine({ shift: 1, scale: 2 }), new F.Sigmoid()]);
  assert.is(d.eventDim, 0);
  const y = lk.tensor([0.05, 0.3, 0.5, 0.9]);
  const want = Array.from(y.data, (v) => {
    const x = (Math.log(v / (1 - v)) - 1) / 2;
    return -0.5 * x * x - 0.5 * Math.log(2 * Math.PI) - Math.log(2) - Math.log(v * (1 - v));
  });
  allClose(d.logProb(y), want, { atol: 1e-4 });
  const m = 4000, grid = lk.tensor(Float32Array.from({ length: m }, (_, i) => (i + 0.5) / m));
  const total = lk.sum(lk.exp(d.logProb(grid))).item() / m;
  assert.ok(Math.abs(total - 1) < 1e-3, `∫ p = ${total}`);
  const r = lk.gradcheck((v) => lk.sum(d.logProb(v)), [y], { eps: 1e-3, atol: 5e-3, rtol: 2e-2 });
  assert.ok(r.ok, `gradcheck ${r.maxAbsErr}`);
});

test('row-wise flow (NICE: couplings + Scale): one log-density per row, equal to the brute-force change of variables', () => {
  lk.seed(31);
  const D = 4;
  const net = () => new lk.nn.Sequential(new lk.nn.Linear(2, 16), new lk.nn.Tanh(), new lk.nn.Linear(16, 2));
  const bij = [
    new F.AdditiveCoupling({ mask: [1, 0, 1, 0], net: net() }),
    new F.AdditiveCoupling({ mask: [0, 1, 0, 1], net: net() }),
    new F.Scale({ dim: D, logScale: [0.2, -0.5, 0.1, 0.7] }),
  ];
  const base = new lk.dist.Logistic({ loc: lk.zeros([D]), scale: 1 });
  const flow = new F.TransformedDistribution(base, bij);
  assert.is(flow.eventDim, 1);
  const y = lk.randn([5, D]);
  const lp = flow.logProb(y);
  assert.equal(lp.shape, [5]);
  const x = bij.reduceRight((h, b) => b.inverse(h), y);
  const want = lk.sub(lk.sum(base.logProb(x), 1), 0.2 - 0.5 + 0.1 + 0.7);
  allClose(lp, want, { atol: 1e-4 });
  // log|det| from the numeric Jacobian of the whole flow at x (row 0)
  const row = Array.from(x.data.slice(0, D)), h = 1e-2, fwd = (v) => bij.reduce((t, b) => b.forward(t), lk.tensor([v])).data;
  const J = row.map((_, j) => { const p = row.slice(), q = row.slice(); p[j] += h; q[j] -= h; const a = fwd(p), c = fwd(q); return row.map((__, i) => (a[i] - c[i]) / (2 * h)); });
  allClose([lk.linalg.slogdet(lk.tensor(J)).logAbsDet], [0.5], { atol: 2e-3 });
  const s = flow.sample([7]);
  assert.equal(s.shape, [7, D]);
  assert.is(flow.parameters().length, 2 * 4 + 1);
  // elementwise bijectors inside a row-wise flow are summed over the row
  const mixed = new F.TransformedDistribution(base, [...bij, new F.Exp()]);
  const ey = lk.exp(y);
  allClose(mixed.logProb(ey), lk.sub(lp, lk.sum(y, 1)), { atol: 1e-4 });
});

test('a learnable flow: maximum likelihood recovers a scale and shift (Scale + Affine via Adam)', () => {
  lk.seed(32);
  const data = lk.add(lk.mul(lk.randn([2000, 2]), lk.tensor([3, 0.5])), lk.tensor([1, -2]));
  const shift = lk.variable(lk.zeros([2]));
  const scaleB = new F.Scale({ dim: 2 });
  const flow = new F.TransformedDistribution(new lk.dist.Normal({ loc: lk.zeros([2]), scale: 1 }), [scaleB, new F.Affine({ shift, scale: 1 })]);
  const params = [...flow.parameters()];
  assert.ok(params.includes(shift) && params.includes(scaleB.logScale));
  const opt = new lk.optim.Adam(params, { lr: 0.05 });
  for (let i = 0; i < 300; i++) {
    opt.zeroGrad();
    const loss = lk.neg(lk.mean(flow.logProb(data)));
    loss.backward();
    opt.step();
  }
  allClose(lk.exp(scaleB.logScale), [3, 0.5], { rtol: 0.06 });
  allClose(shift, [1, -2], { atol: 0.15 });
});

test('TransformedDistribution errors', () => {
  throwsMatch(() => new F.TransformedDistribution({}, [new F.Exp()]), /base must be a distribution/);
  throwsMatch(() => new F.TransformedDistribution(new lk.dist.Normal(), []), /non-empty array/);
});

test('Inverse(b) swaps forward and inverse and negates the log-det; logProb through it is exact', () => {
  const b = new lk.flows.Affine({ shift: 0.5, scale: 3 });
  const inv = new lk.flows.Inverse(b);
  const y = lk.tensor([0.5, 3.5, -2.5]);
  const x = inv.forward(y);
  assert.equal(Array.from(x.data), [0, 1, -1]);
  assert.equal(Array.from(inv.inverse(x).data), Array.from(y.data));
  inv.logAbsDetJacobian(y).data.forEach((v) => assert.ok(Math.abs(v + Math.log(3)) < 1e-6));
  // Y = (X − 0.5) / 3 with X ~ N(0, 1) is N(−1/6, 1/9)
  const d = new lk.flows.TransformedDistribution(new lk.dist.Normal({ loc: 0, scale: 1 }), [inv]);
  const want = new lk.dist.Normal({ loc: -0.5 / 3, scale: 1 / 3 }).logProb(y);
  d.logProb(y).data.forEach((v, i) => assert.ok(Math.abs(v - want.data[i]) < 1e-5, `${v} vs ${want.data[i]}`));
  throwsMatch(() => new lk.flows.Inverse({}), /expected a bijector/);
});

test.run();
