// The variational autoencoder of the course (003 P2): one tanh hidden layer
// each way (784-500-2 on MNIST), Gaussian encoder with mean and log-variance heads.
//   q(z|x) = N(μ(x), diag e^{lv(x)}),  p(z) = N(0, I)
//   p(x|z) = Π Bern(xᵢ; σ(fᵢ(z)))            likelihood 'bernoulli' (default; inputs in [0, 1])
//          = N(x; f(z), diag σθ²(z))         likelihood 'gaussian': a second head gives the
//                                            learned per-feature log-variance (likelihood.ts)
// ELBO(x) ≈ log p(x|z) + log p(z) − log q(z|x)   (estimator 'sample', the course's Eq. 2, default)
//         ≈ log p(x|z) − KL(q(z|x) ‖ p(z))       (estimator 'analytic')
// at one reparameterised draw z = μ + e^{lv/2} ε. β (001 P4) weighs the KL in fit()'s loss only.
import { Tensor } from '../autograd/tensor.js';
import { noGrad } from '../autograd/engine.js';
import { randn } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import { Linear } from '../nn/layers.js';
import { rngFor } from '../random.js';
import { NeuralModel } from './base.js';
import type { FitOptions } from './train.js';
import { toMatrix, rowsOf } from './input.js';
import { likelihoodOptions, varianceHead, decoderLogVar, logLikelihood, checkData, type Likelihood } from './likelihood.js';
import { requireOptions, intOptions, intOption, numOption, enumOption } from './options.js';
import { elboTerms, ELBO_ESTIMATORS, type ElboEstimator, type ElboTerms } from './elbo.js';

export type { ElboEstimator, ElboTerms };

/** VAE options. */
export interface VAEOptions {
  inputDim: number;
  hiddenDim?: number;
  latentDim?: number;
  /** 'bernoulli' (default, inputs in [0, 1]) or 'gaussian' (learned variance σθ²(z), any real inputs). */
  likelihood?: Likelihood;
  /** The floor v_min of the Gaussian decoder's variance (default 1e-3; 'gaussian' only). */
  minVariance?: number;
  /** Which ELBO estimate terms() and fit() use (default 'sample', the course's Eq. 2). */
  estimator?: ElboEstimator;
  /** Weight β of the KL term in the training loss (default 1); elbo() stays the true ELBO. */
  beta?: number;
  /** Seed for the initial weights (default: drawn from the global generator). */
  seed?: number;
}

const VAE_OPTIONS = ['inputDim', 'hiddenDim', 'latentDim', 'likelihood', 'minVariance', 'estimator', 'beta', 'seed'];

/** The variational autoencoder (Kingma and Welling): a tanh MLP encoder q(z | x) and decoder p(x | z), Bernoulli or Gaussian. */
export class VAE extends NeuralModel {
  readonly kind = 'VAE';
  readonly inputDim: number;
  readonly hiddenDim: number;
  readonly latentDim: number;
  readonly likelihood: Likelihood;
  readonly minVariance: number;
  readonly estimator: ElboEstimator;
  readonly beta: number;
  readonly seed?: number;
  encHidden: Linear;
  encMu: Linear;
  encLogVar: Linear;
  decHidden: Linear;
  /** Logits ('bernoulli') or the mean μθ(z) ('gaussian'). */
  decOut: Linear;
  /** The Gaussian decoder's log-variance head g(z) ('gaussian' only). */
  decLogVar?: Linear;

  constructor(opts: VAEOptions) {
    super();
    requireOptions(opts, 'VAE', '{ inputDim: 784 }', VAE_OPTIONS);
    ({ inputDim: this.inputDim, hiddenDim: this.hiddenDim, latentDim: this.latentDim } =
      intOptions(opts, 'VAE', { inputDim: undefined, hiddenDim: 500, latentDim: 2 }));
    ({ likelihood: this.likelihood, minVariance: this.minVariance } = likelihoodOptions(opts, 'VAE', 'bernoulli'));
    this.estimator = enumOption(opts.estimator ?? 'sample', 'estimator', 'VAE', ELBO_ESTIMATORS);
    this.beta = numOption(opts.beta ?? 1, 'beta', 'VAE');
    this.seed = opts.seed;
    const rng = rngFor(opts.seed);
    const [d, h, l] = [this.inputDim, this.hiddenDim, this.latentDim];
    this.encHidden = new Linear(d, h, { rng });
    this.encMu = new Linear(h, l, { rng });
    this.encLogVar = new Linear(h, l, { rng });
    this.decHidden = new Linear(l, h, { rng });
    this.decOut = new Linear(h, d, { rng });
    this.decLogVar = varianceHead(this.likelihood, h, d, rng);
  }

  config(): Record<string, unknown> {
    const c: Record<string, unknown> = { inputDim: this.inputDim, hiddenDim: this.hiddenDim, latentDim: this.latentDim, likelihood: this.likelihood, estimator: this.estimator, beta: this.beta, seed: this.seed };
    if (this.likelihood === 'gaussian') c.minVariance = this.minVariance;
    return c;
  }

  /** Read a model written by save(path) (Node). */
  static load(path: string): VAE {
    return NeuralModel.loadAs(path, 'VAE', (c) => new VAE(c));
  }

  /** A model from toBytes() output (no file system needed). */
  static fromBytes(bytes: Uint8Array): VAE {
    return NeuralModel.fromBytesAs(bytes, 'VAE', (c) => new VAE(c));
  }

