// Top-k eigenpairs of a symmetric positive semi-definite matrix by randomised
// subspace iteration (Halko, Martinsson & Tropp 2011, algorithms 4.4 and 5.3):
//   Q₀ = qr(C Ω),  Ω ~ N(0, 1)^(n×l),  l = k + oversample;
//   Q_{t+1} = qr(C Q_t)   (q power iterations, re-orthonormalised each time);
//   B = Qᵀ C Q = W diag(λ) Wᵀ  (Rayleigh–Ritz),  vectors = Q W[:, :k].
// The error of λ_j decays like (λ_{l+1} / λ_j)^(2q+1). All on the dgemm, qrQ (Householder,
// so a rank-deficient C Q still gives an orthonormal Q) and eigh kernels; a subspace close to the whole space goes to the full eigh instead.
import { kernels } from '../backend/registry.js';
import { Rng } from '../random.js';
import { eigh64 } from './eigh.js';

/** Options of the randomised top-k symmetric eigensolver (subspace iteration). */
export interface TopEighOptions {
  /** Extra subspace columns beyond k (default max(10, k/2)). */
  oversample?: number;
  /** Power iterations q (default 7, scikit-learn's count for small k; it uses 4 for larger k, which is less accurate). */
  iterations?: number;
  /** Seed of the Gaussian start Ω (default 0). */
  seed?: number;
}

/** The k largest eigenvalues (descending) and their eigenvectors (columns of an n x k row-major matrix). */
export function topEigh64(c: Float64Array, n: number, k: number, opts: TopEighOptions = {}):
  { values: Float64Array; vectors: Float64Array } {
  const p = opts.oversample ?? Math.max(10, Math.ceil(k / 2));
  const q = opts.iterations ?? 7;
  const l = Math.min(n, k + p);
  if (l >= 0.8 * n || n <= 32) return fromFull(c, n, k);
  const K = kernels();
  const rng = new Rng(opts.seed ?? 0);
  const omega = new Float64Array(n * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  // The power steps only steer the subspace, so their products C Q run on the float32 matmul
  // kernel (2-4x faster than dgemm; the subspace is then off by ~1e-7, which moves the Ritz values
  // by ~1e-14 since Rayleigh quotients are quadratic in it); QR and Rayleigh–Ritz stay float64.
  const c32 = new Float32Array(c), q32 = new Float32Array(n * l), y32 = new Float32Array(n * l);
  let Q = new Float64Array(n * l);
  const Y = new Float64Array(n * l);
  K.dgemm(Q, c, omega, n, n, l, false, false);
  K.qrQ(Q, n, l);
  for (let t = 0; t < q; t++) {
    q32.set(Q);
    K.matmul(y32, c32, q32, 1, n, n, l, false, false);
    Q = new Float64Array(y32);
    K.qrQ(Q, n, l);
  }
  K.dgemm(Y, c, Q, n, n, l, false, false);
  const B = new Float64Array(l * l);
  K.dgemm(B, Q, Y, l, n, l, true, false);
  const { values: lam, vectors: W } = eigh64(B, l); // B is symmetrised inside eigh
  const Wk = new Float64Array(l * k);
  for (let i = 0; i < l; i++) for (let j = 0; j < k; j++) Wk[i * k + j] = W[i * l + j];
  const vectors = new Float64Array(n * k);
  K.dgemm(vectors, Q, Wk, n, l, k, false, false);
  // sign convention of eigh: the largest-magnitude entry of each vector positive
  for (let j = 0; j < k; j++) {
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(vectors[i * k + j]) > Math.abs(big)) big = vectors[i * k + j];
    if (big < 0) for (let i = 0; i < n; i++) vectors[i * k + j] = -vectors[i * k + j];
  }
  return { values: lam.slice(0, k), vectors };
}

function fromFull(c: Float64Array, n: number, k: number): { values: Float64Array; vectors: Float64Array } {
  const { values, vectors } = eigh64(c, n);
  const v = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) v[i * k + j] = vectors[i * n + j];
  return { values: values.slice(0, k), vectors: v };
}
