// Semi-supervised Gaussian discriminant analysis by EM: two classes with full
// covariances, fitted to labeled pairs (x, y) plus λ-weighted unlabeled x.
// The hybrid objective
//   J = Σ_labeled ln p(x_l, y_l) + λ Σ_unlabeled ln Σ_j p(x_u, j),
//   p(x, j) = φ_j N(x | μ_j, Σ_j),  φ_1 = phi, φ_0 = 1 − phi,
// never decreases: the E-step sets w_uj = p(j | x_u); the M-step is the GDA
// estimate with every labeled sample weight 1 on its class and every
// unlabeled sample weight λ w_uj on class j. The loop is the mixtures' EM
// loop (em.ts) with the labeled responsibilities held fixed at one-hot.
// Files, fitAsync and failed fits that change nothing: ClassicalModel (persist.ts).
import { Tensor } from '../../autograd/tensor.js';
import { noGrad } from '../../autograd/engine.js';
import { asMatrix, type Matrix, type MatrixLike } from '../input.js';
import { intOption, numOption, boolOption, callbackOption, signalOption, refuseUnknown, needFitted } from '../options.js';
import { softmax } from '../../autograd/ops/reduce.js';
import { mul } from '../../autograd/ops/elementwise.js';
import { kernels } from '../../backend/registry.js';
import { collapseError, precisionCholesky, logProbFull, weightedScatterAll } from './gaussian-math.js';
import { emSteps, type IterationCallback } from './em.js';
import { ClassicalModel, float64Tensors, type FitSteps, type ModelState, type StateReader } from '../persist.js';

/** Options of SemiSupervisedGDA: lambda (the weight of the unlabelled data), maxIter, tol, regCovar, onIteration, signal, warnings. */
export interface SemiSupervisedGDAOptions {
  /** Weight of the unlabeled data in the objective. */
  lambda?: number;
  maxIter?: number;
  /** Stop when J / (nLabeled + λ nUnlabeled) changes by less than tol. */
  tol?: number;
  regCovar?: number;
  /** Called after each EM step with {iter, logLikelihood: J per weighted sample, run}; return false to stop. */
  onIteration?: IterationCallback;
  /** Aborting the signal stops the fit after the current step. */
  signal?: AbortSignal;
  /** Print a warning when EM stops at maxIter without converging (default false: the course runs a fixed number of steps). */
  warnings?: boolean;
}

/** One block of samples with its responsibilities [n, 2]. */
interface Part { X: Matrix; R: Float32Array }

const GDA_OPTIONS = ['lambda', 'maxIter', 'tol', 'regCovar', 'onIteration', 'signal', 'warnings'];

/** Two-class Gaussian discriminant analysis fitted by EM to labeled and unlabeled data. */
export class SemiSupervisedGDA extends ClassicalModel {
  /** The model's name in files. */
  static readonly kind = 'SemiSupervisedGDA';
  lambda: number;
  maxIter: number;
  tol: number;
  regCovar: number;
  onIteration?: IterationCallback;
  signal?: AbortSignal;
  warnings: boolean;
  logLikelihoodHistory: number[] = [];
  converged = false;
  nIter = 0;
  private phiV = NaN;
  private mu: Float64Array = new Float64Array(0);
  private cov: Float64Array = new Float64Array(0);
  private precs: { P: Float64Array; logDet: number }[] = [];
  private d = 0;
  private fitted = false;

  constructor(opts: SemiSupervisedGDAOptions = {}) {
    super();
    refuseUnknown(opts, GDA_OPTIONS, 'SemiSupervisedGDA');
    this.lambda = numOption(opts.lambda ?? 1, 'lambda', 'SemiSupervisedGDA');
    this.maxIter = intOption(opts.maxIter ?? 100, 'maxIter', 'SemiSupervisedGDA', 0);
    this.tol = numOption(opts.tol ?? 1e-5, 'tol', 'SemiSupervisedGDA');
    this.regCovar = numOption(opts.regCovar ?? 1e-6, 'regCovar', 'SemiSupervisedGDA');
    this.onIteration = callbackOption(opts.onIteration, 'onIteration', 'SemiSupervisedGDA');
    this.signal = signalOption(opts.signal, 'SemiSupervisedGDA');
    this.warnings = boolOption(opts.warnings ?? false, 'warnings', 'SemiSupervisedGDA');
  }

  /** P(y = 1). */
  get phi(): number { this.need('phi'); return this.phiV; }
  /** Class means [2, D]. */
  get means(): Tensor { this.need('means'); return new Tensor(Float32Array.from(this.mu), [2, this.d]); }
  /** Class covariances [2, D, D]. */
  get covariances(): Tensor { this.need('covariances'); return new Tensor(Float32Array.from(this.cov), [2, this.d, this.d]); }

