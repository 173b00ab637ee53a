// The GM-VAE of the course (001 P7): a VAE whose prior is a mixture of Gaussians.
// Generative model p(x, w, z) = p(z) p_{μ,σ}(w|z) p_θ(x|w):
//   z ~ Categorical(1/K, …, 1/K)                       (uniform over the K components)
//   w | z = k ~ N(μ_k, σ_k² I)                         (μ [K, L], σ [K] learnable: priorMu, priorLogVar = log σ²)
//   x | w ~ N(μθ(w), diag σθ²(w))                      likelihood 'gaussian' (default, as the course)
//         ~ Π Bern(σ(fθ(w)))                           likelihood 'bernoulli' (binary images)
// Variational family q_{ψ,φ}(w, z | x) = q_ψ(w|x) q_φ(z|w, x):
//   q_ψ(w|x) = N(μψ(x), diag σψ²(x))                   (encHidden → encMu, encLogVar)
//   q_φ(z|w, x) = softmax(gφ([w, hψ(x)]))              (clsHidden, clsOut; hψ(x) the encoder's hidden layer)
// ELBO (P7.1): log p(x) ≥ E_q[log p(x, w, z) − log q(w, z|x)], in three terms
//   ELBO = E_{q(w|x)}[log pθ(x|w)]                                              (recon: p(x|w))
//        + E_{q(w|x)} [Σ_k q(k|w,x) log p(w|z=k)] − E_{q(w|x)}[log q(w|x)]        (wTerm: p(w|z))
//        − E_{q(w|x)} [KL(q(z|w,x) ‖ p(z))],  KL = Σ_k q(k|w,x) log(K q(k|w,x))  (zTerm: p(z))
// estimated at one reparameterised draw w = μψ(x) + σψ(x) ⊙ ε, the sum over z done exactly
// (K terms) and E_q[log q(w|x)] = −½ Σ_l (1 + log 2π + log σψ,l²) in closed form.
// Training (P7.2), in fit(): PyTorch-default Linear init, μ_k ~ U[−2, 2]^L, σ_k = 1; then per
// mini-batch (1) encode q_ψ(w|x), (2) draw w by reparameterisation, (3) q_φ(z|w,x) and the
// exact sum over z (no score-function gradient is needed), (4) the three-term ELBO above,
// (5) one Adam step on −mean ELBO jointly in θ, μ, σ, ψ, φ. The objective trained is the
// ELBO itself (no warm-up, no balance term). For fixed w the best q(z|w,x) is p(z|w) ∝ N(w; μ_z, σ_z² I).
import { Tensor } from '../autograd/tensor.js';
import { noGrad } from '../autograd/engine.js';
import * as ops from '../autograd/ops/index.js';
import { Linear } from '../nn/layers.js';
import * as init from '../nn/init.js';
import { globalRng, rngFor } from '../random.js';
import { NeuralModel } from './base.js';
import type { FitOptions } from './train.js';
import { toMatrix, rowsOf } from './input.js';
import { requireOptions, intOptions, intOption } from './options.js';
import { logpdfDiagonalGaussianLogVar, sampleDiagonalGaussianLogVar } from '../distributions/gaussian.js';
import { likelihoodOptions, varianceHead, decoderLogVar, logLikelihood, checkData, type Likelihood } from './likelihood.js';
import { drawLatent } from './elbo.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** GMVAE options. */
export interface GMVAEOptions {
  inputDim: number;
  hiddenDim?: number;
  latentDim?: number;
  nComponents?: number;
  /** 'gaussian' (default: N(μθ(w), σθ²(w)), the course's) or 'bernoulli' (inputs in [0, 1]). */
  likelihood?: Likelihood;
  /** Floor of the Gaussian decoder's variance (default 1e-3; 'gaussian' only). */
  minVariance?: number;
  seed?: number;
}

const GMVAE_OPTIONS = ['inputDim', 'hiddenDim', 'latentDim', 'nComponents', 'likelihood', 'minVariance', 'seed'];

/** The per-sample terms of the GMVAE ELBO. */
export interface GMVAETerms {
  /** −mean ELBO. */
  loss: Tensor;
  /** Per-sample ELBO [N] = recon + wTerm + zTerm. */
  elbo: Tensor;
  /** log pθ(x|w) [N]. */
  recon: Tensor;
  /** Σ_k q(k|w,x) log p(w|k) − E[log q(w|x)] [N]. */
  wTerm: Tensor;
  /** −KL(q(z|w,x) ‖ p(z)) [N]. */
  zTerm: Tensor;
  /** q(z|w,x) [N, K] at the draw. */
  qz: Tensor;
}

/** The Gaussian-mixture VAE of the course (001 P7): p(z) p(w | z) p(x | w) with inference networks q(w | x) and q(z | w, x). */
export class GMVAE extends NeuralModel {
  readonly kind = 'GMVAE';
  readonly inputDim: number;
  readonly hiddenDim: number;
  readonly latentDim: number;
  readonly nComponents: number;
  readonly likelihood: Likelihood;
  readonly minVariance: number;
  readonly seed?: number;
  encHidden: Linear; encMu: Linear; encLogVar: Linear;
  clsHidden: Linear; clsOut: Linear;
  decHidden: Linear; decOut: Linear; decLogVar?: Linear;
  /** Component means μ_k [K, L] and log-variances log σ_k² [K] of p(w|z). */
  priorMu: Tensor;
  priorLogVar: Tensor;

