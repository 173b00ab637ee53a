// NICE (Dinh, Krueger & Bengio 2014), built from lk.flows: an exactly invertible flow
// f: x → z made of AdditiveCoupling layers and a diagonal Scale, and the model
//   p(x) = TransformedDistribution(Logistic(0, 1), f⁻¹)  (the paper's logistic prior on z)
//   coupling layer i (AdditiveCoupling): split x into halves A, B by an even / odd mask
//     (swapping roles each layer);  y_A = x_A,  y_B = x_B + m_i(x_A)        (log-det 0)
//   scaling (Scale):  z = h ⊙ e^s                                         (log-det Σ s)
//   prior:    log p(z) = −Σ_d [softplus(z_d) + softplus(−z_d)]
//   log p(x) = log p(f(x)) + Σ s   (change of variables; one pass through f per logProb)
// The TransformedDistribution maps z to x, so its bijectors are the layers' inverses in
// reverse order: [Inverse(Scale), Inverse(C_n), …, Inverse(C_1)].
// Inputs in [0, 1] from 8-bit images are dequantised, x' = (k + u) / 256 with
// k = round(255 x), u ~ U[0, 1), so that log p is a bound on the discrete
// likelihood and bits/dim = −(log p(x') − D log 256) / (D log 2).
import { Tensor } from '../autograd/tensor.js';
import { noGrad } from '../autograd/engine.js';
import * as ops from '../autograd/ops/index.js';
import { Linear, Sequential, ReLU } from '../nn/layers.js';
import type { Module } from '../nn/module.js';
import { globalRng, rngFor, type Rng } from '../random.js';
import { NeuralModel } from './base.js';
import { Adam } from '../optim/adam.js';
import type { FitOptions } from './train.js';
import { toMatrix, assertUnitRange } from './input.js';
import { requireOptions, intOptions, intOption, numOption, boolOption } from './options.js';
import { Logistic } from '../distributions/logistic.js';
import { AdditiveCoupling, Scale } from '../flows/coupling.js';
import { Inverse } from '../flows/bijector.js';
import { TransformedDistribution } from '../flows/transformed.js';

/** NICE options. */
export interface NICEOptions {
  inputDim: number;
  couplingLayers?: number;
  /** Width of each coupling network (default 1000, as the paper). */
  hiddenDim?: number;
  /** Hidden layers of each coupling network (default 5, as the paper). */
  hiddenLayers?: number;
  seed?: number;
}

const NICE_OPTIONS = ['inputDim', 'couplingLayers', 'hiddenDim', 'hiddenLayers', 'seed'];

/** NICE: a normalizing flow of additive coupling layers and a diagonal scale, trained by exact maximum likelihood. */
export class NICE extends NeuralModel {
  readonly kind = 'NICE';
  readonly inputDim: number;
  readonly couplingLayers: number;
  readonly hiddenDim: number;
  readonly hiddenLayers: number;
  readonly seed?: number;
  /** The coupling networks m_i (the parameters are registered here, under their old names). */
  couplings: Sequential[];
  /** The Scale layer's s [D]. */
  logScale: Tensor;
  /** The model as a distribution (private: its bijectors hold the same parameters as above). */
  readonly #dist: TransformedDistribution;

  constructor(opts: NICEOptions) {
    super();
    requireOptions(opts, 'NICE', '{ inputDim: 784 }', NICE_OPTIONS);
    ({ inputDim: this.inputDim, couplingLayers: this.couplingLayers, hiddenDim: this.hiddenDim, hiddenLayers: this.hiddenLayers } =
      intOptions(opts, 'NICE', { inputDim: undefined, couplingLayers: 4, hiddenDim: 1000, hiddenLayers: 5 }));
    if (this.inputDim < 2) throw new Error('NICE: inputDim must be at least 2 (coupling layers split the input in two)');
    this.seed = opts.seed;
    const rng = rngFor(opts.seed);
    const d = this.inputDim, h = this.hiddenDim;
    const even = Array.from({ length: d }, (_, i) => (i % 2 === 0 ? 1 : 0)); // 1 = conditioning half A
    this.couplings = [];
    const layers: (AdditiveCoupling | Scale)[] = [];
    for (let i = 0; i < this.couplingLayers; i++) {
      const mask = i % 2 === 0 ? even : even.map((v) => 1 - v);
      const nA = mask.reduce((a, v) => a + v, 0);
      const net: Module[] = [new Linear(nA, h, { rng, init: 'kaiming' }), new ReLU()];
      for (let j = 1; j < this.hiddenLayers; j++) net.push(new Linear(h, h, { rng, init: 'kaiming' }), new ReLU());
      net.push(new Linear(h, d - nA, { rng }));
      const m = new Sequential(net);
      this.couplings.push(m);
      layers.push(new AdditiveCoupling({ mask, net: m }));
    }
    const scale = new Scale({ dim: d });
    this.logScale = scale.logScale;
    layers.push(scale);
    // f = Scale ∘ C_n ∘ … ∘ C_1 (data → latent); the distribution's map is f⁻¹ (latent → data)
    this.#dist = new TransformedDistribution(new Logistic({ loc: 0, scale: 1 }), layers.map((b) => new Inverse(b)).reverse());
  }

