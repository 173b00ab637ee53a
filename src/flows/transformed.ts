// A distribution pushed through bijectors: Y = f(X), X ~ base, f = f_n ∘ … ∘ f_1.
// Change of variables:
//   log p_Y(y) = log p_X(f⁻¹(y)) − log |det ∂f/∂x| at x = f⁻¹(y)
//              = log p_X(x) − Σ_k log |det ∂f_k/∂h_{k−1}|.
// The event is a row (one value per row) when the base or any bijector is row-wise;
// then elementwise terms (base log-densities, elementwise log-dets) are summed over the last axis.
import { Tensor } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import type { Distribution } from '../distributions/params.js';
import { Bijector, toEventDim } from './bijector.js';
import { Compose } from './compose.js';

export class TransformedDistribution implements Distribution {
  readonly base: Distribution;
  readonly bijectors: Bijector[];
  readonly eventDim: 0 | 1;
  private readonly flow: Compose;

  constructor(base: Distribution, bijectors: Bijector | readonly Bijector[]) {
    if (!base || typeof base.logProb !== 'function' || typeof base.sample !== 'function') {
      throw new Error('TransformedDistribution: base must be a distribution with logProb(x) and sample(shape), e.g. new lk.dist.Normal({loc: 0, scale: 1})');
    }
    this.base = base;
    this.flow = new Compose(Array.isArray(bijectors) ? bijectors : [bijectors as Bijector]);
    this.bijectors = this.flow.bijectors;
    this.eventDim = Math.max(base.eventDim ?? 0, this.flow.eventDim) as 0 | 1;
  }

  get batchShape(): readonly number[] {
    return this.eventDim === 1 ? this.base.batchShape.slice(0, -1) : this.base.batchShape;
  }

  /** log p(y) = base.logProb(f⁻¹(y)) − log |det ∂f/∂x|(f⁻¹(y)), in one inverse pass. */
  logProb(y: Tensor): Tensor {
    const { x, logDet } = this.flow.inverseAndLogDet(y);
    const lp = toEventDim(this.base.logProb(x), this.base.eventDim ?? 0, this.eventDim);
    return ops.sub(lp, toEventDim(logDet, this.flow.eventDim, this.eventDim));
  }

  /** x = f⁻¹(y) and log |det ∂f/∂x| there, per event (the base's variable and the log-volume change). */
  inverseAndLogDet(y: Tensor): { x: Tensor; logDet: Tensor } {
    const { x, logDet } = this.flow.inverseAndLogDet(y);
    return { x, logDet: toEventDim(logDet, this.flow.eventDim, this.eventDim) };
  }

  /** y = f(x), x ~ base.sample(shape) (reparameterised when the base is). */
  sample(shape?: readonly number[] | number): Tensor {
    return this.flow.forward(this.base.sample(shape as readonly number[]));
  }

  /** The learnable parameters of the bijectors. */
  parameters(): Tensor[] {
    return this.flow.parameters();
  }
}
