// The EM loop shared by the mixtures (scikit-learn's BaseMixture template): nInit
// restarts keeping the best run, tol on the change of the mean log-likelihood,
// maxIter, a convergence warning, warmStart, and a final E-step so that the
// labels of fitPredict equal predict on the same data.
//   E-step: log r_nk = log w_k + log p(x_n|k) − log Σ_j w_j p(x_n|j)  (logsumexp)
//   M-step: parameters from the responsibilities r (each mixture's own).
import { Tensor } from '../../autograd/tensor.js';
import { noGrad } from '../../autograd/engine.js';
import { logsumexp } from '../../autograd/ops/reduce.js';
import { sub, exp } from '../../autograd/ops/elementwise.js';
import { Rng, rngFor } from '../../random.js';
import { asMatrix, checkInt, checkNum, needFitted, type Matrix, type MatrixLike } from './input.js';

/** Progress report after each EM step; return false to stop the fit early. */
export type IterationCallback = (info: { iter: number; logLikelihood: number; run: number }) => boolean | void;

export interface MixtureOptions {
  nComponents: number;
  maxIter?: number;
  /** Stop when the mean log-likelihood changes by less than tol between steps. */
  tol?: number;
  /** Independent initialisations; the run with the best final log-likelihood is kept. */
  nInit?: number;
  seed?: number;
  /** Start the next fit from the current parameters (one run, no re-initialisation). */
  warmStart?: boolean;
  /** Print a warning when a run stops at maxIter without converging (default true). */
  warnings?: boolean;
  /** Called after every EM step with {iter, logLikelihood, run}; returning false stops the fit. */
  onIteration?: IterationCallback;
  /** Aborting the signal stops the fit after the current step (the fitted state stays usable). */
  signal?: AbortSignal;
}

export abstract class MixtureBase<P> {
  readonly nComponents: number;
  maxIter: number;
  tol: number;
  nInit: number;
  seed?: number;
  warmStart: boolean;
  warnings: boolean;
  onIteration?: IterationCallback;
  signal?: AbortSignal;
  /** Mean log-likelihood per sample after each EM step of the kept run. */
  logLikelihoodHistory: number[] = [];
  /** Mean log-likelihood of the initial parameters of the kept run. */
  initialLogLikelihood = NaN;
  converged = false;
  nIter = 0;
  /** Number of features seen by fit. */
  nFeatures = 0;
  protected fitted = false;
  protected rng: Rng;
  /** Responsibilities' argmax from the final E-step of fit. */
  protected lastLabels: Int32Array | null = null;

  constructor(opts: MixtureOptions, defaults: { maxIter: number; tol: number }, protected readonly name: string) {
    if (!opts || typeof opts !== 'object') throw new Error(`${name}: pass an options object, e.g. new ${name}({ nComponents: 3 })`);
    this.nComponents = checkInt(opts.nComponents, 'nComponents', 1, name);
    this.maxIter = checkInt(opts.maxIter ?? defaults.maxIter, 'maxIter', 0, name);
    this.tol = checkNum(opts.tol ?? defaults.tol, 'tol', name);
    this.nInit = checkInt(opts.nInit ?? 1, 'nInit', 1, name);
    this.seed = opts.seed;
    this.warmStart = !!opts.warmStart;
    this.warnings = opts.warnings ?? true;
    this.onIteration = opts.onIteration;
    this.signal = opts.signal;
    this.rng = rngFor(opts.seed);
  }

  /** Set up initial parameters for one run. */
  protected abstract initParams(X: Matrix, rng: Rng): void;
  /** log w_k + log p(x_n | k), shape [N, K]. */
  protected abstract weightedLogProb(X: Matrix): Tensor;
  /** Update the parameters from log-responsibilities [N, K]. */
  protected abstract mStep(X: Matrix, logResp: Tensor): void;
  protected abstract getParams(): P;
  protected abstract setParams(p: P): void;
  /** Number of free parameters (for bic/aic). */
  protected abstract nParameters(): number;

  /** Mean log-likelihood and log-responsibilities under the current parameters. */
  protected eStep(X: Matrix): { ll: number; logResp: Tensor } {
    return noGrad(() => {
      const wlp = this.weightedLogProb(X);
      const lse = logsumexp(wlp, 1, true); // [N, 1]
      let s = 0;
      for (let i = 0; i < lse.size; i++) s += lse.data[i];
      const ll = s / X.n;
      if (!Number.isFinite(ll)) {
        throw new Error(`${this.name}: the log-likelihood became ${ll} (a component has zero probability for some sample); increase regCovar/smoothing, reduce nComponents or scale the data`);
      }
      return { ll, logResp: sub(wlp, lse) };
    });
  }

