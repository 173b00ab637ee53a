// Symmetric eigendecomposition in float64 on the eigh kernel of the current
// backend (Householder tridiagonalisation + implicit QL, see kernels.linalg.spec.mjs),
// and the symmetry check that lk.linalg.eigh applies before it.
import { kernels } from '../backend/registry.js';

/**
 * Eigenvalues (descending) and eigenvectors of the symmetric n x n float64
 * matrix a (row-major; it is symmetrised as (a + aᵀ)/2).
 * Returns values [n] and vectors row-major n x n with eigenvector j in column j.
 */
export function eigh64(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const values = new Float64Array(n), vectors = new Float64Array(n * n);
  if (n > 0) kernels().eigh(values, vectors, a, n);
  if (values.some(Number.isNaN)) {
    throw new Error(`eigh: the QL iteration did not converge for the ${n}x${n} matrix; check that it is symmetric and finite (and scale it if its entries span many orders of magnitude)`);
  }
  return { values, vectors };
}

/**
 * Throws unless a is symmetric to float32 round-off: |a_ij − a_ji| ≤ tol · max|a|
 * (tol = 1e-5 by default, room for a float32 covariance accumulated in another order).
 */
export function assertSymmetric(a: Float64Array, n: number, op: string, tol = 1e-5): void {
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(a[i]));
  const lim = tol * scale;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const diff = Math.abs(a[i * n + j] - a[j * n + i]);
    if (diff > lim) {
      throw new Error(`${op}: the matrix is not symmetric: a[${i},${j}] = ${a[i * n + j]} but a[${j},${i}] = ${a[j * n + i]}; `
        + 'eigh is for symmetric matrices only: pass (A + Aᵀ)/2 if the asymmetry is round-off');
    }
  }
}
