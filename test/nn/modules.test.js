import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';
import * as tf from '@tensorflow/tfjs';
tf.env().set('IS_TEST', true); // tfjs's "running TensorFlow.js in Node.js" banner stays out of the test output

test('Linear: y = x Wᵀ + b, W [out, in]; parameters and names', () => {
  lk.seed(1);
  const lin = new lk.nn.Linear(3, 2);
  assert.equal(lin.weight.shape, [2, 3]);
  assert.equal(lin.namedParameters().map(([k]) => k), ['weight', 'bias']);
  lin.bias.data.set([0.5, -1]);
  const x = lk.tensor([[1, 2, 3]]);
  const W = lin.weight.data;
  allClose(lin.forward(x), [W[0] + 2 * W[1] + 3 * W[2] + 0.5, W[3] + 2 * W[4] + 3 * W[5] - 1], { atol: 1e-6 });
  assert.is(new lk.nn.Linear(3, 2, { bias: false }).parameters().length, 1);
  throwsMatch(() => lin.forward(lk.zeros([1, 4])), /3 features/);
  throwsMatch(() => new lk.nn.Linear(0, 2), /inFeatures/);
});

test('Sequential: names, train/eval, forward through every layer', () => {
  lk.seed(2);
  const net = new lk.nn.Sequential(new lk.nn.Linear(4, 5), new lk.nn.Tanh(), new lk.nn.Linear(5, 1), new lk.nn.Sigmoid());
  assert.equal(net.namedParameters().map(([k]) => k), ['layers.0.weight', 'layers.0.bias', 'layers.2.weight', 'layers.2.bias']);
  assert.is(net.numParameters(), 4 * 5 + 5 + 5 + 1);
  assert.ok(net.training && net.at(0).training);
  net.eval();
  assert.ok(!net.training && !net.at(0).training && !net.at(1).training);
  net.train();
  assert.ok(net.at(2).training);
  const y = net.forward(lk.randn([7, 4]));
  assert.equal(y.shape, [7, 1]);
  assert.ok(y.data.every((v) => v > 0 && v < 1));
  lk.sum(y).backward();
  assert.ok(net.parameters().every((p) => p.grad && p.grad.shape.join() === p.shape.join()));
  net.zeroGrad();
  assert.ok(net.parameters().every((p) => p.grad === null));
  const state = net.stateDict();
  const other = new lk.nn.Sequential(new lk.nn.Linear(4, 5), new lk.nn.Tanh(), new lk.nn.Linear(5, 1), new lk.nn.Sigmoid());
  other.loadStateDict(state);
  const x = lk.randn([2, 4]);
  allClose(other.forward(x), net.forward(x), { atol: 0, rtol: 0 });
  throwsMatch(() => new lk.nn.Linear(4, 6).loadStateDict({ weight: lk.zeros([5, 4]), bias: lk.zeros([6]) }), /shape \[5,4\]/);
});

test('Conv2d, MaxPool2d, Upsample, LeakyReLU, ReLU, Flatten: shapes and values', () => {
  lk.seed(3);
  const conv = new lk.nn.Conv2d(2, 3, 3, { padding: 1 });
  assert.equal(conv.weight.shape, [3, 2, 3, 3]);
  const x = lk.randn([4, 2, 8, 8]);
  const y = conv.forward(x);
  assert.equal(y.shape, [4, 3, 8, 8]);
  allClose(y, lk.conv2d(x, conv.weight, conv.bias, { padding: 1 }));
  assert.equal(new lk.nn.MaxPool2d(2).forward(y).shape, [4, 3, 4, 4]);
  assert.equal(new lk.nn.Upsample(2).forward(y).shape, [4, 3, 16, 16]);
  assert.equal(new lk.nn.Flatten().forward(y).shape, [4, 192]);
  allClose(new lk.nn.LeakyReLU(0.2).forward(lk.tensor([-1, 2])), [-0.2, 2]);
  allClose(new lk.nn.ReLU().forward(lk.tensor([-1, 2])), [0, 2]);
  throwsMatch(() => conv.forward(lk.zeros([1, 3, 8, 8])), /2 channels/);
});

