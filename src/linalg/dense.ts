// Float64 dense linear algebra on row-major n x n matrices (Float64Array), as
// thin calls of the linalg kernels of the current backend (kernels.linalg.spec.mjs).
// The Tensor-facing wrappers are in index.ts.
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { kernels } from '../backend/registry.js';

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
  if (n === 0) return new Float64Array(0);
  const L = new Float64Array(n * n), info = new Int32Array(1);
  kernels().cholesky(L, info, a, n);
  return info[0] === 0 ? L : null;
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

/** B [n, m] ← L⁻¹ B (or L⁻ᵀ B when trans) for a lower-triangular L, many right-hand sides at once. */
export function triSolve64(L: Float64Array, n: number, b: Float64Array, m: number, trans: boolean): void {
  if (n > 0 && m > 0) kernels().triSolve(b, L, n, m, trans);
}

/** LU with partial pivoting, P A = L U packed (a copy of a); sign of P; singular when a pivot is 0. */
export function lu64(a: Float64Array, n: number): { lu: Float64Array; piv: Int32Array; sign: number; singular: boolean } {
  const lu = a.slice(), piv = new Int32Array(n);
  if (n > 0) kernels().lu(lu, piv, n);
  let singular = false;
  for (let i = 0; i < n; i++) if (lu[i * n + i] === 0) singular = true;
  // sign of the permutation: (−1)^(n − number of cycles)
  const seen = new Uint8Array(n);
  let sign = 1;
  for (let i = 0; i < n; i++) {
    if (seen[i]) continue;
    let len = 0;
    for (let j = i; !seen[j]; j = piv[j]) { seen[j] = 1; len++; }
    if (len % 2 === 0) sign = -sign;
  }
  return { lu, piv, sign, singular };
}

/** Solve A X = B given lu64(A); B is n x m row-major, returns X (n x m). */
export function luSolve(f: { lu: Float64Array; piv: Int32Array }, n: number, b: Float64Array, m: number): Float64Array {
  const x = new Float64Array(n * m);
  if (n > 0 && m > 0) kernels().luSolve(x, f.lu, f.piv, b, n, m);
  return x;
}

/** A float64 matrix back to a float32 Tensor. */
export function toTensor(m: Float64Array, shape: number[]): Tensor {
  return new Tensor(new Float32Array(m), shape); // the typed-array constructor copies natively (from() iterates)
}
