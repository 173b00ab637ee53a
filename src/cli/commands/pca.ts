// latentkit pca: principal components of the digits: eigen-digits, the
// eigenvalue spectrum on a log scale, and reconstructions.
import * as lk from 'latentkit';
import { imageGrid, linePlot } from '../plot/index.js';
import type { Command } from '../command.js';
import { intOption, imageOptions, type ImageOptions } from '../options.js';
import { loadImages } from '../data.js';
import { round } from '../context.js';
import { perStep } from './common.js';

interface PcaOptions extends ImageOptions { components: number }

export const pca: Command<PcaOptions> = {
  name: 'pca',
  summary: 'principal component analysis of the digits: eigen-digits, eigenvalues, reconstructions',
  title: 'PCA: eigen-digits',
  about: 'The eigenvectors of the digits\' covariance (computed with a symmetric eigendecomposition) shown as images, and the eigenvalues on a log scale: a few directions hold most of the variance.',
  options: {
    components: intOption('--components <n>', 'eigen-digits to show', 1, 100, 16),
    ...imageOptions(10000, 'an IDX image file or a CSV of pixel rows (default: the bundled MNIST digits)'),
  },
  quick: { components: 16, limit: 5000 },
  tiny: { components: 4, limit: 100 },
  run(ctx, o) {
    const digits = loadImages(o, 'pca');
    const dim = digits.h * digits.w;
    const bar = ctx.progress('pca eigh', 1);
    const model = new lk.PCA().fit(digits.images, [digits.n, dim]);
    bar.tick(1); bar.end();
    const comps = model.components!.dataSync(), values = model.explainedVariance!.dataSync();
    const show = Math.min(o.components, model.components!.shape[0]);
    ctx.figure('eigendigits.png', imageGrid(comps, show, digits.h, digits.w, { range: 'auto', scale: 2, cols: Math.min(show, 8) }),
      `The first ${show} principal components (eigen-digits), each scaled to its own range (grey = 0).`);
    const ev = Array.from(values).map((v) => Math.max(v, 1e-12));
    ctx.figure('eigenvalues.png', linePlot([perStep(ev)], { logY: true }),
      'Eigenvalues of the covariance (variance along each component), largest first, on a log scale.');
    const ratio = model.explainedVarianceRatio!.dataSync();
    const cum: number[] = [];
    ratio.reduce((s, r) => { cum.push(s + r); return s + r; }, 0);
    ctx.figure('cumulative.png', linePlot([perStep(cum)], { yRange: [0, 1.02] }), 'Fraction of the variance explained by the first k components.');
    // reconstructions of 8 digits from 10, 50 and all components
    const sample = digits.images.subarray(0, 8 * dim);
    const parts: Float32Array[] = [sample];
    const mean = model.mean!.dataSync();
    for (const k of [10, 50]) parts.push(reconstruct(sample, 8, dim, mean, comps, Math.min(k, model.components!.shape[0])));
    const all = new Float32Array(parts.length * 8 * dim);
    parts.forEach((p, i) => all.set(p, i * 8 * dim));
    ctx.figure('reconstructions.png', imageGrid(all, parts.length * 8, digits.h, digits.w, { cols: 8, scale: 2 }),
      'Rows: original digits, then their reconstructions from 10 and from 50 components.');
    return {
      samples: digits.n, features: dim,
      components90: model.nComponentsFor(0.9), components95: model.nComponentsFor(0.95), components99: model.nComponentsFor(0.99),
      topEigenvalues: ev.slice(0, 5).map((v) => round(v)),
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
