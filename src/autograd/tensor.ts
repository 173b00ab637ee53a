// The Tensor: float32 data, row-major and contiguous, plus what autograd needs
// (requiresGrad, grad, and the node that made it), with every op as a method
// (t.add(b), t.sum(1), loss.backward()). The methods call the free functions of
// ops/; tensor.ts, engine.ts and ops/ import one another, and every use across
// them is inside a function, so any of them can be imported first.
import * as ops from './ops/index.js';
import { backward, type BackwardOptions } from './engine.js';
import type { TensorLike } from './creation.js';
import type { Axis } from './ops/reduce.js';
import type { MatmulOptions } from './ops/matmul.js';
import type { Conv2dOptions, MaxPoolOptions, UpsampleOptions } from './ops/conv.js';
import { residentArray, storageKey } from '../backend/registry.js';

/** A tensor's shape: the size of each axis, row-major. */
export type Shape = readonly number[];

/** How a tensor was made: its parents and the vector-Jacobian product of its op. */
export interface GradNode {
  op: string;
  parents: Tensor[];
  /** Given dL/d(out), returns dL/d(parent) for each parent (null where not needed). */
  backward: (grad: Tensor) => (Tensor | null)[];
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function checkShape(shape: Shape, op: string): void {
  if (!Array.isArray(shape)) throw new Error(`${op}: shape must be an array of integers, got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: invalid shape [${shape.join(',')}]: every dimension must be a non-negative integer`);
    }
  }
}

/** The largest tensor latentkit allocates: 2^31 float32 values (8 GiB). */
export const MAX_ELEMENTS = 2 ** 31;

let budget: { left: number; why: string } | null = null;

/**
 * Run fn with at most `elements` float32 values allocated through allocData
 * (every tensor the library creates); past that, a RangeError with `why`.
 * Loading a model file uses it so that a header asking for a huge model fails
 * at once instead of allocating gigabytes.
 */
export function withAllocationLimit<T>(elements: number, why: string, fn: () => T): T {
  const prev = budget;
  budget = { left: elements, why };
  try { return fn(); } finally { budget = prev; }
}

/**
 * Node's allocation without the zero fill (Buffer.allocUnsafeSlow: malloc instead
 * of calloc, its own ArrayBuffer of exactly the bytes asked); absent in browsers.
 */
const allocUnsafeSlow = (globalThis as { Buffer?: { allocUnsafeSlow?: (bytes: number) => Uint8Array } }).Buffer?.allocUnsafeSlow;
/** From this many elements (16 KiB) skipping the zero fill pays; up to 2^28 (1 GiB, under Buffer's limit). */
const UNFILLED_MIN = 4096, UNFILLED_MAX = 2 ** 28;

/**
 * A zeroed Float32Array of `size` elements, or a RangeError naming the op and the bytes asked.
 * With `overwritten`, the caller promises to write every element before anyone reads
 * one (a kernel's full output, e.g. a GEMM's C): in Node the buffer is then not zeroed
 * (its contents are arbitrary), which saves a pass over it (0.1 ms for 4 MiB).
 * With `longLived` (a parameter, or a leaf's gradient buffer kept across steps) it
 * is placed in wasm memory when the backend uses it there in place (residentArray).
 */
export function allocData(size: number, op: string, overwritten = false, longLived = false): Float32Array {
  if (!(size <= MAX_ELEMENTS)) {
    throw new RangeError(`${op}: the result would have ${size} elements (${(size * 4 / 2 ** 30).toFixed(1)} GiB), more than latentkit allocates (2^31); use smaller inputs or batches`);
  }
  if (budget) {
    budget.left -= size;
    if (budget.left < 0) throw new RangeError(budget.why);
  }
  const resident = longLived ? residentArray(size) : null;
  if (resident) return resident;
  if (overwritten && allocUnsafeSlow && size >= UNFILLED_MIN && size <= UNFILLED_MAX) {
    const bytes = allocUnsafeSlow(size * 4);
    return new Float32Array(bytes.buffer, bytes.byteOffset, size);
  }
  return new Float32Array(size);
}

export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/**
 * Gradient buffers that Optimizer.zeroGrad() keeps for a parameter's next
 * backward (as torch's zero_grad(set_to_none=False) reuses .grad's storage):
 * the op that computes the parameter's gradient writes it there instead of
 * into a new allocation, which spares the garbage collector the weights'
 * size in every training step.
 */
const spareGrads = new WeakMap<Tensor, Float32Array>();
/** Buffers of the tensors of the graph that backward() is running over (never reused as a gradient buffer). */
let graphBuffers: ReadonlySet<object> | null = null;

/** For the engine: the buffers of the graph of the backward pass in progress (null after it); returns the previous set. */
export function setGraphBuffers(b: ReadonlySet<object> | null): ReadonlySet<object> | null {
  const prev = graphBuffers;
  graphBuffers = b;
  return prev;
}

