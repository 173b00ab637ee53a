// What every neural model shares: a Module with a config, save/load, and the
// fit plumbing (optimiser, batches, callbacks, history).
import { Tensor } from '../autograd/tensor.js';
import { gather } from '../autograd/ops/index.js';
import { Module } from '../nn/module.js';
import { Adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { saveModel, loadModelFile, restoreParameters } from './serialize.js';
import { runEpochs, fitSettings, assertFinite, type FitOptions, type EpochInfo, type FitReport } from './train.js';

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

  /** Shared body of each model's static load(). */
  protected static loadAs<M extends NeuralModel>(path: string, kind: string, build: (config: any) => M): M {
    const file = loadModelFile(path, kind);
    let model: M;
    try { model = build(file.config); } catch (e) {
      throw new Error(`${kind}.load: "${path}" has a config the model refuses: ${(e as Error).message}`);
    }
    restoreParameters(file, model.namedParameters(), path);
    model.restoreExtra(file.extra);
    return model;
  }

  /**
   * Train with Adam over mini-batches of rows of `x`. `lossOf(batch, indices)`
   * returns the scalar loss to minimise (per sample) and extra metrics.
   */
  protected fitBatches(x: Tensor, opts: FitOptions, defaults: { epochs: number; batchSize: number; learningRate: number },
    lossOf: (batch: Tensor, indices: Int32Array, epoch: number) => { loss: Tensor; metrics?: Record<string, number> },
    optimizer?: (lr: number) => Pick<Optimizer, 'zeroGrad' | 'step'>): FitReport {
    const settings = fitSettings(opts, defaults, this.kind);
    const opt = optimizer ? optimizer(settings.learningRate) : new Adam(this.parameters(), { lr: settings.learningRate });
    this.train();
    const report = runEpochs(x.shape[0], opts, settings, (idx, epoch) => {
      const batch = gather(x, idx);
      opt.zeroGrad();
      const { loss, metrics } = lossOf(batch, idx, epoch);
      const value = loss.item();
      assertFinite(value, this.kind);
      loss.backward();
      opt.step();
      return { loss: value, ...metrics };
    });
    this.eval();
    this.history.push(...report.history);
    this.stopped = report.stopped;
    return report;
  }
}
