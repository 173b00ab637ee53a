// The Cauchy distribution, elementwise over tensors.
import type { Tensor } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import type { Rng } from '../random.js';
import { openUniform, type DistributionOptions } from './params.js';
import { LocScaleDistribution, type LocScale } from './locscale.js';

const LOG_PI = Math.log(Math.PI);

/**
 * Cauchy(x₀ = loc, γ = scale) (default 0 and 1):
 *   p(x) = 1 / (π γ (1 + ((x − x₀)/γ)²)),  log p(x) = −log π − log γ − log(1 + z²)
 * sample: x = x₀ + γ tan(π (u − ½)), u ~ U(0, 1) (the inverse CDF; reparameterised).
 */
export class Cauchy extends LocScaleDistribution {
  constructor(params: LocScale = {}, opts: DistributionOptions = {}) { super('Cauchy', params, opts); }

  protected standardLogProb(z: Tensor): Tensor { return ops.sub(ops.neg(ops.log1p(ops.square(z))), LOG_PI); }
  protected standardDraw(r: Rng): number { return Math.tan(Math.PI * (openUniform(r) - 0.5)); }
}
