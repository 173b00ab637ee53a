// Discrete flows (000 P7; Tran, Vafa, Agrawal, Dinh & Poole 2019, "Discrete Flows").
// On a finite set a bijection f moves probability mass without changing volume, so
// the change of variables has no Jacobian term:
//   p_X(x) = p_Y(f(x)),   log p_X(x) = log p_Y(f(x))   (no log |det|: nothing to compute).
// The invertible map here is a modular additive coupling on x ∈ {0, …, K−1}^D:
//   y_a = x_a,   y_b = (x_b + μ(x_a)) mod K,   inverse x_b = (y_b − μ(y_a)) mod K,
// with μ(x_a) ∈ {0, …, K−1} the argmax of a small network's logits. Layers alternate
// which coordinates condition (even / odd, as NICE). The base p_Y is a factorized
// categorical, Π_d Cat(y_d; softmax(ℓ_d)), with learnable logits ℓ [D, K].
// Training maximises log p_Y(f(x)) with the straight-through estimator: the forward
// pass uses the one-hot argmax shift exactly; the backward pass takes the gradient of
// softmax(logits / τ) in its place. With one-hot vectors the modular addition is a
// circular convolution, y_b[k] = Σ_j x_b[j] · s[(k − j) mod K], differentiable in the shift s.
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { zeros } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import { noGrad } from '../autograd/engine.js';
import { Module } from '../nn/module.js';
import { Linear, ReLU, Sequential } from '../nn/layers.js';
import { Adam } from '../optim/adam.js';
import { rngFor, type Rng } from '../random.js';
import { Categorical, oneHot } from '../distributions/categorical.js';

/** Column indices [(k − j) mod K]_k for each j: rolling a one-hot shift by j. */
function rollIndex(K: number, j: number): Int32Array {
  return Int32Array.from({ length: K }, (_, k) => (((k - j) % K) + K) % K);
}

/**
 * y_b = (x_b + μ(x_a)) mod K on one-hot inputs [N, D, K] (training path) and on integer
 * inputs [N, D] (exact path). `a` conditions, `b` is shifted.
 */
export class ModularCoupling extends Module {
  readonly numCategories: number;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly temperature: number;
  net: Module;

  constructor(opts: { numCategories: number; a: Int32Array; b: Int32Array; net: Module; temperature?: number }) {
    super();
    this.numCategories = opts.numCategories;
    this.a = opts.a; this.b = opts.b; this.net = opts.net;
    this.temperature = opts.temperature ?? 1;
  }

  /** Shift logits [N, |b|, K] from one-hot x_a [N, |a|, K]. */
  private logits(xa1h: Tensor): Tensor {
    const N = xa1h.shape[0], K = this.numCategories;
    return ops.reshape(this.net.forward(ops.reshape(xa1h, [N, this.a.length * K])), [N, this.b.length, K]);
  }

  /** Integer shifts μ(x_a) [N·|b|] (argmax of the logits). */
  shiftsOf(xa1h: Tensor): Float32Array {
    return noGrad(() => ops.argmax(this.logits(xa1h), -1).data);
  }

  /**
   * Straight-through one-hot shift: value onehot(argmax ℓ), gradient of softmax(ℓ/τ):
   *   s = soft + (hard − soft)  with (hard − soft) held constant.
   */
  private straightThrough(xa1h: Tensor): Tensor {
    const l = this.logits(xa1h);
    const soft = ops.softmax(ops.mul(l, 1 / this.temperature), -1);
    const hard = oneHot(noGrad(() => ops.argmax(l, -1)), this.numCategories);
    const offset = new Tensor(hard.data.map((h, i) => h - soft.data[i]), hard.shape);
    return ops.add(soft, offset);
  }

