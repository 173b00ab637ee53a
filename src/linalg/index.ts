// lk.linalg: eigh, eighTop, cholesky, inv, slogdet, solve. Tensors in and out (float32),
// float64 inside, on the linalg kernels of the current backend (see dense.ts, eigh.ts, subspace.ts).
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { squareF64, cholesky64, cholLogDet, lu64, luSolve, toTensor } from './dense.js';
import { eigh64, assertSymmetric } from './eigh.js';
import { topEigh64 } from './subspace.js';

export { eigh64, assertSymmetric } from './eigh.js';
export { topEigh64, type TopEighOptions } from './subspace.js';
export { cholesky64, cholLogDet, forwardSolve, backSolveT, triSolve64, lu64, luSolve } from './dense.js';

/**
 * Eigendecomposition of a symmetric matrix: A = V diag(values) Vᵀ, values
 * descending, eigenvectors as the columns of `vectors` (each with its largest
 * entry positive). A matrix that is not symmetric beyond float32 round-off
 * (|a_ij − a_ji| > 1e-5·max|a|) is refused with an Error.
 */
export function eigh(a: Tensor): { values: Tensor; vectors: Tensor } {
  const { m, n } = squareF64(a, 'eigh');
  assertSymmetric(m, n, 'eigh');
  const { values, vectors } = eigh64(m, n);
  return { values: toTensor(values, [n]), vectors: toTensor(vectors, [n, n]) };
}

/**
 * The k largest eigenpairs of a symmetric matrix by randomised subspace iteration
 * (Halko, Martinsson & Tropp 2011): values descending [k], vectors [n, k] as columns.
 */
export function eighTop(a: Tensor, k: number, opts: { oversample?: number; iterations?: number; seed?: number } = {}):
  { values: Tensor; vectors: Tensor } {
  const { m, n } = squareF64(a, 'eighTop');
  assertSymmetric(m, n, 'eighTop');
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`eighTop: k must be an integer in [1, ${n}], got ${String(k)}`);
  const { values, vectors } = topEigh64(m, n, k, opts);
  return { values: toTensor(values, [k]), vectors: toTensor(vectors, [n, k]) };
}

/** Lower-triangular L with A = L Lᵀ, for a symmetric positive-definite A. */
export function cholesky(a: Tensor): Tensor {
  const { m, n } = squareF64(a, 'cholesky');
  const L = cholesky64(m, n);
  if (!L) {
    throw new Error(`cholesky: the ${n}x${n} matrix is not positive definite; add a small multiple of the identity (e.g. 1e-6·I) or check that it is a covariance`);
  }
  return toTensor(L, [n, n]);
}

/** The inverse of a square non-singular matrix (LU with partial pivoting). */
export function inv(a: Tensor): Tensor {
  const { m, n } = squareF64(a, 'inv');
  const f = lu64(m, n);
  if (f.singular) throw new Error(`inv: the ${n}x${n} matrix is singular; use a regularised matrix (A + εI) or solve a least-squares problem instead`);
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return toTensor(luSolve(f, n, I, n), [n, n]);
}

/** sign(det A) and log|det A|; a singular matrix gives {sign: 0, logAbsDet: -Infinity}. */
export function slogdet(a: Tensor): { sign: number; logAbsDet: number } {
  const { m, n } = squareF64(a, 'slogdet');
  const f = lu64(m, n);
  if (f.singular) return { sign: 0, logAbsDet: -Infinity };
  let sign = f.sign, s = 0;
  for (let i = 0; i < n; i++) {
    const d = f.lu[i * n + i];
    if (d < 0) sign = -sign;
    s += Math.log(Math.abs(d));
  }
  return { sign, logAbsDet: s };
}

/** x with A x = b; b is a vector [n] or a matrix [n, m] (one right-hand side a column). */
export function solve(a: Tensor, b: Tensor): Tensor {
  const { m, n } = squareF64(a, 'solve');
  if (!(b instanceof Tensor) || (b.ndim !== 1 && b.ndim !== 2) || b.shape[0] !== n) {
    throw new Error(`solve: right-hand side of shape ${b instanceof Tensor ? fmtShape(b.shape) : typeof b} does not match A ${fmtShape(a.shape)} (needs [${n}] or [${n}, m])`);
  }
  const cols = b.ndim === 1 ? 1 : b.shape[1];
  const rhs = new Float64Array(b.data);
  if (!rhs.every(Number.isFinite)) throw new Error('solve: the right-hand side has NaN/Inf entries; remove them first');
  const f = lu64(m, n);
  if (f.singular) throw new Error(`solve: the ${n}x${n} matrix is singular; regularise it (A + εI) or use least squares`);
  return toTensor(luSolve(f, n, rhs, cols), [...b.shape]);
}

/** log det of a symmetric positive-definite matrix via Cholesky (float64). */
export function logdetSPD(a: Tensor): number {
  const { m, n } = squareF64(a, 'logdetSPD');
  const L = cholesky64(m, n);
  if (!L) throw new Error(`logdetSPD: the ${n}x${n} matrix is not positive definite`);
  return cholLogDet(L, n);
}
