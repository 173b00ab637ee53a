// The bijector contract: an invertible, differentiable map y = f(x) with
//   forward(x) = f(x),  inverse(y) = f⁻¹(y),  logAbsDetJacobian(x) = log |det ∂f/∂x| at x.
// Elementwise bijectors (eventDim 0) return the log-det in x's shape (one log|f'(xᵢ)| per
// element); row-wise bijectors (eventDim 1: couplings, scaling) act on rows of [N, D]
// and return one value per row, shape [N].
// Bijectors are nn.Modules, so parameters() finds learnable pieces (a coupling's
// network, a Scale's log-scales, an Affine's Tensor parameters that require grad).
import { Tensor, fmtShape } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import { Module } from '../nn/module.js';

/** An invertible map with a tractable log |det J|: forward(x), inverse(y), logAbsDetJacobian(x). */
export abstract class Bijector extends Module {
  /** 0: elementwise; 1: acts on the last axis as a whole (one log-det per row). */
  abstract readonly eventDim: 0 | 1;

  /** f⁻¹(y). */
  abstract inverse(y: Tensor): Tensor;
  /** log |det ∂f/∂x| at x (x's shape for eventDim 0, one value per row for eventDim 1). */
  abstract logAbsDetJacobian(x: Tensor): Tensor;

  /** log |det ∂f⁻¹/∂y| at y = −log |det ∂f/∂x| at x = f⁻¹(y). */
  inverseLogAbsDetJacobian(y: Tensor): Tensor {
    return ops.neg(this.logAbsDetJacobian(this.inverse(y)));
  }

  /** f(x) and log |det ∂f/∂x| together (subclasses may share work). */
  forwardAndLogDet(x: Tensor): { y: Tensor; logDet: Tensor } {
    return { y: this.forward(x), logDet: this.logAbsDetJacobian(x) };
  }

  /** x = f⁻¹(y) and log |det ∂f/∂x| at that x, in one inverse pass (what logProb needs). */
  inverseAndLogDet(y: Tensor): { x: Tensor; logDet: Tensor } {
    const x = this.inverse(y);
    return { x, logDet: this.logAbsDetJacobian(x) };
  }
}

/**
 * The inverse map g = f⁻¹ as a bijector: forward = f.inverse, inverse = f.forward,
 *   log |det ∂g/∂y| at y = −log |det ∂f/∂x| at x = g(y).
 * NICE's flow maps data to latent; as a TransformedDistribution (latent → data) it is
 * the inverses of its layers in reverse order.
 */
export class Inverse extends Bijector {
  readonly eventDim: 0 | 1;
  readonly bijector: Bijector;

  constructor(bijector: Bijector) {
    super();
    if (!(bijector instanceof Bijector)) throw new Error('Inverse: expected a bijector (with forward, inverse and logAbsDetJacobian), e.g. new lk.flows.Inverse(new lk.flows.Exp())');
    this.bijector = bijector;
    this.eventDim = bijector.eventDim;
  }

  /** The wrapped bijector's inverse. */
  forward(y: Tensor): Tensor { return this.bijector.inverse(y); }
  /** The wrapped bijector's forward. */
  inverse(x: Tensor): Tensor { return this.bijector.forward(x); }
  logAbsDetJacobian(y: Tensor): Tensor { return this.forwardAndLogDet(y).logDet; }

  override forwardAndLogDet(y: Tensor): { y: Tensor; logDet: Tensor } {
    const { x, logDet } = this.bijector.inverseAndLogDet(y);
    return { y: x, logDet: ops.neg(logDet) };
  }

  override inverseAndLogDet(x: Tensor): { x: Tensor; logDet: Tensor } {
    const { y, logDet } = this.bijector.forwardAndLogDet(x);
    return { x: y, logDet: ops.neg(logDet) };
  }
}

/** Check an input is a Tensor (and, for row-wise bijectors, [N, D] with D = dim when given). */
export function expectTensor(x: unknown, op: string, rows = false, dim?: number): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (rows && (x.ndim < 1 || (dim !== undefined && x.shape[x.ndim - 1] !== dim))) {
    throw new Error(`${op}: expected rows of ${dim ?? 'D'} features ([N, ${dim ?? 'D'}]), got shape ${fmtShape(x.shape)}`);
  }
  return x;
}

/** Sum a log-det term down to `eventDim`: elementwise terms are summed over the last axis for row-wise use. */
export function toEventDim(logDet: Tensor, from: 0 | 1, to: 0 | 1): Tensor {
  return from < to && logDet.ndim > 0 ? ops.sum(logDet, -1) : logDet;
}
