// What the neural commands share: the held-out split of the digits, fit()
// with a progress bar that honours Ctrl-C, and a figure of a value per epoch.
import type * as lk from 'latentkit';
import { lineChart } from '../plot/vega.js';
import { perStep } from './common.js';
import type { Context } from '../context.js';
import { loadImages, type Digits } from '../data.js';
import type { ImageOptions, TrainOptions } from '../options.js';

/** The images, and their first `hold` rows (a fifth, at most 1000) as the test set, the rest as the training set. */
export interface Split { d: Digits; dim: number; hold: number; train: Float32Array; test: Float32Array }

/** A command's images (see loadImages) with the test rows held out. */
export function heldOutImages(o: ImageOptions & { seed: number }, model: string): Split {
  const d = loadImages(o, model);
  const dim = d.h * d.w, hold = Math.min(1000, Math.floor(d.n / 5));
  return { d, dim, hold, train: d.images.subarray(hold * dim, d.n * dim), test: d.images.subarray(0, hold * dim) };
}

/** The settings fit() takes from the options, with an onStep that draws the bar and stops on Ctrl-C. */
export interface FitSettings extends TrainOptions { seed: number; onStep: (info: lk.StepInfo) => boolean }

/** Run `fit` (a model's fit over n training rows) with a progress bar over its steps. */
export function fitWithProgress(ctx: Context, label: string, o: TrainOptions & { seed: number }, n: number, fit: (s: FitSettings) => void): void {
  const bar = ctx.progress(label, o.epochs * Math.ceil(n / o.batchSize));
  fit({
    epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, seed: o.seed,
    onStep: (info) => { bar.tick(info.step, info.runningLoss); return !ctx.stopped; },
  });
  bar.end();
}

/** A chart of one value per epoch, titled `title` with `yTitle` on the y axis (none when no epoch finished). */
export async function epochFigure(ctx: Context, file: string, values: number[], caption: string, title: string, yTitle: string): Promise<void> {
  if (values.length) await ctx.chart(file, lineChart(title, { title: 'epoch' }, { title: yTitle }, [perStep(values, yTitle)], 'curve', { points: values.length <= 40 }), caption);
}
