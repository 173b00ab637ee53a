// Float64 dense kernels on row-major n x n matrices (Float64Array): the parts
// of linear algebra where float32 would decide the answer wrongly
// (factorisations, log-determinants). The Tensor-facing wrappers are in index.ts.
import { Tensor, fmtShape } from '../autograd/tensor.js';

/** A square 2-D tensor as a float64 copy, after checking shape and finiteness. */
export function squareF64(a: Tensor, op: string): { m: Float64Array; n: number } {
  if (!(a instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${a === null ? 'null' : typeof a}`);
  if (a.ndim !== 2 || a.shape[0] !== a.shape[1]) {
    throw new Error(`${op}: expected a square 2-D matrix, got shape ${fmtShape(a.shape)}`);
  }
  const n = a.shape[0];
  const m = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    const v = a.data[i];
    if (!Number.isFinite(v)) {
      throw new Error(`${op}: the matrix has a non-finite entry (${v}) at [${Math.floor(i / n)},${i % n}]; remove NaN/Inf from the input`);
    }
    m[i] = v;
  }
  return { m, n };
}

/**
 * Cholesky factor L (lower, A = L Lᵀ) in float64, or null when A is not
 * (numerically) positive definite. Only the lower triangle of A is read.
 */
export function cholesky64(a: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    // L[j][j] = sqrt(A[j][j] − Σ_k<j L[j][k]²)
    let s = a[j * n + j];
    const rj = j * n;
    for (let k = 0; k < j; k++) s -= L[rj + k] * L[rj + k];
    if (!(s > 0) || !Number.isFinite(s)) return null;
    const d = Math.sqrt(s);
    L[rj + j] = d;
    // L[i][j] = (A[i][j] − Σ_k<j L[i][k] L[j][k]) / L[j][j]
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = a[ri + j];
      for (let k = 0; k < j; k++) t -= L[ri + k] * L[rj + k];
      L[ri + j] = t / d;
    }
  }
  return L;
}

/** log det A = 2 Σ log L_ii from a Cholesky factor. */
export function cholLogDet(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]);
  return 2 * s;
}

/** Solve L y = b in place (forward substitution) for one vector b of length n. */
export function forwardSolve(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const ri = i * n;
    for (let k = 0; k < i; k++) s -= L[ri + k] * b[k];
    b[i] = s / L[ri + i];
  }
}

/** Solve Lᵀ x = y in place (back substitution). */
export function backSolveT(L: Float64Array, n: number, y: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * y[k];
    y[i] = s / L[i * n + i];
  }
}

/** LU with partial pivoting, P A = L U packed in place; sign of P; null when singular. */
export function lu64(a: Float64Array, n: number): { lu: Float64Array; piv: Int32Array; sign: number; singular: boolean } {
  const lu = a.slice();
  const piv = new Int32Array(n);
  let sign = 1, singular = false;
  for (let i = 0; i < n; i++) piv[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k, best = Math.abs(lu[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]);
      if (v > best) { best = v; p = i; }
    }
    if (best === 0) { singular = true; continue; }
    if (p !== k) {
      for (let j = 0; j < n; j++) { const t = lu[k * n + j]; lu[k * n + j] = lu[p * n + j]; lu[p * n + j] = t; }
      const t = piv[k]; piv[k] = piv[p]; piv[p] = t;
      sign = -sign;
    }
    const d = lu[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= d);
      if (f === 0) continue;
      const ri = i * n, rk = k * n;
      for (let j = k + 1; j < n; j++) lu[ri + j] -= f * lu[rk + j];
    }
  }
  return { lu, piv, sign, singular };
}

/** Solve A X = B given lu64(A); B is n x m row-major, returns X (n x m). */
export function luSolve(f: { lu: Float64Array; piv: Int32Array }, n: number, b: Float64Array, m: number): Float64Array {
  const { lu, piv } = f;
  const x = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) x[i * m + j] = b[piv[i] * m + j];
  for (let i = 0; i < n; i++) { // L y = P b (unit diagonal)
    for (let k = 0; k < i; k++) {
      const l = lu[i * n + k];
      if (l !== 0) for (let j = 0; j < m; j++) x[i * m + j] -= l * x[k * m + j];
    }
  }
  for (let i = n - 1; i >= 0; i--) { // U x = y
    for (let k = i + 1; k < n; k++) {
      const u = lu[i * n + k];
      if (u !== 0) for (let j = 0; j < m; j++) x[i * m + j] -= u * x[k * m + j];
    }
    const d = lu[i * n + i];
    for (let j = 0; j < m; j++) x[i * m + j] /= d;
  }
  return x;
}

/** A float64 n x n matrix back to a float32 Tensor. */
export function toTensor(m: Float64Array, shape: number[]): Tensor {
  return new Tensor(Float32Array.from(m), shape);
}
