// The autograd core: accumulation, broadcasting undone, graph freeing, errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';

test('gradients accumulate across uses of a tensor and across backward calls', () => {
  const x = lk.variable(lk.tensor([1, 2, 3]));
  const y = lk.sum(lk.add(lk.mul(x, x), x)); // dy/dx = 2x + 1
  y.backward();
  allClose(x.grad, [3, 5, 7]);
  lk.sum(lk.mul(x, 2)).backward();
  allClose(x.grad, [5, 7, 9]);
  x.zeroGrad();
  assert.is(x.grad, null);
});

test('broadcasting is undone in backward', () => {
  const a = lk.variable(lk.ones([2, 3])), b = lk.variable(lk.ones([3])), c = lk.variable(lk.tensor(2));
  lk.sum(lk.mul(lk.add(a, b), c)).backward();
  assert.equal(b.grad.shape, [3]);
  allClose(b.grad, [4, 4, 4]);
  assert.equal(c.grad.shape, []);
  allClose(c.grad, [12]);
});

test('t.requiresGrad = true marks a leaf; untracked tensors get no grad', () => {
  const x = lk.tensor([1, 2]);
  x.requiresGrad = true;
  const k = lk.tensor([3, 4]);
  lk.sum(lk.mul(x, k)).backward();
  allClose(x.grad, [3, 4]);
  assert.is(k.grad, null);
});

test('lk.grad returns the gradients of a scalar function', () => {
  const f = (x, y) => lk.sum(lk.mul(lk.exp(x), y));
  const [gx, gy] = lk.grad(f)(lk.tensor([0, 1]), lk.tensor([2, 3]));
  allClose(gx, [2, 3 * Math.E], { rtol: 1e-6 });
  allClose(gy, [1, Math.E], { rtol: 1e-6 });
});

test('noGrad records nothing', () => {
  const x = lk.variable(lk.tensor([1, 2]));
  const y = lk.noGrad(() => lk.mul(x, 2));
  assert.is(y.requiresGrad, false);
  assert.is(y.node, null);
  assert.is(lk.isGradEnabled(), true);
});

test('the graph is freed after backward; a second backward says how to keep it', () => {
  const x = lk.variable(lk.tensor([1, 2]));
  const h = lk.mul(x, 3);
  const y = lk.sum(h);
  y.backward();
  assert.is(h.node, null);
  throwsMatch(() => y.backward(), /already freed/);
  const z = lk.sum(lk.mul(x, x));
  z.backward(undefined, { retainGraph: true });
  z.backward();
  allClose(x.grad, [3 + 2 + 2, 3 + 4 + 4]);
});

test('backward errors: non-scalar without a gradient, no grad required, wrong gradient shape', () => {
  const x = lk.variable(lk.tensor([1, 2]));
  throwsMatch(() => lk.mul(x, 2).backward(), /shape \[2\] without a gradient; reduce it to a scalar/);
  throwsMatch(() => lk.tensor([1]).backward(), /does not require grad/);
  throwsMatch(() => lk.mul(x, 2).backward(lk.ones([3])), /gradient of shape \[3\] does not match/);
  const y = lk.mul(x, 2);
  y.backward(lk.tensor([1, 10]));
  allClose(x.grad, [2, 20]);
});

test('a deep chain does not overflow the stack', () => {
  const x = lk.variable(lk.tensor([1]));
  let y = x;
  for (let i = 0; i < 20000; i++) y = lk.add(y, 1e-4);
  lk.sum(y).backward();
  allClose(x.grad, [1]);
});

test('detach cuts the graph', () => {
  const x = lk.variable(lk.tensor([2]));
  const y = lk.mul(lk.mul(x, x).detach(), x);
  lk.sum(y).backward();
  allClose(x.grad, [4]);
});

test.run();