  /** Training path on one-hot x [N, D, K]: y [N, D, K], differentiable in x and the net. */
  forwardOneHot(x1h: Tensor): Tensor {
    const [N, D, K] = x1h.shape;
    const flat = ops.reshape(x1h, [N, D * K]);
    const cols = (idx: Int32Array) => Int32Array.from(Array.from(idx).flatMap((d) => Array.from({ length: K }, (_, k) => d * K + k)));
    const xa = ops.reshape(ops.takeColumns(flat, cols(this.a)), [N, this.a.length, K]);
    const xb = ops.reshape(ops.takeColumns(flat, cols(this.b)), [N * this.b.length, K]);
    const s = ops.reshape(this.straightThrough(xa), [N * this.b.length, K]);
    // circular convolution: y_b[k] = Σ_j x_b[j] s[(k − j) mod K]
    let yb: Tensor | null = null;
    for (let j = 0; j < K; j++) {
      const term = ops.mul(ops.slice(xb, [0, j], [N * this.b.length, 1]), ops.takeColumns(s, rollIndex(K, j)));
      yb = yb ? ops.add(yb, term) : term;
    }
    const joined = ops.concat([ops.reshape(xa, [N, this.a.length * K]), ops.reshape(yb as Tensor, [N, this.b.length * K])], 1);
    const order = Int32Array.from([...this.a, ...this.b]);
    const unsplit = new Int32Array(D * K);
    order.forEach((d, i) => { for (let k = 0; k < K; k++) unsplit[d * K + k] = i * K + k; });
    return ops.reshape(ops.takeColumns(joined, unsplit), [N, D, K]);
  }

  /** Module.forward: the one-hot training path. */
  forward(x1h: Tensor): Tensor { return this.forwardOneHot(x1h); }

  /** Exact path on integers [N, D]: sign +1 forward, −1 inverse. */
  shiftIntegers(x: Tensor, sign: 1 | -1): Tensor {
    const [N, D] = x.shape, K = this.numCategories;
    const xa = new Tensor(new Float32Array(N * this.a.length), [N, this.a.length]);
    for (let n = 0; n < N; n++) this.a.forEach((d, i) => { xa.data[n * this.a.length + i] = x.data[n * D + d]; });
    const mu = this.shiftsOf(oneHot(xa, K));
    const out = x.data.slice();
    for (let n = 0; n < N; n++) {
      this.b.forEach((d, i) => {
        const v = out[n * D + d] + sign * mu[n * this.b.length + i];
        out[n * D + d] = ((v % K) + K) % K;
      });
    }
    return new Tensor(out, [N, D]);
  }
}

/** DiscreteFlow options. */
export interface DiscreteFlowOptions {
  /** K: each variable takes values 0..K−1. */
  numCategories: number;
  /** D: variables per row (at least 2). */
  dim: number;
  /** Coupling layers (default 2: the odd coordinates shifted given the even, then the reverse). */
  layers?: number;
  /** Width of each shift network's hidden layer (default 64). */
  hiddenDim?: number;
  /** Softmax temperature τ of the straight-through gradient (default 0.5). */
  temperature?: number;
  seed?: number;
}

/** DiscreteFlow.fit options. */
export interface DiscreteFitOptions {
  epochs?: number; batchSize?: number; learningRate?: number;
  /** Called after each epoch with the mean negative log-likelihood (nats per row); return false to stop. */
  onEpoch?: (info: { epoch: number; nll: number }) => void | boolean;
}

/** A discrete flow on {0..K−1}^D: modular additive couplings over a factorized categorical base. */
export class DiscreteFlow extends Module {
  readonly numCategories: number;
  readonly dim: number;
  couplings: ModularCoupling[];
  /** Base logits ℓ [D, K] of the factorized categorical p_Y. */
  baseLogits: Tensor;
  private readonly rng: Rng;

  constructor(opts: DiscreteFlowOptions) {
    super();
    const K = opts?.numCategories, D = opts?.dim;
    if (!Number.isInteger(K) || K < 2) throw new Error(`DiscreteFlow: numCategories must be an integer >= 2, got ${K}`);
    if (!Number.isInteger(D) || D < 2) throw new Error(`DiscreteFlow: dim must be an integer >= 2 (a coupling splits the variables in two), got ${D}`);
    const layers = opts.layers ?? 2, h = opts.hiddenDim ?? 64, tau = opts.temperature ?? 0.5;
    if (!Number.isInteger(layers) || layers < 1) throw new Error(`DiscreteFlow: layers must be a positive integer, got ${layers}`);
    if (!(tau > 0)) throw new Error(`DiscreteFlow: temperature must be > 0, got ${tau}`);
    this.numCategories = K; this.dim = D;
    this.rng = rngFor(opts.seed);
    const even = Int32Array.from({ length: Math.ceil(D / 2) }, (_, i) => 2 * i);
    const odd = Int32Array.from({ length: Math.floor(D / 2) }, (_, i) => 2 * i + 1);
    this.couplings = [];
    for (let i = 0; i < layers; i++) {
      const [a, b] = i % 2 === 0 ? [even, odd] : [odd, even];
      const net = new Sequential(new Linear(a.length * K, h, { rng: this.rng }), new ReLU(), new Linear(h, b.length * K, { rng: this.rng }));
      this.couplings.push(new ModularCoupling({ numCategories: K, a, b, net, temperature: tau }));
    }
    this.baseLogits = this.param([D, K]);
  }

