// NICE (Dinh, Krueger & Bengio 2014): an exactly invertible flow x → z.
//   coupling layer i: split x into halves A, B (even / odd coordinates,
//   swapping roles each layer);  y_A = x_A,  y_B = x_B + m_i(x_A)   (log-det 0)
//   scaling:  z = h ⊙ e^s                                           (log-det Σ s)
//   prior:    logistic, log p(z) = −Σ_d [softplus(z_d) + softplus(−z_d)]
//   log p(x) = log p(f(x)) + Σ s
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
import { takeColumns, inversePermutation } from '../autograd/ops/gather.js';

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

export class NICE extends NeuralModel {
  readonly kind = 'NICE';
  readonly inputDim: number;
  readonly couplingLayers: number;
  readonly hiddenDim: number;
  readonly hiddenLayers: number;
  readonly seed?: number;
  couplings: Sequential[];
  logScale: Tensor;
  private readonly halves: [Int32Array, Int32Array][];
  private readonly unsplit: Int32Array[];

  constructor(opts: NICEOptions) {
    super();
    requireOptions(opts, 'NICE', '{ inputDim: 784 }', NICE_OPTIONS);
    ({ inputDim: this.inputDim, couplingLayers: this.couplingLayers, hiddenDim: this.hiddenDim, hiddenLayers: this.hiddenLayers } =
      intOptions(opts, 'NICE', { inputDim: undefined, couplingLayers: 4, hiddenDim: 1000, hiddenLayers: 5 }));
    if (this.inputDim < 2) throw new Error('NICE: inputDim must be at least 2 (coupling layers split the input in two)');
    this.seed = opts.seed;
    const rng = rngFor(opts.seed);
    const d = this.inputDim, h = this.hiddenDim;
    const even = Int32Array.from({ length: Math.ceil(d / 2) }, (_, i) => 2 * i);
    const odd = Int32Array.from({ length: Math.floor(d / 2) }, (_, i) => 2 * i + 1);
    this.halves = [];
    this.unsplit = [];
    this.couplings = [];
    for (let i = 0; i < this.couplingLayers; i++) {
      const [a, b] = i % 2 === 0 ? [even, odd] : [odd, even];
      this.halves.push([a, b]);
      this.unsplit.push(inversePermutation(Int32Array.from([...a, ...b])));
      const layers: Module[] = [new Linear(a.length, h, { rng, init: 'kaiming' }), new ReLU()];
      for (let j = 1; j < this.hiddenLayers; j++) layers.push(new Linear(h, h, { rng, init: 'kaiming' }), new ReLU());
      layers.push(new Linear(h, b.length, { rng }));
      this.couplings.push(new Sequential(layers));
    }
    this.logScale = this.param([d]);
  }

  config(): Record<string, unknown> {
    return { inputDim: this.inputDim, couplingLayers: this.couplingLayers, hiddenDim: this.hiddenDim, hiddenLayers: this.hiddenLayers, seed: this.seed };
  }

  static load(path: string): NICE {
    return NeuralModel.loadAs(path, 'NICE', (c) => new NICE(c));
  }

  /** One additive coupling, forward (sign +1) or inverse (sign −1). */
  private couple(x: Tensor, i: number, sign: 1 | -1): Tensor {
    const [a, b] = this.halves[i];
    const xa = takeColumns(x, a), xb = takeColumns(x, b);
    const m = this.couplings[i].forward(xa);
    const yb = sign > 0 ? ops.add(xb, m) : ops.sub(xb, m);
    return takeColumns(ops.concat([xa, yb], 1), this.unsplit[i]);
  }

  /** z = f(x) and log|det ∂f/∂x| = Σ s (the same for every row). */
  forwardWithLogDet(x: Tensor | Float32Array): { z: Tensor; logDet: Tensor } {
    let h = toMatrix(x, this.inputDim, 'NICE.forward');
    for (let i = 0; i < this.couplingLayers; i++) h = this.couple(h, i, 1);
    return { z: ops.mul(h, ops.exp(this.logScale)), logDet: ops.sum(this.logScale) };
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithLogDet(x).z;
  }

  /** x = f⁻¹(z), exactly: undo the scaling, then the couplings in reverse order. */
  inverse(z: Tensor | Float32Array): Tensor {
    return noGrad(() => {
      let h = ops.mul(toMatrix(z, this.inputDim, 'NICE.inverse'), ops.exp(ops.neg(this.logScale)));
      for (let i = this.couplingLayers - 1; i >= 0; i--) h = this.couple(h, i, -1);
      return h;
    });
  }

  /** log p(x) per row [N], in nats (a density on the continuous inputs). */
  logProbSamples(x: Tensor | Float32Array): Tensor {
    const { z, logDet } = this.forwardWithLogDet(x);
    const logPrior = ops.neg(ops.sum(ops.add(ops.softplus(z), ops.softplus(ops.neg(z))), -1));
    return ops.add(logPrior, logDet);
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

  /** n draws: z from the logistic prior, z = log u − log(1 − u), then x = f⁻¹(z). */
  sample(n: number): Tensor {
    intOption(n, 'n', 'NICE.sample');
    const z = new Tensor(new Float32Array(n * this.inputDim), [n, this.inputDim]);
    for (let i = 0; i < z.size; i++) {
      let u = globalRng.uniform();
      while (u === 0) u = globalRng.uniform();
      z.data[i] = Math.log(u) - Math.log1p(-u);
    }
    return this.inverse(z);
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
