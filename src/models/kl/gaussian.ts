// Closed-form KL divergence between two multivariate Gaussians, any dimension:
//   KL(N0‖N1) = ½ [ tr(Σ1⁻¹Σ0) + (μ1−μ0)ᵀ Σ1⁻¹ (μ1−μ0) − D + ln|Σ1| − ln|Σ0| ]
// computed in float64 through Cholesky factors: with Σ = L Lᵀ,
//   tr(Σ1⁻¹Σ0) = ‖L1⁻¹ L0‖²_F,  mahalanobis = ‖L1⁻¹(μ1−μ0)‖²,  ln|Σ| = 2 Σ ln L_ii.
import { Tensor, fmtShape } from '../../autograd/tensor.js';
import { cholesky64, cholLogDet, forwardSolve } from '../../linalg/dense.js';

/** A mean: a Tensor [D], a number[] or a number (1-D). */
export type MeanLike = Tensor | readonly number[] | number;
/** A covariance: a Tensor [D, D] (full), a Tensor [D] or number[] (diagonal variances), or a number (1-D variance or σ²·I). */
export type CovLike = Tensor | readonly number[] | readonly (readonly number[])[] | number;

function toMean(mu: MeanLike, name: string): Float64Array {
  const v = mu instanceof Tensor ? (mu.ndim <= 1 ? Float64Array.from(mu.data) : null)
    : typeof mu === 'number' ? Float64Array.of(mu) : Array.isArray(mu) ? Float64Array.from(mu as number[]) : null;
  if (!v) throw new Error(`klGaussian: ${name} must be a vector [D] (Tensor or number[]) or a number${mu instanceof Tensor ? `, got shape ${fmtShape(mu.shape)}` : ''}`);
  if (!v.every(Number.isFinite)) throw new Error(`klGaussian: ${name} has NaN/Inf entries`);
  return v;
}

/** A covariance as a full float64 D x D matrix. */
function toCov(cov: CovLike, d: number, name: string): Float64Array {
  const m = new Float64Array(d * d);
  const bad = (why: string): never => { throw new Error(`klGaussian: ${name} ${why}`); };
  if (typeof cov === 'number') {
    for (let i = 0; i < d; i++) m[i * d + i] = cov;
  } else {
    const t = cov instanceof Tensor ? cov : new Tensor(Float32Array.from((cov as any[]).flat() as number[]), Array.isArray((cov as any[])[0]) ? [cov.length, (cov as any[])[0].length] : [cov.length]);
    if (t.ndim === 1 && t.shape[0] === d) {
      for (let i = 0; i < d; i++) m[i * d + i] = t.data[i];
    } else if (t.ndim === 2 && t.shape[0] === d && t.shape[1] === d) {
      for (let i = 0; i < d * d; i++) m[i] = t.data[i];
    } else {
      bad(`has shape ${fmtShape(t.shape)}; expected [${d}, ${d}] (full) or [${d}] (diagonal) to match the mean`);
    }
  }
  if (!m.every(Number.isFinite)) bad('has NaN/Inf entries');
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) {
    const a = m[i * d + j], b = m[j * d + i];
    if (Math.abs(a - b) > 1e-5 * (Math.abs(a) + Math.abs(b)) + 1e-12) bad(`is not symmetric ([${i},${j}] = ${a} but [${j},${i}] = ${b})`);
  }
  return m;
}

function cholOrThrow(m: Float64Array, d: number, name: string): Float64Array {
  const L = cholesky64(m, d);
  if (!L) throw new Error(`klGaussian: ${name} is not positive definite; a Gaussian needs a symmetric positive-definite covariance (add a small multiple of I)`);
  return L;
}

/**
 * KL(N(mu0, cov0) ‖ N(mu1, cov1)) in nats, as a plain number (float64 inside).
 * Means are [D]; covariances full [D, D], diagonal [D], or a number (σ²·I, or
 * the variance in 1-D). Not differentiable (use lk.dist.klStdNormal in models).
 */
export function klGaussian(mu0: MeanLike, cov0: CovLike, mu1: MeanLike, cov1: CovLike): number {
  const m0 = toMean(mu0, 'mu0'), m1 = toMean(mu1, 'mu1');
  const d = m0.length;
  if (m1.length !== d) throw new Error(`klGaussian: mu0 has ${d} entries but mu1 has ${m1.length}; both Gaussians need the same dimension`);
  if (d === 0) throw new Error('klGaussian: the means are empty; need dimension D >= 1');
  const L0 = cholOrThrow(toCov(cov0, d, 'cov0'), d, 'cov0');
  const L1 = cholOrThrow(toCov(cov1, d, 'cov1'), d, 'cov1');
  // tr(Σ1⁻¹Σ0) = Σ_j ‖L1⁻¹ L0[:, j]‖²
  let trace = 0;
  const col = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) col[i] = L0[i * d + j];
    forwardSolve(L1, d, col);
    for (let i = 0; i < d; i++) trace += col[i] * col[i];
  }
  const diff = new Float64Array(d);
  for (let i = 0; i < d; i++) diff[i] = m1[i] - m0[i];
  forwardSolve(L1, d, diff);
  let maha = 0;
  for (let i = 0; i < d; i++) maha += diff[i] * diff[i];
  const kl = 0.5 * (trace + maha - d + cholLogDet(L1, d) - cholLogDet(L0, d));
  return Math.max(kl, 0); // exact KL is >= 0; clamp float rounding of ~1e-16
}