  private checkInts(x: Tensor, op: string): Tensor {
    if (!(x instanceof Tensor) || x.ndim !== 2 || x.shape[1] !== this.dim) {
      throw new Error(`${op}: expected integer data [N, ${this.dim}], got ${x instanceof Tensor ? fmtShape(x.shape) : typeof x}`);
    }
    const K = this.numCategories;
    for (let i = 0; i < x.size; i++) {
      const v = x.data[i];
      if (!(Number.isInteger(v) && v >= 0 && v < K)) throw new Error(`${op}: values must be integers in [0, ${K - 1}], got ${v} at index ${i}`);
    }
    return x;
  }

  /** The base distribution: a Categorical over the learned logits. */
  base(): Categorical { return new Categorical({ logits: this.baseLogits }); }

  /** y = f(x) on integers [N, D] (exact). */
  forward(x: Tensor): Tensor {
    return this.couplings.reduce((h, c) => c.shiftIntegers(h, 1), this.checkInts(x, 'DiscreteFlow.forward'));
  }

  /** x = f⁻¹(y) on integers [N, D] (exact: the couplings undone in reverse order). */
  inverse(y: Tensor): Tensor {
    return this.couplings.reduceRight((h, c) => c.shiftIntegers(h, -1), this.checkInts(y, 'DiscreteFlow.inverse'));
  }

  /** Exact log p(x) = Σ_d log Cat(f(x)_d; softmax ℓ_d) per row [N] (nats). */
  logProb(x: Tensor): Tensor {
    return noGrad(() => ops.sum(this.base().logProb(this.forward(x)), -1));
  }

  /** Mean negative log-likelihood per row, in nats. */
  nll(x: Tensor): number {
    return -ops.mean(this.logProb(x)).item();
  }

  /** The training objective: mean −log p(x) via the straight-through one-hot path (differentiable). */
  loss(x: Tensor): Tensor {
    let h = oneHot(this.checkInts(x, 'DiscreteFlow.loss'), this.numCategories);
    for (const c of this.couplings) h = c.forwardOneHot(h);
    return ops.neg(ops.mean(ops.sum(this.base().logProbOneHot(h), -1)));
  }

  /** Draw n rows: y ~ base, x = f⁻¹(y). */
  sample(n: number): Tensor {
    return this.inverse(new Categorical({ logits: this.baseLogits }, { rng: this.rng }).sample([n]));
  }

  /** Adam on the straight-through loss; returns the mean training loss of each epoch. */
  fit(x: Tensor, opts: DiscreteFitOptions = {}): number[] {
    this.checkInts(x, 'DiscreteFlow.fit');
    const epochs = opts.epochs ?? 50, bs = Math.min(opts.batchSize ?? 128, x.shape[0]);
    const opt = new Adam(this.parameters(), { lr: opts.learningRate ?? 1e-2 });
    const N = x.shape[0], history: number[] = [];
    for (let e = 0; e < epochs; e++) {
      const perm = this.rng.permutation(N);
      let total = 0;
      for (let s = 0; s < N; s += bs) {
        const idx = perm.subarray(s, Math.min(s + bs, N));
        const batch = ops.gather(x, idx);
        opt.zeroGrad();
        const l = this.loss(batch);
        l.backward();
        opt.step();
        total += l.item() * idx.length;
      }
      history.push(total / N);
      if (opts.onEpoch?.({ epoch: e, nll: total / N }) === false) break;
    }
    return history;
  }
}

/** The independent baseline: the maximum-likelihood factorized categorical (empirical marginals) and its mean NLL on x. */
export function factorizedBaseline(x: Tensor, K: number, alpha = 0): { logits: Tensor; nll: number } {
  const [N, D] = x.shape;
  const counts = new Float64Array(D * K);
  for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) counts[d * K + x.data[n * D + d]] += 1;
  const logits = zeros([D, K]);
  let nll = 0;
  for (let d = 0; d < D; d++) {
    for (let k = 0; k < K; k++) {
      const p = (counts[d * K + k] + alpha) / (N + alpha * K);
      logits.data[d * K + k] = Math.log(Math.max(p, 1e-30));
      if (counts[d * K + k] > 0) nll -= (counts[d * K + k] / N) * Math.log(p);
    }
  }
  return { logits, nll };
}
