// The logistic distribution, elementwise over tensors (NICE's prior, ICA's sigmoid CDF).
import type { Tensor } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import type { Rng } from '../random.js';
import { openUniform, type DistributionOptions } from './params.js';
import { LocScaleDistribution, type LocScale } from './locscale.js';

/**
 * Logistic(μ = loc, s = scale) (default 0 and 1), CDF σ((x − μ)/s):
 *   log p(x) = −z − 2 log(1 + e^{−z}) − log s = −softplus(z) − softplus(−z) − log s,  z = (x − μ)/s
 * sample: x = μ + s (log u − log(1 − u)), u ~ U(0, 1) (reparameterised).
 */
export class Logistic extends LocScaleDistribution {
  constructor(params: LocScale = {}, opts: DistributionOptions = {}) { super('Logistic', params, opts); }

  protected standardLogProb(z: Tensor): Tensor { return ops.neg(ops.add(ops.softplus(z), ops.softplus(ops.neg(z)))); }
  protected standardDraw(r: Rng): number { const u = openUniform(r); return Math.log(u) - Math.log1p(-u); }
}