/** Leaves whose gradient buffers an optimiser's zeroGrad keeps: only theirs are long-lived (see gradBuffer). */
const keptGrads = new WeakSet<Tensor>();

/** Drop t.grad, keeping its buffer for t's next gradient (see gradBuffer). */
export function keepGradBuffer(t: Tensor): void {
  keptGrads.add(t);
  if (t.grad && t.grad.data.length === t.size) spareGrads.set(t, t.grad.data);
  t.grad = null;
}

/**
 * A buffer of t.size elements for the gradient of t, which the caller writes in
 * full: for a leaf, the one keepGradBuffer kept (when a backward pass is running
 * and no tensor of its graph uses that buffer), else a new unzeroed one. Only a
 * leaf whose buffers an optimiser keeps gets a long-lived one (residentArray):
 * any other buffer lives for one step, and a resident block is freed only when
 * the collector gets to it.
 */
export function gradBuffer(t: Tensor, op: string): Float32Array {
  const s = spareGrads.get(t);
  if (s !== undefined) {
    spareGrads.delete(t);
    if (t.node === null && s.length === t.size && graphBuffers !== null && !graphBuffers.has(storageKey(s))) return s;
  }
  return allocData(t.size, op, true, t.node === null && keptGrads.has(t));
}

let nextId = 0;

/**
 * An n-dimensional array of float32 values (row-major) that records the ops
 * applied to it for reverse-mode autograd when `requiresGrad` is set.
 */
export class Tensor {
  readonly id = nextId++;
  readonly shape: Shape;
  /** The elements, row-major. Shared (not copied) by reshape; treat as read-only outside optimisers. */
  data: Float32Array;
  requiresGrad = false;
  grad: Tensor | null = null;
  /** Set for tensors made by a recorded op; null for leaves and after backward frees the graph. */
  node: GradNode | null = null;
  /** True once backward freed this tensor's node. */
  freed = false;

