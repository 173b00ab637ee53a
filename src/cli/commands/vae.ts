// latentkit vae: the course's VAE on the digits (784-500-2, Bernoulli decoder)
// with the three figures of 003 P2e: p(x|z) beside a Bernoulli draw from it for
// 10 draws of z, the 2-D latent space coloured by digit (with a legend), and
// interpolations z = (1 − α) μ(x_a) + α μ(x_b), α = 0, 0.1, ..., 1, between 3
// pairs of training digits of different classes; plus the decoded latent grid.
import * as lk from 'latentkit';
import { imageGrid } from '../plot/index.js';
import { scatterChart } from '../plot/vega.js';
import { judgeSamples } from './judge.js';
import type { Command } from '../command.js';
import { trainOptions, layerOptions, imageOptions, type TrainOptions, type LayerOptions, type ImageOptions } from '../options.js';
import { round } from '../context.js';
import { heldOutImages, fitWithProgress, epochFigure } from './training.js';

interface VaeOptions extends TrainOptions, LayerOptions, ImageOptions {}

export const vae: Command<VaeOptions> = {
  name: 'vae',
  summary: 'variational autoencoder on the digits: samples, latent scatter, latent grid',
  title: 'Variational autoencoder (003 P2)',
  about: 'The course\'s VAE (003 P2): a Gaussian encoder and Bernoulli decoder with 500 hidden units each way and a 2-D latent space, trained by maximising the ELBO (Eq. 2, one reparameterised sample) with Adam. The held-out ELBO is on digits the model never saw; the samples are scored by the digit classifier.',
  options: {
    ...trainOptions(20, 100, 1e-3),
    ...layerOptions(500, 2),
    ...imageOptions(10000, 'an IDX image file or a CSV of pixel rows in [0,1] (default: the bundled MNIST digits)'),
  },
  quick: { epochs: 60, limit: 8000 },
  tiny: { epochs: 1, limit: 200, hiddenDim: 32, batchSize: 50 },
  async run(ctx, o) {
    const { d, dim, hold, train, test } = heldOutImages(o, 'vae');
    const model = new lk.VAE({ inputDim: dim, hiddenDim: o.hiddenDim, latentDim: o.latentDim, seed: o.seed });
    fitWithProgress(ctx, 'vae', o, d.n - hold, (fit) => model.fit(train, fit));
    const hist = model.history.map((h) => h.elbo ?? -h.loss);
    await epochFigure(ctx, 'elbo.svg', hist, 'Training ELBO per digit (nats) after each epoch.', 'VAE training ELBO', 'ELBO per digit (nats)');
    // 003 P2e figure 1: for 10 z ~ N(0, I), the mean of p(x|z) (left) and one binary draw x ~ Bernoulli(p(x|z)) (right)
    const means = model.sample(10).dataSync(), pairs = new Float32Array(20 * dim);
    const rng = new lk.Rng(o.seed + 7);
    for (let i = 0; i < 10; i++) {
      const m = means.subarray(i * dim, (i + 1) * dim);
      pairs.set(m, 2 * i * dim);
      pairs.set(m.map((p) => (rng.uniform() < p ? 1 : 0)), (2 * i + 1) * dim);
    }
    ctx.figure('pxz.png', imageGrid(pairs, 20, d.h, d.w, { cols: 2, scale: 2 }),
      '10 draws of z ~ N(0, I), one a row: p(x|z) (pixel probabilities, left) and a Bernoulli sample from it (right).');
    const samples = model.sample(100).dataSync();
    ctx.figure('samples.png', imageGrid(samples, 64, d.h, d.w, { cols: 8 }), '64 samples: z ~ N(0, I) decoded (pixel probabilities).');
    if (d.labels) interpolationFigure(ctx, model, d.images, d.labels, dim, d.h, d.w, hold);
    const testElbo = hold > 0 ? model.elbo(test) : NaN;
    if (o.latentDim === 2) {
      const n = Math.min(2000, d.n);
      const mu = lk.noGrad(() => model.encode(d.images.subarray(0, n * dim)).mu).dataSync();
      const xs = Array.from({ length: n }, (_, i) => mu[2 * i]), ys = Array.from({ length: n }, (_, i) => mu[2 * i + 1]);
      await ctx.chart('latent.svg', scatterChart(`Encoder means of ${n} digits in the 2-D latent space`, { title: 'z₁ (mean of q(z|x))' }, { title: 'z₂ (mean of q(z|x))' }, xs, ys,
        d.labels ? Array.from(d.labels.subarray(0, n)) : undefined, 'digit'),
        `The encoder means μ(x) of ${n} digits${d.labels ? ', coloured by the digit they show' : ''}.`);
      const g = 15, grid = new Float32Array(g * g * 2);
      for (let r = 0; r < g; r++) for (let c = 0; c < g; c++) { grid[(r * g + c) * 2] = -2 + (4 * c) / (g - 1); grid[(r * g + c) * 2 + 1] = 2 - (4 * r) / (g - 1); }
      ctx.figure('manifold.png', imageGrid(model.decode(lk.tensor(grid, [g * g, 2])).dataSync(), g * g, d.h, d.w, { cols: g, pad: 0 }),
        'The decoder over the latent square [-2, 2]² (z₁ left to right, z₂ bottom to top).');
    }
    return {
      samples: d.n - hold, heldOut: hold, epochs: model.history.length,
      trainElbo: round(hist[hist.length - 1] ?? NaN), testElbo: round(testElbo),
      ...(dim === 784 ? judgeSamples(samples, 100) : {}),
      secondsPerEpoch: round(model.history.reduce((s, h) => s + h.seconds, 0) / Math.max(1, model.history.length), 3),
    };
  },
};

/**
 * 003 P2e figure 3: 3 pairs of training digits of different classes; row r
 * decodes z = (1 − α) μ(x_a) + α μ(x_b) for α = 0, 0.1, ..., 1 (11 columns).
 */
function interpolationFigure(ctx: Parameters<typeof vae.run>[0], model: lk.VAE, images: Float32Array, labels: Int32Array, dim: number, h: number, w: number, from: number): void {
  const rows: Float32Array[] = [];
  const used: string[] = [];
  for (let i = from; i < labels.length - 1 && rows.length < 3; i++) {
    // the next training digit of another class than digit i (and a class pair not used yet)
    let j = i + 1;
    while (j < labels.length && (labels[j] === labels[i] || used.includes(`${labels[i]}-${labels[j]}`))) j++;
    if (j >= labels.length) break;
    used.push(`${labels[i]}-${labels[j]}`);
    rows.push(model.interpolate(images.subarray(i * dim, (i + 1) * dim), images.subarray(j * dim, (j + 1) * dim), 11).dataSync());
    i = j;
  }
  const all = new Float32Array(rows.length * 11 * dim);
  rows.forEach((r, k) => all.set(r, k * 11 * dim));
  ctx.figure('interpolation.png', imageGrid(all, rows.length * 11, h, w, { cols: 11, scale: 2 }),
    `Interpolation between ${rows.length} pairs of training digits of different classes (${used.join(', ')}): decoded (1 − α) μ(x_a) + α μ(x_b), α = 0, 0.1, ..., 1 from left to right.`);
}
