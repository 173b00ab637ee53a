// What the location–scale distributions (Normal, Cauchy, Logistic) share: the
// parameters, z = (x − loc)/scale, and the change of variables
//   log p(x) = log p₀(z) − log scale,   x = loc + scale · ε,  ε ~ p₀,
// so each one gives only its standard density p₀ and a draw from it.
import { Tensor } from '../autograd/tensor.js';
import type { TensorLike } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import type { Rng } from '../random.js';
import { param, batchShapeOf, sampleShape, noise, checkInput, type Distribution, type DistributionOptions } from './params.js';

/** A location and a scale (tensors or numbers, broadcast together). */
export interface LocScale { loc?: TensorLike; scale?: TensorLike }

export abstract class LocScaleDistribution implements Distribution {
  readonly loc: Tensor;
  readonly scale: Tensor;
  readonly batchShape: readonly number[];
  readonly eventDim = 0 as const;
  private readonly opts: DistributionOptions;

  constructor(private readonly name: string, params: LocScale = {}, opts: DistributionOptions = {}) {
    this.loc = param(params?.loc, 0, name, 'loc', 'finite');
    this.scale = param(params?.scale, 1, name, 'scale', 'positive');
    this.batchShape = batchShapeOf(name, this.loc, this.scale);
    this.opts = opts;
  }

  /** log p₀(z) of the standard distribution (loc 0, scale 1), elementwise. */
  protected abstract standardLogProb(z: Tensor): Tensor;
  /** One draw ε ~ p₀. */
  protected abstract standardDraw(r: Rng): number;

  logProb(x: Tensor): Tensor {
    const z = ops.div(ops.sub(checkInput(x, this.name), this.loc), this.scale);
    return ops.sub(this.standardLogProb(z), ops.log(this.scale));
  }

  /** Reparameterised draws: differentiable in loc and scale. */
  sample(shape?: readonly number[] | number): Tensor {
    const eps = noise(sampleShape(shape, this.batchShape, this.name), (r) => this.standardDraw(r), this.opts.rng);
    return ops.add(this.loc, ops.mul(this.scale, eps));
  }
}