  constructor(data: Float32Array, shape: Shape) {
    checkShape(shape, 'Tensor');
    const n = shapeSize(shape);
    if (data.length !== n) {
      throw new Error(`Tensor: ${data.length} values do not fill shape ${fmtShape(shape)} (needs ${n})`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
  }

  get size(): number { return this.data.length; }
  get ndim(): number { return this.shape.length; }
  /** True for tensors not made by a recorded op (parameters, inputs). */
  get isLeaf(): boolean { return this.node === null && !this.freed; }

  /** A row-major copy of the elements. */
  dataSync(): Float32Array { return this.data.slice(); }

  /** The elements as nested arrays (a number for a 0-d tensor). */
  toArray(): any {
    const d = this.data, s = this.shape;
    if (s.length === 0) return d[0];
    const build = (axis: number, off: number): any => {
      const n = s[axis];
      if (axis === s.length - 1) return Array.from(d.subarray(off, off + n));
      const stride = shapeSize(s.slice(axis + 1));
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(axis + 1, off + i * stride);
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a size-1 tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new Error(`item: tensor of shape ${fmtShape(this.shape)} has ${this.size} elements; item() needs exactly one (reduce it first, e.g. .sum())`);
    }
    return this.data[0];
  }

  /** Clear the accumulated gradient. */
  zeroGrad(): void { this.grad = null; }

  /** A new leaf sharing this tensor's data, outside the graph. */
  detach(): Tensor { return new Tensor(this.data, this.shape); }

  /** A deep copy (new buffer), outside the graph. */
  clone(): Tensor { return new Tensor(this.data.slice(), this.shape); }

  // ---- ops as methods (see the free functions in ops/ for each one's math) ----
  /** this + b, elementwise with broadcasting (as lk.add). */
  add(b: TensorLike): Tensor { return ops.add(this, b); }
  /** this − b, elementwise with broadcasting (as lk.sub). */
  sub(b: TensorLike): Tensor { return ops.sub(this, b); }
  /** this · b, elementwise with broadcasting (as lk.mul). */
  mul(b: TensorLike): Tensor { return ops.mul(this, b); }
  /** this / b, elementwise with broadcasting (as lk.div). */
  div(b: TensorLike): Tensor { return ops.div(this, b); }
  /** −this (as lk.neg). */
  neg(): Tensor { return ops.neg(this); }
  /** this to the power p, a scalar (as lk.pow). */
  pow(p: number): Tensor { return ops.pow(this, p); }
  /** eˣ elementwise (as lk.exp). */
  exp(): Tensor { return ops.exp(this); }
  /** Natural log elementwise (as lk.log). */
  log(): Tensor { return ops.log(this); }
  /** log(1 + x) elementwise, accurate near 0 (as lk.log1p). */
  log1p(): Tensor { return ops.log1p(this); }
  /** √x elementwise (as lk.sqrt). */
  sqrt(): Tensor { return ops.sqrt(this); }
  /** |x| elementwise (as lk.abs). */
  abs(): Tensor { return ops.abs(this); }
  /** x² elementwise (as lk.square). */
  square(): Tensor { return ops.square(this); }
  /** tanh elementwise (as lk.tanh). */
  tanh(): Tensor { return ops.tanh(this); }
  /** 1 / (1 + e⁻ˣ) elementwise (as lk.sigmoid). */
  sigmoid(): Tensor { return ops.sigmoid(this); }
  /** max(x, 0) elementwise (as lk.relu). */
  relu(): Tensor { return ops.relu(this); }
  /** x for x > 0, slope·x otherwise (slope default 0.01; as lk.leakyRelu). */
  leakyRelu(slope?: number): Tensor { return ops.leakyRelu(this, slope); }
  /** log(1 + eˣ) elementwise, stable for large |x| (as lk.softplus). */
  softplus(): Tensor { return ops.softplus(this); }
  /** log σ(x) elementwise, stable (as lk.logSigmoid). */
  logSigmoid(): Tensor { return ops.logSigmoid(this); }
  /** Values clamped to [lo, hi] (as lk.clip). */
  clip(lo: number, hi: number): Tensor { return ops.clip(this, lo, hi); }
  /** Sum over `axis` (all axes when omitted), keeping it as size 1 with keepDims (as lk.sum). */
  sum(axis?: Axis, keepDims?: boolean): Tensor { return ops.sum(this, axis, keepDims); }
  /** Mean over `axis` (all axes when omitted; as lk.mean). */
  mean(axis?: Axis, keepDims?: boolean): Tensor { return ops.mean(this, axis, keepDims); }
  /** Maximum over `axis` (all axes when omitted; as lk.max). */
  max(axis?: Axis, keepDims?: boolean): Tensor { return ops.max(this, axis, keepDims); }
  /** Minimum over `axis` (all axes when omitted; as lk.min). */
  min(axis?: Axis, keepDims?: boolean): Tensor { return ops.min(this, axis, keepDims); }
  /** log Σ exp over `axis`, stable (as lk.logsumexp). */
  logsumexp(axis?: number, keepDims?: boolean): Tensor { return ops.logsumexp(this, axis, keepDims); }
  /** Softmax along `axis` (default the last; as lk.softmax). */
  softmax(axis?: number): Tensor { return ops.softmax(this, axis); }
  /** log softmax along `axis` (default the last; as lk.logSoftmax). */
  logSoftmax(axis?: number): Tensor { return ops.logSoftmax(this, axis); }
  /** Indices of the maxima along `axis` (as lk.argmax). */
  argmax(axis?: number): Tensor { return ops.argmax(this, axis); }
  /** Matrix product this · b, 2-D or batched 3-D (as lk.matmul). */
  matmul(b: Tensor, opts?: MatmulOptions): Tensor { return ops.matmul(this, b, opts); }
  /** Axes permuted by `perm` (reversed when omitted; as lk.transpose). */
  transpose(perm?: readonly number[]): Tensor { return ops.transpose(this, perm); }
  /** The same values in a new shape; one dimension may be −1 (as lk.reshape). */
  reshape(shape: Shape): Tensor { return ops.reshape(this, shape); }
  /** Axes from `startAxis` (default 1) merged into one (as lk.flatten). */
  flatten(startAxis?: number): Tensor { return ops.flatten(this, startAxis); }
  /** The block starting at `begin` of `size` (as lk.slice). */
  slice(begin: readonly number[], size?: readonly number[]): Tensor { return ops.slice(this, begin, size); }
  /** This broadcast to `shape` (as lk.broadcastTo). */
  broadcastTo(shape: Shape): Tensor { return ops.broadcastTo(this, shape); }
  /** 2-D convolution, NCHW input, weights [out, in, kh, kw] (as lk.conv2d). */
  conv2d(w: Tensor, b?: Tensor | null, opts?: Conv2dOptions): Tensor { return ops.conv2d(this, w, b, opts); }
  /** 2-D max pooling, NCHW (as lk.maxPool2d). */
  maxPool2d(opts?: MaxPoolOptions): Tensor { return ops.maxPool2d(this, opts); }
  /** Nearest-neighbour upsampling, NCHW (as lk.upsample2d). */
  upsample2d(opts?: UpsampleOptions): Tensor { return ops.upsample2d(this, opts); }

  /**
   * Accumulate d(this)/d(leaf) into leaf.grad for every leaf that requires grad.
   * A scalar needs no gradient argument; `{ retainGraph: true }` keeps the graph
   * for another backward (as the first or second argument).
   */
  backward(grad?: Tensor | BackwardOptions, opts?: BackwardOptions): void { backward(this, grad, opts); }

  /** A short description: the shape and the first values. */
  toString(): string {
    const vals = this.size <= 20 ? JSON.stringify(this.toArray()) : `${Array.from(this.data.subarray(0, 8)).map((v) => v.toPrecision(4)).join(', ')}, ...`;
    return `Tensor(${fmtShape(this.shape)}${this.requiresGrad ? ', requiresGrad' : ''}) ${vals}`;
  }
}
