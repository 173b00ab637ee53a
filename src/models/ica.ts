// Maximum-likelihood ICA (Bell–Sejnowski) with the sigmoid CDF as the source
// model: p(s) = σ'(s), so for x = A s and W = A⁻¹
//   ℓ(W) = Σ_i ln σ'(w_iᵀ x) + ln |det W|
//   ∇ℓ = (1 − 2σ(W x)) xᵀ + (Wᵀ)⁻¹                      (plain gradient, the course's rule)
//   natural gradient: ΔW ∝ (I + (1 − 2σ(y)) yᵀ) W, y = W x  (no inverse, faster)
// Mini-batches of seeded shuffles; the rate is annealed from learningRate to
// learningRate/20 (or follows a given schedule). The sigmoid model suits
// super-Gaussian (peaky) sources; `density: 'extended'` switches each output
// to the sub-Gaussian model p(s) ∝ N(s; 1, 1) + N(s; −1, 1), score tanh(y) − y,
// when E[sech² y] E[y²] − E[y tanh y] < 0 (extended infomax), which separates
// square waves and sawtooths too. Data are centred and (by default) whitened.
// The epochs run on the shared loop of train.ts (signal, onEpoch, history), as
// steps (a yield per mini-batch) for fitAsync; files and failed fits that
// change nothing: ClassicalModel (persist.ts).
import { Tensor } from '../autograd/tensor.js';
import { eigh64 } from '../linalg/eigh.js';
import { lu64, luSolve } from '../linalg/dense.js';
import { Rng, rngFor } from '../random.js';
import { asMatrix, type MatrixLike } from './input.js';
import { intOption, numOption, enumOption, boolOption, callbackOption, signalOption, refuseUnknown, needFitted } from './options.js';
import { epochSteps, type EpochInfo } from './train.js';
import { ClassicalModel, type FitSteps, type ModelState, type StateReader } from './persist.js';

/** ICA options. */
export interface ICAOptions {
  learningRate?: number;
  epochs?: number;
  /** 1 = per-sample updates as in the course. */
  batchSize?: number;
  seed?: number;
  /** Natural-gradient updates (default true); false uses the plain gradient with (Wᵀ)⁻¹. */
  natural?: boolean;
  /** 'logistic' (the sigmoid CDF, default) or 'extended' (per-output super/sub-Gaussian switch). */
  density?: 'logistic' | 'extended';
  whiten?: boolean;
  /** A learning rate per epoch (overrides the default annealing), e.g. the course's [0.1, 0.1, 0.05, ...]. */
  schedule?: readonly number[];
  /** Called after each epoch with {epoch (0-based), logLikelihood per sample, loss = −logLikelihood, ...}; return false to stop. */
  onEpoch?: (info: EpochInfo) => boolean | void;
  /** Aborting stops the fit before the next batch (the unmixing so far is kept). */
  signal?: AbortSignal;
}

const ICA_OPTIONS = ['learningRate', 'epochs', 'batchSize', 'seed', 'natural', 'density', 'whiten', 'schedule', 'onEpoch', 'signal'];

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** Maximum-likelihood ICA with the sigmoid CDF as the source model, by stochastic gradient ascent on the unmixing matrix W. */
export class ICA extends ClassicalModel {
  /** The model's name in files. */
  static readonly kind = 'ICA';
  learningRate: number;
  epochs: number;
  batchSize: number;
  natural: boolean;
  density: 'logistic' | 'extended';
  whiten: boolean;
  schedule?: readonly number[];
  /** Called after each epoch with its mean log-likelihood; return false to stop. */
  onEpoch?: ICAOptions['onEpoch'];
  signal?: AbortSignal;
  /** Per-epoch metrics of the last fit. */
  history: EpochInfo[] = [];
  /** True when the last fit() was stopped early. */
  stopped = false;
  /** W with s = W (x − mean), [D, D] (the whitening folded in). */
  unmixing: Tensor | null = null;
  /** A = W⁻¹, [D, D]. */
  mixing: Tensor | null = null;
  mean: Tensor | null = null;
  /** Mean log-likelihood per sample after each epoch (of the whitened data when whitening). */
  logLikelihoodHistory: number[] = [];
  seed?: number;
  private rng: Rng;

