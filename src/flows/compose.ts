// Composition f = f_n ∘ … ∘ f_1 (b1 applied first):
//   forward: x → f_1 → … → f_n;  inverse: y → f_n⁻¹ → … → f_1⁻¹;
//   log |det ∂f/∂x| = Σ_k log |det ∂f_k/∂h_{k−1}| at h_{k−1} = f_{k−1}(… f_1(x))  (chain rule).
// With any row-wise member the elementwise terms are summed over the last axis.
import { Tensor } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import { Bijector, toEventDim } from './bijector.js';

export class Compose extends Bijector {
  readonly eventDim: 0 | 1;
  readonly bijectors: Bijector[];

  constructor(bijectors: readonly Bijector[]) {
    super();
    if (!Array.isArray(bijectors) || bijectors.length === 0) throw new Error('Compose: expected a non-empty array of bijectors [b1, b2, ...] (b1 applied first)');
    bijectors.forEach((b, i) => { if (!(b instanceof Bijector)) throw new Error(`Compose: entry ${i} is not a bijector (it needs forward, inverse and logAbsDetJacobian)`); });
    this.bijectors = [...bijectors];
    this.eventDim = this.bijectors.some((b) => b.eventDim === 1) ? 1 : 0;
  }

  forward(x: Tensor): Tensor { return this.bijectors.reduce((h, b) => b.forward(h), x); }

  inverse(y: Tensor): Tensor { return this.bijectors.reduceRight((h, b) => b.inverse(h), y); }

  override forwardAndLogDet(x: Tensor): { y: Tensor; logDet: Tensor } {
    let h = x, total: Tensor | null = null;
    for (const b of this.bijectors) {
      const { y, logDet } = b.forwardAndLogDet(h);
      const term = toEventDim(logDet, b.eventDim, this.eventDim);
      total = total ? ops.add(total, term) : term;
      h = y;
    }
    return { y: h, logDet: total as Tensor };
  }

  /** One inverse pass y → f_n⁻¹ → … → f_1⁻¹, summing log |det ∂f_k/∂h_{k−1}| at each recovered h_{k−1}. */
  override inverseAndLogDet(y: Tensor): { x: Tensor; logDet: Tensor } {
    let h = y, total: Tensor | null = null;
    for (let k = this.bijectors.length - 1; k >= 0; k--) {
      const b = this.bijectors[k];
      const { x, logDet } = b.inverseAndLogDet(h);
      const term = toEventDim(logDet, b.eventDim, this.eventDim);
      total = total ? ops.add(term, total) : term;
      h = x;
    }
    return { x: h, logDet: total as Tensor };
  }

  logAbsDetJacobian(x: Tensor): Tensor { return this.forwardAndLogDet(x).logDet; }
}
