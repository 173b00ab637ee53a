// latentkit gmm: a Gaussian mixture on the baboon's pixel colours (compress by
// each pixel's most likely component's mean), or on a CSV's rows.
import { UsageError } from '../errors.js';
import { GaussianMixture } from '../../models/mixture/gaussian.js';
import { linePlot, scatterPlot } from '../plot/index.js';
import type { Command } from '../command.js';
import { int, num, choice, dataOption } from '../options.js';
import { expectKind, loadBaboon, loadPicture, loadCsvMatrix } from '../data.js';
import { round } from '../context.js';
import { compareFigure, paletteFigure, pixelError, recolour, stepper } from './common.js';

export const gmm: Command = {
  name: 'gmm',
  summary: 'Gaussian mixture (EM): compress an image to K colours (default: the baboon), or cluster a CSV',
  title: 'Gaussian mixture (EM) image compression',
  about: 'A K-component Gaussian mixture fitted by EM to the pixel colours; each pixel is replaced by the mean of its most likely component. The log-likelihood rises every EM step.',
  options: [
    { flags: '--k <n>', description: 'number of components', parse: int('--k', 1, 256), default: 16 },
    { flags: '--max-iter <n>', description: 'EM iterations at most', parse: int('--max-iter', 1, 10000), default: 100 },
    { flags: '--covariance-type <type>', description: 'full, diag, spherical or tied', parse: choice('--covariance-type', ['full', 'diag', 'spherical', 'tied']), default: 'full' },
    { flags: '--reg-covar <x>', description: 'added to the covariance diagonals', parse: num('--reg-covar', 0, 1e6), default: 1e-3 },
    dataOption('an RGB PNG/TIFF image to compress, or a CSV of numbers (default: the bundled baboon)'),
  ],
  quick: { k: 16, maxIter: 40 },
  tiny: { k: 3, maxIter: 3 },
  run(ctx, o) {
    const kind = o.data ? expectKind(o.data, ['image', 'csv'], 'gmm') : 'image';
    const bar = ctx.progress(`gmm K=${o.k}`, o.maxIter);
    const model = new GaussianMixture({
      nComponents: o.k, maxIter: o.maxIter, covarianceType: o.covarianceType, regCovar: o.regCovar, seed: o.seed, warnings: false,
      onIteration: stepper(ctx, bar, (i) => -i.logLikelihood),
    });
    let x: Float32Array, n: number, d: number;
    const pic = kind === 'image' ? (o.data ? loadPicture(o.data) : loadBaboon()) : null;
    if (pic) {
      // colours scaled to [0,1] keep the covariances well conditioned
      n = pic.h * pic.w; d = 3; x = pic.pixels.map((v) => v / 255);
    } else ({ x, n, d } = loadCsvMatrix(o.data));
    if (n < o.k) throw new UsageError(`--k ${o.k} is more than the ${n} samples; use a smaller --k`);
    model.fit(x, [n, d]);
    bar.end();
    const hist = model.logLikelihoodHistory;
    ctx.figure('loglik.png', linePlot([{ x: hist.map((_, i) => i + 1), y: hist }]), 'Mean log-likelihood per sample after each EM step (it never decreases).');
    const labels = model.predict(x, [n, d]);
    const metrics: Record<string, unknown> = {
      k: o.k, covarianceType: o.covarianceType, iterations: model.nIter, converged: model.converged,
      logLikelihood: round(model.score(x, [n, d])), bic: round(model.bic(x, [n, d])),
    };
    if (pic) {
      const means = model.means.dataSync().map((v) => v * 255);
      const compressed = recolour(labels, means, n);
      const err = pixelError(pic.pixels, compressed);
      ctx.figure('compressed.png', compareFigure(pic, { pixels: compressed, h: pic.h, w: pic.w }),
        `Original (left) and each pixel replaced by its component's mean (right): mean squared error ${err.mse.toFixed(1)} per channel, PSNR ${err.psnr.toFixed(1)} dB.`);
      ctx.figure('palette.png', paletteFigure(means, o.k), `The ${o.k} component means as colours.`);
      Object.assign(metrics, { pixelMse: round(err.mse), pixelMae: round(err.mae), psnrDb: round(err.psnr) });
    } else {
      const xs = Array.from({ length: n }, (_, i) => x[i * d]), ys = Array.from({ length: n }, (_, i) => (d > 1 ? x[i * d + 1] : 0));
      ctx.figure('clusters.png', scatterPlot(xs, ys, labels), 'The rows (first two columns), coloured by most likely component.');
    }
    return metrics;
  },
};