  constructor(opts: ICAOptions = {}) {
    super();
    refuseUnknown(opts, ICA_OPTIONS, 'ICA');
    this.learningRate = numOption(opts.learningRate ?? 0.01, 'learningRate', 'ICA', true);
    this.epochs = intOption(opts.epochs ?? 100, 'epochs', 'ICA', 1);
    this.batchSize = intOption(opts.batchSize ?? 32, 'batchSize', 'ICA', 1);
    this.natural = boolOption(opts.natural ?? true, 'natural', 'ICA');
    this.density = enumOption(opts.density ?? 'logistic', 'density', 'ICA', ['logistic', 'extended']);
    this.whiten = boolOption(opts.whiten ?? true, 'whiten', 'ICA');
    if (opts.schedule !== undefined && !(Array.isArray(opts.schedule) && opts.schedule.length > 0 && opts.schedule.every((r) => r > 0 && Number.isFinite(r)))) {
      throw new Error('ICA: schedule must be a non-empty array of positive learning rates, one per epoch (the last repeats), e.g. [0.1, 0.05, 0.02]');
    }
    this.schedule = opts.schedule;
    this.onEpoch = callbackOption(opts.onEpoch, 'onEpoch', 'ICA');
    this.signal = signalOption(opts.signal, 'ICA');
    this.seed = opts.seed;
    this.rng = rngFor(opts.seed);
  }

  get kind(): string { return 'ICA'; }
  protected override fitRng(): Rng { return this.rng; }
  protected isFitted(): boolean { return this.unmixing !== null; }

  protected state(): ModelState {
    return {
      config: {
        learningRate: this.learningRate, epochs: this.epochs, batchSize: this.batchSize, seed: this.seed, natural: this.natural,
        density: this.density, whiten: this.whiten, schedule: this.schedule,
      },
      tensors: [['unmixing', this.unmixing!.clone()], ['mixing', this.mixing!.clone()], ['mean', this.mean!.clone()]],
      extra: { history: this.history, stopped: this.stopped },
    };
  }

  protected restore(r: StateReader): void {
    const mean = r.tensor('mean', [-1]), d = mean.size;
    if (d < 1) r.fail('stores a mean with no features');
    const W = r.tensor('unmixing', [d, d]), A = r.tensor('mixing', [d, d]);
    const history = r.raw<EpochInfo[]>('history', (v) => Array.isArray(v) && v.every((e) => e && typeof e === 'object'
      && Object.values(e).every((x) => typeof x === 'number' && Number.isFinite(x)) && typeof e.logLikelihood === 'number'));
    this.stopped = r.bool('stopped');
    this.unmixing = W.clone(); this.mixing = A.clone(); this.mean = mean.clone();
    this.history = history.map((e) => ({ ...e }));
    this.logLikelihoodHistory = this.history.map((e) => e.logLikelihood);
  }

  /** Fit W to the rows of x (samples × mixtures); returns this. A fit that throws leaves the model as it was. */
  fit(x: MatrixLike, shape?: readonly number[]): this {
    return this.runFit(this.fitSteps(x, shape));
  }

