// The normal distribution N(loc, scale²), elementwise over tensors.
import { Tensor } from '../autograd/tensor.js';
import type { TensorLike } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import { param, batchShapeOf, sampleShape, noise, checkInput, type Distribution, type DistributionOptions } from './params.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** A location and a scale (tensors or numbers, broadcast together). */
export interface LocScale { loc?: TensorLike; scale?: TensorLike }

/**
 * N(μ, σ²) with μ = loc, σ = scale (numbers or Tensors, broadcasting; default 0 and 1).
 *   log p(x) = −½ ((x − μ)/σ)² − log σ − ½ log 2π
 * sample: x = μ + σ ε, ε ~ N(0, 1) (reparameterised: differentiable in μ and σ).
 */
export class Normal implements Distribution {
  readonly loc: Tensor;
  readonly scale: Tensor;
  readonly batchShape: readonly number[];
  readonly eventDim = 0 as const;
  private readonly opts: DistributionOptions;

  constructor(params: LocScale = {}, opts: DistributionOptions = {}) {
    this.loc = param(params?.loc, 0, 'Normal', 'loc', 'finite');
    this.scale = param(params?.scale, 1, 'Normal', 'scale', 'positive');
    this.batchShape = batchShapeOf('Normal', this.loc, this.scale);
    this.opts = opts;
  }

  logProb(x: Tensor): Tensor {
    const z = ops.div(ops.sub(checkInput(x, 'Normal'), this.loc), this.scale);
    return ops.sub(ops.sub(ops.mul(ops.square(z), -0.5), ops.log(this.scale)), HALF_LOG_2PI);
  }

  sample(shape?: readonly number[] | number): Tensor {
    const eps = noise(sampleShape(shape, this.batchShape, 'Normal'), (r) => r.normal(), this.opts.rng);
    return ops.add(this.loc, ops.mul(this.scale, eps));
  }

  get mean(): Tensor { return this.loc; }
  get stddev(): Tensor { return this.scale; }
}
