// Gaussian mixture fitted by EM, in log space (scikit-learn's GaussianMixture):
//   E-step  log r_nk = ln w_k + ln N(x_n | μ_k, Σ_k) − logsumexp_j(...)
//   M-step  N_k = Σ_n r_nk,  w_k = N_k / N,  μ_k = Σ_n r_nk x_n / N_k,
//           Σ_k = Σ_n r_nk (x_n − μ_k)(x_n − μ_k)ᵀ / N_k + regCovar·I
// with covariance types full [K,D,D], diag [K,D], spherical [K], tied [D,D].
// Every pass over the samples is a kernel: gaussianLogProb (E-step, full/tied),
// logsumexp, mixtureMoments (N_k, Σ r x) and mixtureScatter (float64 scatter).
import { Tensor, fmtShape } from '../../autograd/tensor.js';
import { tensor, type NestedArray } from '../../autograd/creation.js';
import type { Rng } from '../../random.js';
import { cholesky64 } from '../../linalg/dense.js';
import { MixtureBase, type MixtureOptions } from './base.js';
import type { Matrix } from '../input.js';
import { numOption, enumOption, needFitted } from '../options.js';
import {
  collapseError, precisionCholesky, logProbFull, logProbDiag, weightedMeans, weightedScatterAll, weightedVariances,
} from './gaussian-math.js';
import { KMeans } from '../kmeans.js';

/** The covariance form of each component, as scikit-learn: one full matrix, a diagonal, one variance, or one matrix shared by all. */
export type CovarianceType = 'full' | 'diag' | 'spherical' | 'tied';

/** A given start for GaussianMixture: weights [K], means [K, D] and covariances (shaped by covarianceType), as Tensors or nested arrays. */
export interface GaussianInit {
  weights?: Tensor | readonly number[];
  means: Tensor | readonly (readonly number[])[];
  /** In the shape of covarianceType (a Tensor or nested arrays: full [K][D][D], diag [K][D], spherical [K], tied [D][D]), or a number c meaning c·I for every component. */
  covariances?: Tensor | number | readonly number[] | readonly (readonly number[])[] | readonly (readonly (readonly number[])[])[];
}

/** Options of GaussianMixture: the mixture options plus covarianceType, regCovar and init (scikit-learn's names). */
export interface GaussianMixtureOptions extends MixtureOptions {
  covarianceType?: CovarianceType;
  /** Added to the covariance diagonal in every M-step (keeps components positive definite). */
  regCovar?: number;
  init?: 'kmeans' | 'random' | GaussianInit;
}

type GaussianParams = { weights: Float64Array; means: Float64Array; covs: Float64Array };

/** Gaussian mixture fitted by EM in log space (scikit-learn's GaussianMixture), its E- and M-steps on kernels. */
export class GaussianMixture extends MixtureBase<GaussianParams> {
  /** The model's name in files. */
  static readonly kind = 'GaussianMixture';
  readonly covarianceType: CovarianceType;
  regCovar: number;
  init: 'kmeans' | 'random' | GaussianInit;
  private w: Float64Array = new Float64Array(0);
  private mu: Float64Array = new Float64Array(0);
  /** full: K·D·D, tied: D·D, diag: K·D, spherical: K. */
  private cov: Float64Array = new Float64Array(0);
  private precs: { P: Float64Array; logDet: number }[] = [];

  constructor(opts: GaussianMixtureOptions) {
    super(opts, { maxIter: 100, tol: 1e-3 }, 'GaussianMixture', ['covarianceType', 'regCovar', 'init']);
    this.covarianceType = enumOption(opts.covarianceType ?? 'full', 'covarianceType', 'GaussianMixture', ['full', 'diag', 'spherical', 'tied']);
    this.regCovar = numOption(opts.regCovar ?? 1e-6, 'regCovar', 'GaussianMixture');
    this.init = opts.init ?? 'kmeans';
    if (typeof this.init === 'string' && this.init !== 'kmeans' && this.init !== 'random') {
      throw new Error(`GaussianMixture: init must be 'kmeans', 'random' or {weights, means, covariances}, got '${this.init}'`);
    }
  }

  /** Mixing weights [K]. */
  get weights(): Tensor { needFitted(this.fitted, 'weights', this.name); return new Tensor(Float32Array.from(this.w), [this.nComponents]); }
  /** Component means [K, D]. */
  get means(): Tensor { needFitted(this.fitted, 'means', this.name); return new Tensor(Float32Array.from(this.mu), [this.nComponents, this.nFeatures]); }
  /** Covariances shaped by covarianceType: full [K,D,D], diag [K,D], spherical [K], tied [D,D]. */
  get covariances(): Tensor {
    needFitted(this.fitted, 'covariances', this.name);
    return new Tensor(Float32Array.from(this.cov), this.covShape(this.nComponents, this.nFeatures));
  }

