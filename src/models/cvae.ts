// The conditional VAE of the course, conditioned on the one-hot label y:
//   encoder [x, y] (784+10) → 400 → 400 → (μ, log σ²) of a 20-D latent
//   decoder [z, y] (20+10)  → 400 → 400 → 784 Bernoulli logits
// ELBO(x|y) = E_q(z|x,y)[log p(x|z,y)] − KL(q(z|x,y) ‖ N(0, I)), at one reparameterised draw
// (estimator 'analytic', the default here, or 'sample'); β weighs the KL in the training loss only.
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { noGrad } from '../autograd/engine.js';
import { randn } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import { Linear } from '../nn/layers.js';
import { rngFor } from '../random.js';
import { NeuralModel } from './base.js';
import type { FitOptions } from './train.js';
import { toMatrix, rowsOf, toLabels, oneHot, assertUnitRange } from './input.js';
import { requireOptions, intOptions, intOption, numOption, enumOption } from './options.js';
import { bernoulliLogLik } from '../autograd/ops/fused.js';
import { elboTerms, ELBO_ESTIMATORS, type ElboEstimator, type ElboTerms } from './elbo.js';

/** CVAE options: as the VAE, plus the number of classes it conditions on. */
export interface CVAEOptions {
  inputDim: number;
  numClasses?: number;
  hiddenDim?: number;
  latentDim?: number;
  estimator?: ElboEstimator;
  /** Weight β of the KL term in the training loss (default 1). */
  beta?: number;
  seed?: number;
}

const CVAE_OPTIONS = ['inputDim', 'numClasses', 'hiddenDim', 'latentDim', 'estimator', 'beta', 'seed'];

/** Class labels: integer indices [N] or one-hot rows [N, numClasses]. */
export type Labels = Tensor | ArrayLike<number>;

/** The conditional VAE: encoder q(z | x, y) and decoder p(x | z, y), both given the one-hot label. */
export class CVAE extends NeuralModel {
  readonly kind = 'CVAE';
  readonly inputDim: number;
  readonly numClasses: number;
  readonly hiddenDim: number;
  readonly latentDim: number;
  readonly estimator: ElboEstimator;
  readonly beta: number;
  readonly seed?: number;
  enc1: Linear; enc2: Linear; encMu: Linear; encLogVar: Linear;
  dec1: Linear; dec2: Linear; decOut: Linear;

  constructor(opts: CVAEOptions) {
    super();
    requireOptions(opts, 'CVAE', '{ inputDim: 784, numClasses: 10 }', CVAE_OPTIONS);
    ({ inputDim: this.inputDim, numClasses: this.numClasses, hiddenDim: this.hiddenDim, latentDim: this.latentDim } =
      intOptions(opts, 'CVAE', { inputDim: undefined, numClasses: 10, hiddenDim: 400, latentDim: 20 }));
    this.estimator = enumOption(opts.estimator ?? 'analytic', 'estimator', 'CVAE', ELBO_ESTIMATORS);
    this.beta = numOption(opts.beta ?? 1, 'beta', 'CVAE');
    this.seed = opts.seed;
    const rng = rngFor(opts.seed);
    const [d, k, h, l] = [this.inputDim, this.numClasses, this.hiddenDim, this.latentDim];
    this.enc1 = new Linear(d + k, h, { rng, init: 'kaiming' });
    this.enc2 = new Linear(h, h, { rng, init: 'kaiming' });
    this.encMu = new Linear(h, l, { rng });
    this.encLogVar = new Linear(h, l, { rng });
    this.dec1 = new Linear(l + k, h, { rng, init: 'kaiming' });
    this.dec2 = new Linear(h, h, { rng, init: 'kaiming' });
    this.decOut = new Linear(h, d, { rng });
  }

  config(): Record<string, unknown> {
    return { inputDim: this.inputDim, numClasses: this.numClasses, hiddenDim: this.hiddenDim, latentDim: this.latentDim, estimator: this.estimator, beta: this.beta, seed: this.seed };
  }

  /** Read a model written by save(path) (Node). */
  static load(path: string): CVAE {
    return NeuralModel.loadAs(path, 'CVAE', (c) => new CVAE(c));
  }

  /** A model from toBytes() output (no file system needed). */
  static fromBytes(bytes: Uint8Array): CVAE {
    return NeuralModel.fromBytesAs(bytes, 'CVAE', (c) => new CVAE(c));
  }

