// latentkit pca: principal components of the digits as 004 P3 asks of the
// faces: the first 10 eigenvalues, the log-scale eigenvalue plot, a 2 × 5 grid
// (the mean image, then the first 9 eigen-digits), the number of components
// for 95% and 99% of the variance and the % reduction in dimension.
import * as lk from 'latentkit';
import { imageGrid } from '../plot/index.js';
import { lineChart } from '../plot/vega.js';
import type { Command } from '../command.js';
import { intOption, imageOptions, type ImageOptions } from '../options.js';
import { loadImages } from '../data.js';
import { round } from '../context.js';

interface PcaOptions extends ImageOptions { components: number }

export const pca: Command<PcaOptions> = {
  name: 'pca',
  summary: 'principal component analysis of the digits: eigen-digits, eigenvalues, reconstructions',
  title: 'PCA: eigen-digits (004 P3)',
  about: 'The course\'s protocol (004 P3, on the digits instead of its faces, which are not available here): the eigenvectors of the covariance (a symmetric eigendecomposition) shown as images after the mean image, the eigenvalues on a log scale, and how many components keep 95% and 99% of the variance — i.e. how much the dimension can be reduced.',
  options: {
    components: intOption('--components <n>', 'eigen-digits to show after the mean image (the course: 9, a 2 x 5 grid)', 1, 100, 9),
    ...imageOptions(10000, 'an IDX image file or a CSV of pixel rows (default: the bundled MNIST digits)'),
  },
  quick: { components: 9, limit: 5000 },
  tiny: { components: 4, limit: 100 },
  async run(ctx, o) {
    const digits = loadImages(o, 'pca');
    const dim = digits.h * digits.w;
    const bar = ctx.progress('pca eigh', 1);
    const model = new lk.PCA().fit(digits.images, [digits.n, dim]);
    bar.tick(1); bar.end();
    const comps = model.components!.dataSync(), values = model.explainedVariance!.dataSync();
    const show = Math.min(o.components, model.components!.shape[0]);
    const mean = model.mean!.dataSync();
    // the mean image first, then the eigen-digits; each tile scaled to its own range
    const tiles = new Float32Array((show + 1) * dim);
    tiles.set(mean);
    tiles.set(comps.subarray(0, show * dim), dim);
    const cols = Math.ceil((show + 1) / 2);
    ctx.figure('eigendigits.png', imageGrid(tiles, show + 1, digits.h, digits.w, { range: 'auto', scale: 3, cols }),
      `The mean digit (top left), then the first ${show} principal components (eigen-digits), each scaled to its own range.`);
    const ev = Array.from(values).map((v) => Math.max(v, 1e-12));
    await ctx.chart('eigenvalues.svg', lineChart('Eigenvalues of the digits\' covariance', { title: 'component (largest first)' }, { title: 'eigenvalue (variance)', log: true }, [{ name: 'eigenvalue', x: ev.map((_, i) => i + 1), y: ev }]),
      'Eigenvalues of the covariance, largest first, on a log scale (004 P3).');
    const ratio = model.explainedVarianceRatio!.dataSync();
    const cum: number[] = [];
    ratio.reduce((s, r) => { cum.push(s + r); return s + r; }, 0);
    await ctx.chart('cumulative.svg', lineChart('Variance kept by the first k components', { title: 'components k' }, { title: 'fraction of the variance', domain: [0, 1] }, [{ name: 'cumulative', x: cum.map((_, i) => i + 1), y: cum }]),
      'Fraction of the variance explained by the first k components.');
    const k95 = model.nComponentsFor(0.95), k99 = model.nComponentsFor(0.99);
    const reduction = (k: number): number => 100 * (1 - k / dim);
    ctx.table('Components needed to keep a fraction of the variance, and the reduction in dimension from 784 pixels.',
      ['variance kept', 'components', '% reduction in dimension'], [['95%', k95, reduction(k95)], ['99%', k99, reduction(k99)]]);
    ctx.table('The first 10 eigenvalues.', ['component', ...ev.slice(0, 10).map((_, i) => String(i + 1))], [['eigenvalue', ...ev.slice(0, 10)]]);
    // reconstructions of 8 digits from 10, 50 and all components
    const sample = digits.images.subarray(0, 8 * dim);
    const parts: Float32Array[] = [sample];
    for (const k of [10, 50]) parts.push(reconstruct(sample, 8, dim, mean, comps, Math.min(k, model.components!.shape[0])));
    const all = new Float32Array(parts.length * 8 * dim);
    parts.forEach((p, i) => all.set(p, i * 8 * dim));
    ctx.figure('reconstructions.png', imageGrid(all, parts.length * 8, digits.h, digits.w, { cols: 8, scale: 2 }),
      'Rows: original digits, then their reconstructions from 10 and from 50 components.');
    return {
      samples: digits.n, features: dim,
      components95: k95, reduction95Percent: round(reduction(k95), 3), components99: k99, reduction99Percent: round(reduction(k99), 3),
      firstEigenvalues: ev.slice(0, 10).map((v) => round(v)),
    };
  },
};

/** x̂ = μ + (x − μ) Cₖᵀ Cₖ with Cₖ the first k components (rows of comps). */
function reconstruct(x: Float32Array, n: number, d: number, mean: Float32Array, comps: Float32Array, k: number): Float32Array {
  const out = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    const row = out.subarray(r * d, (r + 1) * d);
    row.set(mean);
    for (let j = 0; j < k; j++) {
      let z = 0;
      for (let i = 0; i < d; i++) z += (x[r * d + i] - mean[i]) * comps[j * d + i];
      for (let i = 0; i < d; i++) row[i] += z * comps[j * d + i];
    }
  }
  return out;
}
