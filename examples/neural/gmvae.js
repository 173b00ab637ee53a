// The GM-VAE of 001 P7 (K = 10 components, 2-D latent, 500 hidden, Bernoulli decoder) on the
// bundled MNIST digits, binarised at 0.5, trained on −ELBO. Reports the held-out three-term ELBO,
// how much each component is used, how well components match digit labels
// (cluster purity), and writes samples per component (one row each).
//   node examples/neural/gmvae.js [--epochs=30] [--k=10] [--latent=2]
import { lk, flags, mnistSplit, saveGrid, saveScatter, record, progress } from './common.js';

const f = flags({ epochs: 30, batch: 100, lr: 1e-3, k: 10, latent: 2, hidden: 500, seed: 1 });
lk.seed(f.seed);
const { train, test, testLabels } = mnistSplit({ binary: true });
const gm = new lk.GMVAE({ inputDim: 784, hiddenDim: f.hidden, latentDim: f.latent, nComponents: f.k, likelihood: 'bernoulli', seed: f.seed });
const t0 = performance.now();
gm.fit(train, { epochs: f.epochs, batchSize: f.batch, learningRate: f.lr, seed: f.seed,
  ...progress('GMVAE', (e) => `ELBO ${e.elbo.toFixed(2)} components used ${e.componentsUsed.toFixed(1)}`) });
const seconds = (performance.now() - t0) / 1000;
lk.seed(3);
const heldOut = gm.elbo(test, { samples: 10 });
const usage = Array.from(gm.componentUsage(test), (u) => +u.toFixed(3));
const carrying = Array.from(gm.componentCounts(test)).filter((c) => c > 0).length;
// purity: each component votes for its majority label
const pred = gm.predict(test);
const counts = Array.from({ length: f.k }, () => new Array(10).fill(0));
pred.forEach((c, i) => { counts[c][testLabels[i]]++; });
const purity = counts.reduce((a, row) => a + Math.max(...row), 0) / pred.length;
const comps = Array.from({ length: f.k * 10 }, (_, i) => Math.floor(i / 10));
saveGrid('gmvae-samples.png', gm.sample(f.k * 10, comps), 10);
if (f.latent === 2) {
  const { mu } = lk.noGrad(() => gm.encode(test));
  saveScatter('gmvae-latent.png', mu, testLabels);
}
gm.save('examples/neural/out/gmvae.lkm');
record('gmvae', { epochs: f.epochs, nComponents: f.k, latentDim: f.latent, trainSeconds: +seconds.toFixed(1),
  heldOutElboPerDigit: +heldOut.toFixed(2), componentUsage: usage, componentsCarryingData: carrying, clusterPurity: +purity.toFixed(3) });