  private covShape(k: number, d: number): number[] {
    return { full: [k, d, d], diag: [k, d], spherical: [k], tied: [d, d] }[this.covarianceType];
  }

  protected initParams(X: Matrix, rng: Rng): void {
    const k = this.nComponents;
    if (typeof this.init === 'object') return this.setGiven(this.init, X.d);
    const r = new Float32Array(X.n * k);
    if (this.init === 'kmeans') {
      const labels = new KMeans({ nClusters: k, nInit: 1, seed: rng.nextUint32() }).fit(X.t).labels!;
      for (let n = 0; n < X.n; n++) r[n * k + labels[n]] = 1;
    } else {
      const u = new Float64Array(k);
      for (let n = 0; n < X.n; n++) {
        let s = 0;
        for (let j = 0; j < k; j++) { u[j] = rng.uniform(); s += u[j]; }
        for (let j = 0; j < k; j++) r[n * k + j] = u[j] / s;
      }
    }
    this.mStepResp(X, r);
  }

  private setGiven(g: GaussianInit, d: number): void {
    const k = this.nComponents, bad = (m: string): never => { throw new Error(`GaussianMixture init: ${m}`); };
    if (!g.means) bad('means [K, D] are required when init is an object');
    const asTensor = (v: Tensor | NestedArray, what: string): Tensor => {
      if (v instanceof Tensor) return v;
      try { return tensor(v as NestedArray); } catch (e) { return bad(`${what} must be a Tensor or nested arrays of numbers: ${(e as Error).message}`); }
    };
    const means = asTensor(g.means as Tensor | NestedArray, 'means');
    if (means.ndim !== 2 || means.shape[0] !== k || means.shape[1] !== d) bad(`means have shape ${fmtShape(means.shape)}; expected [${k}, ${d}]`);
    const w = g.weights === undefined ? new Float64Array(k).fill(1 / k) : Float64Array.from(g.weights instanceof Tensor ? g.weights.data : g.weights);
    if (w.length !== k || w.some((v) => !(v >= 0))) bad(`weights must be ${k} non-negative numbers`);
    const ws = w.reduce((a, b) => a + b, 0);
    if (!(Math.abs(ws - 1) < 1e-4)) bad(`weights sum to ${ws}; they must sum to 1`);
    const shape = this.covShape(k, d);
    let cov: Float64Array;
    let c = g.covariances ?? 1;
    if (typeof c === 'number') {
      if (!(c > 0)) bad('a scalar covariance must be positive (it means c·I)');
      cov = new Float64Array(shape.reduce((a, b) => a * b, 1));
      if (this.covarianceType === 'full' || this.covarianceType === 'tied') {
        const m = this.covarianceType === 'full' ? k : 1;
        for (let j = 0; j < m; j++) for (let i = 0; i < d; i++) cov[j * d * d + i * d + i] = c;
      } else cov.fill(c);
    } else {
      c = asTensor(c as Tensor | NestedArray, 'covariances');
      if (c.shape.join() !== shape.join()) bad(`covariances have shape ${fmtShape(c.shape)}; covarianceType '${this.covarianceType}' needs ${fmtShape(shape)}`);
      cov = Float64Array.from(c.data);
    }
    if (![...w, ...means.data, ...cov].every(Number.isFinite)) bad('weights, means and covariances must be finite');
    this.setParams({ weights: w.map((v) => v / ws), means: Float64Array.from(means.data), covs: cov });
  }

  protected mStep(X: Matrix, resp: Tensor): void {
    this.mStepResp(X, resp.data);
  }

  private mStepResp(X: Matrix, r: Float32Array): void {
    const k = this.nComponents, d = X.d, reg = this.regCovar;
    const { nk, means } = weightedMeans(X, r, k);
    const weights = nk.map((v) => v / X.n);
    let covs: Float64Array;
    if (this.covarianceType === 'full' || this.covarianceType === 'tied') {
      covs = new Float64Array(this.covarianceType === 'full' ? k * d * d : d * d);
      const S = weightedScatterAll(X, r, k, means); // [K, D, D]
      for (let j = 0; j < k; j++) {
        const off = this.covarianceType === 'full' ? j * d * d : 0;
        const div = this.covarianceType === 'full' ? nk[j] : X.n;
        for (let i = 0; i < d * d; i++) covs[off + i] += S[j * d * d + i] / div;
      }
      const m = this.covarianceType === 'full' ? k : 1;
      for (let j = 0; j < m; j++) for (let i = 0; i < d; i++) covs[j * d * d + i * d + i] += reg;
    } else {
      const v = weightedVariances(X, r, k, nk, means, reg);
      if (this.covarianceType === 'diag') covs = v;
      else {
        covs = new Float64Array(k);
        for (let j = 0; j < k; j++) { let s = 0; for (let i = 0; i < d; i++) s += v[j * d + i]; covs[j] = s / d; }
      }
    }
    this.nFeatures = d;
    this.setParams({ weights, means, covs });
  }