  config(): Record<string, unknown> {
    return { inputDim: this.inputDim, couplingLayers: this.couplingLayers, hiddenDim: this.hiddenDim, hiddenLayers: this.hiddenLayers, seed: this.seed };
  }

  /** Read a model written by save(path) (Node). */
  static load(path: string): NICE {
    return NeuralModel.loadAs(path, 'NICE', (c) => new NICE(c));
  }

  /** A model from toBytes() output (no file system needed). */
  static fromBytes(bytes: Uint8Array): NICE {
    return NeuralModel.fromBytesAs(bytes, 'NICE', (c) => new NICE(c));
  }

  /** p(x) as an lk.flows TransformedDistribution (logistic base, the inverse flow). */
  get distribution(): TransformedDistribution { return this.#dist; }

  /** z = f(x) and log|det ∂f/∂x| = Σ s per row [N] (the same for every row). */
  forwardWithLogDet(x: Tensor | Float32Array): { z: Tensor; logDet: Tensor } {
    const { x: z, logDet } = this.#dist.inverseAndLogDet(toMatrix(x, this.inputDim, 'NICE.forward'));
    return { z, logDet: ops.neg(logDet) };
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithLogDet(x).z;
  }

  /** x = f⁻¹(z), exactly: undo the scaling, then the couplings in reverse order. */
  inverse(z: Tensor | Float32Array): Tensor {
    return noGrad(() => this.#dist.bijectors.reduce((h, b) => b.forward(h), toMatrix(z, this.inputDim, 'NICE.inverse')));
  }

  /** log p(x) per row [N], in nats (a density on the continuous inputs): the TransformedDistribution's logProb. */
  logProbSamples(x: Tensor | Float32Array): Tensor {
    return this.#dist.logProb(toMatrix(x, this.inputDim, 'NICE.logProb'));
  }

  /** Mean log p(x) per sample (nats). */
  logProb(x: Tensor | Float32Array): number {
    return noGrad(() => ops.mean(this.logProbSamples(x)).item());
  }

  /** Uniform dequantisation of [0, 1] data: (round(255 x) + u) / 256. */
  dequantize(x: Tensor, rng: Rng = globalRng): Tensor {
    const out = new Float32Array(x.size);
    for (let i = 0; i < x.size; i++) out[i] = (Math.round(x.data[i] * 255) + rng.uniform()) / 256;
    return new Tensor(out, x.shape);
  }

  /** Bits per dimension of 8-bit data in [0, 1] (dequantised with a seeded draw). */
  bitsPerDim(x: Tensor | Float32Array, opts: { seed?: number } = {}): number {
    const data = toMatrix(x, this.inputDim, 'NICE.bitsPerDim');
    const d = this.inputDim;
    const ll = this.logProb(this.dequantize(data, rngFor(opts.seed ?? 0)));
    return -(ll - d * Math.log(256)) / (d * Math.LN2);
  }

  /** n draws: z from the logistic prior (z = log u − log(1 − u)), then x = f⁻¹(z). */
  sample(n: number): Tensor {
    intOption(n, 'n', 'NICE.sample');
    return noGrad(() => this.#dist.sample([n, this.inputDim]));
  }

  /**
   * Maximum likelihood with Adam on dequantised data (defaults: 10 epochs,
   * batch 100, lr 1e-3). The diagonal scale s gets its own Adam at
   * `scaleLearningRate` (default 10·lr): it has to travel about log 256 per
   * pixel, which at Adam's ~lr per step would take thousands of steps.
   */
  fit(x: Tensor | Float32Array, opts: FitOptions & { dequantize?: boolean; scaleLearningRate?: number } = {}): this {
    const data = toMatrix(x, this.inputDim, 'NICE.fit');
    const deq = boolOption(opts.dequantize ?? true, 'dequantize', 'NICE.fit');
    if (opts.scaleLearningRate !== undefined) numOption(opts.scaleLearningRate, 'scaleLearningRate', 'NICE.fit', true);
    if (deq) assertUnitRange(data, 'NICE.fit');
    const rng = rngFor(opts.seed === undefined ? undefined : opts.seed + 1);
    const d = this.inputDim;
    this.fitBatches(data, opts, { epochs: 10, batchSize: 100, learningRate: 1e-3 }, ['dequantize', 'scaleLearningRate'], (batch) => {
      const loss = ops.neg(ops.mean(this.logProbSamples(deq ? this.dequantize(batch, rng) : batch)));
      const nll = loss.item();
      return { loss, metrics: { bitsPerDim: (nll + (deq ? d * Math.log(256) : 0)) / (d * Math.LN2) } };
    }, (lr) => {
      const nets = new Adam(this.couplings.flatMap((c) => c.parameters()), { lr });
      const scale = new Adam([this.logScale], { lr: opts.scaleLearningRate ?? 10 * lr });
      return { zeroGrad: () => { nets.zeroGrad(); scale.zeroGrad(); }, step: () => { nets.step(); scale.step(); } };
    });
    return this;
  }
}