  /** One-hot [N, K] for labels given as indices or one-hot rows. */
  private condition(y: Labels, n: number, op: string): Tensor {
    if (y instanceof Tensor && y.ndim === 2 && y.shape[1] === this.numClasses && y.shape[0] === n) return y;
    return oneHot(toLabels(y, n, this.numClasses, op), this.numClasses);
  }

  /** The posterior q(z | x, y): its mean and log variance. */
  encode(x: Tensor | Float32Array, y: Labels): { mu: Tensor; logVar: Tensor } {
    const data = toMatrix(x, this.inputDim, 'CVAE.encode');
    const c = this.condition(y, data.shape[0], 'CVAE.encode');
    const h = this.enc2.forwardAct(this.enc1.forwardAct(ops.concat([data, c], 1), 'relu'), 'relu');
    return { mu: this.encMu.forward(h), logVar: this.encLogVar.forward(h) };
  }

  /** The decoder logits for latent codes z and labels y. */
  decodeLogits(z: Tensor, y: Labels): Tensor {
    const zz = rowsOf(z, this.latentDim, 'CVAE.decode');
    const c = this.condition(y, zz.shape[0], 'CVAE.decode');
    return this.decOut.forward(this.dec2.forwardAct(this.dec1.forwardAct(ops.concat([zz, c], 1), 'relu'), 'relu'));
  }

  /** Bernoulli means σ(logits) for latent codes z and labels y. */
  decode(z: Tensor, y: Labels): Tensor {
    return ops.sigmoid(this.decodeLogits(z, y));
  }

  forward(x: Tensor): Tensor {
    throw new Error(`CVAE.forward: a CVAE needs labels; use decode(encode(x, y).mu, y) (got input ${fmtShape(x.shape)})`);
  }

  /** −mean ELBO and per-sample terms, at one draw (noise ε [N, latentDim] may be given). */
  terms(x: Tensor, y: Labels, opts: { estimator?: ElboEstimator; noise?: Tensor; beta?: number } = {}): ElboTerms {
    const c = this.condition(y, x.shape[0], 'CVAE');
    const { mu, logVar } = this.encode(x, c);
    return elboTerms(mu, logVar, (z) => bernoulliLogLik(x, this.decodeLogits(z, c)), { estimator: opts.estimator ?? this.estimator, noise: opts.noise, beta: opts.beta });
  }

  /** Mean ELBO per sample (nats), conditioned on the labels. */
  elbo(x: Tensor | Float32Array, y: Labels, opts: { samples?: number } = {}): number {
    const data = toMatrix(x, this.inputDim, 'CVAE.elbo');
    const s = intOption(opts.samples ?? 1, 'samples', 'CVAE.elbo');
    return noGrad(() => {
      let acc = 0;
      for (let i = 0; i < s; i++) acc += ops.mean(this.terms(data, y).elbo).item();
      return acc / s;
    });
  }

  /** n draws; labels default to 0, 1, ..., K−1 repeating. */
  sample(n: number, labels?: Labels): Tensor {
    intOption(n, 'n', 'CVAE.sample');
    const y = labels ?? Int32Array.from({ length: n }, (_, i) => i % this.numClasses);
    return noGrad(() => this.decode(randn([n, this.latentDim]), y));
  }

  /** A grid of samples [rows·K, D]: row r uses noise z_r, column c the class c. */
  grid(rows = 10): Tensor {
    intOption(rows, 'rows', 'CVAE.grid');
    const k = this.numClasses;
    const z = randn([rows, this.latentDim]);
    const idx = Int32Array.from({ length: rows * k }, (_, i) => Math.floor(i / k));
    const labels = Int32Array.from({ length: rows * k }, (_, i) => i % k);
    return noGrad(() => this.decode(ops.gather(z, idx), labels));
  }

  /**
   * Maximise the conditional ELBO with Adam (defaults: 10 epochs, batch 100,
   * lr 1e-3). `labels` are class indices or one-hot rows.
   */
  fit(x: Tensor | Float32Array, labels: Labels, opts: FitOptions = {}): this {
    const data = toMatrix(x, this.inputDim, 'CVAE.fit');
    assertUnitRange(data, 'CVAE.fit');
    const y = oneHot(toLabels(labels, data.shape[0], this.numClasses, 'CVAE.fit'), this.numClasses);
    this.fitBatches(data, opts, { epochs: 10, batchSize: 100, learningRate: 1e-3 }, [], (batch, idx) => {
      const t = this.terms(batch, ops.gather(y, idx), { beta: this.beta });
      return { loss: t.loss, metrics: { elbo: ops.mean(t.elbo).item(), kl: ops.mean(t.kl).item() } };
    });
    return this;
  }
}
