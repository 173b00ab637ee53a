// The categorical distribution over {0, …, K−1}, elementwise over a batch of
// variables (the last axis of `logits` holds the K categories). A [D, K] logits
// tensor is a factorized categorical over D variables (the discrete flows' base).
import { Tensor, fmtShape } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import { broadcastShapes } from '../autograd/ops/broadcast.js';
import { globalRng } from '../random.js';
import { sampleShape, type Distribution, type DistributionOptions } from './params.js';

/**
 * Categorical(softmax(logits)): P(x = k) = exp(ℓ_k) / Σ_j exp(ℓ_j).
 *   logProb(x) for integer-valued x (batch shape = logits.shape[:-1], broadcasting);
 *   logProbOneHot(x1h) = Σ_k x1h_k log softmax(ℓ)_k for one-hot x1h [..., K] — the same
 *   number, differentiable in the one-hot input (for straight-through gradients).
 */
export class Categorical implements Distribution {
  readonly logits: Tensor;
  readonly numCategories: number;
  readonly batchShape: readonly number[];
  readonly eventDim = 0 as const;
  private readonly opts: DistributionOptions;

  constructor(params: { logits?: Tensor; probs?: Tensor }, opts: DistributionOptions = {}) {
    const { logits, probs } = params ?? {};
    if ((logits === undefined) === (probs === undefined)) throw new Error('Categorical: pass exactly one of {logits} or {probs} (a Tensor whose last axis holds the K categories)');
    const t = (logits ?? probs) as Tensor;
    if (!(t instanceof Tensor) || t.ndim < 1) throw new Error('Categorical: logits/probs must be a Tensor with at least 1 dimension (the categories on the last axis)');
    for (let i = 0; i < t.size; i++) {
      const v = t.data[i];
      if (probs ? !(v >= 0 && Number.isFinite(v)) : !Number.isFinite(v)) {
        throw new Error(`Categorical: ${probs ? 'probs must be finite and >= 0' : 'logits must be finite'}, got ${v} at index ${i}; check the parameters for NaN/Inf${probs ? ' or negative values' : ''}`);
      }
    }
    this.logits = probs ? ops.log(ops.div(probs, ops.sum(probs, -1, true))) : t;
    this.numCategories = t.shape[t.ndim - 1];
    this.batchShape = t.shape.slice(0, -1);
    this.opts = opts;
  }

  /** log softmax(logits) [..., K]. */
  logProbs(): Tensor {
    return ops.logSoftmax(this.logits, -1);
  }

  logProb(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new Error('Categorical.logProb: x must be a Tensor of category indices');
    const K = this.numCategories;
    const shape = broadcastShapes(x.shape, this.batchShape, 'Categorical.logProb');
    for (let i = 0; i < x.size; i++) {
      const v = x.data[i];
      if (!(Number.isInteger(v) && v >= 0 && v < K)) throw new Error(`Categorical.logProb: x must hold integers in [0, ${K - 1}], got ${v} at index ${i}`);
    }
    return this.logProbOneHot(oneHot(ops.broadcastTo(x, shape), K));
  }

  /** log p(x) for one-hot rows x1h [..., K] (one value per row). */
  logProbOneHot(x1h: Tensor): Tensor {
    if (!(x1h instanceof Tensor) || x1h.shape[x1h.ndim - 1] !== this.numCategories) {
      throw new Error(`Categorical.logProbOneHot: expected one-hot vectors with ${this.numCategories} entries on the last axis, got ${x1h instanceof Tensor ? fmtShape(x1h.shape) : typeof x1h}`);
    }
    return ops.sum(ops.mul(x1h, this.logProbs()), -1);
  }

  /** Integer draws (inverse CDF on the float64 probabilities), shape [...shape, ...batchShape]. */
  sample(shape?: readonly number[] | number): Tensor {
    const out = sampleShape(shape, this.batchShape, 'Categorical');
    const K = this.numCategories;
    const p = ops.softmax(this.logits, -1).data, m = p.length / K;
    const rng = this.opts.rng ?? globalRng;
    const n = out.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const row = (i % m) * K;
      let u = rng.uniform(), k = 0;
      while (k < K - 1 && (u -= p[row + k]) >= 0) k++;
      data[i] = k;
    }
    return new Tensor(data, out);
  }
}

/** Integer tensor [...] -> one-hot float tensor [..., K] (a constant). */
export function oneHot(x: Tensor, K: number): Tensor {
  const out = new Float32Array(x.size * K);
  for (let i = 0; i < x.size; i++) {
    const v = x.data[i];
    if (!(Number.isInteger(v) && v >= 0 && v < K)) throw new Error(`oneHot: values must be integers in [0, ${K - 1}], got ${v} at index ${i}`);
    out[i * K + v] = 1;
  }
  return new Tensor(out, [...x.shape, K]);
}
