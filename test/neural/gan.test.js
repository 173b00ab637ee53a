import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';
import { tfCpu, tf, toTf, linear, conv, bceLogits, compareStep } from './tfref.js';
import { mnistSubset } from './mnist.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// tfjs: NHWC; flatten in latentkit's CHW order by transposing back first.
// Nearest 2x upsampling as reshape + concat: tfjs's resizeNearestNeighbor forward
// agrees with latentkit, but its cpu gradient does not (checked against a
// direct sum over each 2x2 block), so it cannot be the reference here.
function up2(h) {
  const [n, hh, w, c] = h.shape;
  const cols = tf.reshape(h, [n, hh, w, 1, c]);
  const rows = tf.reshape(tf.concat([cols, cols], 3), [n, hh, 1, 2 * w, c]);
  return tf.reshape(tf.concat([rows, rows], 2), [n, 2 * hh, 2 * w, c]);
}
function tfD(P, xNchw) {
  let h = tf.transpose(xNchw, [0, 2, 3, 1]);
  h = tf.maxPool(tf.relu(conv(h, P, 'discriminator.layers.0', 1)), 2, 2, 'valid');
  h = tf.maxPool(tf.relu(conv(h, P, 'discriminator.layers.3', 1)), 2, 2, 'valid');
  h = tf.relu(conv(h, P, 'discriminator.layers.6', 0));
  h = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [h.shape[0], 200]);
  return linear(h, P, 'discriminator.layers.9');
}
function tfG(P, z) {
  let h = tf.leakyRelu(linear(z, P, 'generator.layers.0'), 0.2);
  h = tf.transpose(tf.reshape(h, [z.shape[0], 32, 7, 7]), [0, 2, 3, 1]);
  h = up2(h);
  h = tf.leakyRelu(conv(h, P, 'generator.layers.4', 1), 0.2);
  h = up2(h);
  h = tf.leakyRelu(conv(h, P, 'generator.layers.7', 1), 0.2);
  h = tf.sigmoid(conv(h, P, 'generator.layers.9', 1));
  return tf.transpose(h, [0, 3, 1, 2]);
}
const bceMean = (logits, t) => tf.mean(bceLogits(logits, tf.fill(logits.shape, t)));

test('GAN: the course tables (parameter shapes)', () => {
  const gan = new lk.GAN({ latentDim: 16, seed: 1 });
  assert.equal(gan.discriminator.namedParameters().map(([k, p]) => `${k}:${p.shape.join('x')}`), [
    'layers.0.weight:2x1x3x3', 'layers.0.bias:2', 'layers.3.weight:4x2x3x3', 'layers.3.bias:4',
    'layers.6.weight:8x4x3x3', 'layers.6.bias:8', 'layers.9.weight:1x200', 'layers.9.bias:1']);
  assert.equal(gan.generator.namedParameters().map(([k, p]) => `${k}:${p.shape.join('x')}`), [
    'layers.0.weight:1568x16', 'layers.0.bias:1568', 'layers.4.weight:16x32x3x3', 'layers.4.bias:16',
    'layers.7.weight:8x16x3x3', 'layers.7.bias:8', 'layers.9.weight:1x8x3x3', 'layers.9.bias:1']);
  assert.ok(gan.parameters().filter((p) => p.ndim === 1).every((b) => b.data.every((v) => v === 0)), 'zero biases');
  // Kaiming-uniform bound √(6/fanIn) for the ReLU discriminator's first conv (fanIn 9)
  assert.ok(gan.discriminator.parameters()[0].data.every((v) => Math.abs(v) <= Math.sqrt(6 / 9)));
  assert.equal(gan.generate(lk.randn([3, 16])).shape, [3, 1, 28, 28]);
  assert.equal(gan.discriminate(lk.rand([3, 784])).shape, [3, 1]);
});

test('GAN: discriminator and generator steps match tfjs', async () => {
  await tfCpu();
  lk.seed(41);
  const gan = new lk.GAN({ latentDim: 16, seed: 2 });
  // non-zero biases so their gradients are exercised too
  for (const p of gan.parameters()) if (p.ndim === 1) for (let i = 0; i < p.size; i++) p.data[i] = 0.05 * Math.cos(i + p.size);
  const { x } = mnistSubset(2); // tfjs's cpu conv gradients are slow: keep the batch small
  const xi = x.reshape([2, 1, 28, 28]);
  const z = lk.randn([2, 16]);
  const dNames = gan.namedParameters().map(([k]) => k).filter((k) => k.startsWith('discriminator'));
  const gNames = gan.namedParameters().map(([k]) => k).filter((k) => k.startsWith('generator'));
  compareStep(gan, gan.discriminatorLoss(xi, z), (P) => {
    const fake = tfG(P, toTf(z));
    return tf.add(bceMean(tfD(P, toTf(xi)), 1), bceMean(tfD(P, fake), 0));
  }, { names: dNames });
  compareStep(gan, gan.generatorLoss(z), (P) => bceMean(tfD(P, tfG(P, toTf(z))), 1), { names: gNames });
  // the G loss leaves D's parameters alone (frozen in it), and restores them as parameters
  gan.zeroGrad();
  gan.generatorLoss(z).backward();
  assert.ok(gan.discriminator.parameters().every((p) => p.grad === null));
  assert.ok(gan.generator.parameters().every((p) => p.grad !== null));
  assert.is(gan.discriminator.parameters().length, 8);
  // the D loss does not reach the generator
  gan.zeroGrad();
  gan.discriminatorLoss(xi, z).backward();
  assert.ok(gan.generator.parameters().every((p) => p.grad === null));
});

test('GAN: a few steps on 128 digits move the losses; samples, save/load, stop', () => {
  lk.seed(42);
  const { x } = mnistSubset(128);
  const gan = new lk.GAN({ latentDim: 16, seed: 3 });
  const steps = [];
  gan.fit(x, { epochs: 2, batchSize: 32, learningRate: 1e-3, seed: 1, onStep: (s) => { steps.push(s); } });
  assert.is(steps.length, 8);
  assert.ok(steps.every((s) => Number.isFinite(s.dLoss) && Number.isFinite(s.gLoss) && Math.abs(s.loss - s.dLoss - s.gLoss) < 1e-9));
  assert.ok(steps.at(-1).dLoss < steps[0].dLoss, `D loss ${steps[0].dLoss} -> ${steps.at(-1).dLoss}`);
  const s = gan.sample(4);
  assert.equal(s.shape, [4, 784]);
  assert.ok(s.data.every((v) => v > 0 && v < 1));
  const path = join(tmpdir(), `lk-gan-${process.pid}.lkm`);
  gan.save(path);
  const back = lk.GAN.load(path);
  const z = lk.randn([2, 16]);
  allClose(back.generate(z), gan.generate(z), { atol: 0, rtol: 0 });
  let n = 0;
  gan.fit(x, { epochs: 3, batchSize: 32, onStep: () => ++n < 2 });
  assert.is(n, 2);
  throwsMatch(() => gan.fit(lk.rand([4, 100])), /\[N, 784\]/);
});

test.run();
