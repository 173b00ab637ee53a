// latentkit gan: the course's small convolutional GAN on the digits, with the
// same noise decoded after every epoch.
import * as lk from 'latentkit';
import { imageGrid } from '../plot/index.js';
import { lineChart } from '../plot/vega.js';
import { judgeSamples } from './judge.js';
import type { Command } from '../command.js';
import { intOption, trainOptions, imageOptions, type TrainOptions, type ImageOptions } from '../options.js';
import { loadImages } from '../data.js';
import { UsageError } from '../errors.js';
import { round } from '../context.js';
import { fitWithProgress } from './training.js';
import { perStep } from './common.js';

interface GanOptions extends TrainOptions, ImageOptions { latentDim: number }

export const gan: Command<GanOptions> = {
  name: 'gan',
  summary: 'convolutional GAN on the 28x28 digits: samples after every epoch',
  title: 'Generative adversarial network',
  about: 'A small convolutional generator and discriminator trained against each other (non-saturating loss, Adam). Each row decodes the same 10 noise vectors after one more epoch.',
  options: {
    ...trainOptions(10, 64, 2e-4),
    latentDim: intOption('--latent-dim <n>', 'noise dimensions', 1, 1024, 100),
    ...imageOptions(10000, 'an IDX file of 28x28 images or a CSV of 784 pixel values a row (default: the bundled MNIST digits)'),
  },
  quick: { epochs: 20, limit: 4000 },
  tiny: { epochs: 1, limit: 64, batchSize: 32 },
  async run(ctx, o) {
    const d = loadImages(o, 'gan');
    if (d.h * d.w !== 784) throw new UsageError(`gan needs 28x28 images; --data has ${d.h}x${d.w}`, 'give 28x28 images (784 values a row)');
    const model = new lk.GAN({ latentDim: o.latentDim, seed: o.seed });
    const cols = 10, z = lk.randn([cols, o.latentDim]);
    const rowsOfSamples: Float32Array[] = [];
    fitWithProgress(ctx, 'gan', o, d.n, (fit) => model.fit(d.images, {
      ...fit,
      onEpoch: () => { rowsOfSamples.push(lk.noGrad(() => model.generate(z)).dataSync()); return !ctx.stopped; },
    }));
    if (rowsOfSamples.length) {
      const all = new Float32Array(rowsOfSamples.length * cols * 784);
      rowsOfSamples.forEach((r, i) => all.set(r, i * cols * 784));
      ctx.figure('samples-per-epoch.png', imageGrid(all, rowsOfSamples.length * cols, 28, 28, { cols }),
        `Generator samples after each epoch (row e = epoch e+1), the same ${cols} noise vectors in every row.`);
      // three epochs side by side: the first, the middle and the last
      const picks = [...new Set([0, Math.floor((rowsOfSamples.length - 1) / 2), rowsOfSamples.length - 1])];
      const three = new Float32Array(picks.length * cols * 784);
      picks.forEach((e, i) => three.set(rowsOfSamples[e], i * cols * 784));
      ctx.figure('samples-3-epochs.png', imageGrid(three, picks.length * cols, 28, 28, { cols, scale: 2 }),
        `The same ${cols} noise vectors after epochs ${picks.map((e) => e + 1).join(', ')} (one row each).`);
    }
    const dl = model.history.map((h) => h.dLoss), gl = model.history.map((h) => h.gLoss);
    if (dl.length) {
      await ctx.chart('losses.svg', lineChart('GAN losses per epoch', { title: 'epoch' }, { title: 'mean loss (BCE with logits)' }, [perStep(dl, 'discriminator'), perStep(gl, 'generator')], 'network', { points: true }),
        'Mean discriminator and generator losses over each epoch.');
    }
    const final = model.sample(100).dataSync();
    ctx.figure('samples.png', imageGrid(final, 64, 28, 28, { cols: 8 }), '64 samples from the final generator.');
    return { samples: d.n, epochs: model.history.length, dLoss: round(dl[dl.length - 1] ?? NaN), gLoss: round(gl[gl.length - 1] ?? NaN), ...judgeSamples(final, 100) };
  },
};
