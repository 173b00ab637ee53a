// What the mixtures share (scikit-learn's BaseMixture): the EM loop of em.ts
// with nInit, tol, warmStart and a final E-step so that the labels of
// fitPredict equal predict on the same data; the E-step in log space
//   log r_nk = log π_k + log p(x_n|k) − log Σ_j π_j p(x_n|j)  (logsumexp)
// where each mixture gives log p(x_n|k) and the base adds log π_k
// (scikit-learn's _estimate_weighted_log_prob); sampling by component counts
// then each mixture's draw from component k; bic and aic. Files, fitAsync
// and failed fits that change nothing come from ClassicalModel (persist.ts):
// the parameters of getParams() are float64 arrays, saved exactly.
import { Tensor } from '../../autograd/tensor.js';
import { noGrad } from '../../autograd/engine.js';
import { logsumexp } from '../../autograd/ops/reduce.js';
import { add } from '../../autograd/ops/elementwise.js';
import { kernels } from '../../backend/registry.js';
import { Rng, rngFor } from '../../random.js';
import { asMatrix, type Matrix, type MatrixLike } from '../input.js';
import { intOption, numOption, boolOption, callbackOption, signalOption, requireOptions, needFitted } from '../options.js';
import { emSteps, type IterationCallback } from './em.js';
import { ClassicalModel, float64Tensors, type FitSteps, type ModelState, type StateReader } from '../persist.js';

export type { IterationCallback };

/** Options every mixture takes (the EM loop's): nComponents, maxIter, tol, nInit, seed, warmStart, warnings, onIteration, signal. */
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

/** The option names every mixture takes. */
export const MIXTURE_OPTIONS = ['nComponents', 'maxIter', 'tol', 'nInit', 'seed', 'warmStart', 'warnings', 'onIteration', 'signal'];

export abstract class MixtureBase<P extends Record<string, Float64Array>> extends ClassicalModel {
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

  /** `own` names the mixture's options besides MIXTURE_OPTIONS. */
  constructor(opts: MixtureOptions, defaults: { maxIter: number; tol: number }, protected readonly name: string, own: readonly string[]) {
    super();
    requireOptions(opts, name, '{ nComponents: 3 }', [...MIXTURE_OPTIONS, ...own]);
    this.nComponents = intOption(opts.nComponents, 'nComponents', name, 1);
    this.maxIter = intOption(opts.maxIter ?? defaults.maxIter, 'maxIter', name, 0);
    this.tol = numOption(opts.tol ?? defaults.tol, 'tol', name);
    this.nInit = intOption(opts.nInit ?? 1, 'nInit', name, 1);
    this.seed = opts.seed;
    this.warmStart = boolOption(opts.warmStart ?? false, 'warmStart', name);
    this.warnings = boolOption(opts.warnings ?? true, 'warnings', name);
    this.onIteration = callbackOption(opts.onIteration, 'onIteration', name);
    this.signal = signalOption(opts.signal, name);
    this.rng = rngFor(opts.seed);
  }

  /** Set up initial parameters for one run. */
  protected abstract initParams(X: Matrix, rng: Rng): void;
  /** log p(x_n | k), shape [N, K] (a fresh tensor: the base adds log π_k in place). */
  protected abstract componentLogProb(X: Matrix): Tensor;
  /** The mixing weights π [K]. */
  protected abstract mixingWeights(): Float64Array;
  /** Write `count` draws from component k into rows row.. of `out` [n, D]. */
  protected abstract drawComponent(k: number, count: number, rng: Rng, out: Float32Array, row: number): void;
  /** Update the parameters from the responsibilities r [N, K] (rows sum to 1). */
  protected abstract mStep(X: Matrix, resp: Tensor): void;
  protected abstract getParams(): P;
  protected abstract setParams(p: P): void;
  /** Number of free parameters (for bic/aic). */
  protected abstract nParameters(): number;
  /** The shape of each parameter of getParams() (for files). */
  protected abstract paramShapes(): { [k in keyof P]: number[] };
  /** The mixture's own plain-data options (besides MIXTURE_OPTIONS), for files. */
  protected abstract ownConfig(): Record<string, unknown>;

  get kind(): string { return this.name; }
  protected override fitRng(): Rng { return this.rng; }
  protected isFitted(): boolean { return this.fitted; }

  protected state(): ModelState {
    const shapes = this.paramShapes(), p = this.getParams();
    return {
      config: {
        nComponents: this.nComponents, maxIter: this.maxIter, tol: this.tol, nInit: this.nInit, seed: this.seed,
        warmStart: this.warmStart, warnings: this.warnings, ...this.ownConfig(),
      },
      tensors: Object.keys(shapes).flatMap((k) => float64Tensors(k, p[k], shapes[k])),
      extra: {
        nFeatures: this.nFeatures, nIter: this.nIter, converged: this.converged,
        initialLogLikelihood: this.initialLogLikelihood, logLikelihoodHistory: this.logLikelihoodHistory,
      },
    };
  }

