// Indexing and shape ops whose outputs or gradients skip the zero fill
// (takeColumns with distinct or repeated columns, a full permutation,
// concat, slice) and the one-pass activation backwards (tanh, sigmoid, relu):
// each gradient checked against central differences and an explicit reference.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, seededData, allClose } from '../helpers.js';

const T = (shape, seed, scale = 1) => lk.tensor(seededData(shape.reduce((a, b) => a * b, 1), seed, scale), shape);

const cases = {
  'takeColumns, distinct subset': [[5, 7], (x) => lk.takeColumns(x, Int32Array.from([6, 0, 3]))],
  'takeColumns, repeats': [[4, 6], (x) => lk.takeColumns(x, Int32Array.from([1, 1, 5, 1, 0]))],
  'takeColumns, a full permutation': [[3, 6], (x) => lk.takeColumns(x, Int32Array.from([4, 2, 0, 5, 1, 3]))],
  'concat then takeColumns (NICE merge)': [[3, 8], (x) => {
    const a = lk.takeColumns(x, Int32Array.from([0, 2, 4, 6])), b = lk.takeColumns(x, Int32Array.from([1, 3, 5, 7]));
    return lk.takeColumns(lk.concat([lk.tanh(a), b], 1), Int32Array.from([0, 4, 1, 5, 2, 6, 3, 7]));
  }],
  'slice': [[4, 5], (x) => lk.slice(x, [1, 2], [2, 3])],
  'tanh': [[3, 4], (x) => lk.tanh(x)],
  'sigmoid': [[3, 4], (x) => lk.sigmoid(x)],
  'relu': [[3, 4], (x) => lk.relu(x)],
};

for (const [name, [shape, f]] of Object.entries(cases)) {
  test(`${name}: gradient matches central differences`, () => {
    const x = T(shape, 3);
    const w = T(f(x).shape, 9); // a fixed random weighting of the outputs
    const r = lk.gradcheck((v) => lk.sum(lk.mul(f(v), w)), [x]);
    assert.ok(r.ok, `${name}: max abs err ${r.maxAbsErr}`);
  });
}

test('takeColumns backward sums repeated columns and leaves untaken ones at 0', () => {
  const x = T([2, 4], 1);
  x.requiresGrad = true;
  const y = lk.takeColumns(x, Int32Array.from([3, 3, 1]));
  y.backward(lk.tensor(Float32Array.from([1, 2, 4, 10, 20, 40]), [2, 3]));
  allClose(x.grad.data, Float32Array.from([0, 4, 0, 3, 0, 40, 0, 30]), { atol: 0, rtol: 0, msg: 'dx' });
});

test('one-pass activation backwards equal their formulas', () => {
  const x = T([6, 7], 5, 3);
  const g = T([6, 7], 6);
  for (const [op, dy] of [
    ['tanh', (v) => { const t = Math.tanh(v); return 1 - t * t; }],
    ['sigmoid', (v) => { const s = 1 / (1 + Math.exp(-v)); return s * (1 - s); }],
    ['relu', (v) => (v > 0 ? 1 : 0)],
  ]) {
    const v = lk.tensor(x.data.slice(), x.shape);
    v.requiresGrad = true;
    lk[op](v).backward(g);
    const want = x.data.map((xi, i) => g.data[i] * dy(xi));
    allClose(v.grad.data, want, { atol: 1e-6, rtol: 1e-5, msg: op });
  }
});

test.run();
