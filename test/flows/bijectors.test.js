// lk.flows bijectors: closed forms, log|det J| against finite differences, P6's
// leaky-ReLU inverse and Jacobian, finite-difference gradchecks through forward,
// inverse and logAbsDetJacobian (in the input and the parameters), and
// inverse(forward(x)) ≈ x property tests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lk, allClose, throwsMatch, RUNS, seededData } from '../helpers.js';

const F = lk.flows;
const gc = { eps: 1e-2, atol: 3e-3, rtol: 2e-2 };
function check(name, f, inputs) {
  const r = lk.gradcheck((...xs) => lk.sum(f(...xs)), inputs, gc);
  assert.ok(r.ok, `${name}: gradcheck failed (max abs err ${r.maxAbsErr}, rel ${r.maxRelErr})`);
}

// inputs valid for each elementwise bijector's forward, and for its inverse
const X = lk.tensor([[-1.3, -0.4, 0.6], [0.9, 1.7, -2.2]]);
const POS = lk.tensor([[0.3, 1.2, 2.5], [0.8, 1.9, 0.45]]);
const UNIT = lk.tensor([[0.1, 0.35, 0.6], [0.8, 0.93, 0.5]]);
const elementwise = {
  Affine: { make: () => new F.Affine({ shift: 0.5, scale: -2 }), x: X, y: X, f: (v) => 0.5 - 2 * v, ld: () => Math.log(2) },
  Exp: { make: () => new F.Exp(), x: X, y: POS, f: Math.exp, ld: (v) => v },
  Reciprocal: { make: () => new F.Reciprocal(), x: X, y: X, f: (v) => 1 / v, ld: (v) => -2 * Math.log(Math.abs(v)) },
  Sigmoid: { make: () => new F.Sigmoid(), x: X, y: UNIT, f: (v) => 1 / (1 + Math.exp(-v)), ld: (v) => { const s = 1 / (1 + Math.exp(-v)); return Math.log(s * (1 - s)); } },
  LeakyReLU: { make: () => new F.LeakyReLU({ slope: 0.1 }), x: X, y: X, f: (v) => (v < 0 ? 0.1 * v : v), ld: (v) => (v < 0 ? Math.log(0.1) : 0) },
};

test('elementwise bijectors: forward closed forms; log|det J| = log|f′(x)| in x\'s shape, and matches a finite difference', () => {
  for (const [name, c] of Object.entries(elementwise)) {
    const b = c.make();
    assert.is(b.eventDim, 0, name);
    allClose(b.forward(c.x), Array.from(c.x.data, c.f), { atol: 1e-5, msg: name });
    const ld = b.logAbsDetJacobian(c.x);
    assert.equal(ld.shape, c.x.shape, name);
    allClose(ld, Array.from(c.x.data, c.ld), { atol: 1e-5, msg: name });
    const h = 1e-3;
    const fd = Array.from(c.x.data, (v) => Math.log(Math.abs((c.f(v + h) - c.f(v - h)) / (2 * h))));
    allClose(ld, fd, { atol: 1e-3, msg: `${name} finite difference` });
    // inverse log-det = −log-det at f⁻¹(y)
    allClose(b.inverseLogAbsDetJacobian(b.forward(c.x)), Array.from(ld.data, (v) => -v), { atol: 1e-4, msg: `${name} inverse log-det` });
  }
  // Tensor parameters broadcast: log|det| takes the broadcast shape
  const aff = new F.Affine({ shift: lk.tensor([1, 2, 3]), scale: lk.tensor([1, -0.5, 4]) });
  assert.equal(aff.logAbsDetJacobian(X).shape, [2, 3]);
  allClose(aff.logAbsDetJacobian(X), [0, Math.log(0.5), Math.log(4), 0, Math.log(0.5), Math.log(4)], { atol: 1e-6 });
});

