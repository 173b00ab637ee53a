// latentkit kl: fit a Gaussian to a bimodal target by forward KL(p‖q)
// (mass-covering) and reverse KL(q‖p) (mode-seeking), drawn over the target.
import * as lk from 'latentkit';
import { linePlot } from '../plot/index.js';
import type { Command } from '../command.js';
import { intOption, numOption } from '../options.js';
import { round } from '../context.js';

const normal = (x: number, m: number, s: number): number => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));

interface KlOptions { separation: number; weight: number; points: number }

export const kl: Command<KlOptions> = {
  name: 'kl',
  summary: 'forward vs reverse KL: the best Gaussian fit to a two-bump target density',
  title: 'Forward and reverse KL',
  about: 'The Gaussian q minimising KL(p‖q) matches the moments of p and spreads over both modes; the one minimising KL(q‖p) avoids regions where p is small and locks onto one mode.',
  options: {
    separation: numOption('--separation <x>', 'distance between the two modes of the target', 0, 20, 5),
    weight: numOption('--weight <x>', 'weight of the left mode', 0.01, 0.99, 0.6),
    points: intOption('--points <n>', 'grid points for the integrals', 11, 1_000_000, 2001),
  },
  quick: {},
  tiny: { points: 201 },
  run(ctx, o) {
    const m1 = -o.separation / 2, m2 = o.separation / 2, s1 = 0.8, s2 = 1.2, w = o.weight;
    const p = (x: number): number => w * normal(x, m1, s1) + (1 - w) * normal(x, m2, s2);
    const logDensity = (t: lk.Tensor): Float32Array => t.dataSync().map((x) => Math.log(Math.max(p(x), 1e-300)));
    const lo = m1 - 6, hi = m2 + 6;
    const bar = ctx.progress('kl fits', 2);
    const fwd = lk.kl.fitGaussian(logDensity, { direction: 'forward', lo, hi, points: o.points });
    bar.tick(1);
    const rev = lk.kl.fitGaussian(logDensity, { direction: 'reverse', lo, hi, points: o.points });
    bar.tick(2); bar.end();
    const xs = Array.from({ length: 400 }, (_, i) => lo + ((hi - lo) * i) / 399);
    ctx.figure('fits.png', linePlot([
      { x: xs, y: xs.map(p), fill: 0.25, color: [120, 120, 120] },
      { x: xs, y: xs.map((x) => normal(x, fwd.mean, fwd.std)), color: [31, 119, 180] },
      { x: xs, y: xs.map((x) => normal(x, rev.mean, rev.std)), color: [214, 39, 40] },
    ], { width: 560 }), `Target p (grey, filled); forward-KL fit N(${fwd.mean.toFixed(2)}, ${fwd.std.toFixed(2)}²) in blue; reverse-KL fit N(${rev.mean.toFixed(2)}, ${rev.std.toFixed(2)}²) in red.`);
    return {
      target: `${w} N(${m1}, ${s1}²) + ${round(1 - w)} N(${m2}, ${s2}²)`,
      forward: { mean: round(fwd.mean), std: round(fwd.std), kl: round(fwd.kl) },
      reverse: { mean: round(rev.mean), std: round(rev.std), kl: round(rev.kl) },
    };
  },
};
