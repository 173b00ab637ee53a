// latentkit kmeans: K-means colour quantisation of the baboon (or --data image),
// or plain clustering of a CSV's rows.
import * as lk from 'latentkit';
import { UsageError } from '../errors.js';
import { scatterPlot } from '../plot/index.js';
import type { Command } from '../command.js';
import { intOption, dataOption } from '../options.js';
import { expectKind, loadBaboon, loadPicture } from '../data.js';
import { loadCsvMatrix } from '../csv.js';
import { round } from '../context.js';
import { compareFigure, paletteFigure, pixelError, recolour, stepper } from './common.js';

interface KmeansOptions { k: number; maxIter: number; data?: string }

export const kmeans: Command<KmeansOptions> = {
  name: 'kmeans',
  summary: 'K-means: compress an image to K colours (default: the baboon), or cluster the rows of a CSV',
  title: 'K-means image compression',
  about: 'Each pixel is a point in RGB space; K-means finds K colours and every pixel is replaced by its nearest one (log2 K bits a pixel instead of 24).',
  options: {
    k: intOption('--k <n>', 'number of clusters (colours)', 1, 256, 16),
    maxIter: intOption('--max-iter <n>', 'Lloyd iterations at most', 1, 10000, 100),
    data: dataOption('an RGB PNG/TIFF image to compress, or a CSV of numbers to cluster (default: the bundled baboon)'),
  },
  quick: { k: 16, maxIter: 50 },
  tiny: { k: 4, maxIter: 3 },
  run(ctx, o) {
    const kind = o.data ? expectKind(o.data, ['image', 'csv'], 'kmeans') : 'image';
    if (o.data && kind === 'csv') {
      const { x, n, d } = loadCsvMatrix(o.data);
      const bar = ctx.progress(`kmeans K=${o.k}`, o.maxIter);
      const km = new lk.KMeans({ nClusters: o.k, maxIter: o.maxIter, seed: o.seed, onIteration: stepper(ctx, bar) }).fit(x, [n, d]);
      bar.end();
      const xs = Array.from({ length: n }, (_, i) => x[i * d]), ys = Array.from({ length: n }, (_, i) => (d > 1 ? x[i * d + 1] : 0));
      ctx.figure('clusters.png', scatterPlot(xs, ys, km.labels!), `The rows of ${o.data} (first two columns), coloured by cluster.`);
      return { k: o.k, samples: n, features: d, iterations: km.nIter, inertia: round(km.inertia) };
    }
    const pic = o.data ? loadPicture(o.data) : loadBaboon();
    const n = pic.h * pic.w;
    if (n < o.k) throw new UsageError(`--k ${o.k} is more than the ${n} pixels of the image; use a smaller --k`);
    const bar = ctx.progress(`kmeans K=${o.k}`, o.maxIter);
    const km = new lk.KMeans({ nClusters: o.k, maxIter: o.maxIter, seed: o.seed, onIteration: stepper(ctx, bar) }).fit(pic.pixels, [n, 3]);
    bar.end();
    const centroids = km.centroids!.dataSync();
    const compressed = recolour(km.labels!, centroids, n);
    const err = pixelError(pic.pixels, compressed);
    ctx.figure('compressed.png', compareFigure(pic, { pixels: compressed, h: pic.h, w: pic.w }),
      `Original (left) and compressed to ${o.k} colours (right): mean squared error ${err.mse.toFixed(1)} per channel (0..255), PSNR ${err.psnr.toFixed(1)} dB.`);
    ctx.figure('palette.png', paletteFigure(centroids, o.k), `The ${o.k} colours (centroids) K-means found.`);
    return {
      k: o.k, pixels: n, iterations: km.nIter, inertia: round(km.inertia),
      pixelMse: round(err.mse), pixelMae: round(err.mae), psnrDb: round(err.psnr),
      bitsPerPixel: round(Math.log2(o.k)), compressionRatio: round(24 / Math.max(1, Math.log2(o.k))),
    };
  },
};
