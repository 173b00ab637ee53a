// What every neural model shares: a Module with a config, save/load, and the
// fit plumbing (optimiser, batches, callbacks, history).
import { Tensor, withAllocationLimit } from '../autograd/tensor.js';
import { gather } from '../autograd/ops/index.js';
import { Module } from '../nn/module.js';
import { Adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { saveModel, loadModelFile, restoreParameters } from './serialize.js';
import { encodeModel, decodeModel, type ModelFile } from './format.js';
import { epochSteps, drain, drainAsync, fitSettings, assertFinite, type FitOptions, type EpochInfo, type FitReport } from './train.js';

type Defaults = { epochs: number; batchSize: number; learningRate: number };
/** The part of an optimiser a fit loop drives. */
export type Stepper = Pick<Optimizer, 'zeroGrad' | 'step'>;

export abstract class NeuralModel extends Module {
  /** The model's name in files and messages ("VAE"). */
  abstract readonly kind: string;
  /** The options it was built with (enough to rebuild it). */
  abstract config(): Record<string, unknown>;
  /** Per-epoch metrics of every fit() so far. */
  history: EpochInfo[] = [];
  /** True when the last fit() was stopped early. */
  stopped = false;

  /** Write weights and config (see serialize.ts for the format). */
  save(path: string): this {
    saveModel(path, this.kind, this.config(), this.namedParameters(), this.extraState());
    return this;
  }

  /** Non-parameter state to save (e.g. counters); restored by restoreExtra. */
  protected extraState(): Record<string, unknown> { return {}; }
  protected restoreExtra(_extra: Record<string, unknown>): void {}

  /** The model as bytes (config, weights, a CRC-32): see format.ts. Works without a file system. */
  toBytes(): Uint8Array {
    return encodeModel(this.kind, this.config(), this.namedParameters(), this.extraState());
  }

  /** Shared body of each model's static load(). */
  protected static loadAs<M extends NeuralModel>(path: string, kind: string, build: (config: any) => M): M {
    return NeuralModel.rebuild(loadModelFile(path, kind), `"${path}"`, build);
  }

  /** Shared body of each model's static fromBytes(). */
  protected static fromBytesAs<M extends NeuralModel>(bytes: Uint8Array, kind: string, build: (config: any) => M): M {
    return NeuralModel.rebuild(decodeModel(bytes, kind), 'the toBytes() data', build);
  }

  /**
   * Build the model from a file's config and copy its weights in. The build may
   * allocate little more than the file holds, so a config that asks for a huge
   * model (and lists no matching weights) fails at once instead of allocating it.
   */
  private static rebuild<M extends NeuralModel>(file: ModelFile, where: string, build: (config: any) => M): M {
    const stored = [...file.tensors.values()].reduce((a, t) => a + t.size, 0);
    const why = `${file.model}.load: ${where} has a config that asks for more weights than the ${stored} it stores (corrupt or hand-edited header)`;
    let model: M;
    try { model = withAllocationLimit(2 * stored + 1_000_000, why, () => build(file.config)); } catch (e) {
      if (e instanceof RangeError && e.message === why) throw e;
      throw new Error(`${file.model}.load: ${where} has a config the model refuses: ${(e as Error).message}`);
    }
    restoreParameters(file, model.namedParameters(), where);
    model.restoreExtra(file.extra);
    return model;
  }

  /**
   * Train with Adam over mini-batches of rows of `x`. `lossOf(batch, indices)`
   * returns the scalar loss to minimise (per sample) and extra metrics;
   * `extra` names the model's own fit() options besides FIT_OPTIONS.
   */
  protected fitBatches(x: Tensor, opts: FitOptions, defaults: Defaults, extra: readonly string[],
    lossOf: (batch: Tensor, indices: Int32Array, epoch: number) => { loss: Tensor; metrics?: Record<string, number> },
    optimizer?: (lr: number) => Stepper): FitReport {
    return this.trainLoop(x.shape[0], opts, defaults, extra, (lr) => {
      const opt = optimizer ? optimizer(lr) : new Adam(this.parameters(), { lr });
      return (idx, epoch) => {
        let metrics: Record<string, number> | undefined;
        const loss = this.descend(opt, () => { const r = lossOf(gather(x, idx), idx, epoch); metrics = r.metrics; return r.loss; });
        return { loss, ...metrics };
      };
    });
  }

  /**
   * The fit tail every neural model shares: checked settings, train mode, the
   * shared epoch loop over n rows, eval mode, history and the stopped flag.
   * `makeStep(learningRate)` builds the optimisers and returns the batch step.
   * Run at once by fit(); inside fitAsync() the loop is handed to it instead
   * (and run with a turn of the event loop between steps).
   */
  protected trainLoop(n: number, opts: FitOptions, defaults: Defaults, extra: readonly string[],
    makeStep: (learningRate: number) => (indices: Int32Array, epoch: number) => Record<string, number>): FitReport {
    if (this.fitting) throw new Error(`${this.kind}.fit: an earlier fitAsync() on this model is still running; await it (or abort its signal) first`);
    const steps = this.trainSteps(n, opts, defaults, extra, makeStep);
    if (this.capture) {
      this.capture.steps = steps;
      return { history: [], stopped: false, steps: 0 }; // fit() ignores it; fitAsync() awaits the real one
    }
    this.fitting = true;
    try { return drain(steps); } finally { this.fitting = false; }
  }

  /** trainLoop's body, one step per `yield`; a fit that throws leaves the model as it was. */
  private *trainSteps(n: number, opts: FitOptions, defaults: Defaults, extra: readonly string[],
    makeStep: (learningRate: number) => (indices: Int32Array, epoch: number) => Record<string, number>): Generator<void, FitReport, void> {
    const settings = fitSettings(opts, defaults, this.kind, extra);
    // a fit that throws (divergence, bad callback, ...) leaves the model as it was
    const params = this.parameters(), before = params.map((p) => p.data.slice());
    let report: FitReport;
    try {
      const step = makeStep(settings.learningRate);
      this.train();
      report = yield* epochSteps(n, opts, settings, step, { op: this.kind });
    } catch (e) {
      params.forEach((p, i) => { p.data.set(before[i]); p.grad = null; });
      throw e;
    } finally {
      this.eval();
    }
    this.history.push(...report.history);
    this.stopped = report.stopped;
    return report;
  }

  /** Set while fitAsync() runs fit() to collect its training loop. */
  private capture: { steps?: Generator<void, FitReport, void> } | null = null;
  /** True while a fit's loop runs (fitAsync's spans many turns of the event loop). */
  private fitting = false;

  /** Train the model: see each model's own fit() for its data, options and defaults. */
  abstract fit(x: Tensor | Float32Array, ...rest: any[]): this;

  /**
   * fit() without blocking: the same arguments, options, checks and results,
   * but the training loop yields to the event loop after every step, so that
   * `signal: AbortSignal.timeout(ms)`, progress callbacks that update a page,
   * and a Ctrl-C handler get to run. Resolves with the model once training
   * ends (or stops early: `model.stopped`); rejects where fit() would throw,
   * with the model as it was before the fit.
   * @example await vae.fitAsync(x, { epochs: 5, signal: AbortSignal.timeout(10_000), onEpoch: (e) => console.log(e.loss) });
   */
  async fitAsync(...args: Parameters<this['fit']>): Promise<this> {
    if (this.fitting || this.capture) throw new Error(`${this.kind}.fitAsync: a fit is already running on this model; await it first`);
    const capture: { steps?: Generator<void, FitReport, void> } = {};
    this.capture = capture;
    try {
      (this.fit as (...a: unknown[]) => this)(...args);
    } finally {
      this.capture = null;
    }
    if (!capture.steps) throw new Error(`${this.kind}.fitAsync: fit() ran no training loop`);
    this.fitting = true;
    try { await drainAsync(capture.steps); } finally { this.fitting = false; }
    return this;
  }

  /** One optimiser update on lossOf(): clear grads, check the loss is finite (before any update), backprop, step. */
  protected descend(opt: Stepper, lossOf: () => Tensor): number {
    opt.zeroGrad();
    const loss = lossOf();
    const value = loss.item();
    assertFinite(value, this.kind);
    loss.backward();
    opt.step();
    return value;
  }
}
