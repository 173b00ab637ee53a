// The kernel contract: every kernel of latentkit, its inputs and attributes.
//
// All tensors are float32, row-major and contiguous. The caller owns every
// buffer (inputs and outputs); a kernel never allocates the memory it writes.
// Each backend (js, wasm, native) implements these signatures in a file of the
// same name; a backend may omit a kernel, and the registry then uses the js
// one. The native C signatures (native/include/kernels.h) and the wasm exports
// (wasm/assembly/*.ts) take the same arguments in the same order, with raw
// pointers (native) or byte offsets into linear memory (wasm) for the arrays.

/** Elementwise unary kernels. `alpha`/`beta` are the op's scalar attributes. */
export const UNARY_OPS = [
  'neg', 'exp', 'log', 'sqrt', 'abs', 'sign', 'square', 'tanh', 'sigmoid',
  'relu', 'step', // step(x) = x > 0 ? 1 : 0  (the derivative of relu)
  'leakyRelu', 'leakyReluGrad', // alpha = negative slope
  'softplus', 'logSigmoid', 'log1p',
  'pow', // alpha = exponent
  'clip', 'clipGrad', // alpha = lo, beta = hi; clipGrad(x) = lo < x < hi ? 1 : 0
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Elementwise binary kernels; `eq` yields 1 where a == b else 0. */
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'eq', 'gt'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

export type ReduceOp = 'sum' | 'max';

export interface Kernels {
  /** out[i] = f(x[i]); x and out have the same length. */
  unary(op: UnaryOp, x: Float32Array, out: Float32Array, alpha: number, beta: number): void;
  /**
   * Broadcasting binary op. `outShape` is the broadcast shape; `aStrides` and
   * `bStrides` give, per output axis, the element stride of each operand in
   * its own buffer (0 on an axis it is broadcast along).
   */
  binary(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array,
    outShape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): void;
  /** Reduce the middle axis of x viewed as [outer, n, inner] into out [outer, inner]. */
  reduce(op: ReduceOp, x: Float32Array, out: Float32Array, outer: number, n: number, inner: number): void;
  /** out[o, i] = log Σ_j exp(x[o, j, i]), stable: m + log Σ exp(x − m), m the max. */
  logsumexp(x: Float32Array, out: Float32Array, outer: number, n: number, inner: number): void;
  /** Softmax (or log-softmax when `log`) along the middle axis of [outer, n, inner]. */
  softmax(x: Float32Array, out: Float32Array, outer: number, n: number, inner: number, log: boolean): void;
  /**
   * out[b] = op(a[b]) · op(b[b]) for b < batch, op = transpose when the flag is
   * set. Stored shapes: a [batch, m, k] (or [batch, k, m] when transA),
   * b [batch, k, n] (or [batch, n, k] when transB), out [batch, m, n].
   */
  matmul(out: Float32Array, a: Float32Array, b: Float32Array, batch: number, m: number, k: number,
    n: number, transA: boolean, transB: boolean): void;
  /** NCHW convolution (cross-correlation, as PyTorch): x [n,c,h,w], w [o,c,kh,kw], out [n,o,oh,ow]. */
  conv2d(out: Float32Array, x: Float32Array, w: Float32Array, d: Conv2dDims): void;
  /** dx [n,c,h,w] = the gradient of conv2d with respect to its input, given dy [n,o,oh,ow]. */
  conv2dBackwardInput(dx: Float32Array, dy: Float32Array, w: Float32Array, d: Conv2dDims): void;
  /** dw [o,c,kh,kw] = the gradient of conv2d with respect to its weights, given x and dy. */
  conv2dBackwardWeight(dw: Float32Array, x: Float32Array, dy: Float32Array, d: Conv2dDims): void;
  /** Max pooling; argmax receives, per output, the flat index (within its n,c plane) of the max. */
  maxPool2d(out: Float32Array, argmax: Int32Array, x: Float32Array, d: Pool2dDims): void;
  /** dx (zeroed by the kernel) receives dy at each argmax. */
  maxPool2dBackward(dx: Float32Array, dy: Float32Array, argmax: Int32Array, d: Pool2dDims): void;
  /** Nearest upsampling by an integer scale: x [n,c,h,w] -> out [n,c,h*s,w*s]. */
  upsample2d(out: Float32Array, x: Float32Array, n: number, c: number, h: number, w: number, scale: number): void;
  /** dx [n,c,h,w] = the sum of dy over each scale x scale block. */
  upsample2dBackward(dx: Float32Array, dy: Float32Array, n: number, c: number, h: number, w: number, scale: number): void;
  /**
   * One Adam step in place on p, m, v (all the same length), t = step >= 1:
   *   g' = g + wd·p,  m ← β1 m + (1 − β1) g',  v ← β2 v + (1 − β2) g'²,
   *   p ← p − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε)
   */
  adam(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lr: number, beta1: number,
    beta2: number, eps: number, step: number, weightDecay: number): void;
  /** Copy x (shape `shape`) into out with its axes permuted by `perm`. */
  transpose(x: Float32Array, out: Float32Array, shape: readonly number[], perm: readonly number[]): void;
}

export interface Conv2dDims {
  n: number; c: number; h: number; w: number; // input
  o: number; kh: number; kw: number; // weights [o, c, kh, kw]
  stride: number; pad: number;
  oh: number; ow: number; // output = floor((h + 2 pad − kh) / stride) + 1
}

export interface Pool2dDims {
  n: number; c: number; h: number; w: number;
  k: number; stride: number; oh: number; ow: number;
}

export type KernelName = keyof Kernels;
export const KERNEL_NAMES: readonly KernelName[] = [
  'unary', 'binary', 'reduce', 'logsumexp', 'softmax', 'matmul', 'conv2d', 'conv2dBackwardInput',
  'conv2dBackwardWeight', 'maxPool2d', 'maxPool2dBackward', 'upsample2d', 'upsample2dBackward', 'transpose', 'adam',
];

export type BackendName = 'native' | 'wasm' | 'js';

/** What a backend module provides: any subset of the kernels. */
export type BackendKernels = Partial<Kernels>;

export function convOutSize(size: number, k: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - k) / stride) + 1;
}
