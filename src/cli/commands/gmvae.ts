// latentkit gmvae: the GM-VAE of 001 P7 (mixture-of-Gaussians prior p(z) p(w|z), q(w|x) q(z|w,x),
// Bernoulli decoder on the digits), trained on −ELBO; samples drawn per component, and how the components split the digits.
import * as lk from 'latentkit';
import { imageGrid } from '../plot/index.js';
import { judgeSamples } from './judge.js';
import type { Command } from '../command.js';
import { intOption, trainOptions, layerOptions, imageOptions, type TrainOptions, type LayerOptions, type ImageOptions } from '../options.js';
import { round, type Metrics } from '../context.js';
import { heldOutImages, fitWithProgress, epochFigure } from './training.js';

interface GmvaeOptions extends TrainOptions, LayerOptions, ImageOptions { k: number }

export const gmvae: Command<GmvaeOptions> = {
  name: 'gmvae',
  summary: 'Gaussian-mixture VAE on the digits: samples from each mixture component',
  title: 'Gaussian-mixture VAE (001 P7)',
  about: 'The prior over the latent code is a mixture of K Gaussians and the encoder also infers the component; ideally each component captures one kind of digit. Each row of the grid samples one component.',
  options: {
    ...trainOptions(20, 100, 1e-3),
    k: intOption('--k <n>', 'mixture components of the prior', 1, 100, 10),
    ...layerOptions(500, 2),
    ...imageOptions(10000, 'an IDX image file or a CSV of pixel rows in [0,1] (default: the bundled MNIST digits)'),
  },
  quick: { epochs: 20, limit: 8000 },
  tiny: { epochs: 1, limit: 200, hiddenDim: 32, batchSize: 50, k: 3 },
  async run(ctx, o) {
    const { d, dim, hold, train, test } = heldOutImages(o, 'gmvae');
    const model = new lk.GMVAE({ inputDim: dim, hiddenDim: o.hiddenDim, latentDim: o.latentDim, nComponents: o.k, likelihood: 'bernoulli', seed: o.seed });
    fitWithProgress(ctx, 'gmvae', o, d.n - hold, (fit) => model.fit(train, fit));
    const hist = model.history.map((h) => h.elbo ?? -h.loss);
    await epochFigure(ctx, 'elbo.svg', hist, 'Training ELBO per digit (nats) after each epoch.', 'GM-VAE training ELBO', 'ELBO per digit (nats)');
    const per = 10;
    const comps = Int32Array.from({ length: o.k * per }, (_, i) => Math.floor(i / per));
    ctx.figure('samples.png', imageGrid(model.sample(o.k * per, comps).dataSync(), o.k * per, d.h, d.w, { cols: per }),
      `Samples: row k draws z from prior component k (${o.k} rows).`);
    const metrics: Metrics = { samples: d.n - hold, heldOut: hold, components: o.k, epochs: model.history.length, trainElbo: round(hist[hist.length - 1] ?? NaN) };
    if (dim === 784) Object.assign(metrics, judgeSamples(model.sample(100).dataSync(), 100));
    if (hold > 0) {
      metrics.testElbo = round(model.elbo(test));
      metrics.componentUsage = Array.from(model.componentUsage(test)).map((u) => round(u, 3));
      metrics.componentsCarryingData = Array.from(model.componentCounts(test)).filter((c) => c > 0).length;
      if (d.labels) metrics.clusterPurity = round(purity(model.predict(test), d.labels.subarray(0, hold), o.k), 3);
    }
    return metrics;
  },
};

/** Fraction of rows whose component's most common label is their own. */
function purity(pred: Int32Array, labels: Int32Array, k: number): number {
  const counts = new Map<string, number>();
  for (let i = 0; i < pred.length; i++) counts.set(`${pred[i]}:${labels[i]}`, (counts.get(`${pred[i]}:${labels[i]}`) ?? 0) + 1);
  let total = 0;
  for (let c = 0; c < k; c++) {
    let best = 0;
    for (let l = 0; l < 100; l++) best = Math.max(best, counts.get(`${c}:${l}`) ?? 0);
    total += best;
  }
  return total / Math.max(1, pred.length);
}
