// latentkit gmm: a Gaussian mixture on the baboon's pixel colours as in the
// course (004 P1): K = 5, exactly 50 EM steps on the small image, then every
// pixel of the large image replaced by the mean of its MAP component; or a
// mixture on a CSV's rows.
import * as lk from 'latentkit';
import { UsageError } from '../errors.js';
import { lineChart, scatterChart } from '../plot/vega.js';
import type { Command } from '../command.js';
import { intOption, numOption, choiceOption, dataOption } from '../options.js';
import { expectKind, loadPicture, type Picture } from '../data.js';
import { loadCsvMatrix } from '../csv.js';
import { round, type Metrics } from '../context.js';
import { perStep, compareFigure, paletteFigure, meanPixelError, compressionFactor, recolour, stepper } from './common.js';

interface GmmOptions { k: number; alsoK: number; maxIter: number; tol: number; covarianceType: lk.CovarianceType; regCovar: number; data?: string; apply?: string }

const picture = (t: lk.Tensor): Picture => ({ pixels: t.dataSync(), h: t.shape[0], w: t.shape[1] });

export const gmm: Command<GmmOptions> = {
  name: 'gmm',
  summary: 'Gaussian mixture (EM): compress an image to K colours (default: fit on the 128x128 baboon, apply to the 512x512 one), or cluster a CSV',
  title: 'Gaussian mixture (EM) image compression (004 P1)',
  about: 'A K = 5 Gaussian mixture fitted by exactly 50 EM steps (no tolerance stop) to the pixel colours of the small baboon (colours scaled to [0, 1]); every pixel of the large baboon is then replaced by the mean of its most likely (MAP) component. The log-likelihood never decreases from one EM step to the next. The npm baboon is not the course\'s TIFF, so the mean pixel error differs from the course\'s 16.4 (scikit-learn on these images with the same initialisation: 48.95).',
  options: {
    k: intOption('--k <n>', 'number of components (the course: 5)', 1, 256, 5),
    alsoK: intOption('--also-k <n>', 'for an image, also fit and apply a mixture with this many components, for comparison (0: none)', 0, 256, 0),
    maxIter: intOption('--max-iter <n>', 'EM steps at most (the course: exactly 50, with --tol 0)', 1, 10000, 50),
    tol: numOption('--tol <x>', 'stop when the mean log-likelihood improves by less than this (0: run all --max-iter steps)', 0, 1e6, 0),
    covarianceType: choiceOption('--covariance-type <type>', 'full, diag, spherical or tied', ['full', 'diag', 'spherical', 'tied'], 'full'),
    regCovar: numOption('--reg-covar <x>', 'added to the covariance diagonals', 0, 1e6, 1e-6),
    data: dataOption('an RGB PNG/TIFF image to fit on, or a CSV of numbers (default: the bundled 128x128 baboon)'),
    apply: { flags: '--apply <path>', description: 'an RGB PNG/TIFF image to compress with the fitted mixture (default: the bundled 512x512 baboon when --data is not given, else the --data image)' },
  },
  quick: { k: 5, alsoK: 16, maxIter: 50, tol: 0 },
  tiny: { k: 3, maxIter: 3 },
  async run(ctx, o) {
    const csv = o.data && expectKind(o.data, ['image', 'csv'], 'gmm') === 'csv' ? o.data : null;
    const bar = ctx.progress(`gmm K=${o.k}`, o.maxIter);
    const model = new lk.GaussianMixture({
      nComponents: o.k, maxIter: o.maxIter, tol: o.tol, covarianceType: o.covarianceType, regCovar: o.regCovar, seed: o.seed, warnings: false,
      onIteration: stepper(ctx, bar, (i) => -i.logLikelihood),
    });
    let x: Float32Array, n: number, d: number, pic: Picture | null = null;
    if (csv) ({ x, n, d } = loadCsvMatrix(csv));
    else {
      pic = o.data ? loadPicture(o.data) : picture(lk.data.baboon(128));
      // colours scaled to [0,1] keep the covariances well conditioned
      n = pic.h * pic.w; d = 3; x = pic.pixels.map((v) => v / 255);
    }
    if (n < o.k) throw new UsageError(`--k ${o.k} is more than the ${n} samples; use a smaller --k`);
    model.fit(x, [n, d]);
    bar.end();
    const hist = model.logLikelihoodHistory;
    await ctx.chart('loglik.svg', lineChart(`EM for a ${o.k}-component Gaussian mixture`, { title: 'EM step' }, { title: 'mean log-likelihood per sample (nats)' }, [perStep(hist, 'log-likelihood')], 'curve', { points: hist.length <= 60 }),
      `Mean log-likelihood per ${pic ? 'pixel (colours in [0, 1])' : 'row'} after each of the ${hist.length} EM steps; it never decreases.`);
    const metrics: Metrics = {
      k: o.k, covarianceType: o.covarianceType, emSteps: model.nIter, converged: model.converged,
      logLikelihood: round(hist[hist.length - 1] ?? model.score(x, [n, d])), bic: round(model.bic(x, [n, d])),
    };
    const weights = model.weights.dataSync(), means = model.means.dataSync();
    const scale = pic ? 255 : 1;
    ctx.table(`The fitted mixture: weight π and mean μ of each component${pic ? ' (RGB, 0..255)' : ''}.`,
      ['component', 'π', ...Array.from({ length: d }, (_, j) => (pic ? `μ ${'RGB'[j]}` : `μ${j + 1}`))],
      Array.from({ length: o.k }, (_, c) => [c + 1, weights[c], ...Array.from({ length: d }, (_, j) => means[c * d + j] * scale)]));
    metrics.weights = Array.from(weights).map((w) => round(w, 3));
    if (pic) {
      const target = o.apply ? loadPicture(o.apply) : o.data ? pic : picture(lk.data.baboon(512));
      const N = target.h * target.w;
      const palette = means.map((v) => v * 255);
      const labels = model.predict(target.pixels.map((v) => v / 255), [N, 3]); // MAP component of each pixel
      const compressed = recolour(labels, palette, N);
      const err = meanPixelError(target.pixels, compressed);
      ctx.figure('compressed.png', compareFigure(target, { pixels: compressed, h: target.h, w: target.w }, target.w > 256 ? 1 : 2),
        `The ${target.w} × ${target.h} image (left) and each pixel replaced by the mean of its MAP component (right): mean pixel error ${err.toFixed(2)} (course: 16.4 on its TIFF).`);
      ctx.figure('palette.png', paletteFigure(palette, o.k), `The ${o.k} component means as colours.`);
      Object.assign(metrics, { appliedPixels: N, meanPixelError: round(err), courseMeanPixelError: 16.4, compressionFactor: round(compressionFactor(N, o.k)) });
      if (o.alsoK > 0 && o.alsoK <= n && !ctx.stopped) {
        // the same protocol with more components (the course also tries K = 16)
        const more = new lk.GaussianMixture({ nComponents: o.alsoK, maxIter: o.maxIter, tol: o.tol, covarianceType: o.covarianceType, regCovar: o.regCovar, seed: o.seed, warnings: false }).fit(x, [n, d]);
        const pal = more.means.dataSync().map((v) => v * 255);
        const img = recolour(more.predict(target.pixels.map((v) => v / 255), [N, 3]), pal, N);
        const e2 = meanPixelError(target.pixels, img);
        ctx.figure(`compressed-k${o.alsoK}.png`, compareFigure(target, { pixels: img, h: target.h, w: target.w }, target.w > 256 ? 1 : 2),
          `The same with K = ${o.alsoK} components: mean pixel error ${e2.toFixed(2)}, compression factor ${compressionFactor(N, o.alsoK).toFixed(2)}.`);
        metrics[`k${o.alsoK}`] = { logLikelihood: round(more.logLikelihoodHistory.at(-1) ?? NaN), meanPixelError: round(e2), compressionFactor: round(compressionFactor(N, o.alsoK)) };
      }
    } else {
      const labels = model.predict(x, [n, d]);
      const xs = Array.from({ length: n }, (_, i) => x[i * d]), ys = Array.from({ length: n }, (_, i) => (d > 1 ? x[i * d + 1] : 0));
      await ctx.chart('clusters.svg', scatterChart(`Gaussian mixture, K = ${o.k}`, { title: 'column 1' }, { title: d > 1 ? 'column 2' : '(one column)' }, xs, ys, labels, 'component'),
        'The rows (first two columns), coloured by most likely component.');
    }
    return metrics;
  },
};
