import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose } from '../helpers.js';
import { tfCpu, tf, toTf, linear, bceLogits, compareStep } from './tfref.js';
import { mnistSubset } from './mnist.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('GMVAE: one step (three-term ELBO, β and balance term) matches tfjs', async () => {
  await tfCpu();
  lk.seed(31);
  const n = 10, K = 4, L = 3, D = 784;
  const { x } = mnistSubset(n, { binary: true });
  const model = new lk.GMVAE({ inputDim: D, hiddenDim: 64, latentDim: L, nComponents: K, seed: 4 });
  for (let i = 0; i < model.priorLogVar.size; i++) model.priorLogVar.data[i] = 0.3 * Math.sin(i);
  const eps = lk.randn([n, K, L]);
  const beta = 0.7, balance = 3;
  const { loss } = model.terms(x, { noise: eps, beta, balance });
  compareStep(model, loss, (P) => {
    const tx = toTf(x);
    const h = tf.tanh(linear(tx, P, 'encHidden'));
    const logPi = tf.logSoftmax(linear(h, P, 'encW'));
    const pi = tf.exp(logPi);
    const mu = tf.reshape(linear(h, P, 'encMu'), [n, K, L]), lv = tf.reshape(linear(h, P, 'encLogVar'), [n, K, L]);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), toTf(eps)));
    const logits = tf.reshape(linear(tf.tanh(linear(tf.reshape(z, [n * K, L]), P, 'decHidden')), P, 'decOut'), [n, K, D]);
    const logLik = tf.neg(tf.sum(bceLogits(logits, tf.tile(tf.reshape(tx, [n, 1, D]), [1, K, 1])), -1));
    const recon = tf.sum(tf.mul(pi, logLik), -1);
    const m1 = P.priorMu, v1 = P.priorLogVar;
    const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.sub(v1, lv), tf.div(tf.add(tf.exp(lv), tf.square(tf.sub(mu, m1))), tf.exp(v1))), 1), -1), 0.5);
    const klZ = tf.sum(tf.mul(pi, kl), -1);
    const klW = tf.sum(tf.mul(pi, tf.add(logPi, Math.log(K))), -1);
    const q = tf.mean(pi, 0);
    const bal = tf.sum(tf.mul(q, tf.log(tf.add(tf.mul(q, K), 1e-12))));
    return tf.add(tf.neg(tf.mean(tf.sub(recon, tf.add(tf.mul(klZ, beta), klW)))), tf.mul(bal, balance));
  });
});

test('GMVAE: ELBO terms are consistent; training raises the ELBO and keeps components in use', () => {
  lk.seed(32);
  const { x } = mnistSubset(300, { binary: true });
  const model = new lk.GMVAE({ inputDim: 784, hiddenDim: 128, latentDim: 2, nComponents: 5, seed: 5 });
  const t = lk.noGrad(() => model.terms(x.slice([0], [20])));
  allClose(t.elbo, lk.sub(t.recon, lk.add(t.klZ, t.klW)), { atol: 1e-3 });
  assert.ok(t.klW.data.every((v) => v >= -1e-5 && v <= Math.log(5) + 1e-5), 'KL(q(w|x)||U) in [0, log K]');
  const before = model.elbo(x);
  const epochs = [];
  model.fit(x, { epochs: 4, batchSize: 50, learningRate: 2e-3, warmupEpochs: 1, seed: 2, onEpoch: (e) => { epochs.push(e); } });
  assert.is(epochs.length, 4);
  assert.ok(epochs[0].beta < 1 && epochs[3].beta === 1);
  const after = model.elbo(x);
  assert.ok(after > before + 100, `ELBO ${before} -> ${after}`);
  const usage = model.componentUsage(x);
  assert.ok(Math.max(...usage) < 0.6, `no component takes most of the data: ${Array.from(usage).map((u) => u.toFixed(2))}`);
  const s = model.sample(6, [0, 1, 2]);
  assert.equal(s.shape, [6, 784]);
  const path = join(tmpdir(), `lk-gmvae-${process.pid}.lkm`);
  model.save(path);
  const back = lk.GMVAE.load(path);
  allClose(back.priorMu, model.priorMu, { atol: 0, rtol: 0 });
  assert.equal(Array.from(back.predict(x.slice([0], [10]))), Array.from(model.predict(x.slice([0], [10]))));
});

test.run();
