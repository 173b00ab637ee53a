// latentkit nice: the NICE normalising flow (additive couplings) on the
// digits: exact log-likelihood, bits per dimension, samples.
import * as lk from 'latentkit';
import { imageGrid } from '../plot/index.js';
import { judgeSamples } from './judge.js';
import type { Command } from '../command.js';
import { intOption, num, trainOptions, imageOptions, type TrainOptions, type ImageOptions } from '../options.js';
import { round } from '../context.js';
import { heldOutImages, fitWithProgress, epochFigure } from './training.js';

interface NiceOptions extends TrainOptions, ImageOptions { couplingLayers: number; hiddenDim: number; hiddenLayers: number; scaleLearningRate?: number }

export const nice: Command<NiceOptions> = {
  name: 'nice',
  summary: 'NICE normalising flow on the digits: samples and bits per dimension',
  title: 'NICE normalising flow',
  about: 'Additive coupling layers make an invertible map with unit Jacobian plus a diagonal scaling, so the exact log-likelihood is available; it is reported in bits per dimension on dequantised 8-bit pixels (lower is better).',
  options: {
    ...trainOptions(20, 100, 1e-3),
    couplingLayers: intOption('--coupling-layers <n>', 'additive coupling layers', 1, 32, 4),
    hiddenDim: intOption('--hidden-dim <n>', 'width of each coupling network', 1, 4096, 1000),
    hiddenLayers: intOption('--hidden-layers <n>', 'hidden layers of each coupling network', 1, 16, 5),
    scaleLearningRate: { flags: '--scale-learning-rate <x>', description: 'Adam step size of the diagonal scale layer (default: 10 x --learning-rate)', parse: num('--scale-learning-rate', 0, 10, true) },
    ...imageOptions(10000, 'an IDX image file or a CSV of pixel rows in [0,1] (default: the bundled MNIST digits)'),
  },
  quick: { epochs: 15, limit: 8000, hiddenDim: 256, hiddenLayers: 2, learningRate: 0.001, scaleLearningRate: 0.05 },
  tiny: { epochs: 1, limit: 200, hiddenDim: 16, hiddenLayers: 1, batchSize: 50 },
  async run(ctx, o) {
    const { d, dim, hold, train, test } = heldOutImages(o, 'nice');
    const model = new lk.NICE({ inputDim: dim, couplingLayers: o.couplingLayers, hiddenDim: o.hiddenDim, hiddenLayers: o.hiddenLayers, seed: o.seed });
    fitWithProgress(ctx, 'nice', o, d.n - hold, (fit) => model.fit(train, { ...fit, ...(o.scaleLearningRate ? { scaleLearningRate: o.scaleLearningRate } : {}) }));
    const bpd = model.history.map((h) => h.bitsPerDim);
    await epochFigure(ctx, 'bits-per-dim.svg', bpd, 'Training bits per dimension after each epoch (lower is better).', 'NICE training loss', 'bits per dimension');
    const s = model.sample(64).dataSync().map((v) => Math.min(1, Math.max(0, v)));
    ctx.figure('samples.png', imageGrid(s, 64, d.h, d.w, { cols: 8 }), '64 samples: z from the logistic prior mapped through the inverse flow (clipped to [0, 1]).');
    return {
      samples: d.n - hold, heldOut: hold, epochs: model.history.length,
      trainBitsPerDim: round(bpd[bpd.length - 1] ?? NaN),
      testBitsPerDim: hold > 0 ? round(model.bitsPerDim(test, { seed: o.seed })) : undefined,
      ...(dim === 784 ? judgeSamples(s, 64) : {}),
    };
  },
};
