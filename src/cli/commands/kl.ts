// latentkit kl: fit a Gaussian to a mixture-of-Gaussians target by forward
// KL(p‖q) (mass-covering: q matches the mean and variance of p) and reverse
// KL(q‖p) (mode-seeking), as 001 P6.3 with its target 1/3 N(−1,1) + 2/3 N(1,1);
// the figure draws the target and both fits.
import * as lk from 'latentkit';
import { lineChart } from '../plot/vega.js';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { intOption, numList } from '../options.js';
import { round } from '../context.js';

const normal = (x: number, m: number, s: number): number => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));

interface KlOptions { means: number[]; stds: number[]; weights: number[]; points: number }

export const kl: Command<KlOptions> = {
  name: 'kl',
  summary: 'forward vs reverse KL: the best Gaussian fit to a mixture-of-Gaussians target (default: the course\'s 1/3 N(-1,1) + 2/3 N(1,1))',
  title: 'Forward and reverse KL (001 P6.3)',
  about: 'The course\'s target p = 1/3 N(−1, 1) + 2/3 N(1, 1). The Gaussian q minimising the forward KL(p‖q) matches the mean and variance of p and covers both modes; the one minimising the reverse KL(q‖p) avoids regions where p is small and leans to the heavier mode. Both are found by lk.kl.fitGaussian with the integrals on a grid.',
  options: {
    means: { flags: '--means <list>', description: 'means of the target\'s components, comma-separated', parse: numList('--means', -1e3, 1e3), default: [-1, 1] },
    stds: { flags: '--stds <list>', description: 'standard deviations of the components', parse: numList('--stds', 1e-3, 1e3), default: [1, 1] },
    weights: { flags: '--weights <list>', description: 'weights of the components (fractions like 1/3 allowed; normalised to sum 1)', parse: numList('--weights', 0, 1e6), default: [1 / 3, 2 / 3] },
    points: intOption('--points <n>', 'grid points for the integrals', 11, 1_000_000, 2001),
  },
  quick: {},
  tiny: { points: 201 },
  async run(ctx, o) {
    const k = o.means.length;
    if (o.stds.length !== k || o.weights.length !== k) throw new UsageError(`--means, --stds and --weights need the same number of values (got ${k}, ${o.stds.length}, ${o.weights.length})`, 'give one mean, one std and one weight per component');
    const total = o.weights.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new UsageError('--weights must not all be 0', 'give positive weights');
    const w = o.weights.map((v) => v / total);
    const p = (x: number): number => w.reduce((s, wi, i) => s + wi * normal(x, o.means[i], o.stds[i]), 0);
    const logDensity = (t: lk.Tensor): Float32Array => t.dataSync().map((x) => Math.log(Math.max(p(x), 1e-300)));
    const lo = Math.min(...o.means.map((m, i) => m - 7 * o.stds[i])), hi = Math.max(...o.means.map((m, i) => m + 7 * o.stds[i]));
    const bar = ctx.progress('kl fits', 2);
    const fwd = lk.kl.fitGaussian(logDensity, { direction: 'forward', lo, hi, points: o.points });
    bar.tick(1);
    const rev = lk.kl.fitGaussian(logDensity, { direction: 'reverse', lo, hi, points: o.points });
    bar.tick(2); bar.end();
    const view = [Math.max(lo, Math.min(...o.means) - 4.5 * Math.max(...o.stds)), Math.min(hi, Math.max(...o.means) + 4.5 * Math.max(...o.stds))];
    const xs = Array.from({ length: 300 }, (_, i) => view[0] + ((view[1] - view[0]) * i) / 299);
    const target = o.means.map((m, i) => `${round(w[i], 3)} N(${m}, ${o.stds[i]}²)`).join(' + ');
    const fw = `forward KL(p‖q): N(${fwd.mean.toFixed(2)}, ${fwd.std.toFixed(2)}²)`, rv = `reverse KL(q‖p): N(${rev.mean.toFixed(2)}, ${rev.std.toFixed(2)}²)`;
    await ctx.chart('fits.svg', lineChart('Gaussian fits to the target by forward and reverse KL', { title: 'x' }, { title: 'density', zero: true }, [
      { name: `target p = ${target}`, x: xs, y: xs.map(p) },
      { name: fw, x: xs, y: xs.map((x) => normal(x, fwd.mean, fwd.std)), dash: true },
      { name: rv, x: xs, y: xs.map((x) => normal(x, rev.mean, rev.std)), dash: true },
    ], 'density'), `The target p = ${target} and the two Gaussian fits: ${fw}; ${rv}.`);
    return {
      target,
      forward: { mean: round(fwd.mean), std: round(fwd.std), kl: round(fwd.kl) },
      reverse: { mean: round(rev.mean), std: round(rev.std), kl: round(rev.kl) },
    };
  },
};
