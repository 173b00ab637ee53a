// takeColumns and addColumns as autograd ops: values against the formulas,
// gradients against central differences and explicit references, argument
// errors; and the NICE coupling built on them equal, bit for bit, to the split /
// shift / join it replaced.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, seededData, allClose, throwsMatch } from '../helpers.js';

const T = (shape, seed, scale = 1) => lk.tensor(seededData(shape.reduce((a, b) => a * b, 1), seed, scale), shape);
const I = (...v) => Int32Array.from(v);
const evens = (d, s = 0) => Int32Array.from({ length: Math.floor((d - s + 1) / 2) }, (_, j) => s + 2 * j);

const cases = {
  'takeColumns, even columns': [[[4, 9]], (x) => lk.takeColumns(x, evens(9))],
  'takeColumns, a contiguous range': [[[3, 7]], (x) => lk.takeColumns(x, I(2, 3, 4, 5))],
  'takeColumns, repeats (plain array)': [[[3, 5]], (x) => lk.takeColumns(x, [4, 0, 4, 4])],
  'addColumns, odd columns, alpha 1': [[[4, 8], [4, 4]], (x, m) => lk.addColumns(x, evens(8, 1), m)],
  'addColumns, alpha -1': [[[3, 6], [3, 3]], (x, m) => lk.addColumns(x, I(5, 0, 2), m, -1)],
  'addColumns, repeats, alpha 0.37': [[[2, 5], [2, 4]], (x, m) => lk.addColumns(x, I(1, 1, 3, 1), m, 0.37)],
  'addColumns of a function of x (x reached twice)': [[[3, 6]], (x) => lk.addColumns(x, I(1, 3, 5), lk.tanh(lk.takeColumns(x, I(0, 2, 4))), -1)],
};

for (const [name, [shapes, f]] of Object.entries(cases)) {
  test(`${name}: gradient matches central differences`, () => {
    const xs = shapes.map((s, i) => T(s, 3 + i));
    const w = T(f(...xs).shape, 9); // a fixed random weighting of the outputs
    const r = lk.gradcheck((...v) => lk.sum(lk.mul(f(...v), w)), xs);
    assert.ok(r.ok, `${name}: max abs err ${r.maxAbsErr}`);
  });
}

test('addColumns adds alpha·m to the named columns of a copy of x, and its gradients are dy and alpha·dy[:, idx]', () => {
  const x = T([2, 4], 1), m = T([2, 3], 2);
  x.requiresGrad = true; m.requiresGrad = true;
  const x0 = x.data.slice();
  const y = lk.addColumns(x, I(3, 0, 3), m, 0.5);
  const want = x0.slice();
  for (let r = 0; r < 2; r++) [3, 0, 3].forEach((c, j) => { want[r * 4 + c] = Math.fround(want[r * 4 + c] + Math.fround(0.5 * m.data[r * 3 + j])); });
  allClose(y.data, want, { atol: 0, rtol: 0, msg: 'y' });
  assert.equal(Array.from(x.data), Array.from(x0), 'x unchanged');
  const g = lk.tensor(Float32Array.from([1, 2, 4, 8, 16, 32, 64, 128]), [2, 4]);
  y.backward(g);
  allClose(x.grad.data, g.data, { atol: 0, rtol: 0, msg: 'dx = dy' });
  allClose(m.grad.data, [4, 0.5, 4, 64, 8, 64], { atol: 0, rtol: 0, msg: 'dm = alpha dy[:, idx]' });
  assert.ok(x.grad.data !== g.data, 'the caller\'s gradient is not handed to a leaf');
});

test('takeColumns backward: a permutation, a subset and repeats', () => {
  for (const [idx, want] of [[I(2, 0, 1), [2, 4, 1, 20, 40, 10]], [I(2), [0, 0, 1, 0, 0, 10]], [I(1, 1, 0), [4, 3, 0, 40, 30, 0]]]) {
    const x = T([2, 3], 1);
    x.requiresGrad = true;
    const y = lk.takeColumns(x, idx);
    const g = Float32Array.from({ length: 2 * idx.length }, (_, i) => [1, 2, 4][i % idx.length] * (i < idx.length ? 1 : 10));
    y.backward(lk.tensor(g, y.shape));
    allClose(x.grad.data, want, { atol: 0, rtol: 0, msg: `idx [${idx}]` });
  }
});

test('bad arguments name the cause', () => {
  const x = T([2, 4], 1), m = T([2, 2], 2);
  throwsMatch(() => lk.takeColumns(x, I(0, 4)), /takeColumns: column 4 \(index 1\) is out of range for x of shape \[2,4\]/);
  throwsMatch(() => lk.takeColumns(x, [0, 1.5]), /column 1.5/);
  throwsMatch(() => lk.takeColumns(T([8], 1), I(0)), /takeColumns: expected x to be a 2-D tensor/);
  throwsMatch(() => lk.takeColumns(x, 3), /column indices must be an Int32Array/);
  throwsMatch(() => lk.addColumns(x, I(0, -1), m), /addColumns: column -1/);
  throwsMatch(() => lk.addColumns(x, I(0, 1, 2), m), /addColumns: m must be \[2,3\].*got \[2,2\]/);
  throwsMatch(() => lk.addColumns(x, I(0, 1), m, NaN), /alpha must be a finite number/);
  throwsMatch(() => lk.addColumns(x, I(0, 1), null), /expected a Tensor/);
});

// the coupling as it was: split into x1 = x[:, a], x2 = x[:, b], y2 = x2 ± m(x1), join and unsplit
function oldCouple(x, a, b, net, sign) {
  const x1 = lk.takeColumns(x, a), x2 = lk.takeColumns(x, b), m = net(x1);
  const y2 = sign > 0 ? lk.add(x2, m) : lk.sub(x2, m);
  const unsplit = new Int32Array(a.length + b.length);
  [...a, ...b].forEach((v, i) => { unsplit[v] = i; });
  return lk.takeColumns(lk.concat([x1, y2], 1), unsplit);
}

test('AdditiveCoupling forward and inverse equal the split / shift / join formulation bit for bit, gradients too', () => {
  const D = 10, W = T([D / 2, D / 2], 4);
  for (const [opts, a, b] of [[{ mask: Array.from({ length: D }, (_, i) => (i + 1) % 2) }, evens(D), evens(D, 1)],
    [{ split: 3 }, I(0, 1, 2), I(3, 4, 5, 6, 7, 8, 9)]]) {
    const Wk = T([a.length, b.length], 4);
    const net = (h) => lk.tanh(lk.matmul(h, a.length === D / 2 ? W : Wk));
    const c = new lk.flows.AdditiveCoupling({ ...opts, net });
    for (const sign of [1, -1]) {
      const x1 = T([6, D], 7, 3), x2 = T([6, D], 7, 3);
      x1.requiresGrad = true; x2.requiresGrad = true;
      const y = sign > 0 ? c.forward(x1) : c.inverse(x1), e = oldCouple(x2, a, b, net, sign);
      allClose(y.data, e.data, { atol: 0, rtol: 0, msg: `y, sign ${sign}` });
      const w = T([6, D], 8);
      lk.sum(lk.mul(y, w)).backward();
      lk.sum(lk.mul(e, w)).backward();
      allClose(x1.grad.data, x2.grad.data, { atol: 1e-6, rtol: 1e-6, msg: `dx, sign ${sign}` });
    }
  }
});

test.run();
