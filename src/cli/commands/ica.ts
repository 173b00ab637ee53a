// latentkit ica: maximum-likelihood ICA with the course's procedure (004 P4):
// the plain gradient ∇ℓ = (1 − 2σ(W x)) xᵀ + (Wᵀ)⁻¹, one sample at a time, an
// annealed learning-rate schedule, no whitening. By default five synthetic
// "microphone" recordings: five audio-like sources mixed by a random matrix
// with U(0, 1) entries (redrawn until well conditioned); or the user's WAV/CSV.
import * as lk from 'latentkit';
import { join } from 'node:path';
import { signalsChart, lineChart } from '../plot/vega.js';
import type { Command } from '../command.js';
import { intOption, numOption, choiceOption, dataOption } from '../options.js';
import { expectKind, loadWavMixtures } from '../data.js';
import { loadCsvMatrix } from '../csv.js';
import { UsageError } from '../errors.js';
import { round, type Metrics } from '../context.js';
import { perStep } from './common.js';
import { audioSources, wellConditionedMixing, bestCorrelation, column, SOURCE_NAMES } from './ica-signals.js';

/** The annealing schedule of the course's starter code (one rate per pass over the samples). */
export const COURSE_SCHEDULE = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.02, 0.02, 0.01, 0.01, 0.005, 0.005, 0.002, 0.002, 0.001, 0.001];

interface IcaOptions {
  epochs: number; batchSize: number; learningRate: number; anneal: 'course' | 'geometric'; gradient: 'plain' | 'natural';
  density: 'logistic' | 'extended'; whiten: boolean; samples: number; rate: number; data?: string;
}

