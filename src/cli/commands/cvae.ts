// latentkit cvae: the conditional VAE (decoder and encoder see the digit's
// class); the grid shows each class (columns) for a few noise draws (rows).
import * as lk from 'latentkit';
import { imageGrid } from '../plot/index.js';
import type { Command } from '../command.js';
import { trainOptions, layerOptions, imageOptions, type TrainOptions, type LayerOptions, type ImageOptions } from '../options.js';
import { UsageError } from '../errors.js';
import { round } from '../context.js';
import { heldOutImages, fitWithProgress, epochFigure } from './training.js';

interface CvaeOptions extends TrainOptions, LayerOptions, ImageOptions {}

export const cvae: Command<CvaeOptions> = {
  name: 'cvae',
  summary: 'conditional VAE on labelled digits: a grid of samples, one column per class',
  title: 'Conditional VAE',
  about: 'The encoder and decoder also receive the digit\'s class (one-hot), so the latent code only has to hold the style; fixing the noise and changing the class writes the same style as every digit.',
  options: {
    ...trainOptions(20, 100, 1e-3),
    ...layerOptions(500, 2),
    ...imageOptions(10000, 'an IDX image file or a CSV of pixel rows in [0,1]; needs --labels (default: the bundled MNIST digits)'),
  },
  quick: { epochs: 15, limit: 10000 },
  tiny: { epochs: 1, limit: 200, hiddenDim: 32, batchSize: 50 },
  run(ctx, o) {
    const { d, dim, hold, train, test } = heldOutImages(o, 'cvae');
    const { labels } = d;
    if (!labels) throw new UsageError('cvae needs the class of every image', 'give --labels with --data (an IDX label file or a CSV of integers)');
    const classes = Math.max(...labels) + 1;
    const model = new lk.CVAE({ inputDim: dim, numClasses: classes, hiddenDim: o.hiddenDim, latentDim: o.latentDim, seed: o.seed });
    fitWithProgress(ctx, 'cvae', o, d.n - hold, (fit) => model.fit(train, labels.subarray(hold), fit));
    const hist = model.history.map((h) => h.elbo ?? -h.loss);
    epochFigure(ctx, 'elbo.png', hist, 'Training conditional ELBO per digit (nats) after each epoch.');
    const r = 8;
    ctx.figure('grid.png', imageGrid(model.grid(r).dataSync(), r * classes, d.h, d.w, { cols: classes }),
      `Samples: column c is class ${classes === 10 ? '0..9' : `0..${classes - 1}`}, each row shares one noise draw z ~ N(0, I).`);
    const testElbo = hold > 0 ? model.elbo(test, labels.subarray(0, hold)) : NaN;
    return { samples: d.n - hold, heldOut: hold, classes, epochs: model.history.length, trainElbo: round(hist[hist.length - 1] ?? NaN), testElbo: round(testElbo) };
  },
};
