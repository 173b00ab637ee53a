// The fit loop shared by the neural models: seeded shuffling into
// mini-batches, one optimiser step per batch, progress callbacks per step and
// per epoch, and stopping between steps (onStep/onEpoch returning false, or an
// AbortSignal) that leaves the model as it was after its last whole step.
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { tensor } from '../autograd/creation.js';
import { rngFor, type Rng } from '../random.js';

export interface StepInfo {
  epoch: number; // 0-based
  /** Global step count, 1-based. */
  step: number;
  /** Batch within the epoch, 1-based, out of `batches`. */
  batch: number;
  batches: number;
  totalSteps: number;
  /** This step's loss (per sample). */
  loss: number;
  /** Mean loss over the epoch so far. */
  runningLoss: number;
  [metric: string]: number;
}

export interface EpochInfo {
  epoch: number; // 0-based
  epochs: number;
  step: number;
  /** Mean loss per sample over the epoch. */
  loss: number;
  seconds: number;
  [metric: string]: number;
}

export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Called after every step; return false to stop (the model keeps every finished step). */
  onStep?: (info: StepInfo) => void | boolean;
  /** Called after every epoch with mean metrics; return false to stop. */
  onEpoch?: (info: EpochInfo) => void | boolean;
  /** Aborting stops training before the next step. */
  signal?: AbortSignal;
  /** Seed for the shuffling (default: drawn from the global generator). */
  seed?: number;
  shuffle?: boolean;
}

export interface FitReport { history: EpochInfo[]; stopped: boolean; steps: number }

/** Checked, defaulted numbers from FitOptions. */
export function fitSettings(opts: FitOptions, defaults: { epochs: number; batchSize: number; learningRate: number }, op: string) {
  const epochs = opts.epochs ?? defaults.epochs, batchSize = opts.batchSize ?? defaults.batchSize;
  const learningRate = opts.learningRate ?? defaults.learningRate;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`${op}.fit: epochs must be a non-negative integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${op}.fit: batchSize must be a positive integer, got ${batchSize}`);
  if (!(learningRate > 0 && Number.isFinite(learningRate))) throw new Error(`${op}.fit: learningRate must be a positive number, got ${learningRate}`);
  for (const k of ['onStep', 'onEpoch'] as const) {
    if (opts[k] !== undefined && typeof opts[k] !== 'function') throw new Error(`${op}.fit: ${k} must be a function`);
  }
  return { epochs, batchSize, learningRate };
}

/**
 * Run `step(indices)` over shuffled mini-batches of 0..n-1. `step` returns the
 * batch's metrics ({loss, ...}, per sample); it must update the parameters only
 * once its loss is known to be finite.
 */
export function runEpochs(n: number, opts: FitOptions, settings: { epochs: number; batchSize: number },
  step: (indices: Int32Array, epoch: number) => Record<string, number>): FitReport {
  const { epochs, batchSize } = settings;
  const rng: Rng = rngFor(opts.seed);
  const batches = Math.ceil(n / batchSize);
  const totalSteps = batches * epochs;
  const history: EpochInfo[] = [];
  let stepCount = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const t0 = performance.now();
    const order = opts.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : rng.permutation(n);
    const sums: Record<string, number> = {};
    let seen = 0;
    for (let b = 0; b < batches; b++) {
      if (opts.signal?.aborted) return { history, stopped: true, steps: stepCount };
      const idx = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
      const metrics = step(idx, epoch);
      stepCount++;
      seen += idx.length;
      for (const [k, v] of Object.entries(metrics)) sums[k] = (sums[k] ?? 0) + v * idx.length;
      const info: StepInfo = {
        ...metrics, epoch, step: stepCount, batch: b + 1, batches, totalSteps,
        loss: metrics.loss, runningLoss: sums.loss / seen,
      };
      if (opts.onStep?.(info) === false) return { history, stopped: true, steps: stepCount };
    }
    const means: Record<string, number> = {};
    for (const [k, v] of Object.entries(sums)) means[k] = v / seen;
    const info: EpochInfo = { ...means, epoch, epochs, step: stepCount, loss: means.loss, seconds: (performance.now() - t0) / 1000 };
    history.push(info);
    if (opts.onEpoch?.(info) === false) return { history, stopped: true, steps: stepCount };
  }
  return { history, stopped: false, steps: stepCount };
}

