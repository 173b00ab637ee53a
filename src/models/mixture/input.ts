// Input checking shared by the classical models: every fit/predict goes through
// asMatrix, so bad data raises one clear Error instead of producing NaN.
import { Tensor, fmtShape } from '../../autograd/tensor.js';

/** What models accept as data: a Tensor [N, D], nested number[][] or a Float32Array plus its shape. */
export type MatrixLike = Tensor | Float32Array | readonly (readonly number[])[];

export interface Matrix { t: Tensor; data: Float32Array; n: number; d: number }

/**
 * Rows = samples. A Float32Array needs `shape` ([N, D]); a 1-D Tensor is read
 * as N samples of one feature. Throws on wrong shapes, empty input and NaN/Inf.
 */
export function asMatrix(x: MatrixLike, op: string, shape?: readonly number[], expectD?: number): Matrix {
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
    throw new Error(`${op}: the input has ${d} features but the model was fitted on ${expectD}`);
  }
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new Error(`${op}: the input has a non-finite value (${data[i]}) at sample ${Math.floor(i / d)}, feature ${i % d}; remove or impute NaN/Inf first`);
    }
  }
  return { t, data, n, d };
}

/** A positive integer option, or a clear Error. */
export function checkInt(v: unknown, name: string, min: number, op: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new Error(`${op}: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

/** A non-negative finite number option, or a clear Error. */
export function checkNum(v: unknown, name: string, op: string, positive = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (positive && v === 0)) {
    throw new Error(`${op}: ${name} must be a ${positive ? 'positive' : 'non-negative'} finite number, got ${String(v)}`);
  }
  return v;
}

/** The fitted-state guard. */
export function needFitted(ok: boolean, op: string, model: string): void {
  if (!ok) throw new Error(`${model}.${op}: the model is not fitted yet; call fit(X) first`);
}
