// Bernoulli log-likelihoods and draws; the log-likelihood sums over the last axis.
import { checkRange } from './params.js';
import { Tensor, fmtShape } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import { globalRng, type Rng } from '../random.js';
import { bceWithLogits } from '../losses/index.js';

/**
 * log Bern(x; p) = Σᵢ xᵢ log pᵢ + (1 − xᵢ) log(1 − pᵢ), with p clamped to
 * [ε, 1 − ε] (default ε = 1e-7) so that p = 0 or 1 gives a finite value.
 */
export function logpdfBernoulli(x: Tensor, p: Tensor, opts: { eps?: number } = {}): Tensor {
  if (!(x instanceof Tensor) || !(p instanceof Tensor)) throw new Error('logpdfBernoulli: x and p must be Tensors');
  ops.add(x, p); // validates broadcasting
  checkRange(p, 'logpdfBernoulli', 'p', 0, 1, true, 'pass probabilities (or use logpdfBernoulliLogits with logits)');
  const eps = opts.eps ?? 1e-7;
  const q = ops.clip(p, eps, 1 - eps);
  const t = ops.add(ops.mul(x, ops.log(q)), ops.mul(ops.sub(1, x), ops.log(ops.sub(1, q))));
  return t.ndim === 0 ? t : ops.sum(t, -1);
}

/** log Bern(x; σ(logits)) = −Σ bceWithLogits(logits, x): exact for any logit. */
export function logpdfBernoulliLogits(x: Tensor, logits: Tensor): Tensor {
  if (!(x instanceof Tensor) || !(logits instanceof Tensor)) throw new Error('logpdfBernoulliLogits: x and logits must be Tensors');
  if (x.shape.join(',') !== logits.shape.join(',')) throw new Error(`logpdfBernoulliLogits: x ${fmtShape(x.shape)} and logits ${fmtShape(logits.shape)} must have the same shape`);
  const l = bceWithLogits(logits, x, { reduction: 'none' });
  return ops.neg(l.ndim === 0 ? l : ops.sum(l, -1));
}

/** 0/1 draws with P(1) = p (not differentiable). */
export function sampleBernoulli(p: Tensor, opts: { rng?: Rng } = {}): Tensor {
  if (!(p instanceof Tensor)) throw new Error('sampleBernoulli: p must be a Tensor');
  checkRange(p, 'sampleBernoulli', 'p', 0, 1, true, 'pass probabilities (apply sigmoid to logits first)');
  const rng = opts.rng ?? globalRng;
  const out = new Float32Array(p.size);
  for (let i = 0; i < p.size; i++) out[i] = rng.uniform() < p.data[i] ? 1 : 0;
  return new Tensor(out, p.shape);
}
