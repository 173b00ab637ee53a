// The fit loop shared by the neural models: seeded shuffling into
// mini-batches, one optimiser step per batch, progress callbacks per step and
// per epoch, and stopping between steps (onStep/onEpoch returning false, or an
// AbortSignal) that leaves the model as it was after its last whole step.
// ICA's epochs and the GAN's two-player steps run on it too. One generator
// body (epochSteps) serves fit() and fitAsync(), which yields to the event
// loop between steps.
import { rngFor, type Rng } from '../random.js';
import { intOption, numOption, callbackOption, signalOption, refuseUnknown } from './options.js';

/** What onStep receives after every optimiser step. */
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

/** What onEpoch receives after every epoch (and what history holds): mean metrics per sample. */
export interface EpochInfo {
  epoch: number; // 0-based
  epochs: number;
  step: number;
  /** Mean loss per sample over the epoch. */
  loss: number;
  seconds: number;
  [metric: string]: number;
}

/** The options every neural fit() and fitAsync() take. */
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

/** What the shared training loop returns: the epochs run and whether it stopped early. */
export interface FitReport { history: EpochInfo[]; stopped: boolean; steps: number }

/** The fit() options every neural model takes. */
export const FIT_OPTIONS = ['epochs', 'batchSize', 'learningRate', 'onStep', 'onEpoch', 'signal', 'seed', 'shuffle'] as const;

/**
 * Checked, defaulted numbers from FitOptions; refuses option names outside
 * FIT_OPTIONS and the model's `extra` ones (e.g. GAN's `betas`).
 */
export function fitSettings(opts: FitOptions, defaults: { epochs: number; batchSize: number; learningRate: number }, op: string,
  extra: readonly string[] = []) {
  const where = `${op}.fit`;
  refuseUnknown(opts, [...FIT_OPTIONS, ...extra], where);
  const epochs = intOption(opts.epochs ?? defaults.epochs, 'epochs', where, 0);
  const batchSize = intOption(opts.batchSize ?? defaults.batchSize, 'batchSize', where, 1);
  const learningRate = numOption(opts.learningRate ?? defaults.learningRate, 'learningRate', where, true);
  callbackOption(opts.onStep, 'onStep', where);
  callbackOption(opts.onEpoch, 'onEpoch', where);
  signalOption(opts.signal, where);
  return { epochs, batchSize, learningRate };
}

/** What a loop may add around the steps (ICA: a per-epoch rate and a full-data log-likelihood). */
export interface EpochHooks {
  /** The model's name, for the divergence message. */
  op: string;
  /** What to lower when the loss diverges (default: the learningRate, or the data's NaN/Inf). */
  fix?: string;
  /** Shuffling generator (default: rngFor(opts.seed), a fresh one per fit). */
  rng?: Rng;
  /** Before the first batch of each epoch. */
  startEpoch?: (epoch: number) => void;
  /** After the last batch: whole-epoch metrics that replace the batch means. */
  endEpoch?: (epoch: number) => Record<string, number>;
}

/**
 * The epoch loop as a generator that yields after every step (after onStep),
 * so that one body serves fit() (drained at once: {@link drain}) and
 * fitAsync() (drained with a turn of the event loop between steps:
 * {@link drainAsync}). Returns the report.
 */
export function* epochSteps(n: number, opts: FitOptions, settings: { epochs: number; batchSize: number },
  step: (indices: Int32Array, epoch: number) => Record<string, number>, hooks: EpochHooks): Generator<void, FitReport, void> {
  const { epochs, batchSize } = settings;
  const rng: Rng = hooks.rng ?? rngFor(opts.seed);
  const batches = Math.ceil(n / batchSize);
  const totalSteps = batches * epochs;
  const history: EpochInfo[] = [];
  let stepCount = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const t0 = performance.now();
    hooks.startEpoch?.(epoch);
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
      yield;
    }
    const means: Record<string, number> = {};
    for (const [k, v] of Object.entries(sums)) means[k] = v / seen;
    Object.assign(means, hooks.endEpoch?.(epoch));
    assertFinite(means.loss, hooks.op, hooks.fix);
    const info: EpochInfo = { ...means, epoch, epochs, step: stepCount, loss: means.loss, seconds: (performance.now() - t0) / 1000 };
    history.push(info);
    if (opts.onEpoch?.(info) === false) return { history, stopped: true, steps: stepCount };
  }
  return { history, stopped: false, steps: stepCount };
}

/**
 * Run `step(indices)` over shuffled mini-batches of 0..n-1, synchronously.
 * `step` returns the batch's metrics ({loss, ...}, per sample); it must update
 * the parameters only once its loss is known to be finite.
 */
export function runEpochs(n: number, opts: FitOptions, settings: { epochs: number; batchSize: number },
  step: (indices: Int32Array, epoch: number) => Record<string, number>, hooks: EpochHooks): FitReport {
  return drain(epochSteps(n, opts, settings, step, hooks));
}

/** As runEpochs, yielding to the event loop between steps. */
export function runEpochsAsync(n: number, opts: FitOptions, settings: { epochs: number; batchSize: number },
  step: (indices: Int32Array, epoch: number) => Record<string, number>, hooks: EpochHooks): Promise<FitReport> {
  return drainAsync(epochSteps(n, opts, settings, step, hooks));
}

/** Run a step generator to its end at once. */
export function drain<R>(gen: Generator<void, R, void>): R {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}

/** Run a step generator to its end, with a turn of the event loop after each step. */
export async function drainAsync<R>(gen: Generator<void, R, void>): Promise<R> {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
    await yieldToEventLoop();
  }
}

/**
 * One turn of the event loop (timers such as AbortSignal.timeout(), signal
 * handlers, I/O, a page's input and painting get to run): setImmediate in
 * Node, else a MessageChannel message (no 4 ms clamp as setTimeout(0) has).
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') return new Promise((r) => { g.setImmediate!(r); });
  if (typeof g.MessageChannel === 'function') {
    return new Promise((r) => {
      const ch = new g.MessageChannel!();
      ch.port1.onmessage = () => { ch.port1.close(); r(); };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((r) => { setTimeout(r, 0); });
}

/** Throw (before any update) when a step's loss is not finite: the divergence check. */
export function assertFinite(loss: number, op: string, fix = 'Lower the learningRate or check the data for NaN/Inf'): void {
  if (!Number.isFinite(loss)) {
    throw new Error(`${op}.fit: the loss became ${loss}; the step was skipped and the model keeps its last finite weights. ${fix}`);
  }
}
