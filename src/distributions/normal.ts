// The normal distribution N(loc, scale²), elementwise over tensors.
import type { Tensor } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import type { Rng } from '../random.js';
import type { DistributionOptions } from './params.js';
import { LocScaleDistribution, type LocScale } from './locscale.js';

export type { LocScale } from './locscale.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * N(μ, σ²) with μ = loc, σ = scale (numbers or Tensors, broadcasting; default 0 and 1).
 *   log p(x) = −½ ((x − μ)/σ)² − log σ − ½ log 2π
 * sample: x = μ + σ ε, ε ~ N(0, 1) (reparameterised: differentiable in μ and σ).
 */
export class Normal extends LocScaleDistribution {
  constructor(params: LocScale = {}, opts: DistributionOptions = {}) { super('Normal', params, opts); }

  protected standardLogProb(z: Tensor): Tensor { return ops.sub(ops.mul(ops.square(z), -0.5), HALF_LOG_2PI); }
  protected standardDraw(r: Rng): number { return r.normal(); }

  get mean(): Tensor { return this.loc; }
  get stddev(): Tensor { return this.scale; }
}