/** Throw (before any update) when a step's loss is not finite. */
export function assertFinite(loss: number, op: string): void {
  if (!Number.isFinite(loss)) {
    throw new Error(`${op}.fit: the loss became ${loss}; the step was skipped and the model keeps its last finite weights. Lower the learningRate or check the data for NaN/Inf`);
  }
}

/** Rows of data as a [N, D] tensor: a Tensor, a Float32Array (N·D values) or nested arrays. */
export function toMatrix(x: Tensor | Float32Array | number[][], dim: number, op: string): Tensor {
  let t: Tensor;
  if (x instanceof Tensor) {
    t = x.ndim === 2 ? x : x.ndim > 2 && x.size % dim === 0 ? new Tensor(x.data, [x.size / dim, dim]) : x;
  } else if (x instanceof Float32Array) {
    if (x.length % dim !== 0) throw new Error(`${op}: a Float32Array of ${x.length} values is not a whole number of rows of ${dim}`);
    t = new Tensor(x, [x.length / dim, dim]);
  } else if (Array.isArray(x)) {
    t = tensor(x as number[][]);
  } else {
    throw new Error(`${op}: data must be a Tensor [N, ${dim}], a Float32Array or nested arrays, got ${x === null ? 'null' : typeof x}`);
  }
  if (t.ndim !== 2 || t.shape[1] !== dim) throw new Error(`${op}: data must have shape [N, ${dim}], got ${fmtShape(t.shape)}`);
  if (t.shape[0] === 0) throw new Error(`${op}: data has no rows`);
  for (let i = 0; i < t.size; i++) {
    if (!Number.isFinite(t.data[i])) throw new Error(`${op}: data has a NaN/Inf value at row ${Math.floor(i / dim)}, column ${i % dim}; clean or impute it first`);
  }
  return t;
}

/** Check that data lies in [0, 1] (Bernoulli likelihoods, images). */
export function assertUnitRange(x: Tensor, op: string): void {
  for (let i = 0; i < x.size; i++) {
    const v = x.data[i];
    if (v < 0 || v > 1) throw new Error(`${op}: data must lie in [0, 1] (found ${v} at row ${Math.floor(i / x.shape[1])}); scale images by 1/255`);
  }
}

/** Labels as integer class indices: from numbers, an Int32Array, a [N] tensor of indices or a one-hot [N, K] tensor. */
export function toLabels(y: Tensor | ArrayLike<number>, n: number, k: number, op: string): Int32Array {
  let out: Int32Array;
  if (y instanceof Tensor && y.ndim === 2) {
    if (y.shape[1] !== k) throw new Error(`${op}: one-hot labels must have ${k} columns, got ${fmtShape(y.shape)}`);
    out = new Int32Array(y.shape[0]);
    for (let i = 0; i < y.shape[0]; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (y.data[i * k + j] > y.data[i * k + best]) best = j;
      out[i] = best;
    }
  } else {
    const src = y instanceof Tensor ? y.data : y;
    if (!src || typeof src.length !== 'number') throw new Error(`${op}: labels must be an array of class indices or a one-hot Tensor`);
    out = Int32Array.from(src as ArrayLike<number>);
    for (let i = 0; i < src.length; i++) {
      if (!Number.isInteger(src[i]) || src[i] < 0 || src[i] >= k) throw new Error(`${op}: label ${src[i]} at ${i} is not a class index in 0..${k - 1}`);
    }
  }
  if (out.length !== n) throw new Error(`${op}: ${out.length} labels for ${n} rows of data`);
  return out;
}

/** One-hot rows [n, k] for class indices. */
export function oneHot(labels: ArrayLike<number>, k: number): Tensor {
  const t = new Tensor(new Float32Array(labels.length * k), [labels.length, k]);
  for (let i = 0; i < labels.length; i++) t.data[i * k + labels[i]] = 1;
  return t;
}
