// Gaussian log-densities for many components at once (on the kernel backend
// through lk.matmul) and the float64 weighted statistics of the M-steps.
//   log N(x | μ, Σ) = −½ (D ln 2π + ‖(x − μ)ᵀ P‖²) + ln|P|,  Σ⁻¹ = P Pᵀ, P = L⁻ᵀ
import { Tensor } from '../../autograd/tensor.js';
import { matmul } from '../../autograd/ops/matmul.js';
import { sub, square } from '../../autograd/ops/elementwise.js';
import { cholesky64, forwardSolve } from '../../linalg/dense.js';
import type { Matrix } from '../input.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** The message every collapsed-component error carries. */
export function collapseError(model: string, what: string, regCovar: number): Error {
  return new Error(`${model}: ${what} is not positive definite (a component collapsed onto too few or identical points); increase regCovar (now ${regCovar}), reduce nComponents or scale the data`);
}

/** P = L⁻ᵀ (upper triangular) and ln|P| = −Σ ln L_ii for Σ = L Lᵀ; null if Σ is not SPD. */
export function precisionCholesky(cov: Float64Array, d: number): { P: Float64Array; logDet: number } | null {
  const L = cholesky64(cov, d);
  if (!L) return null;
  const P = new Float64Array(d * d);
  const col = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    col.fill(0); col[j] = 1;
    forwardSolve(L, d, col); // column j of L⁻¹
    for (let i = 0; i < d; i++) P[j * d + i] = col[i]; // (L⁻¹)ᵀ[j][i] = L⁻¹[i][j]
  }
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet -= Math.log(L[i * d + i]);
  return { P, logDet };
}

/** Centre of the component means, subtracted from data and means to limit float32 cancellation. */
function centre(means: Float64Array, k: number, d: number): Float64Array {
  const c = new Float64Array(d);
  for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) c[i] += means[j * d + i] / k;
  return c;
}

/** log N(x_n | μ_k, Σ_k) for full precisions P_k (one matmul X·[P_1 … P_K]), shape [N, K]. */
export function logProbFull(X: Matrix, means: Float64Array, precs: { P: Float64Array; logDet: number }[]): Tensor {
  const k = precs.length, d = X.d;
  const c = centre(means, k, d);
  const Xc = sub(X.t, new Tensor(Float32Array.from(c), [d]));
  const Pcat = new Float32Array(d * k * d), b = new Float32Array(k * d);
  for (let j = 0; j < k; j++) {
    const P = precs[j].P;
    for (let r = 0; r < d; r++) for (let s = 0; s < d; s++) Pcat[r * k * d + j * d + s] = P[r * d + s];
    for (let s = 0; s < d; s++) {
      let t = 0;
      for (let r = 0; r < d; r++) t += (means[j * d + r] - c[r]) * P[r * d + s];
      b[j * d + s] = t;
    }
  }
  const Y = matmul(Xc, new Tensor(Pcat, [d, k * d])).data; // [N, K·D] on the kernel backend
  // ‖(x − μ_k)ᵀ P_k‖² = Σ_s (Y[n, k·D + s] − b[k·D + s])², summed in one pass
  const out = new Float32Array(X.n * k);
  for (let n = 0; n < X.n; n++) {
    const row = n * k * d;
    for (let j = 0; j < k; j++) {
      let maha = 0;
      for (let s = 0; s < d; s++) { const t = Y[row + j * d + s] - b[j * d + s]; maha += t * t; }
      out[n * k + j] = -0.5 * (d * LOG_2PI + maha) + precs[j].logDet;
    }
  }
  return new Tensor(out, [X.n, k]);
}

/**
 * log N(x_n | μ_k, diag v_k), shape [N, K], with the two matmuls of
 * Σ_d (x−μ)²/v = (x²)·(1/v) − 2 x·(μ/v) + Σ μ²/v.
 */
export function logProbDiag(X: Matrix, means: Float64Array, vars: Float64Array, k: number): Tensor {
  const d = X.d;
  const c = centre(means, k, d);
  const Xc = sub(X.t, new Tensor(Float32Array.from(c), [d]));
  const inv = new Float32Array(k * d), muInv = new Float32Array(k * d);
  const constK = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0, ld = 0;
    for (let i = 0; i < d; i++) {
      const v = vars[j * d + i], m = means[j * d + i] - c[i];
      inv[j * d + i] = 1 / v;
      muInv[j * d + i] = m / v;
      s += (m * m) / v;
      ld += Math.log(v);
    }
    constK[j] = -0.5 * (d * LOG_2PI + s + ld);
  }
  const a = matmul(square(Xc), new Tensor(inv, [k, d]), { transposeB: true });
  const bx = matmul(Xc, new Tensor(muInv, [k, d]), { transposeB: true });
  const out = new Float32Array(X.n * k);
  for (let i = 0; i < out.length; i++) {
    out[i] = -0.5 * (a.data[i] - 2 * bx.data[i]) + constK[i % k];
  }
  return new Tensor(out, [X.n, k]);
}