  /** Fit by EM; see MixtureOptions for nInit, tol, warmStart and onIteration. */
  fit(x: MatrixLike, shape?: readonly number[]): this {
    const X = asMatrix(x, `${this.name}.fit`, shape);
    if (X.n < this.nComponents) {
      throw new Error(`${this.name}.fit: nComponents=${this.nComponents} but only ${X.n} samples; use at most ${X.n} components or more data`);
    }
    if (this.fitted && this.warmStart && X.d !== this.nFeatures) {
      throw new Error(`${this.name}.fit: warmStart with ${X.d} features but the model has ${this.nFeatures}; refit without warmStart`);
    }
    const reuse = this.warmStart && this.fitted;
    const runs = reuse ? 1 : this.nInit;
    let best: { ll: number; params: P; history: number[]; init: number; converged: boolean; nIter: number; labels: Int32Array } | null = null;
    for (let run = 0; run < runs; run++) {
      if (!reuse) this.initParams(X, this.rng);
      this.nFeatures = X.d;
      let { ll, logResp } = this.eStep(X);
      const init = ll, history: number[] = [];
      let converged = false, iter = 0, stopped = false;
      for (iter = 1; iter <= this.maxIter; iter++) {
        this.mStep(X, logResp);
        const prev = ll;
        ({ ll, logResp } = this.eStep(X));
        history.push(ll);
        if (this.onIteration && this.onIteration({ iter, logLikelihood: ll, run }) === false) stopped = true;
        if (this.signal?.aborted) stopped = true;
        if (Math.abs(ll - prev) < this.tol) { converged = true; break; }
        if (stopped) break;
      }
      const nIter = Math.min(iter, this.maxIter);
      if (!converged && !stopped && this.maxIter > 0 && this.warnings) {
        console.warn(`${this.name}: EM run ${run + 1} did not converge in ${this.maxIter} iterations (last change ${(history.length > 1 ? Math.abs(history[history.length - 1] - history[history.length - 2]) : NaN).toExponential(2)} >= tol ${this.tol}); increase maxIter or tol, or pass warnings: false`);
      }
      if (!best || ll > best.ll) {
        best = { ll, params: this.getParams(), history, init, converged, nIter, labels: argmaxRows(logResp) };
      }
      if (stopped) break;
    }
    this.setParams(best!.params);
    this.logLikelihoodHistory = best!.history;
    this.initialLogLikelihood = best!.init;
    this.converged = best!.converged;
    this.nIter = best!.nIter;
    this.lastLabels = best!.labels;
    this.fitted = true;
    return this;
  }

  /** Fit, then the labels of the final E-step (equal to predict(X) on the same X). */
  fitPredict(x: MatrixLike, shape?: readonly number[]): Int32Array {
    this.fit(x, shape);
    return this.lastLabels!;
  }

  protected checkX(x: MatrixLike, op: string, shape?: readonly number[]): Matrix {
    needFitted(this.fitted, op, this.name);
    return asMatrix(x, `${this.name}.${op}`, shape, this.nFeatures);
  }

  /** log p(x_n) per sample, shape [N]. */
  scoreSamples(x: MatrixLike, shape?: readonly number[]): Tensor {
    const X = this.checkX(x, 'scoreSamples', shape);
    return noGrad(() => logsumexp(this.weightedLogProb(X), 1));
  }

  /** Mean log-likelihood per sample, in nats. */
  score(x: MatrixLike, shape?: readonly number[]): number {
    const s = this.scoreSamples(x, shape).data;
    let t = 0;
    for (let i = 0; i < s.length; i++) t += s[i];
    return t / s.length;
  }

  /** Posterior p(k | x_n), shape [N, K]. */
  predictProba(x: MatrixLike, shape?: readonly number[]): Tensor {
    const X = this.checkX(x, 'predictProba', shape);
    return exp(this.eStep(X).logResp);
  }

  /** The most probable component of each sample (MAP assignment). */
  predict(x: MatrixLike, shape?: readonly number[]): Int32Array {
    const X = this.checkX(x, 'predict', shape);
    return argmaxRows(noGrad(() => this.weightedLogProb(X)));
  }

  /** Bayesian information criterion: −2 N score + p ln N (lower is better). */
  bic(x: MatrixLike, shape?: readonly number[]): number {
    const X = this.checkX(x, 'bic', shape);
    return -2 * this.score(X.t) * X.n + this.nParameters() * Math.log(X.n);
  }

  /** Akaike information criterion: −2 N score + 2p. */
  aic(x: MatrixLike, shape?: readonly number[]): number {
    const X = this.checkX(x, 'aic', shape);
    return -2 * this.score(X.t) * X.n + 2 * this.nParameters();
  }
}

/** Index of the largest entry of each row of an [N, K] tensor. */
export function argmaxRows(t: Tensor): Int32Array {
  const [n, k] = t.shape;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -Infinity, at = 0;
    for (let j = 0; j < k; j++) { const v = t.data[i * k + j]; if (v > best) { best = v; at = j; } }
    out[i] = at;
  }
  return out;
}

/** Responsibilities r = exp(log r) as float64 [N, K] for the M-steps. */
export function respF64(logResp: Tensor): Float64Array {
  const r = new Float64Array(logResp.size);
  for (let i = 0; i < r.length; i++) r[i] = Math.exp(logResp.data[i]);
  return r;
}

/** Multinomial component counts for sampling n points with weights w. */
export function componentCounts(w: ArrayLike<number>, n: number, rng: Rng): Int32Array {
  const counts = new Int32Array(w.length);
  for (let i = 0; i < n; i++) {
    let u = rng.uniform(), k = 0;
    while (k < w.length - 1 && u >= w[k]) { u -= w[k]; k++; }
    counts[k]++;
  }
  return counts;
}

