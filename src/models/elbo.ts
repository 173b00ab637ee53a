// The ELBO terms shared by the VAE and the CVAE, at one reparameterised draw
// z = μ + e^{lv/2} ε from q(z|·) = N(μ, diag e^{lv}):
//   sample    ELBO = log p(x|z) + log p(z) − log q(z|·)              (the course's Eq. 2, 003 P2c; the VAE's default)
//   analytic  ELBO = log p(x|z) − KL(q ‖ N(0, I))                    (closed-form KL)
// Both are unbiased estimates of E_q[log p(x|z)] − KL(q(z|·) ‖ p(z)).
// β-VAE (001 P4): the training loss is −mean(log p(x|z) − β·kl), where kl is the KL
// term of the chosen estimator; β = 1 gives −mean ELBO, and `elbo` is always the true ELBO.
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { randn } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import { reparam, klStdNormal } from '../autograd/ops/fused.js';
import { logpdfDiagonalGaussianLogVar } from '../distributions/gaussian.js';

/** How the ELBO is estimated: the KL in closed form (analytic) or from the one reparameterised draw (sample, the course Eq. 2). */
export type ElboEstimator = 'analytic' | 'sample';
export const ELBO_ESTIMATORS: readonly ElboEstimator[] = ['analytic', 'sample'];

/** The per-sample terms of an ELBO estimate. */
export interface ElboTerms {
  /** −mean(logLik − β kl), the training loss (−mean ELBO when β = 1). */
  loss: Tensor;
  /** Per-sample ELBO [N] (β never enters it). */
  elbo: Tensor;
  /** Per-sample log p(x|z) [N]. */
  logLik: Tensor;
  /** Per-sample KL (analytic) or log q(z|x) − log p(z) at the draw (sample) [N]. */
  kl: Tensor;
}

/**
 * z = μ + e^{lv/2} ε from q = N(μ, diag e^{lv}) as lk.dist.sampleDiagonalGaussianLogVar
 * (the same draw of ε from the global generator unless `noise` is given), as one fused node.
 */
export function drawLatent(mu: Tensor, logVar: Tensor, noise?: Tensor): Tensor {
  const eps = noise ?? randn(mu.shape);
  if (!(eps instanceof Tensor) || eps.shape.join(',') !== mu.shape.join(',')) {
    throw new Error(`elbo: noise ${eps instanceof Tensor ? fmtShape(eps.shape) : typeof eps} must have the sample shape ${fmtShape(mu.shape)}`);
  }
  return reparam(mu, logVar, eps);
}

/**
 * ELBO terms given the encoder's q(z|·) (mu, logVar [N, L]) and the decoder's
 * log p(x|z) [N] as a function of z; `noise` ε [N, L] may be given.
 */
export function elboTerms(mu: Tensor, logVar: Tensor, logLikOf: (z: Tensor) => Tensor,
  opts: { estimator: ElboEstimator; noise?: Tensor; beta?: number }): ElboTerms {
  const z = drawLatent(mu, logVar, opts.noise);
  const logLik = logLikOf(z);
  const kl = opts.estimator === 'analytic'
    ? klStdNormal(mu, logVar) // fused ½ Σ (e^{lv} + μ² − 1 − lv)
    : ops.sub(logpdfDiagonalGaussianLogVar(z, mu, logVar), logpdfDiagonalGaussianLogVar(z, 0, 0));
  const elbo = ops.sub(logLik, kl);
  const beta = opts.beta ?? 1;
  const loss = beta === 1 ? ops.neg(ops.mean(elbo)) : ops.neg(ops.mean(ops.sub(logLik, ops.mul(kl, beta))));
  return { loss, elbo, logLik, kl };
}
