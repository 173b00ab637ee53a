import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';
import { tfCpu, tf, toTf, linear, bceLogits, compareStep } from './tfref.js';
import { mnistSubset } from './mnist.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('CVAE (784+10)-400-400-20: one step matches tfjs', async () => {
  await tfCpu();
  lk.seed(21);
  const { x, labels } = mnistSubset(12, { binary: true });
  const model = new lk.CVAE({ inputDim: 784, numClasses: 10, seed: 2 });
  assert.equal(model.namedParameters().map(([, p]) => p.shape.join('x')),
    ['400x794', '400', '400x400', '400', '20x400', '20', '20x400', '20', '400x30', '400', '400x400', '400', '784x400', '784']);
  const eps = lk.randn([12, 20]);
  const { loss } = model.terms(x, labels, { noise: eps });
  const y = tf.oneHot(Array.from(labels), 10).toFloat();
  compareStep(model, loss, (P) => {
    const tx = toTf(x);
    const h = tf.relu(linear(tf.relu(linear(tf.concat([tx, y], 1), P, 'enc1')), P, 'enc2'));
    const mu = linear(h, P, 'encMu'), lv = linear(h, P, 'encLogVar');
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), toTf(eps)));
    const logits = linear(tf.relu(linear(tf.relu(linear(tf.concat([z, y], 1), P, 'dec1')), P, 'dec2')), P, 'decOut');
    const logLik = tf.neg(tf.sum(bceLogits(logits, tx), -1));
    const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.exp(lv), tf.square(mu)), tf.add(lv, 1)), -1), 0.5);
    return tf.neg(tf.mean(tf.sub(logLik, kl)));
  });
});

test('CVAE: loss falls on 256 digits; grid is rows = noise, columns = class; save/load', () => {
  lk.seed(22);
  const { x, labels } = mnistSubset(256, { binary: true });
  const model = new lk.CVAE({ inputDim: 784, hiddenDim: 128, seed: 3 });
  const losses = [];
  model.fit(x, labels, { epochs: 3, batchSize: 32, learningRate: 2e-3, seed: 1, onStep: (s) => { losses.push(s.loss); } });
  assert.ok(losses.at(-1) < losses[0] - 100, `loss ${losses[0]} -> ${losses.at(-1)}`);
  const g = model.grid(3);
  assert.equal(g.shape, [30, 784]);
  // same noise along a row: decoding row r's first cell with its class reproduces it
  assert.equal(model.sample(4, [7, 7, 1, 1]).shape, [4, 784]);
  const path = join(tmpdir(), `lk-cvae-${process.pid}.lkm`);
  model.save(path);
  const back = lk.CVAE.load(path);
  const z = lk.randn([2, 20]);
  allClose(back.decode(z, [3, 4]), model.decode(z, [3, 4]), { atol: 0, rtol: 0 });
  throwsMatch(() => model.fit(x, labels.slice(0, 10)), /10 labels for 256 rows/);
  throwsMatch(() => model.fit(x.slice([0], [2]), [0, 12]), /label 12/);
});

test.run();
