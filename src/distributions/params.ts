// Shared pieces of the elementwise distribution classes (Normal, Cauchy, Logistic,
// Uniform): parameters as numbers or Tensors with validation, the batch shape they
// broadcast to, and seeded noise of the sample shape.
import { Tensor, fmtShape, shapeSize, type Shape } from '../autograd/tensor.js';
import { asTensor, type TensorLike } from '../autograd/creation.js';
import { broadcastShapes } from '../autograd/ops/broadcast.js';
import { globalRng, type Rng } from '../random.js';

/** What every distribution class offers (torch.distributions style). */
export interface Distribution {
  /** Shape the parameters broadcast to (one independent variable per element). */
  readonly batchShape: readonly number[];
  /** 0 for elementwise densities; 1 when logProb sums over the last axis (one value per row). */
  readonly eventDim: 0 | 1;
  /** log p(x), elementwise (or one value per row when eventDims is 1). */
  logProb(x: Tensor): Tensor;
  /** Draws of shape [...shape, ...batchShape] from the global generator (lk.seed). */
  sample(shape?: readonly number[]): Tensor;
}

/** Options every distribution class takes. */
export interface DistributionOptions {
  /** Generator for the draws (default: the global one, reseeded by lk.seed). */
  rng?: Rng;
}

type Check = 'finite' | 'positive';

/**
 * A parameter as a Tensor (numbers become 0-d tensors; Tensors are kept, so that a
 * parameter that requires grad gets its gradient), checked elementwise.
 */
export function param(v: TensorLike | undefined, fallback: number | undefined, dist: string, name: string, check: Check): Tensor {
  if (v === undefined) {
    if (fallback === undefined) throw new Error(`${dist}: missing parameter "${name}"; pass it as a number or a Tensor, e.g. new ${dist}({${name}: 1, ...})`);
    v = fallback;
  }
  if (!(v instanceof Tensor) && typeof v !== 'number') {
    throw new Error(`${dist}: ${name} must be a number or a Tensor, got ${v === null ? 'null' : typeof v}`);
  }
  const t = asTensor(v, dist);
  for (let i = 0; i < t.size; i++) {
    const x = t.data[i];
    const where = t.ndim === 0 ? '' : ` at index ${i}`;
    if (!Number.isFinite(x)) throw new Error(`${dist}: ${name} must be finite, got ${x}${where}; check for NaN/Inf in the parameters (e.g. a diverged fit)`);
    if (check === 'positive' && !(x > 0)) {
      throw new Error(`${dist}: ${name} must be > 0, got ${x}${where}; pass a positive ${name} (e.g. exp of a log-${name} or softplus of a raw value)`);
    }
  }
  return t;
}

/** The shape the parameters broadcast to. */
export function batchShapeOf(dist: string, ...ps: Tensor[]): number[] {
  return ps.reduce<number[]>((s, p) => broadcastShapes(s, p.shape, dist), []);
}

/** The full sample shape: [...shape, ...batchShape] (as torch's sample(sample_shape)). */
export function sampleShape(shape: readonly number[] | number | undefined, batch: Shape, dist: string): number[] {
  const s = shape === undefined ? [] : typeof shape === 'number' ? [shape] : [...shape];
  if (!s.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`${dist}.sample: shape must be non-negative integers, got ${fmtShape(s)}`);
  return [...s, ...batch];
}

/** A constant tensor of `shape` filled by `draw` (no gradient: the noise of a reparameterised draw). */
export function noise(shape: readonly number[], draw: (rng: Rng) => number, rng: Rng = globalRng): Tensor {
  const out = new Float32Array(shapeSize(shape));
  for (let i = 0; i < out.length; i++) out[i] = draw(rng);
  return new Tensor(out, shape);
}

/** Uniform on the open interval (0, 1), so that logs and tan stay finite. */
export function openUniform(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng.uniform();
  return u;
}

export function checkInput(x: unknown, dist: string): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${dist}.logProb: x must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  return x;
}

/**
 * Refuse a tensor with a value outside (lo, hi) (or [lo, hi] when `closed`),
 * naming the function, the argument, the first bad value and its index.
 */
export function checkRange(t: Tensor, fn: string, name: string, lo: number, hi: number, closed: boolean, fix: string): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    const ok = closed ? v >= lo && v <= hi : v > lo && v < hi;
    if (!ok) throw new Error(`${fn}: ${name} must be in ${closed ? '[' : '('}${lo}, ${hi}${closed ? ']' : ')'}, got ${v} at index ${i}; ${fix}`);
  }
}
