// Diagonal Gaussians: log-density, reparameterised sampling and KL terms.
// Densities and KLs sum over the last axis (the event), keeping the batch axes.
import { checkRange } from './params.js';
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { asTensor, randn, type TensorLike } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import { globalRng, type Rng } from '../random.js';

const LOG_2PI = Math.log(2 * Math.PI);

function tensorArg(x: TensorLike, op: string, what: string): Tensor {
  if (!(x instanceof Tensor) && typeof x !== 'number') throw new Error(`${op}: ${what} must be a Tensor or a number, got ${x === null ? 'null' : typeof x}`);
  return asTensor(x, op);
}

/** Sum over the last axis (a 0-d tensor stays as it is). */
function sumEvent(x: Tensor): Tensor {
  return x.ndim === 0 ? x : ops.sum(x, -1);
}

/**
 * log N(z; μ, diag(σ²)) = −½ Σᵢ [log 2π + log σᵢ² + (zᵢ − μᵢ)² / σᵢ²],
 * summed over the last axis; μ and σ² broadcast against z.
 */
export function logpdfDiagonalGaussian(z: Tensor, mu: TensorLike, variance: TensorLike): Tensor {
  const x = tensorArg(z, 'logpdfDiagonalGaussian', 'z');
  const m = tensorArg(mu, 'logpdfDiagonalGaussian', 'mu'), v = tensorArg(variance, 'logpdfDiagonalGaussian', 'variance');
  checkRange(v, 'logpdfDiagonalGaussian', 'variance', 0, Infinity, false, 'pass a positive variance (or use logpdfDiagonalGaussianLogVar)');
  const shape = ops.add(ops.add(x, m), v).shape; // validates broadcasting
  if (shape.length !== x.ndim && x.ndim > 0) throw new Error(`logpdfDiagonalGaussian: mu/variance broadcast z ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  const quad = ops.div(ops.square(ops.sub(x, m)), v);
  return ops.mul(sumEvent(ops.add(ops.add(quad, ops.log(v)), LOG_2PI)), -0.5);
}

/** The same density parameterised by log σ² (no division by a tiny variance). */
export function logpdfDiagonalGaussianLogVar(z: Tensor, mu: TensorLike, logVariance: TensorLike): Tensor {
  const lv = tensorArg(logVariance, 'logpdfDiagonalGaussianLogVar', 'logVariance');
  const quad = ops.mul(ops.square(ops.sub(z, mu)), ops.exp(ops.neg(lv)));
  return ops.mul(sumEvent(ops.add(ops.add(quad, lv), LOG_2PI)), -0.5);
}

/** Sampling options: the generator to draw from (default the seeded global one). */
export interface SampleOptions {
  /** Generator for the noise (default: the global one, reseeded by lk.seed). */
  rng?: Rng;
  /** Use this standard-normal noise ε instead of drawing it (for exact comparisons). */
  noise?: Tensor;
}

function standardNormal(shape: readonly number[], rng?: Rng): Tensor {
  if (!rng) return randn(shape);
  const t = new Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  for (let i = 0; i < t.size; i++) t.data[i] = rng.normal();
  return t;
}

/**
 * Reparameterised draw z = μ + σ ⊙ ε, ε ~ N(0, I): differentiable in μ and σ².
 * The output has the broadcast shape of μ and σ².
 */
export function sampleDiagonalGaussian(mu: TensorLike, variance: TensorLike, opts: SampleOptions = {}): Tensor {
  const m = tensorArg(mu, 'sampleDiagonalGaussian', 'mu'), v = tensorArg(variance, 'sampleDiagonalGaussian', 'variance');
  checkRange(v, 'sampleDiagonalGaussian', 'variance', 0, Infinity, true, 'pass a non-negative variance (or use sampleDiagonalGaussianLogVar)');
  return reparam(m, ops.sqrt(v), opts, 'sampleDiagonalGaussian');
}

/** z = μ + exp(½ log σ²) ⊙ ε. */
export function sampleDiagonalGaussianLogVar(mu: Tensor, logVariance: Tensor, opts: SampleOptions = {}): Tensor {
  return reparam(mu, ops.exp(ops.mul(logVariance, 0.5)), opts, 'sampleDiagonalGaussianLogVar');
}

function reparam(m: Tensor, std: Tensor, opts: SampleOptions, op: string): Tensor {
  const shape = ops.add(m, std).shape;
  const eps = opts.noise ?? standardNormal(shape, opts.rng);
  if (eps.shape.join(',') !== shape.join(',')) throw new Error(`${op}: noise ${fmtShape(eps.shape)} must have the sample shape ${fmtShape(shape)}`);
  return ops.add(m, ops.mul(std, eps));
}

/**
 * KL(N(μ, diag e^{lv}) ‖ N(0, I)) = ½ Σ (e^{lv} + μ² − 1 − lv), over the last axis.
 */
export function klStdNormal(mu: Tensor, logVariance: Tensor): Tensor {
  if (!(mu instanceof Tensor) || !(logVariance instanceof Tensor)) throw new Error('klStdNormal: mu and logVariance must be Tensors');
  if (mu.shape.join(',') !== logVariance.shape.join(',')) throw new Error(`klStdNormal: mu ${fmtShape(mu.shape)} and logVariance ${fmtShape(logVariance.shape)} must have the same shape`);
  const t = ops.sub(ops.add(ops.exp(logVariance), ops.square(mu)), ops.add(logVariance, 1));
  return ops.mul(sumEvent(t), 0.5);
}

/**
 * KL between diagonal Gaussians given log-variances, over the last axis:
 * KL(N(μ0, e^{a}) ‖ N(μ1, e^{b})) = ½ Σ [b − a + (e^{a} + (μ0 − μ1)²) e^{−b} − 1].
 */
export function klDiagonalGaussianLogVar(mu0: Tensor, logVar0: Tensor, mu1: TensorLike, logVar1: TensorLike): Tensor {
  const b = asTensor(logVar1, 'klDiagonalGaussianLogVar');
  const t = ops.mul(ops.add(ops.exp(logVar0), ops.square(ops.sub(mu0, mu1))), ops.exp(ops.neg(b)));
  return ops.mul(sumEvent(ops.sub(ops.add(ops.sub(b, logVar0), t), 1)), 0.5);
}

/** A standard-normal noise tensor from `rng` (or the global generator). */
export function normalNoise(shape: readonly number[], rng: Rng = globalRng): Tensor {
  return standardNormal(shape, rng);
}
