// The Gaussian-mixture VAE: a VAE whose prior over z is a mixture of K
// Gaussians with learned means and variances, and whose posterior picks a
// component first:
//   p(w) = 1/K,  p(z|w) = N(m_w, diag e^{v_w}),  p(x|z) = Π Bern(xᵢ; σ(fᵢ(z)))
//   q(w|x) = softmax(g(x)),  q(z|x,w) = N(μ_w(x), diag e^{lv_w(x)})
// With the sum over w done exactly and one draw z_w per component, the
// three-term ELBO is
//   ELBO(x) = Σ_w q(w|x) log p(x|z_w)                    (reconstruction)
//           − Σ_w q(w|x) KL(q(z|x,w) ‖ p(z|w))           (conditional prior)
//           − KL(q(w|x) ‖ p(w))                           (component prior)
// Against component collapse (every x sent to one w, or every q(w|x) flat so
// that the components merge), fit() (1) spreads the prior means at the start,
// (2) warms the conditional-prior KL up from β = 0 to 1 over `warmupEpochs`
// (the component term KL(q(w|x) ‖ p(w)) stays at full weight: it keeps every
// q(w|x) spread early on, so no component starves before it is trained), and
// (3) adds λ·KL(q̄(w) ‖ U) with q̄ the batch mean of q(w|x): zero when the
// components are used equally, whatever the confidence of each q(w|x).
import { Tensor } from '../autograd/tensor.js';
import { noGrad } from '../autograd/engine.js';
import * as ops from '../autograd/ops/index.js';
import { Linear } from '../nn/layers.js';
import * as init from '../nn/init.js';
import { globalRng, rngFor } from '../random.js';
import { NeuralModel } from './base.js';
import type { FitOptions } from './train.js';
import { toMatrix, assertUnitRange } from './input.js';
import { requireOptions, intOptions, intOption, numOption } from './options.js';
import { logpdfBernoulliLogits } from '../distributions/bernoulli.js';
import { klDiagonalGaussianLogVar, sampleDiagonalGaussianLogVar } from '../distributions/gaussian.js';

export interface GMVAEOptions {
  inputDim: number;
  hiddenDim?: number;
  latentDim?: number;
  nComponents?: number;
  /** 'bernoulli' (the only decoder so far; inputs in [0, 1]). */
  likelihood?: 'bernoulli';
  seed?: number;
}

const GMVAE_OPTIONS = ['inputDim', 'hiddenDim', 'latentDim', 'nComponents', 'likelihood', 'seed'];

export interface GMVAEFitOptions extends FitOptions {
  /** Epochs over which β rises linearly from 0 to 1 (default min(5, epochs/2)). */
  warmupEpochs?: number;
  /** Weight λ of the component-balance term KL(q̄(w) ‖ U) (default 100: it must outweigh per-sample reconstruction differences of tens of nats; 0 turns it off). */
  balance?: number;
}

export class GMVAE extends NeuralModel {
  readonly kind = 'GMVAE';
  readonly inputDim: number;
  readonly hiddenDim: number;
  readonly latentDim: number;
  readonly nComponents: number;
  readonly seed?: number;
  encHidden: Linear;
  encW: Linear;
  encMu: Linear;
  encLogVar: Linear;
  decHidden: Linear;
  decOut: Linear;
  /** Prior means m_w [K, L] and log-variances v_w [K, L]. */
  priorMu: Tensor;
  priorLogVar: Tensor;

