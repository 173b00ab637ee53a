// latentkit ica: maximum-likelihood ICA unmixing signals: by default four
// synthetic sources mixed by a random matrix; or the user's WAV/CSV mixtures.
import * as lk from 'latentkit';
import { stackedSignals } from '../plot/index.js';
import type { Command } from '../command.js';
import { intOption, numOption, choiceOption, dataOption, type TrainOptions } from '../options.js';
import { expectKind, loadWavMixtures } from '../data.js';
import { loadCsvMatrix } from '../csv.js';
import { UsageError } from '../errors.js';
import { round, type Metrics } from '../context.js';

/** Four sources (sine, square, sawtooth, Laplace noise) at n time steps, rows = time. */
function sources(n: number, rng: lk.Rng): Float32Array {
  const s = new Float32Array(n * 4);
  for (let t = 0; t < n; t++) {
    const u = t / n;
    s[t * 4] = Math.sin(2 * Math.PI * 7 * u);
    s[t * 4 + 1] = Math.sign(Math.sin(2 * Math.PI * 3 * u + 0.5)) || 1;
    s[t * 4 + 2] = 2 * ((11 * u) % 1) - 1;
    const e = rng.uniform() - 0.5;
    s[t * 4 + 3] = -Math.sign(e) * Math.log(1 - 2 * Math.abs(e)) * 0.5;
  }
  return s;
}

const column = (x: Float32Array, d: number, j: number, n: number): Float32Array => Float32Array.from({ length: n }, (_, t) => x[t * d + j]);

interface IcaOptions extends TrainOptions { density: 'logistic' | 'extended'; samples: number; data?: string }

export const ica: Command<IcaOptions> = {
  name: 'ica',
  summary: 'independent component analysis: unmix signals (default: 4 synthetic sources mixed at random)',
  title: 'Independent component analysis',
  about: 'Maximum-likelihood ICA with the sigmoid CDF as the source model (extended to sub-Gaussian sources) finds W so that W x has independent components; sources come back up to order and scale.',
  options: {
    epochs: intOption('--epochs <n>', 'passes over the samples', 1, 10000, 30),
    batchSize: intOption('--batch-size <n>', 'samples per update (1 = the course\'s per-sample rule)', 1, 65536, 32),
    learningRate: numOption('--learning-rate <x>', 'initial step size (annealed 20x)', 0, 10, 0.01, true),
    density: choiceOption('--density <kind>', 'logistic (the course) or extended (also square waves)', ['logistic', 'extended'], 'extended'),
    samples: intOption('--samples <n>', 'time steps of the synthetic signals', 100, 1_000_000, 4000),
    data: dataOption('mixed signals: a WAV file (one mixture a channel), several WAVs comma-separated, or a CSV (one mixture a column)'),
  },
  quick: { epochs: 30, samples: 4000 },
  tiny: { epochs: 2, samples: 400 },
  run(ctx, o) {
    let x: Float32Array, n: number, d: number, truth: Float32Array | null = null, A: Float32Array | null = null;
    if (o.data) {
      const paths = o.data.split(',');
      const kind = expectKind(paths[0], ['wav', 'csv'], 'ica');
      ({ x, n, d } = kind === 'wav' ? loadWavMixtures(paths) : loadCsvMatrix(paths[0]));
      if (d < 2) throw new UsageError(`--data ${o.data}: ICA needs at least two mixed signals, got ${d}`, 'give a stereo/multi-channel WAV, several WAVs, or a CSV with two or more columns');
    } else {
      const rng = new lk.Rng(o.seed);
      n = o.samples; d = 4;
      truth = sources(n, rng);
      A = Float32Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0) + rng.uniform() - 0.5);
      x = new Float32Array(n * d);
      for (let t = 0; t < n; t++) for (let i = 0; i < d; i++) {
        let v = 0;
        for (let j = 0; j < d; j++) v += A[i * d + j] * truth[t * d + j];
        x[t * d + i] = v;
      }
    }
    const bar = ctx.progress('ica', o.epochs);
    const model = new lk.ICA({
      epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, density: o.density, seed: o.seed,
      onEpoch: (info) => { bar.tick(info.epoch + 1, -info.logLikelihood); return !ctx.stopped; },
    }).fit(x, [n, d]);
    bar.end();
    const rec = model.transform(x, [n, d]).dataSync();
    const show = Math.min(n, 800);
    if (truth) ctx.figure('sources.png', stackedSignals(Array.from({ length: d }, (_, j) => column(truth!, d, j, show))), `The ${d} true sources (first ${show} time steps).`);
    ctx.figure('mixtures.png', stackedSignals(Array.from({ length: d }, (_, j) => column(x, d, j, show))), `The ${d} observed mixtures x = A s.`);
    ctx.figure('recovered.png', stackedSignals(Array.from({ length: d }, (_, j) => column(rec, d, j, show))), 'The recovered signals W x (in some order, with some scale and sign).');
    const hist = model.logLikelihoodHistory;
    const metrics: Metrics = { samples: n, signals: d, epochs: hist.length, logLikelihood: round(hist[hist.length - 1] ?? NaN) };
    if (truth && A) {
      const U = model.unmixing!.dataSync(), P = new Float32Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) { let v = 0; for (let k = 0; k < d; k++) v += U[i * d + k] * A[k * d + j]; P[i * d + j] = v; }
      metrics.amariIndex = round(lk.amariIndex(lk.tensor(P, [d, d])), 3);
      metrics.sourceCorrelations = Array.from({ length: d }, (_, j) => round(bestCorrelation(column(truth!, d, j, n), rec, d, n), 3));
    }
    return metrics;
  },
};

/** max over recovered signals of |corr(source, recovered_k)|. */
function bestCorrelation(s: Float32Array, rec: Float32Array, d: number, n: number): number {
  let best = 0;
  for (let k = 0; k < d; k++) {
    let ms = 0, mr = 0;
    for (let t = 0; t < n; t++) { ms += s[t]; mr += rec[t * d + k]; }
    ms /= n; mr /= n;
    let c = 0, vs = 0, vr = 0;
    for (let t = 0; t < n; t++) { const a = s[t] - ms, b = rec[t * d + k] - mr; c += a * b; vs += a * a; vr += b * b; }
    best = Math.max(best, Math.abs(c) / Math.sqrt(vs * vr || 1));
  }
  return best;
}
