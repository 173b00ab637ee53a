// Issue 11's engine cases, each on every backend: what used to crash, hang or
// answer wrongly now gives the right value or an Error naming the op.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, BACKEND, throwsMatch, isolated, allClose } from '../helpers.js';

const quick = (code) => isolated(`import * as lk from './dist/index.js';\n${code}`, { timeoutMs: 15000, env: { LATENTKIT_BACKEND: BACKEND } });

test(`[${BACKEND}] SharedArrayBuffer-backed tensors work (cause 1)`, () => {
  const r = quick(`
    const t = new lk.Tensor(new Float32Array(new SharedArrayBuffer(16)), [2, 2]);
    const y = t.exp().add(t).matmul(t.exp());
    console.log(JSON.stringify(Array.from(y.data)));`);
  assert.is(r.signal, null, `killed by ${r.signal}: ${r.err}`);
  assert.is(r.status, 0, r.err);
  assert.equal(JSON.parse(r.out), [2, 2, 2, 2]);
});

test(`[${BACKEND}] conv2d with 0 output channels and huge padding: empty result, zero gradients (cause 2)`, () => {
  const r = quick(`
    const x = lk.variable(lk.ones([1, 1, 1, 1])), w = lk.variable(lk.ones([0, 1, 1, 1]));
    const y = lk.conv2d(x, w, null, { padding: 1e6 });
    y.sum().backward();
    console.log(JSON.stringify({ shape: y.shape, dx: Array.from(x.grad.data), dw: w.grad.size }));`);
  assert.is(r.signal, null, `killed by ${r.signal}: ${r.err}`);
  assert.is(r.status, 0, r.err);
  assert.equal(JSON.parse(r.out), { shape: [1, 0, 2000001, 2000001], dx: [0], dw: 0 });
});

test(`[${BACKEND}] empty tensors with huge nominal dims return at once (cause 4)`, () => {
  const r = quick(`
    const a = lk.upsample2d(lk.zeros([2 ** 20, 2 ** 20, 0, 1]));
    const b = lk.conv2d(lk.zeros([2 ** 40, 0, 1, 1]), lk.zeros([0, 0, 1, 1]));
    const c = lk.maxPool2d(lk.zeros([0, 2 ** 30, 2, 2]), { kernel: 1 });
    const d = lk.matmul(lk.zeros([0, 2 ** 30]), lk.zeros([2 ** 30, 0]));
    console.log(JSON.stringify([a.shape, b.shape, c.shape, d.shape]));`);
  assert.not.ok(r.timedOut, 'hung');
  assert.is(r.status, 0, r.err);
  assert.equal(JSON.parse(r.out), [[2 ** 20, 2 ** 20, 0, 2], [2 ** 40, 0, 1, 1], [0, 2 ** 30, 2, 2], [0, 0]]);
});

test(`[${BACKEND}] reductions of a 0-d tensor are the tensor itself (cause 9)`, () => {
  const x = lk.tensor(3);
  for (const ax of [0, -1]) {
    assert.is(lk.sum(x, ax).item(), 3);
    assert.is(lk.mean(x, ax).item(), 3);
    assert.is(lk.max(x, ax).item(), 3);
    assert.is(lk.min(x, ax).item(), 3);
    assert.is(lk.logsumexp(x, ax).item(), 3);
    assert.is(lk.softmax(x, ax).item(), 1);
    assert.is(lk.logSoftmax(x, ax).item(), 0);
    assert.equal(lk.sum(x, ax).shape, []);
  }
  throwsMatch(() => lk.sum(x, 1), /axis 1 is out of range for a 0-d tensor/);
  const v = lk.variable(lk.tensor(2));
  lk.logsumexp(v, 0).backward();
  assert.is(v.grad.item(), 1);
});

