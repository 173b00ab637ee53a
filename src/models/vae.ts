// The variational autoencoder of the course: Bernoulli decoder, one tanh
// hidden layer each way (784-500-2 on MNIST), Gaussian encoder with mean and
// log-variance heads.
//   q(z|x) = N(μ(x), diag e^{lv(x)}),  p(z) = N(0, I),  p(x|z) = Π Bern(xᵢ; σ(fᵢ(z)))
// ELBO(x) = E_q[log p(x|z) + log p(z) − log q(z|x)]                (single-sample form)
//         = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z))                      (analytic-KL form)
// with the expectation taken at one reparameterised draw z = μ + e^{lv/2} ε.
import { Tensor } from '../autograd/tensor.js';
import { noGrad } from '../autograd/engine.js';
import { randn } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import { Linear } from '../nn/layers.js';
import { rngFor } from '../random.js';
import { NeuralModel } from './base.js';
import type { FitOptions } from './train.js';
import { toMatrix, assertUnitRange } from './input.js';
import { requireOptions, intOptions, intOption, numOption, enumOption } from './options.js';
import { elboTerms, ELBO_ESTIMATORS, type ElboEstimator, type ElboTerms } from './elbo.js';

export type { ElboEstimator, ElboTerms };

export interface VAEOptions {
  inputDim: number;
  hiddenDim?: number;
  latentDim?: number;
  likelihood?: 'bernoulli';
  /** Which ELBO fit() maximises (default 'analytic'). */
  estimator?: ElboEstimator;
  /** Weight β of the KL term in the training loss (default 1); elbo() stays the true ELBO. */
  beta?: number;
  /** Seed for the initial weights (default: drawn from the global generator). */
  seed?: number;
}

const VAE_OPTIONS = ['inputDim', 'hiddenDim', 'latentDim', 'likelihood', 'estimator', 'beta', 'seed'];

export class VAE extends NeuralModel {
  readonly kind = 'VAE';
  readonly inputDim: number;
  readonly hiddenDim: number;
  readonly latentDim: number;
  readonly estimator: ElboEstimator;
  readonly beta: number;
  readonly seed?: number;
  encHidden: Linear;
  encMu: Linear;
  encLogVar: Linear;
  decHidden: Linear;
  decOut: Linear;

  constructor(opts: VAEOptions) {
    super();
    requireOptions(opts, 'VAE', '{ inputDim: 784 }', VAE_OPTIONS);
    ({ inputDim: this.inputDim, hiddenDim: this.hiddenDim, latentDim: this.latentDim } =
      intOptions(opts, 'VAE', { inputDim: undefined, hiddenDim: 500, latentDim: 2 }));
    if ((opts.likelihood ?? 'bernoulli') !== 'bernoulli') throw new Error(`VAE: likelihood "${opts.likelihood}" is not supported; use 'bernoulli' (inputs in [0, 1])`);
    this.estimator = enumOption(opts.estimator ?? 'analytic', 'estimator', 'VAE', ELBO_ESTIMATORS);
    this.beta = numOption(opts.beta ?? 1, 'beta', 'VAE');
    this.seed = opts.seed;
    const rng = rngFor(opts.seed);
    const [d, h, l] = [this.inputDim, this.hiddenDim, this.latentDim];
    this.encHidden = new Linear(d, h, { rng });
    this.encMu = new Linear(h, l, { rng });
    this.encLogVar = new Linear(h, l, { rng });
    this.decHidden = new Linear(l, h, { rng });
    this.decOut = new Linear(h, d, { rng });
  }

  config(): Record<string, unknown> {
    return { inputDim: this.inputDim, hiddenDim: this.hiddenDim, latentDim: this.latentDim, likelihood: 'bernoulli', estimator: this.estimator, beta: this.beta, seed: this.seed };
  }

  static load(path: string): VAE {
    return NeuralModel.loadAs(path, 'VAE', (c) => new VAE(c));
  }

  /** q(z|x): mean and log-variance [N, latentDim]. */
  encode(x: Tensor | Float32Array): { mu: Tensor; logVar: Tensor } {
    const h = ops.tanh(this.encHidden.forward(toMatrix(x, this.inputDim, 'VAE.encode')));
    return { mu: this.encMu.forward(h), logVar: this.encLogVar.forward(h) };
  }

  /** The decoder's logits f(z) [N, inputDim]. */
  decodeLogits(z: Tensor): Tensor {
    return this.decOut.forward(ops.tanh(this.decHidden.forward(toMatrix(z, this.latentDim, 'VAE.decode'))));
  }

  /** p(x|z) means σ(f(z)) [N, inputDim]. */
  decode(z: Tensor | Float32Array): Tensor {
    return ops.sigmoid(this.decodeLogits(toMatrix(z, this.latentDim, 'VAE.decode')));
  }

  /** Reconstruction σ(f(μ(x))). */
  forward(x: Tensor): Tensor {
    return this.decode(this.encode(x).mu);
  }

  /** The ELBO and its terms for a batch, at one draw (noise ε [N, latentDim] may be given). */
  terms(x: Tensor, opts: { estimator?: ElboEstimator; noise?: Tensor; beta?: number } = {}): ElboTerms {
    const { mu, logVar } = this.encode(x);
    return elboTerms(x, mu, logVar, (z) => this.decodeLogits(z), { estimator: opts.estimator ?? this.estimator, noise: opts.noise, beta: opts.beta });
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

  /** n draws from the model: decoder means σ(f(z)), z ~ N(0, I). */
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

  /** Maximise the ELBO with Adam (defaults: 10 epochs, batch 100, lr 1e-3). Data in [0, 1]. */
  fit(x: Tensor | Float32Array, opts: FitOptions & { estimator?: ElboEstimator } = {}): this {
    const data = toMatrix(x, this.inputDim, 'VAE.fit');
    assertUnitRange(data, 'VAE.fit');
    if (opts.estimator !== undefined) enumOption(opts.estimator, 'estimator', 'VAE.fit', ELBO_ESTIMATORS);
    this.fitBatches(data, opts, { epochs: 10, batchSize: 100, learningRate: 1e-3 }, ['estimator'], (batch) => {
      const t = this.terms(batch, { estimator: opts.estimator, beta: this.beta });
      return { loss: t.loss, metrics: { elbo: ops.mean(t.elbo).item(), kl: ops.mean(t.kl).item() } };
    });
    return this;
  }
}
