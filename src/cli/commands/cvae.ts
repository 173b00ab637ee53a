// latentkit cvae: the course's conditional VAE (004 P5): encoder 794-400-400-20,
// decoder 30-400-400-784 (the one-hot class joins x and z); a 10 × 10 grid
// where each row shares one noise draw and each column one class.
import * as lk from 'latentkit';
import { imageGrid } from '../plot/index.js';
import { digitJudge } from './judge.js';
import type { Command } from '../command.js';
import { intOption, numOption, trainOptions, layerOptions, imageOptions, type TrainOptions, type LayerOptions, type ImageOptions } from '../options.js';
import { UsageError } from '../errors.js';
import { round } from '../context.js';
import { heldOutImages, fitWithProgress, epochFigure } from './training.js';

interface CvaeOptions extends TrainOptions, LayerOptions, ImageOptions { rows: number; beta: number }

export const cvae: Command<CvaeOptions> = {
  name: 'cvae',
  summary: 'conditional VAE on labelled digits: a grid of samples, one column per class',
  title: 'Conditional VAE (004 P5)',
  about: 'The course\'s CVAE: the encoder [x, y] (784 + 10) → 400 → 400 → a 20-D Gaussian, the decoder [z, y] (20 + 10) → 400 → 400 → 784 Bernoulli probabilities, trained on the conditional ELBO. The class y is one-hot, so the code only has to hold the style: fixing the noise and changing the class writes the same style as every digit. The digit classifier checks that each sample shows the class it was asked for.',
  options: {
    ...trainOptions(20, 100, 1e-3),
    ...layerOptions(400, 20),
    ...imageOptions(10000, 'an IDX image file or a CSV of pixel rows in [0,1]; needs --labels (default: the bundled MNIST digits)'),
    beta: numOption('--beta <x>', 'weight of the KL term in the training loss (1: the course\'s ELBO)', 0, 100, 1),
    rows: intOption('--rows <n>', 'rows of the sample grid (each row one noise draw; the course: 10)', 1, 100, 10),
  },
  quick: { epochs: 40, limit: 8000 },
  tiny: { epochs: 1, limit: 200, hiddenDim: 32, batchSize: 50 },
  async run(ctx, o) {
    const { d, dim, hold, train, test } = heldOutImages(o, 'cvae');
    const { labels } = d;
    if (!labels) throw new UsageError('cvae needs the class of every image', 'give --labels with --data (an IDX label file or a CSV of integers)');
    const classes = Math.max(...labels) + 1;
    const model = new lk.CVAE({ inputDim: dim, numClasses: classes, hiddenDim: o.hiddenDim, latentDim: o.latentDim, beta: o.beta, seed: o.seed });
    fitWithProgress(ctx, 'cvae', o, d.n - hold, (fit) => model.fit(train, labels.subarray(hold), fit));
    const hist = model.history.map((h) => h.elbo ?? -h.loss);
    await epochFigure(ctx, 'elbo.svg', hist, 'Training conditional ELBO per digit (nats) after each epoch.', 'CVAE training ELBO', 'conditional ELBO per digit (nats)');
    const r = o.rows, grid = model.grid(r).dataSync();
    ctx.figure('grid.png', imageGrid(grid, r * classes, d.h, d.w, { cols: classes }),
      `A ${r} × ${classes} grid of samples: column c asks for class c (${classes === 10 ? '0..9' : `0..${classes - 1}`}), each row shares one noise draw z ~ N(0, I).`);
    const requested = Int32Array.from({ length: r * classes }, (_, i) => i % classes);
    const testElbo = hold > 0 ? model.elbo(test, labels.subarray(0, hold)) : NaN;
    return {
      samples: d.n - hold, heldOut: hold, classes, epochs: model.history.length, trainElbo: round(hist[hist.length - 1] ?? NaN), testElbo: round(testElbo),
      ...(dim === 784 && classes === 10 ? { labelledAsRequested: round(digitJudge().asRequested(grid, requested), 3), confidentFraction: round(digitJudge().classify(grid, r * classes).confident, 3) } : {}),
    };
  },
};
