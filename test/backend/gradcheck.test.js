// A finite-difference gradient check for every differentiable op.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, seededData } from '../helpers.js';

const T = (shape, seed, scale = 1, shift = 0) => lk.tensor(seededData(shape.reduce((a, b) => a * b, 1), seed, scale).map((v) => v + shift), shape);
// a fixed random weighting, so the checked scalar depends on every output element
const W = (y, seed = 99) => lk.sum(lk.mul(y, T(y.shape, seed)));

function check(name, f, inputs, opts = {}) {
  test(`gradcheck ${name}`, () => {
    const r = lk.gradcheck(f, inputs, { eps: 1e-3, atol: 5e-3, rtol: 2e-2, ...opts });
    assert.ok(r.ok, `${name}: maxAbsErr ${r.maxAbsErr}, maxRelErr ${r.maxRelErr}`);
  });
}

const pos = (shape, seed) => T(shape, seed, 0.5, 1.5); // values in [1, 2]
check('add (broadcast)', (a, b) => W(lk.add(a, b)), [T([3, 4], 1), T([4], 2)]);
check('sub (broadcast)', (a, b) => W(lk.sub(a, b)), [T([3, 1], 3), T([1, 4], 4)]);
check('mul (broadcast)', (a, b) => W(lk.mul(a, b)), [T([2, 3, 4], 5), T([3, 1], 6)]);
check('div', (a, b) => W(lk.div(a, b)), [T([3, 4], 7), pos([3, 4], 8)]);
check('neg', (a) => W(lk.neg(a)), [T([5], 9)]);
check('pow', (a) => W(lk.pow(a, 2.5)), [pos([5], 10)]);
check('exp', (a) => W(lk.exp(a)), [T([6], 11)]);
check('log', (a) => W(lk.log(a)), [pos([6], 12)]);
check('log1p', (a) => W(lk.log1p(a)), [pos([6], 13)]);
check('sqrt', (a) => W(lk.sqrt(a)), [pos([6], 14)]);
check('abs', (a) => W(lk.abs(a)), [pos([6], 15)]);
check('square', (a) => W(lk.square(a)), [T([6], 16)]);
check('tanh', (a) => W(lk.tanh(a)), [T([6], 17, 2)]);
check('sigmoid', (a) => W(lk.sigmoid(a)), [T([6], 18, 3)]);
check('relu', (a) => W(lk.relu(a)), [lk.tensor([-1.5, -0.3, 0.4, 2])]);
check('leakyRelu', (a) => W(lk.leakyRelu(a, 0.2)), [lk.tensor([-1.5, -0.3, 0.4, 2])]);
check('softplus', (a) => W(lk.softplus(a)), [T([6], 19, 4)]);
check('logSigmoid', (a) => W(lk.logSigmoid(a)), [T([6], 20, 4)]);
check('clip', (a) => W(lk.clip(a, -0.5, 0.5)), [lk.tensor([-0.9, -0.2, 0.1, 0.8])]);
check('sum (axis, keepDims)', (a) => W(lk.sum(a, 1, true)), [T([3, 4, 2], 21)]);
check('sum (all)', (a) => lk.sum(lk.square(a)), [T([3, 4], 22)]);
check('mean', (a) => W(lk.mean(a, [0, 2])), [T([3, 4, 2], 23)]);
check('max', (a) => W(lk.max(a, 1)), [T([3, 5], 24)]);
check('min', (a) => W(lk.min(a, 0)), [T([3, 5], 25)]);
check('logsumexp', (a) => W(lk.logsumexp(a, 1)), [T([3, 5], 26, 3)]);
check('softmax', (a) => W(lk.softmax(a, 1)), [T([3, 5], 27, 2)]);
check('logSoftmax', (a) => W(lk.logSoftmax(a, 0)), [T([4, 3], 28, 2)]);
check('matmul', (a, b) => W(lk.matmul(a, b)), [T([3, 4], 29), T([4, 5], 30)]);
check('matmul transposeA', (a, b) => W(lk.matmul(a, b, { transposeA: true })), [T([4, 3], 31), T([4, 5], 32)]);
check('matmul transposeB', (a, b) => W(lk.matmul(a, b, { transposeB: true })), [T([3, 4], 33), T([5, 4], 34)]);
check('matmul both transposed', (a, b) => W(lk.matmul(a, b, { transposeA: true, transposeB: true })), [T([4, 3], 35), T([5, 4], 36)]);
check('matmul batched', (a, b) => W(lk.matmul(a, b)), [T([2, 3, 4], 37), T([2, 4, 2], 38)]);
check('matmul 3-D by 2-D', (a, b) => W(lk.matmul(a, b)), [T([2, 3, 4], 39), T([4, 2], 40)]);
check('transpose', (a) => W(lk.transpose(a, [2, 0, 1])), [T([2, 3, 4], 41)]);
check('reshape', (a) => W(lk.reshape(a, [4, -1])), [T([2, 6], 42)]);
check('broadcastTo', (a) => W(lk.broadcastTo(a, [3, 2, 4])), [T([2, 1], 43)]);
check('concat', (a, b) => W(lk.concat([a, b], 1)), [T([2, 3], 44), T([2, 2], 45)]);
check('stack', (a, b) => W(lk.stack([a, b], 0)), [T([2, 3], 46), T([2, 3], 47)]);
check('slice', (a) => W(lk.slice(a, [1, 0], [2, -1])), [T([4, 3], 48)]);
check('gather', (a) => W(lk.gather(a, [2, 0, 2])), [T([3, 2], 49)]);
check('conv2d (stride 2, padding 1, bias)', (x, w, b) => W(lk.conv2d(x, w, b, { stride: 2, padding: 1 })),
  [T([2, 3, 5, 5], 50), T([4, 3, 3, 3], 51), T([4], 52)]);
check('maxPool2d', (x) => W(lk.maxPool2d(x, { kernel: 2 })), [T([1, 2, 4, 4], 53)]);
check('upsample2d', (x) => W(lk.upsample2d(x, { scale: 2 })), [T([1, 2, 2, 3], 54)]);
check('a composite: log-softmax of a tanh layer', (x, w) => W(lk.logSoftmax(lk.tanh(lk.matmul(x, w)), 1)), [T([4, 3], 55), T([3, 5], 56)]);

test('gradcheck notices a wrong gradient', () => {
  // x ↦ x² computed with a deliberately wrong backward: detach one factor (gradient x instead of 2x)
  const wrong = (x) => lk.sum(lk.mul(x, x.detach()));
  const r = lk.gradcheck(wrong, [T([4], 57, 1, 2)]);
  assert.not.ok(r.ok);
});

test.run();
