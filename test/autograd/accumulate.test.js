// Gradients summed over several uses of a tensor: backward adds into a pending
// gradient in place only when no other gradient or graph tensor shares its buffer.
// Each graph shares buffers in a different way (pass-through add, reshape views,
// a tensor used by both operands, a leaf used twice); all are checked against
// central differences and against the same sums formed without sharing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, seededData, allClose } from '../helpers.js';

const T = (shape, seed, scale = 1) => lk.tensor(seededData(shape.reduce((a, b) => a * b, 1), seed, scale), shape);
const R = (shape, seed) => T(shape, seed + 100);

const graphs = {
  // add's backward hands the same gradient to both operands; both are used again (every order of the terms,
  // so that the shared gradient is sometimes the first to arrive)
  ...Object.fromEntries([[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]].map((perm) => [`pass-through add, operands reused (${perm})`, (x) => {
    const a = lk.mul(x, 2), b = lk.mul(x, 3);
    const terms = [() => lk.sum(lk.mul(lk.add(a, b), R([3, 4], 1))), () => lk.sum(lk.mul(a, R([3, 4], 2))), () => lk.sum(lk.mul(b, R([3, 4], 3)))];
    const [t0, t1, t2] = perm.map((i) => terms[i]());
    return lk.add(lk.add(t0, t1), t2);
  }])),
  // a reshape shares its input's buffer; the gradient of the view flows into the same pending sum
  'reshape views of one gradient': (x) => {
    const h = lk.tanh(x);
    const v = lk.reshape(h, [4, 3]);
    return lk.add(lk.sum(lk.mul(lk.reshape(lk.mul(v, 1.5), [3, 4]), R([3, 4], 4))), lk.sum(lk.mul(lk.add(h, h), R([3, 4], 5))));
  },
  // one tensor as both operands, then used by a matmul and a reduction
  'x·x and a matmul of the same tensor': (x) => {
    const h = lk.sigmoid(x);
    const p = lk.mul(h, h);
    const m = lk.matmul(h, h, { transposeB: true });
    return lk.add(lk.add(lk.sum(lk.mul(p, R([3, 4], 6))), lk.sum(lk.mul(m, R([3, 3], 7)))), lk.mean(h));
  },
  // the leaf itself used four times, the last through the identity
  'a leaf used four times': (x) => lk.add(lk.add(lk.sum(lk.mul(x, x)), lk.sum(lk.exp(x))), lk.add(lk.sum(lk.mul(x, R([3, 4], 8))), lk.sum(x))),
};

for (const [name, f] of Object.entries(graphs)) {
  test(`accumulated gradients are right: ${name}`, () => {
    const x0 = T([3, 4], 11);
    const r = lk.gradcheck(f, [x0], { eps: 1e-3, atol: 5e-3, rtol: 2e-2 });
    assert.ok(r.ok, `${name}: maxAbsErr ${r.maxAbsErr}`);
    // twice in a row with retainGraph: the second pass must see untouched graph buffers
    const x = lk.variable(x0.clone());
    const y = f(x);
    y.backward({ retainGraph: true });
    const first = x.grad.data.slice();
    x.grad = null;
    y.backward();
    allClose(x.grad.data, first, { atol: 0, rtol: 0, msg: 'second pass' });
  });
}

test('a caller-given gradient is never written by the accumulation', () => {
  // sub hands the caller's gradient itself to h; the second use of h then adds to it
  const x = lk.variable(T([2, 3], 3));
  const h = lk.mul(x, 1);
  const g = T([2, 3], 4), before = g.data.slice();
  lk.sub(h, lk.mul(h, 3)).backward(g);
  assert.equal(Array.from(g.data), Array.from(before));
  allClose(x.grad.data, Array.from(before, (v) => -2 * v));
});

test.run();
