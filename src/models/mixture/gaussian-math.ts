// Gaussian log-densities for many components at once (the gaussianLogProb
// kernel; diagonal ones through two matmuls) and the float64 weighted
// statistics of the M-steps (the mixtureMoments / mixtureScatter kernels).
//   log N(x | μ, Σ) = −½ (D ln 2π + ‖(x − μ)ᵀ P‖²) + ln|P|,  Σ⁻¹ = P Pᵀ, P = L⁻ᵀ
import { Tensor } from '../../autograd/tensor.js';
import { matmul } from '../../autograd/ops/matmul.js';
import { add, sub, mul, square } from '../../autograd/ops/elementwise.js';
import { kernels } from '../../backend/registry.js';
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

/**
 * log N(x_n | μ_k, Σ_k) + ln w_k for full precisions P_k, shape [N, K], one gaussianLogProb kernel:
 *   bias_k − ½ ‖(x_n − μ_k)ᵀ P_k‖²,  bias_k = ln w_k + ln|P_k| − (D/2) ln 2π   (w_k = 1 when logW is omitted)
 */
export function logProbFull(X: Matrix, means: Float64Array, precs: { P: Float64Array; logDet: number }[], logW?: ArrayLike<number>): Tensor {
  const k = precs.length, d = X.d;
  const P = new Float64Array(k * d * d), bias = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    P.set(precs[j].P, j * d * d);
    bias[j] = (logW ? logW[j] : 0) + precs[j].logDet - 0.5 * d * LOG_2PI;
  }
  const out = new Float32Array(X.n * k);
  kernels().gaussianLogProb(out, X.data, means, P, bias, X.n, d, k);
  return new Tensor(out, [X.n, k]);
}

/** Centre of the component means, subtracted from data and means to limit float32 cancellation. */
function centre(means: Float64Array, k: number, d: number): Float64Array {
  const c = new Float64Array(d);
  for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) c[i] += means[j * d + i] / k;
  return c;
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
  // −½ (a − 2 bx) + const_k, elementwise on the kernel backend
  return add(sub(bx, mul(a, 0.5)), new Tensor(Float32Array.from(constK), [k]));
}

/** N_k = Σ_n r_nk (+10ε so empty components stay finite) and means μ_k = Σ_n r_nk x_n / N_k (mixtureMoments, float64). */
export function weightedMeans(X: Matrix, r: Float32Array, k: number): { nk: Float64Array; means: Float64Array } {
  const d = X.d, nk = new Float64Array(k), means = new Float64Array(k * d);
  kernels().mixtureMoments(nk, means, r, X.data, X.n, d, k);
  for (let j = 0; j < k; j++) {
    nk[j] += 10 * 2.220446049250313e-16;
    for (let i = 0; i < d; i++) means[j * d + i] /= nk[j];
  }
  return { nk, means };
}

/** Scatter S_k = Σ_n r_nk (x_n − μ_k)(x_n − μ_k)ᵀ of every component, [K·D·D] float64 (mixtureScatter). */
export function weightedScatterAll(X: Matrix, r: Float32Array, k: number, means: Float64Array): Float64Array {
  const S = new Float64Array(k * X.d * X.d);
  kernels().mixtureScatter(S, r, X.data, means, X.n, X.d, k, false);
  return S;
}

/** Per-component diagonal variances Σ_n r_nk (x_n − μ_k)² / N_k + reg, [K·D] float64. */
export function weightedVariances(X: Matrix, r: Float32Array, k: number, nk: Float64Array, means: Float64Array, reg: number): Float64Array {
  const d = X.d, v = new Float64Array(k * d * d);
  kernels().mixtureScatter(v, r, X.data, means, X.n, d, k, true);
  const out = v.slice(0, k * d);
  for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) out[j * d + i] = out[j * d + i] / nk[j] + reg;
  return out;
}
