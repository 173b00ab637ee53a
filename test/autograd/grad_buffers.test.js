// Optimizer.zeroGrad() keeps each parameter's gradient buffer for its next
// gradient (the linear layer's dW and db write into it): the gradients stay
// exactly those of a fresh computation, the buffer is reused, a buffer that a
// tensor of the new graph uses is never written, and Tensor.zeroGrad() keeps
// an old gradient intact.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, seededData } from '../helpers.js';

const T = (shape, seed) => lk.tensor(seededData(shape.reduce((a, b) => a * b, 1), seed, 1), shape);

function setup(seed) {
  const layer = (lk.seed(seed), new lk.nn.Linear(6, 5));
  const act = new lk.nn.Tanh();
  const net = new lk.nn.Sequential([layer, act]);
  return { layer, net, x: T([4, 6], seed + 1), r: T([4, 5], seed + 2) };
}
const lossOf = ({ net, x, r }) => lk.sum(lk.mul(net.forward(x), r));

/** The gradients of a fresh copy of the same layer (same ops), computed without any reuse. */
function freshGrads(s) {
  const copy = setup(0);
  copy.layer.weight.data.set(s.layer.weight.data);
  copy.layer.bias.data.set(s.layer.bias.data);
  lossOf({ ...copy, x: s.x, r: s.r }).backward();
  return [copy.layer.weight.grad.dataSync(), copy.layer.bias.grad.dataSync()];
}

test('optimizer zeroGrad: the next gradients reuse the buffers and equal fresh ones', () => {
  const s = setup(3);
  const opt = new lk.optim.SGD(s.net.parameters(), { lr: 0.1 });
  for (let step = 0; step < 3; step++) {
    const before = [s.layer.weight.grad?.data, s.layer.bias.grad?.data];
    opt.zeroGrad();
    assert.is(s.layer.weight.grad, null);
    lossOf(s).backward();
    const [gw, gb] = freshGrads(s);
    assert.equal(Array.from(s.layer.weight.grad.data), Array.from(gw));
    assert.equal(Array.from(s.layer.bias.grad.data), Array.from(gb));
    if (step > 0) {
      assert.ok(s.layer.weight.grad.data === before[0], 'dW written into the kept buffer');
      assert.ok(s.layer.bias.grad.data === before[1], 'db written into the kept buffer');
    }
    opt.step();
  }
});

test('a kept buffer that the new graph uses is not written', () => {
  const s = setup(5);
  const opt = new lk.optim.SGD(s.net.parameters(), { lr: 0.1 });
  lossOf(s).backward();
  const old = s.layer.weight.grad;
  const oldCopy = old.dataSync();
  opt.step(); // new weights: the next dW differs from the old one
  opt.zeroGrad();
  // the old gradient (same shape as W) enters the loss: its buffer is part of the graph
  const loss = lk.add(lossOf(s), lk.sum(lk.mul(s.layer.weight, old)));
  loss.backward();
  assert.equal(Array.from(old.data), Array.from(oldCopy), 'the old gradient is unchanged');
  assert.ok(s.layer.weight.grad.data !== old.data);
  const [gw] = freshGrads(s);
  const want = gw.map((v, i) => v + oldCopy[i]);
  s.layer.weight.grad.data.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-6 * (1 + Math.abs(want[i])), `dW[${i}] ${v} vs ${want[i]}`));
});

test('tensor.zeroGrad drops the gradient without reusing its buffer', () => {
  const s = setup(7);
  lossOf(s).backward();
  const old = s.layer.weight.grad, copy = old.dataSync();
  for (const p of s.net.parameters()) p.zeroGrad();
  lk.mul(lossOf(s), 3).backward();
  assert.ok(s.layer.weight.grad.data !== old.data);
  assert.equal(Array.from(old.data), Array.from(copy));
});

test('matmul of a parameter: its gradient reuses the kept buffer and equals a fresh one', () => {
  const x = T([5, 4], 11), r = T([5, 3], 12);
  for (const tb of [false, true]) {
    const w = lk.variable(T(tb ? [3, 4] : [4, 3], 13));
    const opt = new lk.optim.SGD([w], { lr: 0.1 });
    const loss = (p) => lk.sum(lk.mul(lk.matmul(x, p, { transposeB: tb }), r));
    for (let step = 0; step < 3; step++) {
      const before = w.grad?.data;
      opt.zeroGrad();
      loss(w).backward();
      const fresh = lk.variable(w.detach().clone());
      loss(fresh).backward();
      assert.equal(Array.from(w.grad.data), Array.from(fresh.grad.data));
      if (step > 0) assert.ok(w.grad.data === before, `transposeB ${tb}: dW written into the kept buffer`);
      opt.step();
    }
  }
});

test("a leaf gradient never shares the caller's gradient buffer (a reshape view of it), so reuse cannot write into it", () => {
  const s = setup(9);
  const w = s.layer.weight;
  const G = T([30], 21), copy = G.dataSync();
  lk.reshape(w, [30]).backward(G); // w.grad = a view of G's buffer unless backward copies it
  assert.ok(w.grad.data.buffer !== G.data.buffer);
  const opt = new lk.optim.SGD(s.net.parameters(), { lr: 0.1 });
  opt.zeroGrad();
  lossOf(s).backward(); // dW goes into the kept buffer
  assert.equal(Array.from(G.data), Array.from(copy), "the caller's gradient is unchanged");
});

test.run();
