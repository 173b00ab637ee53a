// latentkit vae: the course's VAE on the digits (784-500-2, Bernoulli decoder):
// samples, the 2-D latent space coloured by digit, and the decoded latent grid.
import * as lk from 'latentkit';
import { imageGrid, scatterPlot } from '../plot/index.js';
import type { Command } from '../command.js';
import { trainOptions, layerOptions, imageOptions, type TrainOptions, type LayerOptions, type ImageOptions } from '../options.js';
import { round } from '../context.js';
import { heldOutImages, fitWithProgress, epochFigure } from './training.js';

interface VaeOptions extends TrainOptions, LayerOptions, ImageOptions {}

export const vae: Command<VaeOptions> = {
  name: 'vae',
  summary: 'variational autoencoder on the digits: samples, latent scatter, latent grid',
  title: 'Variational autoencoder',
  about: 'A VAE with a Gaussian encoder, Bernoulli decoder and one tanh hidden layer each way, trained by maximising the ELBO with Adam. With a 2-D latent space the digits\' codes can be drawn directly.',
  options: {
    ...trainOptions(20, 100, 1e-3),
    ...layerOptions(500, 2),
    ...imageOptions(10000, 'an IDX image file or a CSV of pixel rows in [0,1] (default: the bundled MNIST digits)'),
  },
  quick: { epochs: 20, limit: 10000 },
  tiny: { epochs: 1, limit: 200, hiddenDim: 32, batchSize: 50 },
  run(ctx, o) {
    const { d, dim, hold, train, test } = heldOutImages(o, 'vae');
    const model = new lk.VAE({ inputDim: dim, hiddenDim: o.hiddenDim, latentDim: o.latentDim, seed: o.seed });
    fitWithProgress(ctx, 'vae', o, d.n - hold, (fit) => model.fit(train, fit));
    const hist = model.history.map((h) => h.elbo ?? -h.loss);
    epochFigure(ctx, 'elbo.png', hist, 'Training ELBO per digit (nats) after each epoch.');
    ctx.figure('samples.png', imageGrid(model.sample(64).dataSync(), 64, d.h, d.w, { cols: 8 }), '64 samples: z ~ N(0, I) decoded (pixel probabilities).');
    const testElbo = hold > 0 ? model.elbo(test) : NaN;
    if (o.latentDim === 2) {
      const n = Math.min(2000, d.n);
      const mu = lk.noGrad(() => model.encode(d.images.subarray(0, n * dim)).mu).dataSync();
      const xs = Array.from({ length: n }, (_, i) => mu[2 * i]), ys = Array.from({ length: n }, (_, i) => mu[2 * i + 1]);
      ctx.figure('latent.png', scatterPlot(xs, ys, d.labels ? d.labels.subarray(0, n) : undefined),
        `Encoder means of ${n} digits in the 2-D latent space${d.labels ? ', coloured by digit (0 blue, 1 orange, 2 green, 3 red, 4 purple, 5 brown, 6 pink, 7 grey, 8 olive, 9 cyan)' : ''}.`);
      const g = 15, grid = new Float32Array(g * g * 2);
      for (let r = 0; r < g; r++) for (let c = 0; c < g; c++) { grid[(r * g + c) * 2] = -2 + (4 * c) / (g - 1); grid[(r * g + c) * 2 + 1] = 2 - (4 * r) / (g - 1); }
      ctx.figure('manifold.png', imageGrid(model.decode(lk.tensor(grid, [g * g, 2])).dataSync(), g * g, d.h, d.w, { cols: g, pad: 0 }),
        'The decoder over the latent square [-2, 2]² (z₁ left to right, z₂ bottom to top).');
    }
    return {
      samples: d.n - hold, heldOut: hold, epochs: model.history.length,
      trainElbo: round(hist[hist.length - 1] ?? NaN), testElbo: round(testElbo),
      secondsPerEpoch: round(model.history.reduce((s, h) => s + h.seconds, 0) / Math.max(1, model.history.length), 3),
    };
  },
};
