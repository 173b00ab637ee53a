// latentkit bernoulli-mixture: mixtures of Bernoullis on binarised digits, for
// several K; the component means are the course's picture.
import * as lk from 'latentkit';
import { UsageError } from '../errors.js';
import { imageGrid } from '../plot/index.js';
import { lineChart, type Curve } from '../plot/vega.js';
import type { Command } from '../command.js';
import { breathe } from '../command.js';
import { intOption, intList, imageOptions, type ImageOptions } from '../options.js';
import { loadImages } from '../data.js';
import { judgeSamples } from './judge.js';
import { round, type Metrics } from '../context.js';
import { stepper, perStep } from './common.js';

interface BernoulliMixtureOptions extends ImageOptions { k: number[]; maxIter: number }

export const bernoulliMixture: Command<BernoulliMixtureOptions> = {
  name: 'bernoulli-mixture',
  summary: 'mixture of Bernoullis (EM) on binarised digits, one fit per K',
  title: 'Bernoulli mixture on binarised digits',
  about: 'As in 000 P3: N = 1,000 digits binarised at 0.5, modelled as a mixture of K products of Bernoullis fitted by 20 EM iterations (the course\'s random init and smoothed M-step) for K = 5, 10 and 20; the pictures are the K component means (pixel probabilities) and binary images sampled from the fitted mixture. The held-out log-likelihood is on 1,000 other binarised digits.',
  options: {
    k: { flags: '--k <list>', description: 'numbers of components, comma-separated', parse: intList('--k', 1, 200), default: [5, 10, 20] },
    maxIter: intOption('--max-iter <n>', 'EM iterations per fit', 1, 10000, 20),
    ...imageOptions(1000, 'an IDX image file or a CSV of pixel rows (default: the bundled MNIST digits)'),
  },
  quick: { k: [5, 10, 20], maxIter: 20, limit: 1000 },
  tiny: { k: [2, 3], maxIter: 2, limit: 200 },
  async run(ctx, o) {
    // with the bundled digits, 1,000 more rows (disjoint from the training ones) are the held-out set
    const all = loadImages(o.data ? o : { ...o, limit: o.limit + 1000 }, 'bernoulli-mixture');
    const dim = all.h * all.w;
    const digits = { ...all, n: Math.min(o.limit, all.n), images: all.images.subarray(0, Math.min(o.limit, all.n) * dim) };
    const binary = (v: number): number => (v > 0.5 ? 1 : 0);
    const x = digits.images.map(binary);
    const nTest = o.data ? 0 : all.n - digits.n;
    const test = nTest > 0 ? all.images.subarray(digits.n * dim).map(binary) : null;
    const ks = o.k;
    const bar = ctx.progress(`bernoulli K=${ks.join(',')}`, ks.length * o.maxIter);
    const curves: Curve[] = [];
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
      curves.push(perStep(hist, `K = ${k}`));
      const drawn = m.sample(20, o.seed).x.dataSync();
      ctx.figure(`samples-k${k}.png`, imageGrid(drawn, 20, digits.h, digits.w, { cols: 10, scale: 2 }),
        `K = ${k}: 20 binary images sampled from the fitted mixture (component by its weight, then each pixel by its probability).`);
      const r: Metrics = { logLikelihood: round(hist[hist.length - 1] ?? NaN), iterations: m.nIter, bic: round(m.bic(x, [digits.n, dim])),
        componentsBelow1pc: Array.from(weights).filter((w) => w < 0.01).length };
      if (test && nTest > 0) {
        const ll = m.score(test, [nTest, dim]);
        Object.assign(r, { heldOutLogLikelihood: round(ll), heldOutBitsPerDim: round(-ll / (dim * Math.LN2)) });
      }
      if (dim === 784) {
        // the generator's score: the digit classifier on 100 samples (means of pixels would flatter it: these are binary draws)
        Object.assign(r, judgeSamples(m.sample(100, o.seed + 1).x.dataSync(), 100));
      }
      results[`k${k}`] = r;
    }
    bar.end();
    await ctx.chart('loglik.svg', lineChart('EM for the Bernoulli mixture', { title: 'EM iteration' }, { title: 'mean log-likelihood per digit (nats)' }, curves, 'components'),
      `Mean log-likelihood per training digit after each EM iteration, one curve per K (${ks.join(', ')}).`);
    return { samples: digits.n, heldOut: nTest, features: dim, ...results };
  },
};