test('000 P6: leaky ReLU (slope 0.1) inverse, and |det ∂f/∂z|⁻¹ = 0.1^(−#negative) = 10^#negative', () => {
  const b = new F.LeakyReLU(); // default slope 0.1, as the course's LReLU
  assert.is(b.slope, 0.1);
  const z = lk.tensor([[-2, 3, -0.5, 1], [4, 5, 6, 7], [-1, -1, -1, 0.5]]);
  const x = b.forward(z);
  allClose(x, [-0.2, 3, -0.05, 1, 4, 5, 6, 7, -0.1, -0.1, -0.1, 0.5], { atol: 1e-7 });
  // f⁻¹(x) = x for x >= 0, x / 0.1 for x < 0
  allClose(b.inverse(x), z, { atol: 1e-6 });
  const logDetRows = lk.sum(b.logAbsDetJacobian(z), 1);
  allClose(lk.exp(lk.neg(logDetRows)), [100, 1, 1000], { rtol: 1e-5 });
  // the same through the full Jacobian of one row (diagonal: 0.1 or 1)
  const row = [-2, 3, -0.5, 1], h = 1e-3;
  const J = row.map((_, j) => row.map((__, i) => {
    const p = row.slice(), m = row.slice(); p[j] += h; m[j] -= h;
    return (b.forward(lk.tensor([p])).data[i] - b.forward(lk.tensor([m])).data[i]) / (2 * h);
  }));
  const { logAbsDet } = lk.linalg.slogdet(lk.tensor(J));
  allClose([Math.exp(-logAbsDet)], [100], { rtol: 1e-3 });
  throwsMatch(() => new F.LeakyReLU({ slope: 0 }), /slope must be a finite number > 0.*invertible/);
  throwsMatch(() => new F.LeakyReLU({ slope: NaN }), /slope/);
});

test('gradcheck: forward, inverse and logAbsDetJacobian of every elementwise bijector, in the input', () => {
  for (const [name, c] of Object.entries(elementwise)) {
    const b = c.make();
    check(`${name}.forward`, (v) => b.forward(v), [c.x]);
    check(`${name}.inverse`, (v) => b.inverse(v), [c.y]);
    if (name !== 'LeakyReLU' && name !== 'Affine') check(`${name}.logAbsDetJacobian`, (v) => b.logAbsDetJacobian(v), [c.x]);
    else check(`${name}.logAbsDetJacobian (piecewise constant)`, (v) => lk.add(b.logAbsDetJacobian(v), lk.mul(v, 0)), [c.x]);
  }
  // Affine in its parameters
  check('Affine.forward d/dshift,dscale', (s, a) => new F.Affine({ shift: s, scale: a }).forward(X), [lk.tensor([0.5, 1, -1]), lk.tensor([2, -0.5, 1.5])]);
  check('Affine.inverse d/dshift,dscale', (s, a) => new F.Affine({ shift: s, scale: a }).inverse(X), [lk.tensor([0.5, 1, -1]), lk.tensor([2, -0.5, 1.5])]);
  check('Affine.logAbsDetJacobian d/dscale', (a) => new F.Affine({ scale: a }).logAbsDetJacobian(X), [lk.tensor([2, -0.5, 1.5])]);
});

// a coupling net m(x1) written with the weights as inputs, so gradcheck reaches them
const tanhNet = (W, c) => (x1) => lk.tanh(lk.add(lk.matmul(x1, W), c));
const C = lk.tensor([[0.3, -0.8, 1.1, 0.4], [-1.2, 0.5, 0.2, -0.7], [0.9, 1.4, -0.3, 0.6]]);
const W = lk.tensor([[0.5, -1], [1.5, 0.3]]), c0 = lk.tensor([0.1, -0.2]);

