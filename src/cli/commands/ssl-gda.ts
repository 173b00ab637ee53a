// latentkit ssl-gda: semi-supervised Gaussian discriminant analysis: a few
// labelled points and many unlabelled ones; EM improves on labelled-only GDA.
import * as lk from 'latentkit';
import { scatterChart } from '../plot/vega.js';
import type { Command } from '../command.js';
import { intOption, numOption, dataOption } from '../options.js';
import { expectKind } from '../data.js';
import { readCsv } from '../csv.js';
import { UsageError } from '../errors.js';
import { round, type Metrics } from '../context.js';
import { stepper } from './common.js';

interface Split { xl: Float32Array; yl: Int32Array; xu: Float32Array; yu: Int32Array | null; d: number }

/** Two elongated 2-D Gaussian classes; `labelled` of each class keep their labels. */
function synthetic(labelled: number, unlabelled: number, rng: lk.Rng): Split {
  const draw = (cls: number): [number, number] => {
    const a = rng.normal() * 2.2, b = rng.normal() * 0.6;
    return cls === 0 ? [a * 0.8 - b * 0.6 - 1.2, a * 0.6 + b * 0.8] : [a * 0.8 + b * 0.6 + 1.2, -a * 0.6 + b * 0.8 + 0.3];
  };
  const xl = new Float32Array(labelled * 2 * 2), yl = new Int32Array(labelled * 2);
  for (let i = 0; i < labelled * 2; i++) { yl[i] = i % 2; xl.set(draw(yl[i]), i * 2); }
  const xu = new Float32Array(unlabelled * 2), yu = new Int32Array(unlabelled);
  for (let i = 0; i < unlabelled; i++) { yu[i] = rng.uniform() < 0.5 ? 0 : 1; xu.set(draw(yu[i]), i * 2); }
  return { xl, yl, xu, yu, d: 2 };
}

/** CSV rows: features, then a label column (0/1 labelled; -1 or NaN-free blank = unlabelled). */
function fromCsv(path: string): Split {
  const { rows, d } = readCsv(path);
  if (d < 2) throw new UsageError(`--data ${path}: needs feature columns and a last label column`, 'write x1,...,xD,label with label 0, 1 or -1 (unlabelled)');
  const L = rows.filter((r) => r[d - 1] === 0 || r[d - 1] === 1), U = rows.filter((r) => r[d - 1] === -1);
  if (L.length + U.length !== rows.length) throw new UsageError(`--data ${path}: the last column must be 0, 1 or -1`, 'use 0/1 for labelled rows and -1 for unlabelled ones');
  const flat = (rs: number[][]): Float32Array => Float32Array.from(rs.flatMap((r) => r.slice(0, d - 1)));
  return { xl: flat(L), yl: Int32Array.from(L.map((r) => r[d - 1])), xu: flat(U), yu: null, d: d - 1 };
}

const accuracy = (p: Int32Array, y: Int32Array): number => p.reduce((s, v, i) => s + (v === y[i] ? 1 : 0), 0) / Math.max(1, y.length);

interface SslGdaOptions { labelled: number; unlabelled: number; lambda: number; maxIter: number; data?: string }

export const sslGda: Command<SslGdaOptions> = {
  name: 'ssl-gda',
  summary: 'semi-supervised GDA: a few labelled points plus many unlabelled ones, fitted by EM',
  title: 'Semi-supervised GDA',
  about: 'Gaussian discriminant analysis fitted to a handful of labelled points, then improved by EM using the unlabelled points (weighted by λ); accuracy on the unlabelled points is compared with the labelled-only estimate.',
  options: {
    labelled: intOption('--labelled <n>', 'labelled points per class (synthetic data)', 1, 100000, 5),
    unlabelled: intOption('--unlabelled <n>', 'unlabelled points (synthetic data)', 2, 1_000_000, 1000),
    lambda: numOption('--lambda <x>', 'weight of the unlabelled data', 0, 1e6, 1),
    maxIter: intOption('--max-iter <n>', 'EM iterations at most', 1, 10000, 100),
    data: dataOption('a CSV: feature columns, then a label column of 0, 1, or -1 for unlabelled (default: synthetic 2-D data)'),
  },
  quick: {},
  tiny: { unlabelled: 100, maxIter: 5 },
  async run(ctx, o) {
    if (o.data) expectKind(o.data, ['csv'], 'ssl-gda');
    const s = o.data ? fromCsv(o.data) : synthetic(o.labelled, o.unlabelled, new lk.Rng(o.seed));
    const nl = s.yl.length, nu = s.xu.length / s.d;
    if (nu === 0) throw new UsageError(`--data ${o.data}: no unlabelled rows (label -1)`, 'mark the unlabelled rows with -1 in the last column');
    const XL = lk.tensor(s.xl, [nl, s.d]), XU = lk.tensor(s.xu, [nu, s.d]);
    const supervised = new lk.SemiSupervisedGDA({ maxIter: 1, regCovar: 1e-3 }).fit(XL, s.yl);
    const bar = ctx.progress('ssl-gda EM', o.maxIter);
    const model = new lk.SemiSupervisedGDA({ lambda: o.lambda, maxIter: o.maxIter, regCovar: 1e-3, onIteration: stepper(ctx, bar, (i) => -i.logLikelihood) })
      .fit(XL, s.yl, XU);
    bar.end();
    const pred = model.predict(XU);
    if (s.d >= 2) {
      const xs = Array.from({ length: nu + nl }, (_, i) => (i < nu ? s.xu[i * s.d] : s.xl[(i - nu) * s.d]));
      const ys = Array.from({ length: nu + nl }, (_, i) => (i < nu ? s.xu[i * s.d + 1] : s.xl[(i - nu) * s.d + 1]));
      const group = Array.from({ length: nu + nl }, (_, i) => (i < nu ? `class ${pred[i]} (predicted)` : `class ${s.yl[i - nu]} (labelled)`));
      await ctx.chart('classes.svg', scatterChart('Semi-supervised GDA: predicted classes', { title: 'x₁' }, { title: 'x₂' }, xs, ys, group, 'point'),
        `Unlabelled points coloured by the semi-supervised prediction; the ${nl} labelled points in their own colours.`);
    }
    const metrics: Metrics = { labelled: nl, unlabelled: nu, lambda: o.lambda, iterations: model.nIter, converged: model.converged, phi: round(model.phi) };
    if (s.yu) {
      metrics.accuracySupervised = round(accuracy(supervised.predict(XU), s.yu), 3);
      metrics.accuracySemiSupervised = round(accuracy(pred, s.yu), 3);
    }
    return metrics;
  },
};