  private need(op: string): void { needFitted(this.fitted, op, 'SemiSupervisedGDA'); }

  get kind(): string { return 'SemiSupervisedGDA'; }
  protected isFitted(): boolean { return this.fitted; }

  protected state(): ModelState {
    const d = this.d;
    return {
      config: { lambda: this.lambda, maxIter: this.maxIter, tol: this.tol, regCovar: this.regCovar, warnings: this.warnings },
      tensors: [...float64Tensors('means', this.mu, [2, d]), ...float64Tensors('covariances', this.cov, [2, d, d])],
      extra: { phi: this.phiV, nIter: this.nIter, converged: this.converged, logLikelihoodHistory: this.logLikelihoodHistory },
    };
  }

  protected restore(r: StateReader): void {
    const mu = r.float64('means', [2, -1]), d = mu.shape[1];
    if (d < 1) r.fail('stores means with no features');
    const cov = r.float64('covariances', [2, d, d]).data;
    const phi = r.num('phi');
    if (!(phi > 0 && phi < 1)) r.fail(`has phi = ${phi}; it must lie in (0, 1)`);
    this.install(phi, mu.data, cov, d);
    this.nIter = r.num('nIter', { int: true, min: 0 });
    this.converged = r.bool('converged');
    this.logLikelihoodHistory = r.numbers('logLikelihoodHistory');
    this.fitted = true;
  }

  /** Set φ, μ, Σ and the precision factors P_j (Σ_j⁻¹ = P_j P_jᵀ); throws the regCovar error when a Σ_j is not SPD. */
  private install(phi: number, mu: Float64Array, cov: Float64Array, d: number): void {
    const precs = [0, 1].map((j) => {
      const p = precisionCholesky(cov.subarray(j * d * d, (j + 1) * d * d), d);
      if (!p) throw collapseError('SemiSupervisedGDA', `the covariance of class ${j}`, this.regCovar);
      return p;
    });
    this.phiV = phi; this.mu = mu; this.cov = cov; this.d = d; this.precs = precs;
  }

  /**
   * Fit from labeled data (xLabeled [Nl, D], yLabeled with 0/1 entries) and
   * optional unlabeled data [Nu, D]; starts from the labeled-only GDA estimate.
   * A fit that throws leaves the model as it was.
   */
  fit(xLabeled: MatrixLike, yLabeled: ArrayLike<number> | Tensor, xUnlabeled?: MatrixLike): this {
    return this.runFit(this.fitSteps(xLabeled, yLabeled, xUnlabeled));
  }