  constructor(opts: GMVAEOptions) {
    super();
    requireOptions(opts, 'GMVAE', '{ inputDim: 784, nComponents: 10 }', GMVAE_OPTIONS);
    if ((opts.likelihood ?? 'bernoulli') !== 'bernoulli') throw new Error(`GMVAE: likelihood "${opts.likelihood}" is not supported; use 'bernoulli' (inputs in [0, 1])`);
    ({ inputDim: this.inputDim, hiddenDim: this.hiddenDim, latentDim: this.latentDim, nComponents: this.nComponents } =
      intOptions(opts, 'GMVAE', { inputDim: undefined, hiddenDim: 500, latentDim: 2, nComponents: 10 }));
    this.seed = opts.seed;
    const rng = rngFor(opts.seed);
    const [d, h, l, k] = [this.inputDim, this.hiddenDim, this.latentDim, this.nComponents];
    this.encHidden = new Linear(d, h, { rng });
    this.encW = new Linear(h, k, { rng });
    this.encMu = new Linear(h, k * l, { rng });
    this.encLogVar = new Linear(h, k * l, { rng });
    this.decHidden = new Linear(l, h, { rng });
    this.decOut = new Linear(h, d, { rng });
    // spread the component means: uniform in [−2, 2]^L, unit variances
    this.priorMu = this.param([k, l], (t) => init.uniform(t, 2, { rng }));
    this.priorLogVar = this.param([k, l]);
  }

  config(): Record<string, unknown> {
    return { inputDim: this.inputDim, hiddenDim: this.hiddenDim, latentDim: this.latentDim, nComponents: this.nComponents, seed: this.seed };
  }

  static load(path: string): GMVAE {
    return NeuralModel.loadAs(path, 'GMVAE', (c) => new GMVAE(c));
  }

  /** q(w|x) as logits [N, K], and q(z|x,w) as mean and log-variance [N, K, L]. */
  encode(x: Tensor | Float32Array): { wLogits: Tensor; mu: Tensor; logVar: Tensor } {
    const data = toMatrix(x, this.inputDim, 'GMVAE.encode');
    const n = data.shape[0], k = this.nComponents, l = this.latentDim;
    const h = ops.tanh(this.encHidden.forward(data));
    return {
      wLogits: this.encW.forward(h),
      mu: ops.reshape(this.encMu.forward(h), [n, k, l]),
      logVar: ops.reshape(this.encLogVar.forward(h), [n, k, l]),
    };
  }

  decodeLogits(z: Tensor): Tensor {
    return this.decOut.forward(ops.tanh(this.decHidden.forward(z)));
  }

  decode(z: Tensor | Float32Array): Tensor {
    return ops.sigmoid(this.decodeLogits(toMatrix(z, this.latentDim, 'GMVAE.decode')));
  }

  forward(x: Tensor): Tensor {
    const { wLogits, mu } = this.encode(x);
    const w = ops.argmax(wLogits, -1);
    const idx = Int32Array.from(w.data, (c, i) => i * this.nComponents + c);
    return this.decode(ops.gather(ops.reshape(mu, [-1, this.latentDim]), idx));
  }

  /**
   * The three ELBO terms per sample [N] at one draw per component (noise ε
   * [N, K, L] may be given), the batch mean q̄(w), and the training loss
   *   −mean(recon − β klZ − klW) + λ KL(q̄ ‖ U).
   */
  terms(x: Tensor, opts: { noise?: Tensor; beta?: number; balance?: number } = {}) {
    const n = x.shape[0], k = this.nComponents, d = this.inputDim, l = this.latentDim;
    const { wLogits, mu, logVar } = this.encode(x);
    const logPi = ops.logSoftmax(wLogits, -1);
    const pi = ops.exp(logPi);
    const z = sampleDiagonalGaussianLogVar(mu, logVar, { noise: opts.noise });
    const logits = ops.reshape(this.decodeLogits(ops.reshape(z, [n * k, l])), [n, k, d]);
    const xs = ops.broadcastTo(ops.reshape(x, [n, 1, d]), [n, k, d]);
    const recon = ops.sum(ops.mul(pi, logpdfBernoulliLogits(xs, logits)), -1);
    const klZ = ops.sum(ops.mul(pi, klDiagonalGaussianLogVar(mu, logVar, this.priorMu, this.priorLogVar)), -1);
    const klW = ops.sum(ops.mul(pi, ops.add(logPi, Math.log(k))), -1);
    const elbo = ops.sub(recon, ops.add(klZ, klW));
    const usage = ops.mean(pi, 0);
    const beta = opts.beta ?? 1, lambda = opts.balance ?? 0;
    let loss = ops.neg(ops.mean(ops.sub(recon, ops.add(ops.mul(klZ, beta), klW))));
    if (lambda > 0) {
      // KL(q̄ ‖ U) = Σ_w q̄_w log(K q̄_w)
      const balance = ops.sum(ops.mul(usage, ops.log(ops.add(ops.mul(usage, k), 1e-12))));
      loss = ops.add(loss, ops.mul(balance, lambda));
    }
    return { loss, elbo, recon, klZ, klW, usage };
  }