test('AdditiveCoupling: y1 = x1, y2 = x2 + m(x1) by mask or split; log|det| = 0 per row (the full Jacobian agrees)', () => {
  const m = (x1) => lk.tanh(lk.add(lk.matmul(x1, W), c0));
  const byMask = new F.AdditiveCoupling({ mask: [1, 0, 1, 0], net: m });
  const y = byMask.forward(C);
  for (let n = 0; n < 3; n++) {
    const x1 = [C.data[n * 4], C.data[n * 4 + 2]];
    const sh = [0, 1].map((j) => Math.tanh(x1[0] * W.data[j] + x1[1] * W.data[2 + j] + c0.data[j]));
    allClose(y.data.slice(n * 4, n * 4 + 4), [x1[0], C.data[n * 4 + 1] + sh[0], x1[1], C.data[n * 4 + 3] + sh[1]], { atol: 1e-5 });
  }
  assert.equal(byMask.logAbsDetJacobian(C).shape, [3]);
  allClose(byMask.logAbsDetJacobian(C), [0, 0, 0]);
  const row = Array.from(C.data.slice(0, 4)), h = 1e-2;
  const J = row.map((_, j) => row.map((__, i) => {
    const p = row.slice(), q = row.slice(); p[j] += h; q[j] -= h;
    return (byMask.forward(lk.tensor([p])).data[i] - byMask.forward(lk.tensor([q])).data[i]) / (2 * h);
  }));
  allClose([lk.linalg.slogdet(lk.tensor(J)).logAbsDet], [0], { atol: 1e-3 });
  const bySplit = new F.AdditiveCoupling({ split: 2, net: m });
  const ys = bySplit.forward(C);
  allClose(lk.slice(ys, [0, 0], [3, 2]), lk.slice(C, [0, 0], [3, 2]), { atol: 0, rtol: 0 });
  allClose(bySplit.inverse(ys), C, { atol: 1e-6 });
  // an nn.Module net: its parameters are the bijector's
  lk.seed(3);
  const net = new lk.nn.Sequential(new lk.nn.Linear(2, 8), new lk.nn.Tanh(), new lk.nn.Linear(8, 2));
  const mod = new F.AdditiveCoupling({ split: 2, net });
  assert.is(mod.parameters().length, 4);
  allClose(mod.inverse(mod.forward(C)), C, { atol: 1e-5 });
  throwsMatch(() => new F.AdditiveCoupling({ net: m }), /exactly one of \{mask\}/);
  throwsMatch(() => new F.AdditiveCoupling({ mask: [1, 1], net: m }), /at least one 1.*one 0/);
  throwsMatch(() => new F.AdditiveCoupling({ split: 2 }), /net must be/);
  throwsMatch(() => byMask.forward(lk.zeros([3, 5])), /4 features/);
  throwsMatch(() => new F.AdditiveCoupling({ split: 2, net: () => lk.zeros([3, 1]) }).forward(C), /shift \[3,2\]/);
});

test('Scale: y = x ⊙ exp(s), log|det| = Σ s per row; learnable', () => {
  const s = new F.Scale({ dim: 4, logScale: [0.5, -1, 0, 2] });
  assert.equal(s.parameters().length, 1);
  allClose(s.forward(C), Array.from(C.data, (v, i) => v * Math.exp([0.5, -1, 0, 2][i % 4])), { atol: 1e-5 });
  allClose(s.logAbsDetJacobian(C), [1.5, 1.5, 1.5], { atol: 1e-6 });
  allClose(s.inverse(s.forward(C)), C, { atol: 1e-5 });
  throwsMatch(() => new F.Scale({ dim: 0 }), /dim must be a positive integer/);
  throwsMatch(() => s.forward(lk.zeros([2, 3])), /4 features/);
});

test('gradcheck: coupling, Scale and Compose forward, inverse, logAbsDetJacobian in the input and the parameters', () => {
  const mk = (w, c) => new F.AdditiveCoupling({ mask: [0, 1, 0, 1], net: tanhNet(w, c) });
  check('AdditiveCoupling.forward d/dx', (x) => mk(W, c0).forward(x), [C]);
  check('AdditiveCoupling.inverse d/dy', (y) => mk(W, c0).inverse(y), [C]);
  check('AdditiveCoupling.forward d/dnet', (w, c) => mk(w, c).forward(C), [W, c0]);
  check('AdditiveCoupling.inverse d/dnet', (w, c) => mk(w, c).inverse(C), [W, c0]);
  check('AdditiveCoupling.logAbsDetJacobian', (x) => lk.add(mk(W, c0).logAbsDetJacobian(x), lk.sum(lk.mul(x, 0), 1)), [C]);
  const sc = (s) => { const b = new F.Scale({ dim: 4 }); b.logScale = s; return b; };
  const S = lk.tensor([0.3, -0.6, 0.1, 0.8]);
  check('Scale.forward d/dx,ds', (x, s) => sc(s).forward(x), [C, S]);
  check('Scale.inverse d/dy,ds', (y, s) => sc(s).inverse(y), [C, S]);
  check('Scale.logAbsDetJacobian d/ds', (s) => sc(s).logAbsDetJacobian(C), [S]);
  const chain = (w, c, s) => new F.Compose([mk(w, c), new F.LeakyReLU({ slope: 0.5 }), sc(s), new F.Affine({ shift: 1, scale: 0.5 }), new F.Sigmoid()]);
  check('Compose.forward', (x, w, c, s) => chain(w, c, s).forward(x), [C, W, c0, S]);
  check('Compose.inverse', (w, c, s) => chain(w, c, s).inverse(lk.sigmoid(C)), [W, c0, S]);
  check('Compose.logAbsDetJacobian', (x, w, c, s) => chain(w, c, s).logAbsDetJacobian(x), [C, W, c0, S]);
});

