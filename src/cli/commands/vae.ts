// latentkit vae: the course's VAE on the digits (784-500-2, Bernoulli decoder):
// samples, the 2-D latent space coloured by digit, and the decoded latent grid.
import { VAE } from '../../models/vae.js';
import { imageGrid, linePlot, scatterPlot } from '../plot/index.js';
import { noGrad } from '../../autograd/engine.js';
import { tensor } from '../../autograd/creation.js';
import type { Command } from '../command.js';
import { int, epochsOption, batchOption, lrOption, limitOption, dataOption, labelsOption } from '../options.js';
import { loadImages } from '../data.js';
import { round } from '../context.js';
import { fitCallbacks, rows } from './common.js';

export const vae: Command = {
  name: 'vae',
  summary: 'variational autoencoder on the digits: samples, latent scatter, latent grid',
  title: 'Variational autoencoder',
  about: 'A VAE with a Gaussian encoder, Bernoulli decoder and one tanh hidden layer each way, trained by maximising the ELBO with Adam. With a 2-D latent space the digits\' codes can be drawn directly.',
  options: [
    epochsOption(20), batchOption(100), lrOption(1e-3),
    { flags: '--hidden-dim <n>', description: 'hidden units', parse: int('--hidden-dim', 1, 4096), default: 500 },
    { flags: '--latent-dim <n>', description: 'latent dimensions', parse: int('--latent-dim', 1, 256), default: 2 },
    limitOption(10000),
    dataOption('an IDX image file or a CSV of pixel rows in [0,1] (default: the bundled MNIST digits)'),
    labelsOption,
  ],
  quick: { epochs: 20, limit: 10000 },
  tiny: { epochs: 1, limit: 200, hiddenDim: 32, batchSize: 50 },
  run(ctx, o) {
    const d = loadImages(o, 'vae');
    const dim = d.h * d.w;
    const hold = Math.min(1000, Math.floor(d.n / 5));
    const train = rows(d.images, dim, hold, d.n - hold), test = rows(d.images, dim, 0, hold);
    const model = new VAE({ inputDim: dim, hiddenDim: o.hiddenDim, latentDim: o.latentDim, seed: o.seed });
    const { bar, fit } = fitCallbacks(ctx, 'vae', o, d.n - hold);
    model.fit(train, fit);
    bar.end();
    const hist = model.history.map((h) => h.elbo ?? -h.loss);
    if (hist.length) ctx.figure('elbo.png', linePlot([{ x: hist.map((_, i) => i + 1), y: hist }]), 'Training ELBO per digit (nats) after each epoch.');
    ctx.figure('samples.png', imageGrid(model.sample(64).dataSync(), 64, d.h, d.w, { cols: 8 }), '64 samples: z ~ N(0, I) decoded (pixel probabilities).');
    const testElbo = hold > 0 ? model.elbo(test) : NaN;
    if (o.latentDim === 2) {
      const n = Math.min(2000, d.n);
      const mu = noGrad(() => model.encode(d.images.subarray(0, n * dim)).mu).dataSync();
      const xs = Array.from({ length: n }, (_, i) => mu[2 * i]), ys = Array.from({ length: n }, (_, i) => mu[2 * i + 1]);
      ctx.figure('latent.png', scatterPlot(xs, ys, d.labels ? d.labels.subarray(0, n) : undefined),
        `Encoder means of ${n} digits in the 2-D latent space${d.labels ? ', coloured by digit (0 blue, 1 orange, 2 green, 3 red, 4 purple, 5 brown, 6 pink, 7 grey, 8 olive, 9 cyan)' : ''}.`);
      const g = 15, grid = new Float32Array(g * g * 2);
      for (let r = 0; r < g; r++) for (let c = 0; c < g; c++) { grid[(r * g + c) * 2] = -2 + (4 * c) / (g - 1); grid[(r * g + c) * 2 + 1] = 2 - (4 * r) / (g - 1); }
      ctx.figure('manifold.png', imageGrid(model.decode(tensor(grid, [g * g, 2])).dataSync(), g * g, d.h, d.w, { cols: g, pad: 0 }),
        'The decoder over the latent square [-2, 2]² (z₁ left to right, z₂ bottom to top).');
    }
    return {
      samples: d.n - hold, heldOut: hold, epochs: model.history.length,
      trainElbo: round(hist[hist.length - 1] ?? NaN), testElbo: round(testElbo),
      secondsPerEpoch: round(model.history.reduce((s, h) => s + h.seconds, 0) / Math.max(1, model.history.length), 3),
    };
  },
};