  protected restore(r: StateReader): void {
    const d = r.num('nFeatures', { int: true, min: 1 });
    this.nFeatures = d; // paramShapes() reads it
    const shapes = this.paramShapes(), p: Record<string, Float64Array> = {};
    for (const k of Object.keys(shapes)) p[k] = r.float64(k, shapes[k]).data;
    this.setParams(p as P);
    this.nIter = r.num('nIter', { int: true, min: 0 });
    this.converged = r.bool('converged');
    this.initialLogLikelihood = r.num('initialLogLikelihood');
    this.logLikelihoodHistory = r.numbers('logLikelihoodHistory');
    this.fitted = true;
  }

  /** log π_k + log p(x_n | k), shape [N, K]. */
  protected weightedLogProb(X: Matrix): Tensor {
    return addLogWeights(this.componentLogProb(X), this.mixingWeights());
  }

  /**
   * Mean log-likelihood, the weighted log-probabilities and the responsibilities under the current
   * parameters: one mixtureResponsibilities kernel gives lse_n, r_nk = e^(wlp_nk − lse_n) and Σ_n lse_n.
   */
  protected eStep(X: Matrix): { ll: number; wlp: Tensor; resp: Tensor } {
    return noGrad(() => {
      const wlp = this.weightedLogProb(X), k = this.nComponents;
      const resp = new Float32Array(X.n * k), lse = new Float32Array(X.n), total = new Float64Array(1);
      kernels().mixtureResponsibilities(resp, lse, total, wlp.data, X.n, k);
      const ll = total[0] / X.n;
      if (!Number.isFinite(ll)) {
        throw new Error(`${this.name}: the log-likelihood became ${ll} (a component has zero probability for some sample); increase regCovar/smoothing, reduce nComponents or scale the data`);
      }
      return { ll, wlp, resp: new Tensor(resp, [X.n, k]) };
    });
  }

  /** Fit by EM; see MixtureOptions for nInit, tol, warmStart and onIteration. A fit that throws leaves the model as it was. */
  fit(x: MatrixLike, shape?: readonly number[]): this {
    return this.runFit(this.fitSteps(x, shape));
  }

  /** fit() as steps, one per EM step; installs the result only at the end. */
  protected *fitSteps(x: MatrixLike, shape?: readonly number[]): FitSteps {
    const X = asMatrix(x, `${this.name}.fit`, shape);
    if (X.n < this.nComponents) {
      throw new Error(`${this.name}.fit: nComponents=${this.nComponents} but only ${X.n} samples; use at most ${X.n} components or more data`);
    }
    if (this.fitted && this.warmStart && X.d !== this.nFeatures) {
      throw new Error(`${this.name}.fit: warmStart with ${X.d} features but the model has ${this.nFeatures}; refit without warmStart`);
    }
    const reuse = this.warmStart && this.fitted;
    const settings = { name: this.name, maxIter: this.maxIter, tol: this.tol, warnings: this.warnings, onIteration: this.onIteration, signal: this.signal };
    const best = yield* emSteps(settings, reuse ? 1 : this.nInit, {
      init: () => { if (!reuse) this.initParams(X, this.rng); this.nFeatures = X.d; },
      eStep: () => this.eStep(X),
      mStep: (e) => this.mStep(X, e.resp),
      getParams: () => this.getParams(),
    });
    this.setParams(best.params);
    this.logLikelihoodHistory = best.history;
    this.initialLogLikelihood = best.init;
    this.converged = best.converged;
    this.nIter = best.nIter;
    this.lastLabels = argmaxRows(best.last.wlp); // the argmax of log r = wlp − lse
    this.fitted = true;
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
    return this.eStep(X).resp;
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

  /**
   * Draw n samples: component counts from the weights, then each component's
   * own draws. Returns {x [n, D], labels} grouped by component (as sklearn).
   */
  sample(n = 1, seed?: number): { x: Tensor; labels: Int32Array } {
    needFitted(this.fitted, 'sample', this.name);
    intOption(n, 'n', `${this.name}.sample`);
    const rng = seed === undefined ? this.rng : rngFor(seed);
    const d = this.nFeatures, counts = componentCounts(this.mixingWeights(), n, rng);
    const x = new Float32Array(n * d), labels = new Int32Array(n);
    let row = 0;
    for (let j = 0; j < this.nComponents; j++) {
      this.drawComponent(j, counts[j], rng, x, row);
      labels.fill(j, row, row + counts[j]);
      row += counts[j];
    }
    return { x: new Tensor(x, [n, d]), labels };
  }
}

/** lp[n, k] + log w_k (a broadcast add on the kernel backend). */
export function addLogWeights(lp: Tensor, w: ArrayLike<number>): Tensor {
  return add(lp, new Tensor(Float32Array.from(w, (v) => Math.log(v)), [w.length]));
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

