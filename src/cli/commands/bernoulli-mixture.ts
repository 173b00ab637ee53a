// latentkit bernoulli-mixture: mixtures of Bernoullis on binarised digits, for
// several K; the component means are the course's picture.
import * as lk from 'latentkit';
import { UsageError } from '../errors.js';
import { imageGrid, linePlot, type Series } from '../plot/index.js';
import type { Command } from '../command.js';
import { breathe } from '../command.js';
import { intOption, intList, imageOptions, type ImageOptions } from '../options.js';
import { loadImages } from '../data.js';
import { round, type Metrics } from '../context.js';
import { stepper, perStep } from './common.js';

interface BernoulliMixtureOptions extends ImageOptions { k: number[]; maxIter: number }

export const bernoulliMixture: Command<BernoulliMixtureOptions> = {
  name: 'bernoulli-mixture',
  summary: 'mixture of Bernoullis (EM) on binarised digits, one fit per K',
  title: 'Bernoulli mixture on binarised digits',
  about: 'Each pixel is binarised at 0.5 and the digits modelled as a mixture of K products of Bernoullis, fitted by EM; the pictures are the K component means (pixel probabilities).',
  options: {
    k: { flags: '--k <list>', description: 'numbers of components, comma-separated', parse: intList('--k', 1, 200), default: [5, 10, 20] },
    maxIter: intOption('--max-iter <n>', 'EM iterations per fit', 1, 10000, 20),
    ...imageOptions(10000, 'an IDX image file or a CSV of pixel rows (default: the bundled MNIST digits)'),
  },
  quick: { k: [5, 10, 20], maxIter: 20, limit: 3000 },
  tiny: { k: [2, 3], maxIter: 2, limit: 200 },
  async run(ctx, o) {
    const digits = loadImages(o, 'bernoulli-mixture');
    const dim = digits.h * digits.w;
    const x = digits.images.map((v) => (v > 0.5 ? 1 : 0));
    const ks = o.k;
    const bar = ctx.progress(`bernoulli K=${ks.join(',')}`, ks.length * o.maxIter);
    const curves: Series[] = [];
    const results: Metrics = {};
    for (const k of ks) {
      if (ctx.stopped) break;
      if (k > digits.n) throw new UsageError(`--k ${k} is more than the ${digits.n} training rows; use a smaller --k or a larger --limit`);
      const m = new lk.BernoulliMixture({ nComponents: k, maxIter: o.maxIter, seed: o.seed, warnings: false, onIteration: stepper(ctx, bar, (i) => -i.logLikelihood) });
      m.fit(x, [digits.n, dim]);
      await breathe();
      const probs = m.probs.dataSync(), weights = m.weights.dataSync();
      ctx.figure(`means-k${k}.png`, imageGrid(probs, k, digits.h, digits.w, { cols: Math.min(k, 10), scale: 2 }),
        `K = ${k}: the component means (probability of each pixel being on); weights ${Array.from(weights).map((w) => w.toFixed(2)).join(', ')}.`);
      const hist = m.logLikelihoodHistory;
      curves.push(perStep(hist));
      results[`k${k}`] = { logLikelihood: round(hist[hist.length - 1] ?? NaN), iterations: m.nIter, bic: round(m.bic(x, [digits.n, dim])) };
    }
    bar.end();
    ctx.figure('loglik.png', linePlot(curves), `Mean log-likelihood per digit after each EM step, one curve per K (${ks.join(', ')}; blue, orange, green, ...).`);
    return { samples: digits.n, features: dim, ...results };
  },
};
