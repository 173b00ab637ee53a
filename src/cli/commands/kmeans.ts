// latentkit kmeans: K-means colour quantisation as in the course (004 P1):
// fit on the small baboon, apply the palette to the large one, report the mean
// pixel error and the compression factor; or plain clustering of a CSV's rows.
import * as lk from 'latentkit';
import { UsageError } from '../errors.js';
import { scatterChart, lineChart } from '../plot/vega.js';
import type { Command } from '../command.js';
import { intOption, numOption, dataOption } from '../options.js';
import { expectKind, loadPicture, type Picture } from '../data.js';
import { loadCsvMatrix } from '../csv.js';
import { round } from '../context.js';
import { compareFigure, paletteFigure, meanPixelError, compressionFactor, recolour, stepper, perStep } from './common.js';

interface KmeansOptions { k: number; maxIter: number; tol: number; data?: string; apply?: string }

const picture = (t: lk.Tensor): Picture => ({ pixels: t.dataSync(), h: t.shape[0], w: t.shape[1] });

export const kmeans: Command<KmeansOptions> = {
  name: 'kmeans',
  summary: 'K-means: compress an image to K colours (default: fit on the 128x128 baboon, apply to the 512x512 one), or cluster the rows of a CSV',
  title: 'K-means image compression (004 P1)',
  about: 'Each pixel is a point in RGB space; K-means finds K colours on the small 128 × 128 baboon, and every pixel of the large 512 × 512 baboon is replaced by its nearest one (log₂ K bits a pixel instead of 24). The course reports the mean pixel error (mean over pixels of the Euclidean RGB distance) and the compression factor. The images here are the npm baboon-image packages, not the course\'s mandrill TIFFs, so the error differs from the course\'s 14.6 (scikit-learn on these same images with the same initialisation gives 23.3–23.5).',
  options: {
    k: intOption('--k <n>', 'number of clusters (colours)', 1, 256, 16),
    maxIter: intOption('--max-iter <n>', 'Lloyd iterations at most (the course: 50)', 1, 10000, 50),
    tol: numOption('--tol <x>', 'stop when the centroids move less than this (0: run every iteration)', 0, 1e6, 0),
    data: dataOption('an RGB PNG/TIFF image to fit on, or a CSV of numbers to cluster (default: the bundled 128x128 baboon)'),
    apply: { flags: '--apply <path>', description: 'an RGB PNG/TIFF image to compress with the fitted colours (default: the bundled 512x512 baboon when --data is not given, else the --data image)' },
  },
  quick: { k: 16, maxIter: 50 },
  tiny: { k: 4, maxIter: 3 },
  async run(ctx, o) {
    const kind = o.data ? expectKind(o.data, ['image', 'csv'], 'kmeans') : 'image';
    const bar = ctx.progress(`kmeans K=${o.k}`, o.maxIter);
    const shifts: number[] = [];
    const model = (): lk.KMeans => new lk.KMeans({
      nClusters: o.k, maxIter: o.maxIter, tol: o.tol, seed: o.seed,
      onIteration: (info: { iter: number; shift: number }) => { shifts.push(info.shift); return stepper(ctx, bar)(info); },
    });
    if (o.data && kind === 'csv') {
      const { x, n, d } = loadCsvMatrix(o.data);
      const km = model().fit(x, [n, d]);
      bar.end();
      const xs = Array.from({ length: n }, (_, i) => x[i * d]), ys = Array.from({ length: n }, (_, i) => (d > 1 ? x[i * d + 1] : 0));
      await ctx.chart('clusters.svg', scatterChart(`K-means, K = ${o.k}`, { title: 'column 1' }, { title: d > 1 ? 'column 2' : '(one column)' }, xs, ys, km.labels!, 'cluster'),
        `The rows of ${o.data} (first two columns), coloured by cluster.`);
      return { k: o.k, samples: n, features: d, iterations: km.nIter, inertia: round(km.inertia) };
    }
    const fitPic = o.data ? loadPicture(o.data) : picture(lk.data.baboon(128));
    const target = o.apply ? loadPicture(o.apply) : o.data ? fitPic : picture(lk.data.baboon(512));
    const n = fitPic.h * fitPic.w, N = target.h * target.w;
    if (n < o.k) throw new UsageError(`--k ${o.k} is more than the ${n} pixels of the image; use a smaller --k`);
    const km = model().fit(fitPic.pixels, [n, 3]);
    bar.end();
    const centroids = km.centroids!.dataSync();
    // apply: each pixel of the target image takes its nearest centroid's colour
    const labels = km.predict(target.pixels, [N, 3]);
    const compressed = recolour(labels, centroids, N);
    const err = meanPixelError(target.pixels, compressed);
    const factor = compressionFactor(N, o.k);
    ctx.figure('compressed.png', compareFigure(target, { pixels: compressed, h: target.h, w: target.w }, target.w > 256 ? 1 : 2),
      `The ${target.w} × ${target.h} image (left) and compressed to the ${o.k} colours found on the ${fitPic.w} × ${fitPic.h} image (right): mean pixel error ${err.toFixed(2)} (course: 14.6 on its TIFF), compression factor ${factor.toFixed(2)}.`);
    ctx.figure('palette.png', paletteFigure(centroids, o.k), `The ${o.k} colours (centroids) K-means found.`);
    if (shifts.some((v) => v > 0)) {
      await ctx.chart('shift.svg', lineChart('K-means: how far the centroids move', { title: 'Lloyd iteration' }, { title: 'squared centroid shift', log: true }, [perStep(shifts, 'shift')]),
        'Total squared movement of the centroids at each Lloyd iteration on the small image (log scale; iterations that moved nothing are left out).');
    }
    return {
      k: o.k, fitPixels: n, appliedPixels: N, iterations: km.nIter, inertia: round(km.inertia),
      meanPixelError: round(err), courseMeanPixelError: 14.6, compressionFactor: round(factor),
    };
  },
};
