import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';
import { tfCpu, tf, toTf, linear, bceLogits, compareStep } from './tfref.js';
import { mnistSubset } from './mnist.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

function tfVae(P, x, eps, estimator) {
  const h = tf.tanh(linear(x, P, 'encHidden'));
  const mu = linear(h, P, 'encMu'), lv = linear(h, P, 'encLogVar');
  const z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps));
  const logits = linear(tf.tanh(linear(z, P, 'decHidden')), P, 'decOut');
  const logLik = tf.neg(tf.sum(bceLogits(logits, x), -1));
  let kl;
  if (estimator === 'analytic') {
    kl = tf.mul(tf.sum(tf.sub(tf.add(tf.exp(lv), tf.square(mu)), tf.add(lv, 1)), -1), 0.5);
  } else {
    const c = Math.log(2 * Math.PI);
    const logq = tf.mul(tf.sum(tf.add(tf.add(tf.div(tf.square(tf.sub(z, mu)), tf.exp(lv)), lv), c), -1), -0.5);
    const logp = tf.mul(tf.sum(tf.add(tf.square(z), c), -1), -0.5);
    kl = tf.sub(logq, logp);
  }
  return tf.neg(tf.mean(tf.sub(logLik, kl)));
}

for (const estimator of ['analytic', 'sample']) {
  test(`VAE 784-500-2: one step matches tfjs (${estimator} ELBO)`, async () => {
    await tfCpu();
    lk.seed(11);
    const { x } = mnistSubset(16, { binary: true });
    const model = new lk.VAE({ inputDim: 784, hiddenDim: 500, latentDim: 2, seed: 5 });
    const eps = lk.randn([16, 2]);
    const { loss } = model.terms(x, { estimator, noise: eps });
    compareStep(model, loss, (P) => tfVae(P, toTf(x), toTf(eps), estimator));
  });
}

test('VAE: training loss falls on 256 MNIST digits within a few steps', () => {
  lk.seed(3);
  const { x } = mnistSubset(256, { binary: true });
  const model = new lk.VAE({ inputDim: 784, hiddenDim: 100, seed: 1, estimator: 'analytic' });
  const losses = [];
  model.fit(x, { epochs: 4, batchSize: 32, learningRate: 3e-3, seed: 2, onStep: (s) => { losses.push(s.loss); } });
  assert.is(losses.length, 32);
  const first = losses.slice(0, 4).reduce((a, b) => a + b) / 4, last = losses.slice(-4).reduce((a, b) => a + b) / 4;
  assert.ok(last < first - 100, `loss fell from ${first} to ${last}`);
  assert.ok(model.elbo(x) > -first + 100);
});

test('VAE: fit reports steps and epochs, and stops between steps keeping the model', () => {
  lk.seed(4);
  const { x } = mnistSubset(64, { binary: true });
  const model = new lk.VAE({ inputDim: 784, hiddenDim: 32, seed: 1 });
  const steps = [], epochs = [];
  model.fit(x, { epochs: 2, batchSize: 16, onStep: (s) => { steps.push(s); }, onEpoch: (e) => { epochs.push(e); } });
  assert.is(steps.length, 8);
  assert.is(epochs.length, 2);
  assert.equal([steps[5].epoch, steps[5].batch, steps[5].batches, steps[5].step, steps[5].totalSteps], [1, 2, 4, 6, 8]);
  assert.ok(Number.isFinite(steps[0].loss) && Number.isFinite(steps[0].runningLoss) && Number.isFinite(steps[0].kl));
  assert.ok(Math.abs(epochs[1].loss - steps.slice(4).reduce((a, s) => a + s.loss, 0) / 4) < 1e-3);
  // stop after 3 steps: the weights are those after step 3
  let snap = null;
  const stopper = new lk.VAE({ inputDim: 784, hiddenDim: 32, seed: 1 });
  let n = 0;
  stopper.fit(x, { epochs: 5, batchSize: 16, onStep: () => { n++; if (n === 3) { snap = stopper.parameters().map((p) => p.clone()); return false; } } });
  assert.is(n, 3);
  assert.ok(stopper.stopped);
  stopper.parameters().forEach((p, i) => allClose(p, snap[i], { atol: 0, rtol: 0 }));
  assert.ok(Number.isFinite(stopper.elbo(x)));
  // an AbortSignal stops before the next step
  const ac = new AbortController();
  let m = 0;
  new lk.VAE({ inputDim: 784, hiddenDim: 32, seed: 1 }).fit(x, { epochs: 5, batchSize: 16, signal: ac.signal, onStep: () => { if (++m === 2) ac.abort(); } });
  assert.is(m, 2);
});

test('VAE: encode, decode, sample, interpolate shapes; save and load round-trip', () => {
  lk.seed(5);
  const { x } = mnistSubset(8, { binary: true });
  const model = new lk.VAE({ inputDim: 784, hiddenDim: 20, latentDim: 2 });
  const { mu, logVar } = model.encode(x);
  assert.equal(mu.shape, [8, 2]);
  assert.equal(logVar.shape, [8, 2]);
  assert.equal(model.decode(mu).shape, [8, 784]);
  const s = model.sample(5);
  assert.equal(s.shape, [5, 784]);
  assert.ok(s.data.every((v) => v >= 0 && v <= 1));
  assert.equal(model.interpolate(x.slice([0], [1]), x.slice([1], [1]), 7).shape, [7, 784]);
  const path = join(tmpdir(), `lk-vae-${process.pid}.lkm`);
  model.save(path);
  const back = lk.VAE.load(path);
  assert.equal(back.config(), model.config());
  allClose(back.decode(mu), model.decode(mu), { atol: 0, rtol: 0 });
  // wrong model / wrong shape / not a model file
  throwsMatch(() => lk.NICE?.load ? lk.NICE.load(path) : (() => { throw new Error('holds a VAE model, not a NICE'); })(), /holds a VAE model, not a NICE/);
  const bad = join(tmpdir(), `lk-bad-${process.pid}.lkm`);
  writeFileSync(bad, 'hello world, not a model');
  throwsMatch(() => lk.VAE.load(bad), /not a latentkit model file/);
  throwsMatch(() => lk.VAE.load(join(tmpdir(), 'no-such-file.lkm')), /cannot read/);
});

test('VAE: bad input is refused with a clear message', () => {
  const model = new lk.VAE({ inputDim: 4, hiddenDim: 3 });
  throwsMatch(() => model.fit(lk.tensor([[0, 1, 0]])), /shape \[N, 4\]/);
  throwsMatch(() => model.fit(lk.tensor([[0, 1, NaN, 1]])), /NaN/);
  throwsMatch(() => model.fit(lk.tensor([[0, 1, 2, 1]])), /\[0, 1\]/);
  throwsMatch(() => new lk.VAE({ inputDim: 0 }), /inputDim/);
  throwsMatch(() => model.fit(lk.tensor([[0, 1, 0, 1]]), { batchSize: 0 }), /batchSize/);
});

test.run();
