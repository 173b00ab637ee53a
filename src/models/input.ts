// Data checking for every model: fit/predict/transform/encode go through
// asMatrix (classical, rows of any width) or toMatrix (neural, rows of the
// model's width), so bad data raises one clear Error instead of producing NaN.
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { kernels } from '../backend/registry.js';

/** What models accept as data: a Tensor [N, D], nested number[][] or a Float32Array (plus its shape, or rows of the model's width). */
export type MatrixLike = Tensor | Float32Array | readonly (readonly number[])[];

export interface Matrix { t: Tensor; data: Float32Array; n: number; d: number }

/**
 * Rows = samples. A Float32Array needs `shape` ([N, D]); a 1-D Tensor is read
 * as N samples of one feature. `expectD` is the width the model needs
 * (`fitted`: learned by fit, else fixed by the constructor). Throws on wrong
 * shapes, empty input and NaN/Inf.
 */
export function asMatrix(x: MatrixLike, op: string, shape?: readonly number[], expectD?: number, fitted = true): Matrix {
  let t: Tensor;
  if (x instanceof Tensor) {
    t = x.ndim === 1 ? new Tensor(x.data, [x.shape[0], 1]) : x;
  } else if (x instanceof Float32Array) {
    if (!shape) throw new Error(`${op}: a Float32Array needs its shape, e.g. ${op}(data, [nSamples, nFeatures]) (or pass lk.tensor(data, shape))`);
    t = new Tensor(x, shape);
  } else if (Array.isArray(x)) {
    if (x.length === 0) throw new Error(`${op}: the input is empty; need at least one sample`);
    const d = Array.isArray(x[0]) ? x[0].length : 1;
    const flat = new Float32Array(x.length * d);
    x.forEach((row: any, i: number) => {
      const r = Array.isArray(row) ? row : [row];
      if (r.length !== d) throw new Error(`${op}: row ${i} has ${r.length} values but row 0 has ${d}; every sample needs the same number of features`);
      for (let j = 0; j < d; j++) flat[i * d + j] = r[j];
    });
    t = new Tensor(flat, [x.length, d]);
  } else {
    throw new Error(`${op}: expected a Tensor [nSamples, nFeatures], number[][] or a Float32Array with a shape; got ${x === null ? 'null' : typeof x}`);
  }
  if (t.ndim !== 2) throw new Error(`${op}: expected a 2-D input [nSamples, nFeatures], got shape ${fmtShape(t.shape)}; reshape it (e.g. images to [N, H*W])`);
  const [n, d] = t.shape;
  if (n === 0 || d === 0) throw new Error(`${op}: the input ${fmtShape(t.shape)} is empty; need at least one sample and one feature`);
  if (expectD !== undefined && d !== expectD) {
    throw new Error(`${op}: the input has ${d} features but the model ${fitted ? 'was fitted on' : 'expects'} ${expectD}; pass data of shape [N, ${expectD}], got ${fmtShape(t.shape)}`);
  }
  const data = t.data;
  // Σ x on the kernel backend (float64 inside) is finite when no value is NaN/±Inf; only then is the scan skipped
  const total = new Float32Array(1);
  kernels().reduce('sum', total, data, 1, data.length, 1);
  if (Number.isFinite(total[0]) && maxAbs(data) <= MAX_ABS) return { t, data, n, d };
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) {
      throw new Error(`${op}: the input has a non-finite value (${v}) at sample ${Math.floor(i / d)}, feature ${i % d}; remove or impute NaN/Inf first`);
    }
    // squares of larger values (distances, covariances) overflow float32 (max ≈ 3.4e38)
    if (v > MAX_ABS || v < -MAX_ABS) {
      throw new Error(`${op}: the input has the value ${v.toPrecision(3)} at sample ${Math.floor(i / d)}, feature ${i % d}; values beyond ±1e15 overflow float32 in squared distances and covariances: scale the data (e.g. standardise each feature)`);
    }
  }
  return { t, data, n, d };
}

