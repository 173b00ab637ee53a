// Semi-supervised Gaussian discriminant analysis by EM: two classes with full
// covariances, fitted to labeled pairs (x, y) plus λ-weighted unlabeled x.
// The hybrid objective
//   J = Σ_labeled ln p(x_l, y_l) + λ Σ_unlabeled ln Σ_j p(x_u, j),
//   p(x, j) = φ_j N(x | μ_j, Σ_j),  φ_1 = phi, φ_0 = 1 − phi,
// never decreases: the E-step sets w_uj = p(j | x_u); the M-step is the GDA
// estimate with every labeled sample weight 1 on its class and every
// unlabeled sample weight λ w_uj on class j. The loop is the mixtures' EM
// loop (em.ts) with the labeled responsibilities held fixed at one-hot.
import { Tensor } from '../../autograd/tensor.js';
import { noGrad } from '../../autograd/engine.js';
import { asMatrix, type Matrix, type MatrixLike } from '../input.js';
import { intOption, numOption, boolOption, callbackOption, signalOption, refuseUnknown, needFitted } from '../options.js';
import { collapseError, precisionCholesky, logProbFull, weightedMeans, weightedScatter } from './gaussian-math.js';
import { addLogWeights } from './base.js';
import { runEM, type IterationCallback } from './em.js';

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

const GDA_OPTIONS = ['lambda', 'maxIter', 'tol', 'regCovar', 'onIteration', 'signal', 'warnings'];

export class SemiSupervisedGDA {
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

  constructor(opts: SemiSupervisedGDAOptions = {}) {
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

  private need(op: string): void { needFitted(this.d > 0, op, 'SemiSupervisedGDA'); }

  /**
   * Fit from labeled data (xLabeled [Nl, D], yLabeled with 0/1 entries) and
   * optional unlabeled data [Nu, D]; starts from the labeled-only GDA estimate.
   */
  fit(xLabeled: MatrixLike, yLabeled: ArrayLike<number> | Tensor, xUnlabeled?: MatrixLike): this {
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
    const d = XL.d, nl = XL.n, nu = XU ? XU.n : 0, n = nl + nu;
    const all = new Float32Array(n * d);
    all.set(XL.data);
    if (XU) all.set(XU.data, nl * d);
    const X: Matrix = { t: new Tensor(all, [n, d]), data: all, n, d };
    // R [N, 2]: labeled rows one-hot (fixed), unlabeled rows λ p(j | x_u) (set by each E-step)
    const R = new Float64Array(n * 2);
    const total = nl + this.lambda * nu;
    this.d = d;
    const best = runEM({
      name: 'SemiSupervisedGDA', maxIter: nu > 0 ? this.maxIter : 0, tol: this.tol,
      warnings: this.warnings, onIteration: this.onIteration, signal: this.signal,
    }, 1, {
      // the labeled-only GDA estimate (the unlabeled rows of R are still 0, so φ is over the l labelled rows:
      // φ = Σ_l 1[y = 1] / l, μ_k and Σ_k of the labelled class k); later M-steps divide by l + λu (004 P2)
      init: () => { for (let i = 0; i < nl; i++) R[i * 2 + y[i]] = 1; this.mStep(X, R, nl); },
      eStep: () => ({ ll: this.eStep(X, XL, y, R) / total }),
      mStep: () => this.mStep(X, R, total),
      getParams: () => null,
    });
    this.logLikelihoodHistory = best.history;
    this.converged = nu === 0 || best.converged;
    this.nIter = best.nIter;
    return this;
  }

  /** GDA from weighted assignments R [N, 2]. */
  private mStep(X: Matrix, R: Float64Array, total: number): void {
    const d = X.d;
    const { nk, means } = weightedMeans(X, R, 2);
    const cov = new Float64Array(2 * d * d);
    for (let j = 0; j < 2; j++) {
      const S = weightedScatter(X, R, 2, j, means, j * d);
      for (let i = 0; i < d * d; i++) cov[j * d * d + i] = S[i] / nk[j];
      for (let i = 0; i < d; i++) cov[j * d * d + i * d + i] += this.regCovar;
    }
    this.phiV = nk[1] / total;
    this.mu = means; this.cov = cov;
    this.precs = [0, 1].map((j) => {
      const p = precisionCholesky(cov.subarray(j * d * d, (j + 1) * d * d), d);
      if (!p) throw collapseError('SemiSupervisedGDA', `the covariance of class ${j}`, this.regCovar);
      return p;
    });
  }

  /** ln φ_j + ln N(x | μ_j, Σ_j), [N, 2]. */
  private jointLogProb(X: Matrix): Tensor {
    return addLogWeights(noGrad(() => logProbFull(X, this.mu, this.precs)), [1 - this.phiV, this.phiV]);
  }

  /** Sets the unlabeled rows of R to λ p(j | x_u); returns the objective J. */
  private eStep(X: Matrix, XL: Matrix, y: ArrayLike<number>, R: Float64Array): number {
    const lp = this.jointLogProb(X).data;
    let J = 0;
    for (let i = 0; i < XL.n; i++) J += lp[i * 2 + y[i]];
    for (let i = XL.n; i < X.n; i++) {
      const a = lp[i * 2], b = lp[i * 2 + 1], m = Math.max(a, b);
      const lse = m + Math.log(Math.exp(a - m) + Math.exp(b - m));
      J += this.lambda * lse;
      R[i * 2] = this.lambda * Math.exp(a - lse);
      R[i * 2 + 1] = this.lambda * Math.exp(b - lse);
    }
    if (!Number.isFinite(J)) throw new Error(`SemiSupervisedGDA: the objective became ${J}; increase regCovar or scale the data`);
    return J;
  }

  /** p(y | x), [N, 2]. */
  predictProba(x: MatrixLike): Tensor {
    this.need('predictProba');
    const X = asMatrix(x, 'SemiSupervisedGDA.predictProba', undefined, this.d);
    const lp = this.jointLogProb(X).data, out = new Float32Array(X.n * 2);
    for (let i = 0; i < X.n; i++) {
      const a = lp[i * 2], b = lp[i * 2 + 1], m = Math.max(a, b);
      const ea = Math.exp(a - m), eb = Math.exp(b - m);
      out[i * 2] = ea / (ea + eb); out[i * 2 + 1] = eb / (ea + eb);
    }
    return new Tensor(out, [X.n, 2]);
  }

  /** The more probable class (0 or 1) of each sample. */
  predict(x: MatrixLike): Int32Array {
    const p = this.predictProba(x).data;
    return Int32Array.from({ length: p.length / 2 }, (_, i) => (p[i * 2 + 1] > p[i * 2] ? 1 : 0));
  }
}

