// latentkit gmm: a Gaussian mixture on the baboon's pixel colours (compress by
// each pixel's most likely component's mean), or on a CSV's rows.
import * as lk from 'latentkit';
import { UsageError } from '../errors.js';
import { linePlot, scatterPlot } from '../plot/index.js';
import type { Command } from '../command.js';
import { intOption, numOption, choiceOption, dataOption } from '../options.js';
import { expectKind, loadBaboon, loadPicture, type Picture } from '../data.js';
import { loadCsvMatrix } from '../csv.js';
import { round, type Metrics } from '../context.js';
import { perStep, compareFigure, paletteFigure, pixelError, recolour, stepper } from './common.js';

interface GmmOptions { k: number; maxIter: number; covarianceType: lk.CovarianceType; regCovar: number; data?: string }

export const gmm: Command<GmmOptions> = {
  name: 'gmm',
  summary: 'Gaussian mixture (EM): compress an image to K colours (default: the baboon), or cluster a CSV',
  title: 'Gaussian mixture (EM) image compression',
  about: 'A K-component Gaussian mixture fitted by EM to the pixel colours; each pixel is replaced by the mean of its most likely component. The log-likelihood rises every EM step.',
  options: {
    k: intOption('--k <n>', 'number of components', 1, 256, 16),
    maxIter: intOption('--max-iter <n>', 'EM iterations at most', 1, 10000, 100),
    covarianceType: choiceOption('--covariance-type <type>', 'full, diag, spherical or tied', ['full', 'diag', 'spherical', 'tied'], 'full'),
    regCovar: numOption('--reg-covar <x>', 'added to the covariance diagonals', 0, 1e6, 1e-3),
    data: dataOption('an RGB PNG/TIFF image to compress, or a CSV of numbers (default: the bundled baboon)'),
  },
  quick: { k: 16, maxIter: 40 },
  tiny: { k: 3, maxIter: 3 },
  run(ctx, o) {
    const csv = o.data && expectKind(o.data, ['image', 'csv'], 'gmm') === 'csv' ? o.data : null;
    const bar = ctx.progress(`gmm K=${o.k}`, o.maxIter);
    const model = new lk.GaussianMixture({
      nComponents: o.k, maxIter: o.maxIter, covarianceType: o.covarianceType, regCovar: o.regCovar, seed: o.seed, warnings: false,
      onIteration: stepper(ctx, bar, (i) => -i.logLikelihood),
    });
    let x: Float32Array, n: number, d: number, pic: Picture | null = null;
    if (csv) ({ x, n, d } = loadCsvMatrix(csv));
    else {
      pic = o.data ? loadPicture(o.data) : loadBaboon();
      // colours scaled to [0,1] keep the covariances well conditioned
      n = pic.h * pic.w; d = 3; x = pic.pixels.map((v) => v / 255);
    }
    if (n < o.k) throw new UsageError(`--k ${o.k} is more than the ${n} samples; use a smaller --k`);
    model.fit(x, [n, d]);
    bar.end();
    const hist = model.logLikelihoodHistory;
    ctx.figure('loglik.png', linePlot([perStep(hist)]), 'Mean log-likelihood per sample after each EM step (it never decreases).');
    const labels = model.predict(x, [n, d]);
    const metrics: Metrics = {
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