  /** fit() as steps, one per EM step. */
  protected *fitSteps(xLabeled: MatrixLike, yLabeled: ArrayLike<number> | Tensor, xUnlabeled?: MatrixLike): FitSteps {
    const XL = asMatrix(xLabeled, 'SemiSupervisedGDA.fit (xLabeled)');
    const y = yLabeled instanceof Tensor ? yLabeled.data : yLabeled;
    if (!y || y.length !== XL.n) throw new Error(`SemiSupervisedGDA.fit: ${y?.length} labels for ${XL.n} labeled samples; pass one 0/1 label per row`);
    const count = [0, 0];
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== 0 && y[i] !== 1) throw new Error(`SemiSupervisedGDA.fit: label ${y[i]} at ${i}; labels must be 0 or 1`);
      count[y[i]]++;
    }
    if (count[0] === 0 || count[1] === 0) throw new Error('SemiSupervisedGDA.fit: the labeled data needs at least one sample of each class (0 and 1)');
    const XU = xUnlabeled === undefined ? null : asMatrix(xUnlabeled, 'SemiSupervisedGDA.fit (xUnlabeled)', undefined, XL.d);
    const nl = XL.n, nu = XU ? XU.n : 0;
    // responsibilities: labeled rows one-hot (fixed), unlabeled rows λ p(j | x_u) (set by each E-step)
    const RL = new Float32Array(nl * 2);
    for (let i = 0; i < nl; i++) RL[i * 2 + y[i]] = 1;
    const parts: Part[] = [{ X: XL, R: RL }];
    if (XU) parts.push({ X: XU, R: new Float32Array(nu * 2) }); // 0 until the first E-step
    const total = nl + this.lambda * nu;
    this.d = XL.d;
    const best = yield* emSteps({
      name: 'SemiSupervisedGDA', maxIter: nu > 0 ? this.maxIter : 0, tol: this.tol,
      warnings: this.warnings, onIteration: this.onIteration, signal: this.signal,
    }, 1, {
      // the labeled-only GDA estimate (the unlabeled responsibilities are still 0, so φ is over the l
      // labelled rows: φ = Σ_l 1[y = 1] / l, μ_k and Σ_k of the labelled class k); later M-steps
      // divide by l + λu (004 P2)
      init: () => this.mStep(parts, nl),
      eStep: () => ({ ll: this.eStep(parts) / total }),
      mStep: () => this.mStep(parts, total),
      getParams: () => null,
    });
    this.logLikelihoodHistory = best.history;
    this.converged = nu === 0 || best.converged;
    this.nIter = best.nIter;
    this.fitted = true;
  }

  /**
   * GDA from weighted assignments, summed over the labeled and unlabeled parts (the moments are linear in R):
   *   N_j = Σ r_ij,  μ_j = Σ r_ij x_i / N_j,  Σ_j = Σ r_ij (x_i − μ_j)(x_i − μ_j)ᵀ / N_j + regCovar·I,  φ = N_1 / total
   */
  private mStep(parts: Part[], total: number): void {
    const d = this.d, nk = new Float64Array(2), mu = new Float64Array(2 * d);
    for (const { X, R } of parts) {
      const m = new Float64Array(2), s = new Float64Array(2 * d);
      kernels().mixtureMoments(m, s, R, X.data, X.n, d, 2);
      for (let i = 0; i < 2; i++) nk[i] += m[i];
      for (let i = 0; i < 2 * d; i++) mu[i] += s[i];
    }
    for (let j = 0; j < 2; j++) { nk[j] += 10 * 2.220446049250313e-16; for (let i = 0; i < d; i++) mu[j * d + i] /= nk[j]; }
    const cov = new Float64Array(2 * d * d);
    for (const { X, R } of parts) {
      const S = weightedScatterAll(X, R, 2, mu);
      for (let i = 0; i < S.length; i++) cov[i] += S[i];
    }
    for (let j = 0; j < 2; j++) {
      for (let i = 0; i < d * d; i++) cov[j * d * d + i] /= nk[j];
      for (let i = 0; i < d; i++) cov[j * d * d + i * d + i] += this.regCovar;
    }
    this.install(nk[1] / total, mu, cov, d);
  }

  /** ln φ_j + ln N(x | μ_j, Σ_j), [N, 2] (one gaussianLogProb kernel). */
  private jointLogProb(X: Matrix): Tensor {
    return logProbFull(X, this.mu, this.precs, [Math.log(1 - this.phiV), Math.log(this.phiV)]);
  }

  /**
   * J = Σ_labeled ln p(x_l, y_l) + λ Σ_unlabeled ln Σ_j p(x_u, j); sets the unlabeled R to λ p(j | x_u).
   * The labeled term is Σ_ij R_ij lp_ij with R one-hot (mixtureMoments weights lp by R, skipping zeros).
   */
  private eStep(parts: Part[]): number {
    const [L, U] = parts;
    const lpL = this.jointLogProb(L.X).data, t = new Float64Array(1), s = new Float64Array(1);
    kernels().mixtureMoments(t, s, L.R, lpL, lpL.length, 1, 1);
    let J = s[0];
    if (U) {
      const lp = this.jointLogProb(U.X).data, n = U.X.n, lse = new Float32Array(n), tot = new Float64Array(1);
      kernels().mixtureResponsibilities(U.R, lse, tot, lp, n, 2); // p(j | x_u) and Σ_u ln Σ_j p(x_u, j)
      J += this.lambda * tot[0];
      if (this.lambda !== 1) U.R.set(noGrad(() => mul(new Tensor(U.R, [n, 2]), this.lambda)).data); // λ p(j | x_u)
    }
    if (!Number.isFinite(J)) throw new Error(`SemiSupervisedGDA: the objective became ${J}; increase regCovar or scale the data`);
    return J;
  }

  /** p(y | x), [N, 2] (softmax over the classes on the kernel backend). */
  predictProba(x: MatrixLike): Tensor {
    this.need('predictProba');
    const X = asMatrix(x, 'SemiSupervisedGDA.predictProba', undefined, this.d);
    return noGrad(() => softmax(this.jointLogProb(X), 1));
  }

  /** The more probable class (0 or 1) of each sample. */
  predict(x: MatrixLike): Int32Array {
    const p = this.predictProba(x).data;
    return Int32Array.from({ length: p.length / 2 }, (_, i) => (p[i * 2 + 1] > p[i * 2] ? 1 : 0));
  }
}