  /** Mean ELBO per sample (nats), averaged over `samples` draws. */
  elbo(x: Tensor | Float32Array, opts: { samples?: number } = {}): number {
    const data = toMatrix(x, this.inputDim, 'GMVAE.elbo');
    const s = intOption(opts.samples ?? 1, 'samples', 'GMVAE.elbo');
    return noGrad(() => {
      let acc = 0;
      for (let i = 0; i < s; i++) acc += ops.mean(this.terms(data).elbo).item();
      return acc / s;
    });
  }

  /** The most probable component argmax_w q(w|x) of each row. */
  predict(x: Tensor | Float32Array): Int32Array {
    return noGrad(() => Int32Array.from(ops.argmax(this.encode(x).wLogits, -1).data));
  }

  /** Mean q(w|x) over the rows: how much each component is used. */
  componentUsage(x: Tensor | Float32Array): Float32Array {
    return noGrad(() => ops.mean(ops.softmax(this.encode(x).wLogits, -1), 0).dataSync());
  }

  /** n draws: w ~ U{1..K} (or the given components), z ~ p(z|w), decoder means σ(f(z)). */
  sample(n: number, components?: ArrayLike<number>): Tensor {
    intOption(n, 'n', 'GMVAE.sample');
    const k = this.nComponents, l = this.latentDim;
    return noGrad(() => {
      const w = Int32Array.from({ length: n }, (_, i) => (components ? components[i % components.length] : globalRng.int(k)));
      for (const c of w) if (c < 0 || c >= k) throw new Error(`GMVAE.sample: component ${c} is not in 0..${k - 1}`);
      const z = sampleDiagonalGaussianLogVar(ops.gather(this.priorMu, w), ops.gather(this.priorLogVar, w));
      return this.decode(ops.reshape(z, [n, l]));
    });
  }

  /** Maximise the ELBO with Adam, warm-up and the balance term (defaults: 10 epochs, batch 100, lr 1e-3). */
  fit(x: Tensor | Float32Array, opts: GMVAEFitOptions = {}): this {
    const data = toMatrix(x, this.inputDim, 'GMVAE.fit');
    assertUnitRange(data, 'GMVAE.fit');
    const epochs = opts.epochs ?? 10;
    const warm = numOption(opts.warmupEpochs ?? Math.min(5, Math.floor(epochs / 2)), 'warmupEpochs', 'GMVAE.fit');
    const balance = numOption(opts.balance ?? 100, 'balance', 'GMVAE.fit');
    const steps = Math.ceil(data.shape[0] / (opts.batchSize ?? 100));
    let step = 0;
    this.fitBatches(data, opts, { epochs: 10, batchSize: 100, learningRate: 1e-3 }, ['warmupEpochs', 'balance'], (batch) => {
      const beta = warm > 0 ? Math.min(1, step++ / (warm * steps)) : 1;
      const t = this.terms(batch, { beta, balance });
      const usage = t.usage.data;
      let used = 0;
      for (const u of usage) if (u > 0.5 / this.nComponents) used++;
      return { loss: t.loss, metrics: { elbo: ops.mean(t.elbo).item(), beta, componentsUsed: used } };
    });
    return this;
  }
}
