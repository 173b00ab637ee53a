// Monte-Carlo KL estimates: KL(p‖q) ≈ (1/S) Σ_s [ln p(x_s) − ln q(x_s)], x_s ~ p,
// with the standard error sd / √S of that mean.
import { Tensor } from '../../autograd/tensor.js';
import { cholesky64 } from '../../linalg/dense.js';
import { rngFor, type Rng } from '../../random.js';
import type { MeanLike, CovLike } from './gaussian.js';
import { refuseUnknown, intOption } from '../options.js';

/** Monte Carlo options: the number of draws and their seed. */
export interface MonteCarloOptions { samples?: number; seed?: number }
const MONTE_CARLO_OPTIONS = ['samples', 'seed'];

/** A Monte Carlo KL estimate with its standard error. */
export interface MonteCarloEstimate { estimate: number; stdError: number; samples: number }

/** ln p − ln q values to a mean and a standard error. */
function summarise(diff: ArrayLike<number>): MonteCarloEstimate {
  const n = diff.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += diff[i];
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (diff[i] - m) ** 2;
  v /= Math.max(n - 1, 1);
  if (!Number.isFinite(m)) throw new Error('klMonteCarlo: a log-density was NaN/Inf at a sample; check that q is positive wherever p is');
  return { estimate: m, stdError: Math.sqrt(v / n), samples: n };
}

/**
 * Generic estimate: `sample(n, rng)` draws n points from p as a Tensor [n, ...],
 * `logP` and `logQ` map those points to log-densities [n].
 */
export function klMonteCarlo(
  p: { sample: (n: number, rng: Rng) => Tensor; logProb: (x: Tensor) => Tensor | ArrayLike<number> },
  q: { logProb: (x: Tensor) => Tensor | ArrayLike<number> },
  opts: MonteCarloOptions = {},
): MonteCarloEstimate {
  refuseUnknown(opts, MONTE_CARLO_OPTIONS, 'klMonteCarlo');
  const samples = intOption(opts.samples ?? 10000, 'samples', 'klMonteCarlo', 2);
  const x = p.sample(samples, rngFor(opts.seed));
  const lp = p.logProb(x), lq = q.logProb(x);
  const a = lp instanceof Tensor ? lp.data : lp, b = lq instanceof Tensor ? lq.data : lq;
  if (a.length !== samples || b.length !== samples) throw new Error(`klMonteCarlo: logProb must return one value per sample (${samples}), got ${a.length} and ${b.length}`);
  return summarise(Float64Array.from({ length: samples }, (_, i) => a[i] - b[i]));
}

function vec(mu: MeanLike): Float64Array {
  return mu instanceof Tensor ? Float64Array.from(mu.data) : typeof mu === 'number' ? Float64Array.of(mu) : Float64Array.from(mu as number[]);
}

function mat(c: CovLike, d: number): Float64Array {
  const m = new Float64Array(d * d);
  if (typeof c === 'number') { for (let i = 0; i < d; i++) m[i * d + i] = c; return m; }
  const flat = c instanceof Tensor ? c.data : (c as any[]).flat();
  if (flat.length === d) { for (let i = 0; i < d; i++) m[i * d + i] = flat[i]; return m; }
  if (flat.length !== d * d) throw new Error(`klMonteCarloGaussian: covariance has ${flat.length} entries; expected ${d * d} (full) or ${d} (diagonal)`);
  for (let i = 0; i < d * d; i++) m[i] = flat[i];
  return m;
}

/** ln N(x | μ, LLᵀ) for float64 x via the Cholesky factor. */
function logN(x: Float64Array, mu: Float64Array, L: Float64Array, d: number): number {
  const z = new Float64Array(d);
  let q = 0, ld = 0;
  for (let i = 0; i < d; i++) {
    let s = x[i] - mu[i];
    for (let k = 0; k < i; k++) s -= L[i * d + k] * z[k];
    z[i] = s / L[i * d + i];
    q += z[i] * z[i];
    ld += Math.log(L[i * d + i]);
  }
  return -0.5 * (d * Math.log(2 * Math.PI) + q) - ld;
}

/** Monte-Carlo KL(N0‖N1) in float64 (same argument forms as klGaussian). */
export function klMonteCarloGaussian(mu0: MeanLike, cov0: CovLike, mu1: MeanLike, cov1: CovLike, opts: MonteCarloOptions = {}): MonteCarloEstimate {
  refuseUnknown(opts, MONTE_CARLO_OPTIONS, 'klMonteCarloGaussian');
  const m0 = vec(mu0), m1 = vec(mu1), d = m0.length;
  if (m1.length !== d) throw new Error(`klMonteCarloGaussian: means of different dimension (${d} and ${m1.length})`);
  const L0 = cholesky64(mat(cov0, d), d), L1 = cholesky64(mat(cov1, d), d);
  if (!L0 || !L1) throw new Error('klMonteCarloGaussian: a covariance is not positive definite');
  const n = intOption(opts.samples ?? 10000, 'samples', 'klMonteCarloGaussian', 2);
  const rng = rngFor(opts.seed);
  const diff = new Float64Array(n), z = new Float64Array(d), x = new Float64Array(d);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < d; i++) z[i] = rng.normal();
    for (let i = 0; i < d; i++) { let v = m0[i]; for (let k = 0; k <= i; k++) v += L0[i * d + k] * z[k]; x[i] = v; }
    diff[s] = logN(x, m0, L0, d) - logN(x, m1, L1, d);
  }
  return summarise(diff);
}