  /** fit() as steps, one per mini-batch; installs W only at the end. */
  protected *fitSteps(x: MatrixLike, shape?: readonly number[]): FitSteps {
    const X = asMatrix(x, 'ICA.fit', shape);
    const { n, d } = X;
    if (n < d + 1) throw new Error(`ICA.fit: ${n} samples for ${d} signals; need more samples than signals`);
    const m = new Float64Array(d);
    for (let s = 0; s < n; s++) for (let i = 0; i < d; i++) m[i] += X.data[s * d + i] / n;
    const Z = new Float64Array(n * d);
    for (let s = 0; s < n; s++) for (let i = 0; i < d; i++) Z[s * d + i] = X.data[s * d + i] - m[i];
    // whitening K = E diag(λ^−½) Eᵀ (symmetric), z ← K z
    let K = new Float64Array(d * d);
    for (let i = 0; i < d; i++) K[i * d + i] = 1;
    if (this.whiten) {
      const C = new Float64Array(d * d);
      for (let s = 0; s < n; s++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) C[a * d + b] += (Z[s * d + a] * Z[s * d + b]) / (n - 1);
      const { values, vectors } = eigh64(C, d);
      if (!(values[d - 1] > 1e-12 * values[0])) throw new Error('ICA.fit: the signals are linearly dependent (singular covariance); remove redundant channels or reduce the dimension with PCA first');
      K = new Float64Array(d * d);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
        let t = 0;
        for (let j = 0; j < d; j++) t += (vectors[a * d + j] * vectors[b * d + j]) / Math.sqrt(values[j]);
        K[a * d + b] = t;
      }
      const row = new Float64Array(d);
      for (let s = 0; s < n; s++) {
        for (let a = 0; a < d; a++) { let t = 0; for (let b = 0; b < d; b++) t += K[a * d + b] * Z[s * d + b]; row[a] = t; }
        Z.set(row, s * d);
      }
    }
    const W = new Float64Array(d * d);
    for (let i = 0; i < d; i++) W[i * d + i] = 1;
    const sign = new Float64Array(d).fill(1); // +1 super-Gaussian (sigmoid), −1 sub-Gaussian
    const y = new Float64Array(d), g = new Float64Array(d), acc = new Float64Array(d * d);
    let lr = this.learningRate;
    const report = yield* epochSteps(n, { onEpoch: this.onEpoch, signal: this.signal }, { epochs: this.epochs, batchSize: this.batchSize }, (perm) => {
      const bs = perm.length;
      acc.fill(0);
      for (let t = 0; t < bs; t++) {
        const off = perm[t] * d;
        for (let i = 0; i < d; i++) { let v = 0; for (let j = 0; j < d; j++) v += W[i * d + j] * Z[off + j]; y[i] = v; }
        for (let i = 0; i < d; i++) g[i] = sign[i] > 0 ? 1 - 2 * sig(y[i]) : Math.tanh(y[i]) - y[i];
        // accumulate g yᵀ (natural) or g xᵀ (plain)
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) acc[i * d + j] += g[i] * (this.natural ? y[j] : Z[off + j]);
      }
      if (this.natural) {
        // ΔW = lr (I + acc/B) W
        const M = new Float64Array(d * d);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) M[i * d + j] = (i === j ? 1 : 0) + acc[i * d + j] / bs;
        const dW = new Float64Array(d * d);
        for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) { const v = M[i * d + k]; for (let j = 0; j < d; j++) dW[i * d + j] += v * W[k * d + j]; }
        for (let i = 0; i < d * d; i++) W[i] += lr * dW[i];
      } else {
        const invT = inverseTranspose(W, d);
        for (let i = 0; i < d * d; i++) W[i] += lr * (acc[i] / bs + invT[i]);
      }
      return {};
    }, {
      op: 'ICA',
      fix: 'The unmixing matrix diverged; lower learningRate or keep whiten: true',
      rng: this.rng,
      startEpoch: (epoch) => {
        // annealed rate learningRate · (1/20)^{epoch/(epochs−1)}, or the given schedule
        lr = this.schedule ? this.schedule[Math.min(epoch, this.schedule.length - 1)]
          : this.learningRate * Math.pow(1 / 20, epoch / Math.max(this.epochs - 1, 1));
        if (this.density === 'extended') this.updateSigns(Z, W, n, d, sign);
      },
      endEpoch: () => {
        const ll = W.every(Number.isFinite) ? this.logLikelihood(Z, W, n, d, sign) : NaN;
        return { loss: -ll, logLikelihood: ll };
      },
    });
    // total unmixing W K, and its inverse
    const U = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) for (let j = 0; j < d; j++) U[i * d + j] += W[i * d + k] * K[k * d + j];
    const I = new Float64Array(d * d);
    for (let i = 0; i < d; i++) I[i * d + i] = 1;
    this.unmixing = new Tensor(Float32Array.from(U), [d, d]);
    this.mixing = new Tensor(Float32Array.from(luSolve(lu64(U, d), d, I, d)), [d, d]);
    this.mean = new Tensor(Float32Array.from(m), [d]);
    this.history = report.history;
    this.logLikelihoodHistory = report.history.map((e) => e.logLikelihood);
    this.stopped = report.stopped;
  }

  /** Extended infomax switch: k_i = sign(E[sech² y_i] E[y_i²] − E[y_i tanh y_i]). */
  private updateSigns(Z: Float64Array, W: Float64Array, n: number, d: number, sign: Float64Array): void {
    const step = Math.max(1, Math.floor(n / 5000));
    for (let i = 0; i < d; i++) {
      let s2 = 0, y2 = 0, yt = 0, c = 0;
      for (let s = 0; s < n; s += step) {
        let v = 0;
        for (let j = 0; j < d; j++) v += W[i * d + j] * Z[s * d + j];
        const t = Math.tanh(v);
        s2 += 1 - t * t; y2 += v * v; yt += v * t; c++;
      }
      sign[i] = (s2 / c) * (y2 / c) - yt / c >= 0 ? 1 : -1;
    }
  }

  /** Mean ℓ per sample: Σ_i ln p_i(y_i) + ln|det W| under each output's current density. */
  private logLikelihood(Z: Float64Array, W: Float64Array, n: number, d: number, sign: Float64Array): number {
    let s = 0;
    for (let t = 0; t < n; t++) {
      for (let i = 0; i < d; i++) {
        let v = 0;
        for (let j = 0; j < d; j++) v += W[i * d + j] * Z[t * d + j];
        if (sign[i] > 0) s += -Math.abs(v) - 2 * Math.log1p(Math.exp(-Math.abs(v))); // ln σ'(v)
        else s += -0.5 * Math.log(2 * Math.PI) - 0.5 * (v * v + 1) + Math.abs(v) + Math.log1p(Math.exp(-2 * Math.abs(v))) - Math.LN2; // ln ½[N(v;1,1)+N(v;−1,1)]
      }
    }
    const f = lu64(W, d);
    let ld = 0;
    for (let i = 0; i < d; i++) ld += Math.log(Math.abs(f.lu[i * d + i]));
    return s / n + ld;
  }

  /** Recovered sources [N, D] = (x − mean) Wᵀ. */
  transform(x: MatrixLike, shape?: readonly number[]): Tensor {
    needFitted(this.unmixing !== null, 'transform', 'ICA');
    const X = asMatrix(x, 'ICA.transform', shape, this.mean!.size);
    const d = X.d, U = this.unmixing!.data, m = this.mean!.data;
    const out = new Float32Array(X.n * d);
    for (let s = 0; s < X.n; s++) for (let i = 0; i < d; i++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += U[i * d + j] * (X.data[s * d + j] - m[j]);
      out[s * d + i] = v;
    }
    return new Tensor(out, [X.n, d]);
  }
}

