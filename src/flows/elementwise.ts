// Elementwise bijectors: y_i = f(x_i), so ∂f/∂x is diagonal and
// log |det ∂f/∂x| = Σ_i log |f'(x_i)|; logAbsDetJacobian returns the terms log |f'(x_i)|
// in x's shape (TransformedDistribution sums them where the event is a row).
import { Tensor } from '../autograd/tensor.js';
import { asTensor, type TensorLike } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import { broadcastShapes } from '../autograd/ops/broadcast.js';
import { Bijector, expectTensor } from './bijector.js';

function finiteParam(v: TensorLike | undefined, fallback: number, op: string, name: string, nonzero = false): Tensor {
  const t = asTensor(v ?? fallback, op);
  for (let i = 0; i < t.size; i++) {
    const x = t.data[i];
    if (!Number.isFinite(x)) throw new Error(`${op}: ${name} must be finite, got ${x}${t.ndim ? ` at index ${i}` : ''}; check the parameters for NaN/Inf`);
    if (nonzero && x === 0) throw new Error(`${op}: ${name} must be non-zero (a zero scale is not invertible), got 0${t.ndim ? ` at index ${i}` : ''}; use a non-zero ${name}`);
  }
  return t;
}

/** y = shift + scale·x;  x = (y − shift)/scale;  log |f'(x)| = log |scale|. */
export class Affine extends Bijector {
  readonly eventDim = 0 as const;
  shift: Tensor;
  scale: Tensor;
  constructor(opts: { shift?: TensorLike; scale?: TensorLike } = {}) {
    super();
    this.shift = finiteParam(opts?.shift, 0, 'Affine', 'shift');
    this.scale = finiteParam(opts?.scale, 1, 'Affine', 'scale', true);
  }
  forward(x: Tensor): Tensor { return ops.add(this.shift, ops.mul(this.scale, expectTensor(x, 'Affine.forward'))); }
  inverse(y: Tensor): Tensor { return ops.div(ops.sub(expectTensor(y, 'Affine.inverse'), this.shift), this.scale); }
  logAbsDetJacobian(x: Tensor): Tensor {
    const shape = broadcastShapes(broadcastShapes(expectTensor(x, 'Affine.logAbsDetJacobian').shape, this.scale.shape, 'Affine'), this.shift.shape, 'Affine');
    return ops.broadcastTo(ops.log(ops.abs(this.scale)), shape);
  }
}

/** y = eˣ;  x = log y;  log |f'(x)| = x.  (000 P5b: e^Y of a normal Y is log-normal.) */
export class Exp extends Bijector {
  readonly eventDim = 0 as const;
  forward(x: Tensor): Tensor { return ops.exp(expectTensor(x, 'Exp.forward')); }
  inverse(y: Tensor): Tensor { return ops.log(expectTensor(y, 'Exp.inverse')); }
  // ops.add(x, 0) so the result is a new tensor, not x itself
  logAbsDetJacobian(x: Tensor): Tensor { return ops.add(expectTensor(x, 'Exp.logAbsDetJacobian'), 0); }
}

/**
 * y = 1/x (its own inverse, on x ≠ 0);  f'(x) = −1/x², log |f'(x)| = −2 log |x|.
 * (000 P5a: 1/X of a Cauchy(0, 1) X is again Cauchy(0, 1).)
 */
export class Reciprocal extends Bijector {
  readonly eventDim = 0 as const;
  forward(x: Tensor): Tensor { return ops.div(1, expectTensor(x, 'Reciprocal.forward')); }
  inverse(y: Tensor): Tensor { return ops.div(1, expectTensor(y, 'Reciprocal.inverse')); }
  logAbsDetJacobian(x: Tensor): Tensor { return ops.mul(ops.log(ops.abs(expectTensor(x, 'Reciprocal.logAbsDetJacobian'))), -2); }
}

/**
 * y = σ(x) = 1/(1 + e^{−x});  x = logit y = log y − log(1 − y);
 * f'(x) = σ(x)σ(−x), log |f'(x)| = log σ(x) + log σ(−x) (stable for large |x|).
 */
export class Sigmoid extends Bijector {
  readonly eventDim = 0 as const;
  forward(x: Tensor): Tensor { return ops.sigmoid(expectTensor(x, 'Sigmoid.forward')); }
  inverse(y: Tensor): Tensor { const t = expectTensor(y, 'Sigmoid.inverse'); return ops.sub(ops.log(t), ops.log1p(ops.neg(t))); }
  logAbsDetJacobian(x: Tensor): Tensor {
    const t = expectTensor(x, 'Sigmoid.logAbsDetJacobian');
    return ops.add(ops.logSigmoid(t), ops.logSigmoid(ops.neg(t)));
  }
}

/**
 * The leaky ReLU flow of 000 P6 (slope a > 0; default 0.1 as the course's LReLU):
 *   f(z) = z (z >= 0), a·z (z < 0);   f⁻¹(x) = x (x >= 0), x/a (x < 0)
 *   ∂f/∂z = diag(1 or a), so |det ∂f/∂z|⁻¹ = Π_i 1/f'(z_i) = a^{−#(z_i < 0)}
 *   and log |f'(z_i)| = [z_i < 0] · log a.
 */
export class LeakyReLU extends Bijector {
  readonly eventDim = 0 as const;
  readonly slope: number;
  constructor(opts: { slope?: number } = {}) {
    super();
    const a = opts?.slope ?? 0.1;
    if (typeof a !== 'number' || !(a > 0) || !Number.isFinite(a)) {
      throw new Error(`LeakyReLU: slope must be a finite number > 0 for the map to be invertible, got ${a}; use e.g. {slope: 0.1}`);
    }
    this.slope = a;
  }
  forward(x: Tensor): Tensor { return ops.leakyRelu(expectTensor(x, 'LeakyReLU.forward'), this.slope); }
  inverse(y: Tensor): Tensor { return ops.leakyRelu(expectTensor(y, 'LeakyReLU.inverse'), 1 / this.slope); }
  logAbsDetJacobian(x: Tensor): Tensor {
    // a constant (piecewise): [x < 0]·log a, with gradient 0 in x
    return ops.mul(ops.greater(0, expectTensor(x, 'LeakyReLU.logAbsDetJacobian')), Math.log(this.slope));
  }
}