  constructor(opts: GMVAEOptions) {
    super();
    requireOptions(opts, 'GMVAE', '{ inputDim: 784, nComponents: 10 }', GMVAE_OPTIONS);
    ({ inputDim: this.inputDim, hiddenDim: this.hiddenDim, latentDim: this.latentDim, nComponents: this.nComponents } =
      intOptions(opts, 'GMVAE', { inputDim: undefined, hiddenDim: 500, latentDim: 2, nComponents: 10 }));
    ({ likelihood: this.likelihood, minVariance: this.minVariance } = likelihoodOptions(opts, 'GMVAE', 'gaussian'));
    this.seed = opts.seed;
    const rng = rngFor(opts.seed);
    const [d, h, l, k] = [this.inputDim, this.hiddenDim, this.latentDim, this.nComponents];
    this.encHidden = new Linear(d, h, { rng });
    this.encMu = new Linear(h, l, { rng });
    this.encLogVar = new Linear(h, l, { rng });
    this.clsHidden = new Linear(l + h, h, { rng });
    this.clsOut = new Linear(h, k, { rng });
    this.decHidden = new Linear(l, h, { rng });
    this.decOut = new Linear(h, d, { rng });
    this.decLogVar = varianceHead(this.likelihood, h, d, rng);
    this.priorMu = this.param([k, l], (t) => init.uniform(t, 2, { rng }));
    this.priorLogVar = this.param([k]);
  }

  config(): Record<string, unknown> {
    const c: Record<string, unknown> = { inputDim: this.inputDim, hiddenDim: this.hiddenDim, latentDim: this.latentDim, nComponents: this.nComponents, likelihood: this.likelihood, seed: this.seed };
    if (this.likelihood === 'gaussian') c.minVariance = this.minVariance;
    return c;
  }

  /** Read a model written by save(path) (Node). */
  static load(path: string): GMVAE {
    return NeuralModel.loadAs(path, 'GMVAE', (c) => new GMVAE(c));
  }

  /** A model from toBytes() output (no file system needed). */
  static fromBytes(bytes: Uint8Array): GMVAE {
    return NeuralModel.fromBytesAs(bytes, 'GMVAE', (c) => new GMVAE(c));
  }

  /** q_ψ(w|x): mean and log-variance [N, L], and the hidden features hψ(x) [N, H]. */
  encode(x: Tensor | Float32Array): { mu: Tensor; logVar: Tensor; hidden: Tensor } {
    const hidden = this.encHidden.forwardAct(toMatrix(x, this.inputDim, 'GMVAE.encode'), 'tanh');
    return { mu: this.encMu.forward(hidden), logVar: this.encLogVar.forward(hidden), hidden };
  }

  /** q_φ(z|w, x) as log-probabilities [N, K]. */
  componentLogits(w: Tensor, hidden: Tensor): Tensor {
    return ops.logSoftmax(this.clsOut.forward(this.clsHidden.forwardAct(ops.concat([w, hidden], 1), 'tanh')), -1);
  }

  /** log p(w|z = k) = log N(w; μ_k, σ_k² I) for every k, [N, K]. */
  priorLogProb(w: Tensor): Tensor {
    const n = w.shape[0];
    return logpdfDiagonalGaussianLogVar(ops.reshape(w, [n, 1, this.latentDim]), this.priorMu, ops.reshape(this.priorLogVar, [this.nComponents, 1]));
  }

  /** The decoder's output at w: logits or μθ(w), and log σθ²(w) for 'gaussian'. */
  decodeParams(w: Tensor): { out: Tensor; logVar?: Tensor } {
    const h = this.decHidden.forwardAct(rowsOf(w, this.latentDim, 'GMVAE.decode'), 'tanh');
    const out = this.decOut.forward(h);
    return this.decLogVar ? { out, logVar: decoderLogVar(this.decLogVar.forward(h), this.minVariance) } : { out };
  }

  /** The mean of p(x|w): σ(fθ(w)) or μθ(w). */
  decode(w: Tensor | Float32Array): Tensor {
    const { out } = this.decodeParams(toMatrix(w, this.latentDim, 'GMVAE.decode'));
    return this.likelihood === 'bernoulli' ? ops.sigmoid(out) : out;
  }

  forward(x: Tensor): Tensor {
    return this.decode(this.encode(x).mu);
  }