test('Compose: order, log-det = Σ of the members (elementwise terms summed per row with a row-wise member)', () => {
  const chain = new F.Compose([new F.Affine({ shift: 1, scale: 2 }), new F.Exp()]);
  assert.is(chain.eventDim, 0);
  const x = lk.tensor([0.1, -0.3]);
  allClose(chain.forward(x), [Math.exp(1.2), Math.exp(0.4)], { rtol: 1e-6 });
  allClose(chain.inverse(chain.forward(x)), x, { atol: 1e-6 });
  allClose(chain.logAbsDetJacobian(x), [Math.log(2) + 1.2, Math.log(2) + 0.4], { atol: 1e-6 });
  const rows = new F.Compose([new F.Scale({ dim: 4, logScale: [1, 1, 1, 1] }), new F.Exp()]);
  assert.is(rows.eventDim, 1);
  const ld = rows.logAbsDetJacobian(C);
  assert.equal(ld.shape, [3]);
  allClose(ld, [0, 1, 2].map((n) => 4 + [0, 1, 2, 3].reduce((a, j) => a + C.data[n * 4 + j] * Math.E, 0)), { atol: 1e-4 });
  throwsMatch(() => new F.Compose([]), /non-empty array/);
  throwsMatch(() => new F.Compose([{ forward: (v) => v }]), /entry 0 is not a bijector/);
});

test('property: inverse(forward(x)) ≈ x for every bijector on random shapes and values', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 6 }), fc.integer(), (n, d, seed) => {
    const raw = lk.tensor(seededData(n * d, seed, 3), [n, d]);
    const away = lk.add(raw, lk.mul(lk.sub(lk.mul(lk.greater(raw, 0), 2), 1), 0.2)); // |x| >= 0.2 for 1/x
    const r = new lk.Rng(seed);
    const W1 = lk.tensor(seededData(Math.ceil(d / 2) * Math.floor(d / 2), seed + 1), [Math.ceil(d / 2), Math.floor(d / 2)]);
    const bijectors = [
      new F.Affine({ shift: r.uniform() * 4 - 2, scale: (r.uniform() + 0.2) * (r.uniform() < 0.5 ? -1 : 1) }),
      new F.Exp(), new F.Reciprocal(), new F.Sigmoid(), new F.LeakyReLU({ slope: 0.05 + r.uniform() }),
      new F.AdditiveCoupling({ mask: Array.from({ length: d }, (_, i) => (i % 2 === 0 ? 1 : 0)), net: (x1) => lk.tanh(lk.matmul(x1, W1)) }),
      new F.Scale({ dim: d, logScale: seededData(d, seed + 2, 1) }),
    ];
    for (const b of bijectors) {
      const x = b instanceof F.Reciprocal ? away : raw;
      allClose(b.inverse(b.forward(x)), x, { atol: 1e-4, rtol: 1e-4, msg: b.constructor.name });
    }
    const chain = new F.Compose(bijectors.filter((b) => !(b instanceof F.Reciprocal) && !(b instanceof F.Exp) && !(b instanceof F.Sigmoid)));
    allClose(chain.inverse(chain.forward(raw)), raw, { atol: 1e-3, rtol: 1e-3, msg: 'Compose' });
    return true;
  }), { numRuns: RUNS, seed: 14 });
});

test('bad bijector parameters throw', () => {
  throwsMatch(() => new F.Affine({ scale: 0 }), /scale must be non-zero/);
  throwsMatch(() => new F.Affine({ shift: NaN }), /shift must be finite/);
  throwsMatch(() => new F.Exp().forward([1]), /expected a Tensor/);
});

test.run();