test(`[${BACKEND}] small cases give an Error naming the op (cause 10)`, () => {
  throwsMatch(() => lk.conv2d(lk.ones([1, 1, 3, 3]), lk.ones([1, 1, 1, 0])), /conv2d: the kernel must be at least 1x1/);
  throwsMatch(() => lk.gather(lk.tensor(3), [0]), /gather: a 0-d tensor/);
  throwsMatch(() => lk.slice(lk.ones([2, 2]), [0, 0], 1), /slice: size must be an array/);
  throwsMatch(() => lk.tensor('abc'), /tensor: .*string/);
  throwsMatch(() => lk.tensor([1, 'a']), /tensor/);
  throwsMatch(() => lk.transpose(lk.ones([2, 3]), 1), /transpose: perm must be an array/);
  throwsMatch(() => lk.upsample2d(lk.ones([1, 1, 2 ** 11, 2 ** 11]), { scale: 2 ** 10 }), /upsample2d: the result would have/);
  const w = lk.variable(lk.ones([2]));
  throwsMatch(() => new lk.optim.Adam([w], { eps: 0 }), /Adam: eps must be a positive/);
  throwsMatch(() => new lk.optim.Adam([w], { eps: -1 }), /Adam: eps/);
  throwsMatch(() => lk.dist.logpdfDiagonalGaussian(lk.zeros([2]), 0, lk.tensor([1, 0])), /variance must be in \(0/);
  throwsMatch(() => lk.dist.sampleDiagonalGaussian(lk.zeros([2]), lk.tensor([1, -1])), /variance must be in \[0/);
  throwsMatch(() => lk.dist.sampleBernoulli(lk.tensor([0.5, NaN])), /sampleBernoulli: p must be in \[0, 1\], got NaN/);
  throwsMatch(() => lk.losses.binaryCrossEntropy(lk.tensor([2]), lk.tensor([1])), /binaryCrossEntropy: probs must be in \[0, 1\]/);
  throwsMatch(() => lk.gradcheck((a) => a.sum(), [lk.ones([2])], { eps: 0 }), /gradcheck: eps must be a positive/);
  throwsMatch(() => lk.gradcheck((a) => a.sum(), lk.ones([2])), /gradcheck: inputs must be an array/);
});

test(`[${BACKEND}] a NaN gradient changes no parameter (cause 10)`, () => {
  const w = lk.variable(lk.tensor([1, 2])), u = lk.variable(lk.tensor([3]));
  const opt = new lk.optim.Adam([u, w], { lr: 0.1 });
  w.grad = lk.tensor([NaN, 1]);
  u.grad = lk.tensor([1]);
  throwsMatch(() => opt.step(), /diverged; lower the learning rate/);
  assert.equal(Array.from(w.data), [1, 2]);
  assert.equal(Array.from(u.data), [3]);
  assert.is(opt.steps, 0);
});

test(`[${BACKEND}] the kernels check their arguments like the native binding (causes 10, 14)`, async () => {
  const { kernels } = await import('../../dist/backend/registry.js');
  const k = kernels(), f = (n) => new Float32Array(n);
  throwsMatch(() => k.matmul(f(4), f(6), f(5), 1, 2, 3, 2, false, false), /matmul: 'b' has length 5, expected 6/);
  throwsMatch(() => k.unary('cube', f(2), f(2), 0, 0), /unknown op 'cube'/);
  throwsMatch(() => k.binary('add', f(3), f(3), f(1), [3], [1], [1]), /strides reach past/);
  throwsMatch(() => k.upsample2d(f(4), f(1), 1, 1, 1, 1, 0), /'scale' must be an integer >= 1/);
  throwsMatch(() => k.conv2d(f(6), f(16), f(9), { n: 1, c: 1, h: 4, w: 4, o: 1, kh: 3, kw: 3, stride: 1, pad: 0, oh: 3, ow: 2 }), /oh\/ow/);
  // transposed strides are honoured even when every length equals the output size (cause 14)
  const out = f(4);
  k.binary('add', out, new Float32Array([1, 2, 3, 4]), f(4), [2, 2], [1, 2], [2, 1]);
  assert.equal(Array.from(out), [1, 3, 2, 4]);
});

test(`[${BACKEND}] sizes past i32 (a stride of 2^40) run correctly, not a wasm trap (found by npm run fuzz)`, () => {
  const y = lk.conv2d(lk.ones([2, 1, 1, 2]), lk.ones([3, 1, 1, 1]), null, { stride: 2 ** 40, padding: 1 });
  assert.equal(y.shape, [2, 3, 1, 1]);
  assert.equal(Array.from(y.data), new Array(6).fill(0)); // the one tap lands in the padding
});

test(`[${BACKEND}] a large finite batch stays finite through logsumexp and softmax`, () => {
  const x = lk.tensor([[1e30, -1e30, 0]]);
  allClose(lk.softmax(x, 1), lk.tensor([[1, 0, 0]]));
  assert.is(lk.logsumexp(x, 1).item(), Math.fround(1e30));
});

test.run();