  /** The three ELBO terms per sample at one draw w (noise ε [N, L] may be given). */
  terms(x: Tensor, opts: { noise?: Tensor } = {}): GMVAETerms {
    const data = toMatrix(x, this.inputDim, 'GMVAE.terms');
    const { mu, logVar, hidden } = this.encode(data);
    const w = drawLatent(mu, logVar, opts.noise);
    const { out, logVar: decLv } = this.decodeParams(w);
    const recon = logLikelihood(this.likelihood, data, out, decLv);
    const logQz = this.componentLogits(w, hidden), qz = ops.exp(logQz);
    // −E[log q(w|x)] = ½ Σ_l (1 + log 2π + log σψ,l²)
    const entropy = ops.mul(ops.sum(ops.add(logVar, 1 + LOG_2PI), -1), 0.5);
    const wTerm = ops.add(ops.sum(ops.mul(qz, this.priorLogProb(w)), -1), entropy);
    const zTerm = ops.neg(ops.sum(ops.mul(qz, ops.add(logQz, Math.log(this.nComponents))), -1));
    const elbo = ops.add(ops.add(recon, wTerm), zTerm);
    return { loss: ops.neg(ops.mean(elbo)), elbo, recon, wTerm, zTerm, qz };
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

  /**
   * Importance-sampled log p(x) per row [N] with q(w|x) as the proposal:
   *   log p(x) ≈ log (1/S) Σ_s p(x|w_s) p(w_s) / q(w_s|x),  p(w) = (1/K) Σ_k N(w; μ_k, σ_k² I).
   */
  logProbSamples(x: Tensor | Float32Array, opts: { samples?: number } = {}): Tensor {
    const data = toMatrix(x, this.inputDim, 'GMVAE.logProb');
    const s = intOption(opts.samples ?? 100, 'samples', 'GMVAE.logProb');
    return noGrad(() => {
      const { mu, logVar } = this.encode(data);
      const rows: Tensor[] = [];
      for (let i = 0; i < s; i++) {
        const w = sampleDiagonalGaussianLogVar(mu, logVar);
        const { out, logVar: lv } = this.decodeParams(w);
        const logPw = ops.sub(ops.logsumexp(this.priorLogProb(w), -1), Math.log(this.nComponents));
        const logW = ops.add(ops.sub(logLikelihood(this.likelihood, data, out, lv), logpdfDiagonalGaussianLogVar(w, mu, logVar)), logPw);
        rows.push(ops.reshape(logW, [1, -1]));
      }
      return ops.sub(ops.logsumexp(ops.concat(rows, 0), 0), Math.log(s));
    });
  }

  /** Mean importance-sampled log p(x) per sample (nats). */
  logProb(x: Tensor | Float32Array, opts: { samples?: number } = {}): number {
    return ops.mean(this.logProbSamples(x, opts)).item();
  }

  /** q(z|w = μψ(x), x) [N, K]: the component posterior at the encoder's mean. */
  predictProba(x: Tensor | Float32Array): Tensor {
    return noGrad(() => { const { mu, hidden } = this.encode(x); return ops.exp(this.componentLogits(mu, hidden)); });
  }

  /** The most probable component of each row, argmax_k q(k|μψ(x), x). */
  predict(x: Tensor | Float32Array): Int32Array {
    return Int32Array.from(ops.argmax(this.predictProba(x), -1).data);
  }

  /** Mean q(z|μψ(x), x) over the rows: how much each component is used. */
  componentUsage(x: Tensor | Float32Array): Float32Array {
    return ops.mean(this.predictProba(x), 0).dataSync();
  }

  /** How many rows each component is the most probable for [K]. */
  componentCounts(x: Tensor | Float32Array): Int32Array {
    const counts = new Int32Array(this.nComponents);
    for (const k of this.predict(x)) counts[k]++;
    return counts;
  }

  /** n draws: z ~ U{0..K−1} (or the given components), w ~ N(μ_z, σ_z² I), the decoder's mean at w. */
  sample(n: number, components?: ArrayLike<number>): Tensor {
    intOption(n, 'n', 'GMVAE.sample');
    const k = this.nComponents;
    return noGrad(() => {
      const z = Int32Array.from({ length: n }, (_, i) => (components ? components[i % components.length] : globalRng.int(k)));
      for (const c of z) if (!(c >= 0 && c < k)) throw new Error(`GMVAE.sample: component ${c} is not in 0..${k - 1}; pass component indices below nComponents`);
      const lv = ops.broadcastTo(ops.reshape(ops.gather(this.priorLogVar, z), [n, 1]), [n, this.latentDim]);
      return this.decode(sampleDiagonalGaussianLogVar(ops.gather(this.priorMu, z), lv));
    });
  }

  /** Maximise the ELBO with Adam (defaults: 10 epochs, batch 100, lr 1e-3); see the training procedure above. */
  fit(x: Tensor | Float32Array, opts: FitOptions = {}): this {
    const data = toMatrix(x, this.inputDim, 'GMVAE.fit');
    checkData(this.likelihood, data, 'GMVAE.fit');
    this.fitBatches(data, opts, { epochs: 10, batchSize: 100, learningRate: 1e-3 }, [], (batch) => {
      const t = this.terms(batch);
      const counts = new Int32Array(this.nComponents);
      for (const k of ops.argmax(t.qz, -1).data) counts[k]++;
      return {
        loss: t.loss,
        metrics: { elbo: ops.mean(t.elbo).item(), recon: ops.mean(t.recon).item(), klZ: -ops.mean(t.zTerm).item(), componentsUsed: counts.filter((c) => c > 0).length },
      };
    });
    return this;
  }
}
