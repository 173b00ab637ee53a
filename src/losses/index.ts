// lk.losses: binary cross-entropy (from logits, stably, and from
// probabilities) and mean squared error. Each takes a `reduction`:
// 'mean' (default, over every element), 'sum' or 'none' (elementwise).
import { checkRange } from '../distributions/params.js';
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { record, noGrad } from '../autograd/engine.js';
import { asTensor, type TensorLike } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import { unbroadcast } from '../autograd/ops/broadcast.js';

/** How a loss reduces its per-element values: their mean, sum, or none (the elementwise tensor). */
export type Reduction = 'mean' | 'sum' | 'none';
/** Loss options: the reduction (default mean). */
export interface LossOptions { reduction?: Reduction }

function reduce(x: Tensor, reduction: Reduction | undefined, op: string): Tensor {
  switch (reduction ?? 'mean') {
    case 'mean': return ops.mean(x);
    case 'sum': return ops.sum(x);
    case 'none': return x;
    default: throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got "${String(reduction)}"`);
  }
}

function pair(a: Tensor, b: TensorLike, op: string): Tensor {
  if (!(a instanceof Tensor)) throw new Error(`${op}: expected a Tensor as the first argument, got ${typeof a}`);
  const t = asTensor(b, op);
  if (t.size !== 1 && t.shape.join(',') !== a.shape.join(',')) {
    throw new Error(`${op}: input ${fmtShape(a.shape)} and target ${fmtShape(t.shape)} must have the same shape`);
  }
  return t;
}

/**
 * Binary cross-entropy of targets t ∈ [0, 1] under p = σ(x), from the logits x:
 *   ℓ = −t log σ(x) − (1 − t) log(1 − σ(x)) = max(x, 0) − x·t + log(1 + e^−|x|)
 * which never overflows; dℓ/dx = σ(x) − t, dℓ/dt = −x.
 */
export function bceWithLogits(logits: Tensor, targets: TensorLike, opts: LossOptions = {}): Tensor {
  const t = pair(logits, targets, 'bceWithLogits');
  const x = logits;
  const value = noGrad(() => ops.add(ops.sub(ops.relu(x), ops.mul(x, t)), ops.log1p(ops.exp(ops.neg(ops.abs(x))))));
  const out = new Tensor(value.data, value.shape);
  const loss = record(out, 'bceWithLogits', [x, t], (g) => [
    x.requiresGrad ? ops.mul(g, ops.sub(ops.sigmoid(x), t)) : null,
    t.requiresGrad ? unbroadcast(ops.mul(g, ops.neg(x)), t.shape) : null,
  ]);
  return reduce(loss, opts.reduction, 'bceWithLogits');
}

/**
 * Binary cross-entropy from probabilities p, clamped to [ε, 1 − ε] so that
 * log never sees 0: ℓ = −t log p − (1 − t) log(1 − p).
 */
export function binaryCrossEntropy(probs: Tensor, targets: TensorLike, opts: LossOptions & { eps?: number } = {}): Tensor {
  const t = pair(probs, targets, 'binaryCrossEntropy');
  checkRange(probs, 'binaryCrossEntropy', 'probs', 0, 1, true, 'pass probabilities (or use bceWithLogits with logits)');
  const eps = opts.eps ?? 1e-7;
  const p = ops.clip(probs, eps, 1 - eps);
  const l = ops.neg(ops.add(ops.mul(t, ops.log(p)), ops.mul(ops.sub(1, t), ops.log(ops.sub(1, p)))));
  return reduce(l, opts.reduction, 'binaryCrossEntropy');
}

/** Mean squared error ℓ = (a − b)². */
export function mse(input: Tensor, target: TensorLike, opts: LossOptions = {}): Tensor {
  const t = pair(input, target, 'mse');
  return reduce(ops.square(ops.sub(input, t)), opts.reduction, 'mse');
}
