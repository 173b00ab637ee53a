// Every neural model refuses an unknown constructor option and an unknown
// fit() option, naming it and listing the known ones.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, throwsMatch } from '../helpers.js';

function refuses(build, where, typo, known) {
  let message = '';
  try { build(); } catch (e) { message = e.message; }
  assert.ok(message, `${where}: an unknown option '${typo}' was accepted`);
  assert.match(message, new RegExp(`^${where.replace('.', '\\.')}: unknown option '${typo}'; known options: `));
  for (const k of known) assert.ok(message.includes(k), `${where}: "${message}" does not list '${k}'`);
}

const FIT = ['epochs', 'batchSize', 'learningRate', 'onStep', 'onEpoch', 'signal', 'seed', 'shuffle'];
const x = lk.rand([8, 4]);
const small = { inputDim: 4, hiddenDim: 3, latentDim: 2, seed: 1 };

test('VAE, CVAE and GMVAE refuse unknown constructor and fit() options', () => {
  refuses(() => new lk.VAE({ ...small, hidden: 3 }), 'VAE', 'hidden', ['inputDim', 'hiddenDim', 'latentDim', 'likelihood', 'minVariance', 'estimator', 'beta', 'seed']);
  refuses(() => new lk.VAE(small).fit(x, { epoch: 1 }), 'VAE.fit', 'epoch', [...FIT, 'estimator']);
  refuses(() => new lk.CVAE({ ...small, classes: 2 }), 'CVAE', 'classes', ['inputDim', 'numClasses', 'hiddenDim', 'latentDim', 'estimator', 'beta', 'seed']);
  refuses(() => new lk.CVAE({ ...small, numClasses: 2 }).fit(x, [0, 1, 0, 1, 0, 1, 0, 1], { lr: 1e-3 }), 'CVAE.fit', 'lr', FIT);
  refuses(() => new lk.GMVAE({ ...small, k: 2 }), 'GMVAE', 'k', ['inputDim', 'hiddenDim', 'latentDim', 'nComponents', 'likelihood', 'minVariance', 'seed']);
  refuses(() => new lk.GMVAE({ ...small, nComponents: 2 }).fit(x, { warmup: 1 }), 'GMVAE.fit', 'warmup', FIT);
});

test('NICE and GAN refuse unknown constructor and fit() options', () => {
  refuses(() => new lk.NICE({ inputDim: 4, layers: 2 }), 'NICE', 'layers', ['inputDim', 'couplingLayers', 'hiddenDim', 'hiddenLayers', 'seed']);
  refuses(() => new lk.NICE({ inputDim: 4, hiddenDim: 3, hiddenLayers: 1, seed: 1 }).fit(x, { verbose: true }), 'NICE.fit', 'verbose', [...FIT, 'dequantize', 'scaleLearningRate']);
  refuses(() => new lk.GAN({ latent: 8 }), 'GAN', 'latent', ['latentDim', 'seed']);
  refuses(() => new lk.GAN({ latentDim: 2, seed: 1 }).fit(lk.rand([2, 784]), { beta: [0.5, 0.9] }), 'GAN.fit', 'beta', [...FIT, 'betas']);
});

test('fit() checks option values before training, naming the option', () => {
  const vae = new lk.VAE(small);
  throwsMatch(() => vae.fit(x, { epochs: -1 }), /VAE\.fit: epochs must be a non-negative integer/);
  throwsMatch(() => vae.fit(x, { estimator: 'exact' }), /VAE\.fit: estimator must be 'analytic' or 'sample'/);
  throwsMatch(() => vae.fit(x, { onEpoch: 1 }), /VAE\.fit: onEpoch must be a function/);
  throwsMatch(() => new lk.VAE({ ...small, beta: -1 }), /VAE: beta must be a non-negative finite number/);
  assert.equal(vae.history.length, 0);
});

test('VAE beta weighs the KL in the loss only; beta 1 is the ELBO', () => {
  const a = new lk.VAE({ ...small, beta: 1 }), b = new lk.VAE({ ...small, beta: 0.5 });
  const eps = lk.randn([8, 2]);
  const ta = a.terms(x, { noise: eps }), tb = b.terms(x, { noise: eps, beta: 0.5 });
  assert.ok(Math.abs(ta.loss.item() + lk.mean(ta.elbo).item()) < 1e-6);
  assert.ok(Math.abs(tb.elbo.dataSync()[0] - ta.elbo.dataSync()[0]) < 1e-6);
  const want = -(lk.mean(tb.logLik).item() - 0.5 * lk.mean(tb.kl).item());
  assert.ok(Math.abs(tb.loss.item() - want) < 1e-4);
});

test.run();