  protected paramShapes() {
    const k = this.nComponents, d = this.nFeatures;
    return { weights: [k], means: [k, d], covs: this.covShape(k, d) };
  }

  /** init is saved when it is a name ('kmeans', 'random'); a loaded model given an object init refits with 'kmeans'. */
  protected ownConfig() {
    return { covarianceType: this.covarianceType, regCovar: this.regCovar, ...(typeof this.init === 'string' ? { init: this.init } : {}) };
  }

  protected getParams(): GaussianParams { return { weights: this.w.slice(), means: this.mu.slice(), covs: this.cov.slice() }; }

  /** Install parameters and precompute precision Cholesky factors (throws the regCovar error if one fails). */
  protected setParams(p: GaussianParams): void {
    const k = this.nComponents, d = p.means.length / k;
    this.w = p.weights; this.mu = p.means; this.cov = p.covs; this.nFeatures = d;
    this.precs = [];
    // A variance below float32 resolution of the data, (2⁻²³ max|μ|)², counts as collapsed.
    const floor = new Float64Array(d);
    for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) floor[i] = Math.max(floor[i], (p.means[j * d + i] * 2 ** -23) ** 2);
    const floorMax = Math.max(0, ...floor);
    if (this.covarianceType === 'full' || this.covarianceType === 'tied') {
      const m = this.covarianceType === 'full' ? k : 1;
      for (let j = 0; j < m; j++) {
        const what = this.covarianceType === 'tied' ? 'the tied covariance' : `the covariance of component ${j}`;
        const pc = precisionCholesky(p.covs.subarray(j * d * d, (j + 1) * d * d), d);
        // P = L⁻ᵀ, so P_ii = 1/L_ii; a pivot L_ii² at or below the floor is a collapse
        if (!pc || pc.P.some((v, t) => t % (d + 1) === 0 && !(1 / (v * v) > floor[t / (d + 1)]))) {
          throw collapseError('GaussianMixture', what, this.regCovar);
        }
        this.precs.push(pc);
      }
    } else {
      const bad = this.covarianceType === 'diag' ? p.covs.some((v, t) => !(v > floor[t % d])) : p.covs.some((v) => !(v > floorMax));
      if (bad) throw collapseError('GaussianMixture', `a ${this.covarianceType} variance`, this.regCovar);
    }
  }

  protected mixingWeights(): Float64Array { return this.w; }

  /** ln w_k + log N(x | μ_k, Σ_k): full and tied fold ln w_k into the kernel's bias. */
  protected override weightedLogProb(X: Matrix): Tensor {
    if (this.covarianceType === 'full') return logProbFull(X, this.mu, this.precs, this.w.map(Math.log));
    if (this.covarianceType === 'tied') return logProbFull(X, this.mu, Array(this.nComponents).fill(this.precs[0]), this.w.map(Math.log));
    return super.weightedLogProb(X);
  }

  protected componentLogProb(X: Matrix): Tensor {
    const k = this.nComponents, d = X.d;
    if (this.covarianceType === 'full') return logProbFull(X, this.mu, this.precs);
    if (this.covarianceType === 'tied') return logProbFull(X, this.mu, Array(k).fill(this.precs[0]));
    const v = this.covarianceType === 'diag' ? this.cov : Float64Array.from({ length: k * d }, (_, i) => this.cov[Math.floor(i / d)]);
    return logProbDiag(X, this.mu, v, k);
  }

  protected nParameters(): number {
    const k = this.nComponents, d = this.nFeatures;
    const cov = { full: (k * d * (d + 1)) / 2, diag: k * d, spherical: k, tied: (d * (d + 1)) / 2 }[this.covarianceType];
    return cov + k * d + k - 1;
  }

  /** x = μ_k + L_k z, z ~ N(0, I), with Σ_k = L_k L_kᵀ. */
  protected drawComponent(j: number, count: number, rng: Rng, x: Float32Array, row: number): void {
    const d = this.nFeatures, z = new Float64Array(d);
    let L: Float64Array;
    if (this.covarianceType === 'full' || this.covarianceType === 'tied') {
      const off = this.covarianceType === 'full' ? j * d * d : 0;
      L = cholesky64(this.cov.subarray(off, off + d * d), d)!;
    } else {
      L = new Float64Array(d * d);
      for (let i = 0; i < d; i++) L[i * d + i] = Math.sqrt(this.covarianceType === 'diag' ? this.cov[j * d + i] : this.cov[j]);
    }
    for (let c = 0; c < count; c++, row++) {
      for (let i = 0; i < d; i++) z[i] = rng.normal();
      for (let i = 0; i < d; i++) {
        let s = this.mu[j * d + i];
        for (let t = 0; t <= i; t++) s += L[i * d + t] * z[t];
        x[row * d + i] = s;
      }
    }
  }
}