/** N_k = Σ_n r_nk (+10ε so empty components stay finite) and means μ_k = Σ_n r_nk x_n / N_k, in float64. */
export function weightedMeans(X: Matrix, r: Float64Array, k: number): { nk: Float64Array; means: Float64Array } {
  const d = X.d, x = X.data;
  const nk = new Float64Array(k).fill(10 * 2.220446049250313e-16), means = new Float64Array(k * d);
  for (let n = 0; n < X.n; n++) {
    for (let j = 0; j < k; j++) {
      const w = r[n * k + j];
      if (w === 0) continue;
      nk[j] += w;
      const row = n * d, mj = j * d;
      for (let i = 0; i < d; i++) means[mj + i] += w * x[row + i];
    }
  }
  for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) means[j * d + i] /= nk[j];
  return { nk, means };
}

/**
 * Scatter S = Σ_n r_nk (x_n − μ)(x_n − μ)ᵀ of component j (D x D, float64).
 * Small problems accumulate in float64 loops; big ones use one matmul of the
 * centred, √r-weighted data on the kernel backend.
 */
export function weightedScatterAll(X: Matrix, r: Float64Array, k: number, means: Float64Array): Float64Array[] {
  const d = X.d, n = X.n, x = X.data;
  if (n * d * d > 4e7) return Array.from({ length: k }, (_, j) => weightedScatter(X, r, k, j, means, j * d));
  // one pass over the samples for every component (upper triangles, then mirrored)
  const S = Array.from({ length: k }, () => new Float64Array(d * d));
  const diff = new Float64Array(d);
  for (let s = 0; s < n; s++) {
    const xr = s * d;
    for (let j = 0; j < k; j++) {
      const w = r[s * k + j];
      if (w === 0) continue;
      const Sj = S[j], mj = j * d;
      for (let i = 0; i < d; i++) diff[i] = x[xr + i] - means[mj + i];
      for (let a = 0; a < d; a++) {
        const wa = w * diff[a], ra = a * d;
        for (let b = a; b < d; b++) Sj[ra + b] += wa * diff[b];
      }
    }
  }
  for (const Sj of S) for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) Sj[a * d + b] = Sj[b * d + a];
  return S;
}

export function weightedScatter(X: Matrix, r: Float64Array, k: number, j: number, mu: Float64Array, muOff = 0): Float64Array {
  const d = X.d, n = X.n, x = X.data;
  const S = new Float64Array(d * d);
  if (n * d * d <= 4e7) {
    const diff = new Float64Array(d);
    for (let s = 0; s < n; s++) {
      const w = r[s * k + j];
      if (w === 0) continue;
      for (let i = 0; i < d; i++) diff[i] = x[s * d + i] - mu[muOff + i];
      for (let a = 0; a < d; a++) {
        const wa = w * diff[a];
        const ra = a * d;
        for (let b = a; b < d; b++) S[ra + b] += wa * diff[b];
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) S[a * d + b] = S[b * d + a];
    return S;
  }
  const Z = new Float32Array(n * d);
  for (let s = 0; s < n; s++) {
    const w = Math.sqrt(r[s * k + j]);
    for (let i = 0; i < d; i++) Z[s * d + i] = w * (x[s * d + i] - mu[muOff + i]);
  }
  const zt = new Tensor(Z, [n, d]);
  const C = matmul(zt, zt, { transposeA: true });
  for (let i = 0; i < d * d; i++) S[i] = C.data[i];
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) { const v = 0.5 * (S[a * d + b] + S[b * d + a]); S[a * d + b] = v; S[b * d + a] = v; }
  return S;
}

/** Per-component diagonal variances Σ_n r_nk (x_n − μ_k)² / N_k + reg, [K·D] float64. */
export function weightedVariances(X: Matrix, r: Float64Array, k: number, nk: Float64Array, means: Float64Array, reg: number): Float64Array {
  const d = X.d, x = X.data;
  const v = new Float64Array(k * d);
  for (let s = 0; s < X.n; s++) {
    for (let j = 0; j < k; j++) {
      const w = r[s * k + j];
      if (w === 0) continue;
      for (let i = 0; i < d; i++) { const t = x[s * d + i] - means[j * d + i]; v[j * d + i] += w * t * t; }
    }
  }
  for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) v[j * d + i] = v[j * d + i] / nk[j] + reg;
  return v;
}
