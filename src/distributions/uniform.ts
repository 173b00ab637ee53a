// The continuous uniform distribution U[low, high), elementwise over tensors.
import { Tensor } from '../autograd/tensor.js';
import { asTensor, type TensorLike } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import { param, batchShapeOf, sampleShape, noise, checkInput, type Distribution, type DistributionOptions } from './params.js';

/**
 * U[a, b) with a = low, b = high (default 0 and 1; a < b everywhere):
 *   log p(x) = −log(b − a) for a <= x < b, −∞ outside
 * (differentiable in a and b; the gradient in x is 0).
 * sample: x = a + (b − a) u, u ~ U[0, 1) (reparameterised).
 */
export class Uniform implements Distribution {
  readonly low: Tensor;
  readonly high: Tensor;
  readonly batchShape: readonly number[];
  readonly eventDim = 0 as const;
  private readonly opts: DistributionOptions;

  constructor(params: { low?: TensorLike; high?: TensorLike } = {}, opts: DistributionOptions = {}) {
    this.low = param(params?.low, 0, 'Uniform', 'low', 'finite');
    this.high = param(params?.high, 1, 'Uniform', 'high', 'finite');
    this.batchShape = batchShapeOf('Uniform', this.low, this.high);
    const width = ops.sub(asTensor(this.high, 'Uniform'), this.low);
    const bad = width.data.findIndex((w) => !(w > 0));
    if (bad >= 0) {
      const at = width.ndim === 0 ? '' : ` at index ${bad}`;
      throw new Error(`Uniform: need low < high, got low ${this.pick(this.low, bad)} >= high ${this.pick(this.high, bad)}${at}; swap them or widen the interval`);
    }
    this.opts = opts;
  }

  private pick(t: Tensor, i: number): number {
    return t.size === 1 ? t.data[0] : ops.broadcastTo(t, this.batchShape).data[i];
  }

  logProb(x: Tensor): Tensor {
    checkInput(x, 'Uniform');
    const lp = ops.neg(ops.log(ops.sub(this.high, this.low)));
    // inside = [x >= a] · [x < b] (a constant mask: 0 inside, −∞ outside)
    const inside = ops.mul(ops.sub(1, ops.greater(this.low, x)), ops.greater(this.high, x));
    const mask = new Tensor(inside.data.map((v) => (v > 0 ? 0 : -Infinity)), inside.shape);
    return ops.add(lp, mask);
  }

  sample(shape?: readonly number[] | number): Tensor {
    const u = noise(sampleShape(shape, this.batchShape, 'Uniform'), (r) => r.uniform(), this.opts.rng);
    return ops.add(this.low, ops.mul(ops.sub(this.high, this.low), u));
  }
}