export const ica: Command<IcaOptions> = {
  name: 'ica',
  summary: 'independent component analysis: unmix signals (default: 5 synthetic audio sources mixed at random), writing WAV tracks',
  title: 'Independent component analysis (004 P4)',
  about: 'Maximum-likelihood ICA with the sigmoid CDF as the source model, trained as the course does: plain gradient (1 − 2σ(Wx))xᵀ + (Wᵀ)⁻¹, one sample at a time, with the starter code\'s annealed learning rates (0.1 down to 0.001 over 16 passes). The course\'s ica_data.dat is not available, so five audio-like sources (tones under syllable envelopes, crackle, clicks) are mixed by a random matrix with U(0, 1) entries — every microphone hears every source. W is reported and the unmixed tracks are playable below; the sources come back up to order, scale and sign.',
  options: {
    epochs: intOption('--epochs <n>', 'passes over the samples (the course\'s schedule has 16)', 1, 10000, 16),
    batchSize: intOption('--batch-size <n>', 'samples per update (1 = the course\'s per-sample rule)', 1, 65536, 1),
    learningRate: numOption('--learning-rate <x>', 'initial step size for --anneal geometric (annealed 20x)', 0, 10, 0.01, true),
    anneal: choiceOption('--anneal <kind>', 'course (0.1, 0.1, 0.1, 0.05, ... 0.001, the last repeating) or geometric (from --learning-rate down 20x)', ['course', 'geometric'], 'course'),
    gradient: choiceOption('--gradient <kind>', 'plain (the course: with (Wᵀ)⁻¹) or natural', ['plain', 'natural'], 'plain'),
    density: choiceOption('--density <kind>', 'logistic (the course) or extended (also sub-Gaussian sources, e.g. square waves)', ['logistic', 'extended'], 'logistic'),
    whiten: { flags: '--whiten', description: 'centre and whiten the mixtures first (the course does not)', default: false },
    samples: intOption('--samples <n>', 'time steps of the synthetic recordings', 100, 1_000_000, 16000),
    rate: intOption('--rate <hz>', 'sample rate of the synthetic recordings and of WAV tracks written from a CSV', 1000, 192000, 8000),
    data: dataOption('mixed signals: a WAV file (one mixture a channel), several WAVs comma-separated, or a CSV (one mixture a column)'),
  },
  quick: { epochs: 16, samples: 16000 },
  tiny: { epochs: 2, samples: 800 },
  async run(ctx, o) {
    let x: Float32Array, n: number, d: number, truth: Float32Array | null = null, A: Float32Array | null = null;
    if (o.data) {
      const paths = o.data.split(',');
      const kind = expectKind(paths[0], ['wav', 'csv'], 'ica');
      ({ x, n, d } = kind === 'wav' ? loadWavMixtures(paths) : loadCsvMatrix(paths[0]));
      if (d < 2) throw new UsageError(`--data ${o.data}: ICA needs at least two mixed signals, got ${d}`, 'give a stereo/multi-channel WAV, several WAVs, or a CSV with two or more columns');
    } else {
      const rng = new lk.Rng(o.seed);
      n = o.samples; d = SOURCE_NAMES.length;
      truth = audioSources(n, o.rate, rng);
      A = wellConditionedMixing(d, rng);
      x = new Float32Array(n * d);
      for (let t = 0; t < n; t++) for (let i = 0; i < d; i++) {
        let v = 0;
        for (let j = 0; j < d; j++) v += A[i * d + j] * truth[t * d + j];
        x[t * d + i] = v;
      }
    }
    // as the course's notebook: scale the recordings so that max |x| = 0.99
    let peak = 0;
    for (const v of x) peak = Math.max(peak, Math.abs(v));
    if (peak > 0) x = x.map((v) => (0.99 * v) / peak);
    const bar = ctx.progress('ica', o.epochs);
    const model = new lk.ICA({
      epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, density: o.density, seed: o.seed,
      natural: o.gradient === 'natural', whiten: o.whiten, schedule: o.anneal === 'course' ? COURSE_SCHEDULE : undefined,
      onEpoch: (info) => { bar.tick(Math.min(o.epochs, info.epoch + 1), -info.logLikelihood); return !ctx.stopped; },
    }).fit(x, [n, d]);
    bar.end();
    const rec = model.transform(x, [n, d]).dataSync();
    const show = Math.min(n, Math.round(o.rate / 4));
    const names = truth ? SOURCE_NAMES : Array.from({ length: d }, (_, j) => String(j + 1));
    if (truth) {
      await ctx.chart('sources.svg', signalsChart(`The ${d} sources (first ${show} samples)`, 'time step', 'source', Array.from({ length: d }, (_, j) => ({ name: String(j + 1), y: column(truth!, d, j, show) }))),
        `The sources: ${SOURCE_NAMES.map((s, j) => `${j + 1} ${s}`).join(', ')}.`);
    }
    await ctx.chart('mixtures.svg', signalsChart(`The ${d} recordings x = A s`, 'time step', 'mic', Array.from({ length: d }, (_, j) => ({ name: String(j + 1), y: column(x, d, j, show) }))),
      'The observed mixtures: every recording holds every source.');
    await ctx.chart('recovered.svg', signalsChart('The unmixed signals y = W x', 'time step', 'track', Array.from({ length: d }, (_, j) => ({ name: String(j + 1), y: column(rec, d, j, show) }))),
      'The recovered signals (in some order, with some scale and sign).');
    const hist = model.logLikelihoodHistory;
    if (hist.length) {
      await ctx.chart('loglik.svg', lineChart('ICA log-likelihood per pass', { title: 'pass over the samples (epoch)' }, { title: 'mean log-likelihood per sample' }, [perStep(hist, 'log-likelihood')], 'curve', { points: true }),
        'Mean log-likelihood ℓ(W)/N after each pass.');
    }
    const W = model.unmixing!.dataSync();
    ctx.table('The unmixing matrix W found (y = W x, for the recordings scaled to max |x| = 0.99).', ['', ...names.map((_, j) => `mic ${j + 1}`)],
      Array.from({ length: d }, (_, i) => [`w${i + 1}`, ...Array.from(W.subarray(i * d, (i + 1) * d))]));
    if (A) ctx.table('The mixing matrix A (entries U(0, 1), redrawn until its condition number is at most 10).', ['', ...names.map((_, j) => `source ${j + 1}`)],
      Array.from({ length: d }, (_, i) => [`mic ${i + 1}`, ...Array.from(A!.subarray(i * d, (i + 1) * d))]));
    const rate = o.data && expectKind(o.data.split(',')[0], ['wav', 'csv'], 'ica') === 'wav' ? lk.data.readWav(o.data.split(',')[0]).sampleRate : o.rate;
    writeTrack(join(ctx.out, 'mixture-1.wav'), column(x, d, 0, n), rate);
    ctx.audio('mixture-1.wav', 'Recording 1 (a mixture of all sources).');
    for (let j = 0; j < d; j++) {
      writeTrack(join(ctx.out, `unmixed-${j + 1}.wav`), column(rec, d, j, n), rate);
      ctx.audio(`unmixed-${j + 1}.wav`, `Unmixed track ${j + 1}.`);
    }
    const metrics: Metrics = { samples: n, signals: d, epochs: hist.length, logLikelihood: round(hist[hist.length - 1] ?? NaN), unmixing: Array.from(W).map((v) => round(v)) };
    if (truth && A) {
      const P = new Float32Array(d * d); // W A: a scaled permutation when the sources are recovered
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) { let v = 0; for (let k = 0; k < d; k++) v += W[i * d + k] * A[k * d + j]; P[i * d + j] = v; }
      metrics.amariIndex = round(lk.amariIndex(lk.tensor(P, [d, d])), 3);
      metrics.sourceCorrelations = Array.from({ length: d }, (_, j) => round(bestCorrelation(column(truth!, d, j, n), rec, d, n), 3));
    }
    return metrics;
  },
};

/** A track scaled to peak 0.95 (ICA leaves the scale arbitrary) as a mono WAV. */
function writeTrack(path: string, y: Float32Array, rate: number): void {
  let peak = 0;
  for (const v of y) peak = Math.max(peak, Math.abs(v));
  lk.data.writeWav(path, lk.tensor(y.map((v) => (peak > 0 ? (0.95 * v) / peak : 0)), [y.length]), rate);
}