/** (Wᵀ)⁻¹ = (W⁻¹)ᵀ. */
function inverseTranspose(W: Float64Array, d: number): Float64Array {
  const f = lu64(W, d);
  if (f.singular) throw new Error('ICA.fit: the unmixing matrix became singular; lower learningRate or use natural: true');
  const I = new Float64Array(d * d);
  for (let i = 0; i < d; i++) I[i * d + i] = 1;
  const inv = luSolve(f, d, I, d), out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = inv[j * d + i];
  return out;
}

/**
 * Amari index of P = W A: 0 for a scaled permutation (perfect separation), up to 1.
 *   (1 / 2D(D−1)) [Σ_i (Σ_j |p_ij| / max_j |p_ij| − 1) + Σ_j (Σ_i |p_ij| / max_i |p_ij| − 1)]
 */
export function amariIndex(P: Tensor): number {
  if (!(P instanceof Tensor) || P.ndim !== 2 || P.shape[0] !== P.shape[1]) throw new Error('amariIndex: expected a square matrix (W·A)');
  const d = P.shape[0], a = Array.from(P.data, Math.abs);
  if (d < 2) return 0;
  let s = 0;
  for (let i = 0; i < d; i++) {
    let mx = 0, sm = 0;
    for (let j = 0; j < d; j++) { sm += a[i * d + j]; mx = Math.max(mx, a[i * d + j]); }
    s += sm / mx - 1;
  }
  for (let j = 0; j < d; j++) {
    let mx = 0, sm = 0;
    for (let i = 0; i < d; i++) { sm += a[i * d + j]; mx = Math.max(mx, a[i * d + j]); }
    s += sm / mx - 1;
  }
  return s / (2 * d * (d - 1));
}
