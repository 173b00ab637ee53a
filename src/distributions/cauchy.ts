// The Cauchy distribution, elementwise over tensors.
import { Tensor } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import { param, batchShapeOf, sampleShape, noise, openUniform, checkInput, type Distribution, type DistributionOptions } from './params.js';
import type { LocScale } from './normal.js';

const LOG_PI = Math.log(Math.PI);

/**
 * Cauchy(x₀ = loc, γ = scale) (default 0 and 1):
 *   p(x) = 1 / (π γ (1 + ((x − x₀)/γ)²)),  log p(x) = −log π − log γ − log(1 + z²)
 * sample: x = x₀ + γ tan(π (u − ½)), u ~ U(0, 1) (the inverse CDF; reparameterised).
 */
export class Cauchy implements Distribution {
  readonly loc: Tensor;
  readonly scale: Tensor;
  readonly batchShape: readonly number[];
  readonly eventDim = 0 as const;
  private readonly opts: DistributionOptions;

  constructor(params: LocScale = {}, opts: DistributionOptions = {}) {
    this.loc = param(params?.loc, 0, 'Cauchy', 'loc', 'finite');
    this.scale = param(params?.scale, 1, 'Cauchy', 'scale', 'positive');
    this.batchShape = batchShapeOf('Cauchy', this.loc, this.scale);
    this.opts = opts;
  }

  logProb(x: Tensor): Tensor {
    const z = ops.div(ops.sub(checkInput(x, 'Cauchy'), this.loc), this.scale);
    return ops.sub(ops.neg(ops.add(ops.log1p(ops.square(z)), ops.log(this.scale))), LOG_PI);
  }

  sample(shape?: readonly number[] | number): Tensor {
    const t = noise(sampleShape(shape, this.batchShape, 'Cauchy'), (r) => Math.tan(Math.PI * (openUniform(r) - 0.5)), this.opts.rng);
    return ops.add(this.loc, ops.mul(this.scale, t));
  }
}