  /** q(z|x): mean and log-variance [N, latentDim]. */
  encode(x: Tensor | Float32Array): { mu: Tensor; logVar: Tensor } {
    return this.encodeRows(toMatrix(x, this.inputDim, 'VAE.encode'));
  }

  /** q(z|x) for rows already checked (fit's batches, elbo's data). */
  private encodeRows(x: Tensor): { mu: Tensor; logVar: Tensor } {
    const h = this.encHidden.forwardAct(rowsOf(x, this.inputDim, 'VAE.encode'), 'tanh');
    return { mu: this.encMu.forward(h), logVar: this.encLogVar.forward(h) };
  }

  /** The decoder's output f(z) [N, inputDim]: logits ('bernoulli') or the mean μθ(z) ('gaussian'). */
  decodeLogits(z: Tensor): Tensor {
    return this.decodeParams(z).out;
  }

  /** f(z) and, for 'gaussian', log σθ²(z) [N, inputDim]. */
  decodeParams(z: Tensor): { out: Tensor; logVar?: Tensor } {
    const h = this.decHidden.forwardAct(rowsOf(z, this.latentDim, 'VAE.decode'), 'tanh');
    const out = this.decOut.forward(h);
    return this.decLogVar ? { out, logVar: decoderLogVar(this.decLogVar.forward(h), this.minVariance) } : { out };
  }

  /** The mean of p(x|z) [N, inputDim]: σ(f(z)) ('bernoulli') or μθ(z) ('gaussian'). */
  decode(z: Tensor | Float32Array): Tensor {
    const out = this.decodeLogits(toMatrix(z, this.latentDim, 'VAE.decode'));
    return this.likelihood === 'bernoulli' ? ops.sigmoid(out) : out;
  }

  /** log p(x|z) per row [N]. */
  logLikelihood(x: Tensor, z: Tensor): Tensor {
    const { out, logVar } = this.decodeParams(z);
    return logLikelihood(this.likelihood, x, out, logVar);
  }

  /** Reconstruction: the decoder's mean at μ(x). */
  forward(x: Tensor): Tensor {
    return this.decode(this.encode(x).mu);
  }

  /** The ELBO and its terms for a batch, at one draw (noise ε [N, latentDim] may be given). */
  terms(x: Tensor, opts: { estimator?: ElboEstimator; noise?: Tensor; beta?: number } = {}): ElboTerms {
    const { mu, logVar } = this.encodeRows(x);
    return elboTerms(mu, logVar, (z) => this.logLikelihood(x, z), { estimator: opts.estimator ?? this.estimator, noise: opts.noise, beta: opts.beta });
  }

  /** Per-sample ELBO [N] (nats), averaged over `samples` draws. */
  elboSamples(x: Tensor | Float32Array, opts: { samples?: number; estimator?: ElboEstimator } = {}): Tensor {
    const data = toMatrix(x, this.inputDim, 'VAE.elbo');
    const s = intOption(opts.samples ?? 1, 'samples', 'VAE.elbo');
    return noGrad(() => {
      let acc = this.terms(data, opts).elbo;
      for (let i = 1; i < s; i++) acc = ops.add(acc, this.terms(data, opts).elbo);
      return ops.div(acc, s);
    });
  }

  /** Mean ELBO per sample (nats); higher is better. */
  elbo(x: Tensor | Float32Array, opts: { samples?: number; estimator?: ElboEstimator } = {}): number {
    return ops.mean(this.elboSamples(x, opts)).item();
  }

  /** n draws from the model: the decoder's means at z ~ N(0, I). */
  sample(n: number): Tensor {
    intOption(n, 'n', 'VAE.sample');
    return noGrad(() => this.decode(randn([n, this.latentDim])));
  }

  /** Decoded points on the line between the latent means of two inputs. */
  interpolate(a: Tensor | Float32Array, b: Tensor | Float32Array, steps = 10): Tensor {
    return noGrad(() => {
      const za = this.encode(a).mu, zb = this.encode(b).mu;
      const rows: Tensor[] = [];
      for (let i = 0; i < steps; i++) {
        const t = steps === 1 ? 0 : i / (steps - 1);
        rows.push(ops.add(ops.mul(za, 1 - t), ops.mul(zb, t)));
      }
      return this.decode(ops.concat(rows, 0));
    });
  }

  /** Maximise the ELBO (β-weighted KL) with Adam (defaults: 10 epochs, batch 100, lr 1e-3). Data in [0, 1] for 'bernoulli'. */
  fit(x: Tensor | Float32Array, opts: FitOptions & { estimator?: ElboEstimator } = {}): this {
    const data = toMatrix(x, this.inputDim, 'VAE.fit');
    checkData(this.likelihood, data, 'VAE.fit');
    if (opts.estimator !== undefined) enumOption(opts.estimator, 'estimator', 'VAE.fit', ELBO_ESTIMATORS);
    this.fitBatches(data, opts, { epochs: 10, batchSize: 100, learningRate: 1e-3 }, ['estimator'], (batch) => {
      const t = this.terms(batch, { estimator: opts.estimator, beta: this.beta });
      return { loss: t.loss, metrics: { elbo: ops.mean(t.elbo).item(), kl: ops.mean(t.kl).item() } };
    });
    return this;
  }
}