/** max |x| on the kernel backend: max(x) and max(−x), in chunks through one small buffer. */
function maxAbs(x: Float32Array): number {
  const k = kernels(), m = new Float32Array(1), chunk = Math.min(x.length, 1 << 16), neg = new Float32Array(chunk);
  k.reduce('max', m, x, 1, x.length, 1);
  let best = m[0];
  for (let i = 0; i < x.length; i += chunk) {
    const part = x.subarray(i, Math.min(i + chunk, x.length)), buf = neg.subarray(0, part.length);
    k.unary('neg', buf, part, 0, 0);
    k.reduce('max', m, buf, 1, buf.length, 1);
    if (m[0] > best) best = m[0];
  }
  return best;
}

/** The largest magnitude the models accept in their input (its square, summed, stays far below float32's max). */
export const MAX_ABS = 1e15;

/**
 * Rows of `dim` values as a [N, dim] tensor (the neural models' inputs): a
 * Tensor [N, dim] (or of more dimensions, e.g. images [N, 1, 28, 28], read as
 * rows of dim), a Float32Array of N·dim values, or nested arrays.
 */
export function toMatrix(x: Tensor | Float32Array | number[][], dim: number, op: string): Tensor {
  if (x instanceof Float32Array) {
    if (x.length % dim !== 0) throw new Error(`${op}: a Float32Array of ${x.length} values is not a whole number of rows of ${dim}; pass data of shape [N, ${dim}]`);
    return asMatrix(x, op, [x.length / dim, dim], dim, false).t;
  }
  if (x instanceof Tensor && x.ndim > 2 && x.size % dim === 0) x = new Tensor(x.data, [x.size / dim, dim]);
  return asMatrix(x, op, undefined, dim, false).t;
}

/**
 * An internal matrix (a latent code the model computed, not user data): its
 * shape is checked, its values are not, so that a diverging model reports
 * divergence (from the training loop) rather than a bad-data error.
 */
export function rowsOf(x: Tensor | Float32Array | number[][], dim: number, op: string): Tensor {
  if (x instanceof Tensor && x.ndim === 2 && x.shape[1] === dim) return x;
  return toMatrix(x, dim, op);
}

/** Check that data lies in [0, 1] (Bernoulli likelihoods, images). */
export function assertUnitRange(x: Tensor, op: string): void {
  for (let i = 0; i < x.size; i++) {
    const v = x.data[i];
    if (v < 0 || v > 1) throw new Error(`${op}: data must lie in [0, 1] (found ${v} at row ${Math.floor(i / x.shape[1])}); scale images by 1/255`);
  }
}

/** Labels as integer class indices: from numbers, an Int32Array, a [N] tensor of indices or a one-hot [N, K] tensor. */
export function toLabels(y: Tensor | ArrayLike<number>, n: number, k: number, op: string): Int32Array {
  let out: Int32Array;
  if (y instanceof Tensor && y.ndim === 2) {
    if (y.shape[1] !== k) throw new Error(`${op}: one-hot labels must have ${k} columns, got ${fmtShape(y.shape)}`);
    out = new Int32Array(y.shape[0]);
    for (let i = 0; i < y.shape[0]; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (y.data[i * k + j] > y.data[i * k + best]) best = j;
      out[i] = best;
    }
  } else {
    const src = y instanceof Tensor ? y.data : y;
    if (!src || typeof src.length !== 'number') throw new Error(`${op}: labels must be an array of class indices or a one-hot Tensor`);
    out = Int32Array.from(src as ArrayLike<number>);
    for (let i = 0; i < src.length; i++) {
      if (!Number.isInteger(src[i]) || src[i] < 0 || src[i] >= k) throw new Error(`${op}: label ${src[i]} at ${i} is not a class index in 0..${k - 1}`);
    }
  }
  if (out.length !== n) throw new Error(`${op}: ${out.length} labels for ${n} rows of data`);
  return out;
}

/** One-hot rows [n, k] for class indices. */
export function oneHot(labels: ArrayLike<number>, k: number): Tensor {
  const t = new Tensor(new Float32Array(labels.length * k), [labels.length, k]);
  for (let i = 0; i < labels.length; i++) t.data[i * k + labels[i]] = 1;
  return t;
}
