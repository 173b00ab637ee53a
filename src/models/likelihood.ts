// The decoders' observation models p(x|·), shared by the VAE and the GM-VAE:
//   'bernoulli'  p(x|z) = Π_d Bern(x_d; σ(f_d(z)))                 (binary images, inputs in [0, 1])
//   'gaussian'   p(x|z) = N(x; μθ(z), diag σθ²(z)) with a *learned* variance head:
//                log σθ²(z) = log(v_min + e^{g(z)}) = log v_min + softplus(g(z) − log v_min)
//                the floor v_min (`minVariance`, default 1e-3) keeps the density bounded when a
//                feature is constant (MNIST's empty border would otherwise drive σ² → 0, ELBO → ∞);
//                minVariance 0 gives log σθ² = g(z).
import type { Tensor } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import { Linear } from '../nn/layers.js';
import type { Rng } from '../random.js';
import { bernoulliLogLik } from '../autograd/ops/fused.js';
import { logpdfDiagonalGaussianLogVar } from '../distributions/gaussian.js';
import { enumOption, numOption } from './options.js';
import { assertUnitRange } from './input.js';

/** The decoder distribution of a VAE-type model: Bernoulli (binary or [0, 1] data) or Gaussian. */
export type Likelihood = 'bernoulli' | 'gaussian';
export const LIKELIHOODS: readonly Likelihood[] = ['bernoulli', 'gaussian'];

/** The checked likelihood and variance floor of a model's options. */
export function likelihoodOptions(opts: { likelihood?: unknown; minVariance?: unknown }, op: string, fallback: Likelihood): { likelihood: Likelihood; minVariance: number } {
  const likelihood = enumOption(opts.likelihood ?? fallback, 'likelihood', op, LIKELIHOODS);
  const minVariance = numOption(opts.minVariance ?? 1e-3, 'minVariance', op);
  if (likelihood === 'bernoulli' && opts.minVariance !== undefined) {
    throw new Error(`${op}: minVariance is the floor of the Gaussian decoder's variance; it has no meaning with likelihood 'bernoulli' (drop it, or use likelihood: 'gaussian')`);
  }
  return { likelihood, minVariance };
}

/** The log-variance head of a Gaussian decoder (undefined for 'bernoulli'). */
export function varianceHead(likelihood: Likelihood, hidden: number, dim: number, rng: Rng): Linear | undefined {
  return likelihood === 'gaussian' ? new Linear(hidden, dim, { rng }) : undefined;
}

/** log σθ² from the head's output g: log(v_min + e^g). */
export function decoderLogVar(g: Tensor, minVariance: number): Tensor {
  if (minVariance === 0) return g;
  const lm = Math.log(minVariance);
  return ops.add(ops.softplus(ops.sub(g, lm)), lm);
}

/** log p(x|·) per row [..., N] from the decoder's output (logits or mean) and, for 'gaussian', log σ². */
export function logLikelihood(likelihood: Likelihood, x: Tensor, out: Tensor, logVar?: Tensor): Tensor {
  if (likelihood === 'bernoulli') return bernoulliLogLik(x, out); // = logpdfBernoulliLogits, one fused op
  return logpdfDiagonalGaussianLogVar(x, out, logVar as Tensor);
}

/** The data check of fit(): [0, 1] for a Bernoulli decoder (any finite value for a Gaussian one). */
export function checkData(likelihood: Likelihood, x: Tensor, op: string): void {
  if (likelihood === 'bernoulli') assertUnitRange(x, op);
}
