// The logistic distribution, elementwise over tensors (NICE's prior, ICA's sigmoid CDF).
import { Tensor } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import { param, batchShapeOf, sampleShape, noise, openUniform, checkInput, type Distribution, type DistributionOptions } from './params.js';
import type { LocScale } from './normal.js';

/**
 * Logistic(μ = loc, s = scale) (default 0 and 1), CDF σ((x − μ)/s):
 *   log p(x) = −z − 2 log(1 + e^{−z}) − log s = −softplus(z) − softplus(−z) − log s,  z = (x − μ)/s
 * sample: x = μ + s (log u − log(1 − u)), u ~ U(0, 1) (reparameterised).
 */
export class Logistic implements Distribution {
  readonly loc: Tensor;
  readonly scale: Tensor;
  readonly batchShape: readonly number[];
  readonly eventDim = 0 as const;
  private readonly opts: DistributionOptions;

  constructor(params: LocScale = {}, opts: DistributionOptions = {}) {
    this.loc = param(params?.loc, 0, 'Logistic', 'loc', 'finite');
    this.scale = param(params?.scale, 1, 'Logistic', 'scale', 'positive');
    this.batchShape = batchShapeOf('Logistic', this.loc, this.scale);
    this.opts = opts;
  }

  logProb(x: Tensor): Tensor {
    const z = ops.div(ops.sub(checkInput(x, 'Logistic'), this.loc), this.scale);
    return ops.neg(ops.add(ops.add(ops.softplus(z), ops.softplus(ops.neg(z))), ops.log(this.scale)));
  }

  sample(shape?: readonly number[] | number): Tensor {
    const t = noise(sampleShape(shape, this.batchShape, 'Logistic'), (r) => { const u = openUniform(r); return Math.log(u) - Math.log1p(-u); }, this.opts.rng);
    return ops.add(this.loc, ops.mul(this.scale, t));
  }
}