test('init: kaimingUniform and xavierUniform bounds, seeded reproducibility, zeros', () => {
  const w = lk.zeros([64, 32, 3, 3]);
  lk.seed(5); lk.nn.init.kaimingUniform(w);
  const bound = Math.sqrt(2) * Math.sqrt(3 / (32 * 9));
  let max = 0, sq = 0;
  for (const v of w.data) { max = Math.max(max, Math.abs(v)); sq += v * v; }
  assert.ok(max <= bound && max > 0.95 * bound);
  assert.ok(Math.abs(Math.sqrt(sq / w.size) - bound / Math.sqrt(3)) < 0.02 * bound, 'std = bound/√3');
  const w2 = lk.zeros([64, 32, 3, 3]);
  lk.seed(5); lk.nn.init.kaimingUniform(w2);
  allClose(w2, w, { atol: 0, rtol: 0 });
  const x = lk.zeros([100, 50]);
  lk.nn.init.xavierUniform(x);
  const xb = Math.sqrt(6 / 150);
  assert.ok(x.data.every((v) => Math.abs(v) <= xb) && Math.max(...x.data.map(Math.abs)) > 0.95 * xb);
  const leaky = lk.nn.init.kaimingUniform(lk.zeros([10, 1000]), { a: 0.2 });
  assert.ok(Math.max(...leaky.data.map(Math.abs)) <= Math.sqrt(2 / 1.04) * Math.sqrt(3 / 1000));
  assert.ok(lk.nn.init.zeros(x).data.every((v) => v === 0));
  throwsMatch(() => lk.nn.init.kaimingUniform(lk.zeros([5])), /at least 2 dimensions/);
});

/** Three steps on f(p) = Σ c p² + tanh(p) from the same start, latentkit vs tfjs. */
function optimiserMatchesTf(makeLk, makeTf) {
  const start = [0.5, -1.5, 2, 0.1], c = [1, 0.5, 2, 3];
  const p = lk.variable(lk.tensor(start));
  const opt = makeLk([p]);
  const v = tf.variable(tf.tensor(start));
  const tfo = makeTf();
  const ct = tf.tensor(c);
  for (let s = 0; s < 3; s++) {
    opt.zeroGrad();
    lk.sum(lk.add(lk.mul(lk.square(p), lk.tensor(c)), lk.tanh(p))).backward();
    opt.step();
    tfo.minimize(() => tf.sum(tf.add(tf.mul(tf.square(v), ct), tf.tanh(v))));
  }
  allClose(p, v.dataSync(), { atol: 1e-6, rtol: 1e-5 });
}

test('SGD (plain and with momentum) and Adam match tfjs over three steps', async () => {
  await tf.setBackend('cpu');
  optimiserMatchesTf((ps) => new lk.optim.SGD(ps, { lr: 0.1 }), () => tf.train.sgd(0.1));
  optimiserMatchesTf((ps) => new lk.optim.SGD(ps, { lr: 0.05, momentum: 0.9 }), () => tf.train.momentum(0.05, 0.9));
  optimiserMatchesTf((ps) => new lk.optim.Adam(ps, { lr: 0.1, betas: [0.8, 0.99], eps: 1e-7 }), () => tf.train.adam(0.1, 0.8, 0.99, 1e-7));
});

test('optimisers: minimise a quadratic, skip parameters without gradients, refuse bad settings', () => {
  const target = lk.tensor([1, -2, 3]);
  for (const make of [(ps) => new lk.optim.Adam(ps, { lr: 0.1 }), (ps) => new lk.optim.SGD(ps, { lr: 0.1, momentum: 0.5 })]) {
    const p = lk.variable(lk.zeros([3]));
    const unused = lk.variable(lk.ones([2]));
    const opt = make([p, unused]);
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      lk.losses.mse(p, target).backward();
      opt.step();
    }
    allClose(p, target, { atol: 1e-2 });
    allClose(unused, [1, 1], { atol: 0 });
  }
  throwsMatch(() => new lk.optim.Adam([lk.zeros([2])]), /does not require grad/);
  throwsMatch(() => new lk.optim.SGD([lk.variable(lk.zeros([2]))], { lr: -1 }), /lr must be a positive/);
  throwsMatch(() => new lk.optim.SGD([]), /no parameters/);
});

test('withFrozenParameters: no gradient reaches the parameters, the input still gets one, and the parameters come back (also after a throw)', () => {
  const net = new lk.nn.Sequential(new lk.nn.Linear(3, 4), new lk.nn.Tanh(), new lk.nn.Linear(4, 1));
  const before = net.parameters();
  const x = lk.variable(lk.randn([5, 3]));
  lk.sum(net.withFrozenParameters(() => net.forward(x))).backward();
  assert.ok(x.grad, 'the input gets its gradient');
  for (const p of net.parameters()) assert.is(p.grad, null, 'no parameter gradient');
  assert.equal(net.parameters(), before, 'the same parameter tensors afterwards');
  throwsMatch(() => net.withFrozenParameters(() => { throw new Error('inside'); }), /inside/);
  assert.equal(net.parameters(), before, 'restored after a throw');
  lk.sum(net.forward(x)).backward();
  for (const p of net.parameters()) assert.ok(p.grad, 'trainable again');
});

test.run();
