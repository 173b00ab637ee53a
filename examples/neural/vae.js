// The 2-D VAE (784-500-2, tanh, Bernoulli decoder) on the bundled MNIST digits,
// binarised at 0.5, 9,000 train / 1,000 held out. Reports the held-out ELBO per
// digit (analytic-KL form, averaged over 10 draws), the training time, and
// writes samples, the latent means coloured by digit and an interpolation.
//   node examples/neural/vae.js [--epochs=50] [--batch=100] [--lr=0.001]
import { lk, flags, mnistSplit, saveGrid, saveScatter, record, progress } from './common.js';

const f = flags({ epochs: 50, batch: 100, lr: 1e-3, seed: 1 });
lk.seed(f.seed);
const { train, test, testLabels } = mnistSplit({ binary: true });
const vae = new lk.VAE({ inputDim: 784, hiddenDim: 500, latentDim: 2, seed: f.seed });
const t0 = performance.now();
vae.fit(train, { epochs: f.epochs, batchSize: f.batch, learningRate: f.lr, seed: f.seed,
  ...progress('VAE', () => `held-out ELBO ${vae.elbo(test).toFixed(2)}`) });
const seconds = (performance.now() - t0) / 1000;
lk.seed(123);
const heldOut = vae.elbo(test, { samples: 10 });
const trainElbo = vae.elbo(train, { samples: 1 });
const heldOutSingleSample = vae.elbo(test, { samples: 10, estimator: 'sample' });
saveGrid('vae-samples.png', vae.sample(100), 10);
saveScatter('vae-latent.png', vae.encode(test).mu, testLabels);
const rows = [];
for (let i = 0; i < 5; i++) rows.push(vae.interpolate(test.slice([2 * i], [1]), test.slice([2 * i + 1], [1]), 10));
saveGrid('vae-interpolation.png', lk.concat(rows, 0), 10);
vae.save('examples/neural/out/vae.lkm');
record('vae', { epochs: f.epochs, batchSize: f.batch, learningRate: f.lr, trainSeconds: +seconds.toFixed(1),
  heldOutElboPerDigit: +heldOut.toFixed(2), heldOutElboSingleSampleForm: +heldOutSingleSample.toFixed(2), trainElboPerDigit: +trainElbo.toFixed(2), input: 'binarised at 0.5' });
