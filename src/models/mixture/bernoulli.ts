// Mixture of multivariate Bernoullis fitted by EM (the course's MNIST model).
//   E-step  log p(x_n | k) = x_n · ln p_k + (1 − x_n) · ln(1 − p_k)
//           = X (ln P − ln(1 − P))ᵀ + Σ_d ln(1 − p_kd): one product (the linearScores kernel, with
//           ln w_k folded into its bias; the matmul kernel where a backend lacks it)
//   M-step  (the course's Dirichlet smoothing, 000 P3 tips; alpha1 on the pixels, alpha2 on the weights)
//           p̂_k = (Σ_n η_nk x_n + α1) / (N_k + α1 D)
//           π̂_k = (N_k + α2) / (Σ_k' N_k' + α2 K)
//           with N_k and the pseudo-counts Σ_n η_nk x_n = (Rᵀ X)_k from the float64 mixtureMoments kernel.
//   smoothing: 'beta' instead puts a Beta(1 + α1, 1 + α1) prior on each pixel, the conjugate
//           MAP p̂_kd = (Σ_n η_nk x_nd + α1) / (N_k + 2 α1), symmetric in x and 1 − x (π̂ as above).
//   init 'random' (the course): every p^(k) drawn U(0, 1)^D and scaled to unit length, π_k = 1/K.
// One iteration is one E-step then one M-step, as in the course.
import { Tensor, fmtShape } from '../../autograd/tensor.js';
import { matmul } from '../../autograd/ops/matmul.js';
import { add } from '../../autograd/ops/elementwise.js';
import { kernels, kernelSource, getBackend } from '../../backend/registry.js';
import type { Rng } from '../../random.js';
import { MixtureBase, type MixtureOptions } from './base.js';
import type { Matrix, MatrixLike } from '../input.js';
import { numOption, enumOption, needFitted } from '../options.js';

/** A given start for BernoulliMixture: the weights [K] (default uniform) and the pixel probabilities [K, D]. */
export interface BernoulliInit { weights?: Tensor | readonly number[]; probs: Tensor | readonly (readonly number[])[] }

/** Options of BernoulliMixture: the mixture options plus alpha1 (pixel smoothing), alpha2 (weight smoothing), smoothing and init. */
export interface BernoulliMixtureOptions extends MixtureOptions {
  alpha1?: number;
  alpha2?: number;
  /** 'dirichlet' (the course's M-step, default) or 'beta' (a Beta(1 + α1, 1 + α1) prior per pixel). */
  smoothing?: 'dirichlet' | 'beta';
  /** 'random' (the course's: rows U(0, 1) normalised to unit length, equal weights); or given {weights, probs}. */
  init?: 'random' | BernoulliInit;
}

type BernoulliParams = { weights: Float64Array; probs: Float64Array };

// p is kept in [P_MIN, 1 − P_MIN] so ln p and ln(1 − p) stay finite in float32.
const P_MIN = 1e-12;

/** Mixture of multivariate Bernoullis fitted by EM with the course's Dirichlet smoothing (000 P3). */
export class BernoulliMixture extends MixtureBase<BernoulliParams> {
  /** The model's name in files. */
  static readonly kind = 'BernoulliMixture';
  alpha1: number;
  alpha2: number;
  smoothing: 'dirichlet' | 'beta';
  init: 'random' | BernoulliInit;
  private w: Float64Array = new Float64Array(0);
  private p: Float64Array = new Float64Array(0);
  /** ln p − ln(1 − p) [K, D] and Σ_d ln(1 − p_kd) [K] (float64), for the one-product E-step. */
  private logOdds: Tensor | null = null;
  private log1mSum = new Float64Array(0);

  constructor(opts: BernoulliMixtureOptions) {
    super(opts, { maxIter: 20, tol: 1e-3 }, 'BernoulliMixture', ['alpha1', 'alpha2', 'smoothing', 'init']);
    this.alpha1 = numOption(opts.alpha1 ?? 1e-8, 'alpha1', 'BernoulliMixture');
    this.alpha2 = numOption(opts.alpha2 ?? 1e-8, 'alpha2', 'BernoulliMixture');
    this.smoothing = enumOption(opts.smoothing ?? 'dirichlet', 'smoothing', 'BernoulliMixture', ['dirichlet', 'beta'] as const);
    this.init = opts.init ?? 'random';
    if (typeof this.init === 'string' && this.init !== 'random') throw new Error(`BernoulliMixture: init must be 'random' or {weights, probs}, got '${this.init}'`);
  }

  /** Mixing weights [K]. */
  get weights(): Tensor { needFitted(this.fitted, 'weights', this.name); return new Tensor(Float32Array.from(this.w), [this.nComponents]); }
  /** Pixel-on probabilities [K, D] (the "mean images"). */
  get probs(): Tensor { needFitted(this.fitted, 'probs', this.name); return new Tensor(Float32Array.from(this.p), [this.nComponents, this.nFeatures]); }

  protected initParams(X: Matrix, rng: Rng): void {
    checkBinaryRange(X, 'fit');
    const k = this.nComponents, d = X.d;
    if (typeof this.init === 'object') {
      const g = this.init;
      const probs = g.probs instanceof Tensor ? g.probs : new Tensor(Float32Array.from((g.probs as number[][]).flat()), [g.probs.length, (g.probs as number[][])[0]?.length ?? 0]);
      if (probs.ndim !== 2 || probs.shape[0] !== k || probs.shape[1] !== d) throw new Error(`BernoulliMixture init: probs have shape ${fmtShape(probs.shape)}; expected [${k}, ${d}]`);
      if (probs.data.some((v) => !(v >= 0 && v <= 1))) throw new Error('BernoulliMixture init: probs must lie in [0, 1]');
      const w = g.weights === undefined ? new Float64Array(k).fill(1 / k) : Float64Array.from(g.weights instanceof Tensor ? g.weights.data : g.weights);
      const ws = w.reduce((a, b) => a + b, 0);
      if (w.length !== k || w.some((v) => !(v >= 0)) || !(Math.abs(ws - 1) < 1e-4)) throw new Error(`BernoulliMixture init: weights must be ${k} non-negative numbers summing to 1`);
      this.setParams({ weights: w, probs: Float64Array.from(probs.data) });
      return;
    }
    // the course's start: p^(k) ~ U(0, 1)^D, then p^(k) / ‖p^(k)‖₂; π_k = 1/K
    const p = new Float64Array(k * d);
    for (let j = 0; j < k; j++) {
      let ss = 0;
      for (let i = 0; i < d; i++) { const u = rng.uniform(); p[j * d + i] = u; ss += u * u; }
      const norm = Math.sqrt(ss);
      if (norm > 0) for (let i = 0; i < d; i++) p[j * d + i] /= norm;
    }
    this.setParams({ weights: new Float64Array(k).fill(1 / k), probs: p });
  }

  /** predict, score, predictProba, ... refuse data outside [0, 1] as fit does. */
  protected override checkX(x: MatrixLike, op: string, shape?: readonly number[]): Matrix {
    const X = super.checkX(x, op, shape);
    checkBinaryRange(X, op);
    return X;
  }

  protected paramShapes() { return { weights: [this.nComponents], probs: [this.nComponents, this.nFeatures] }; }

  /** init is saved when it is 'random'; a loaded model given an object init refits with 'random'. */
  protected ownConfig() {
    return { alpha1: this.alpha1, alpha2: this.alpha2, smoothing: this.smoothing, ...(typeof this.init === 'string' ? { init: this.init } : {}) };
  }

  protected getParams(): BernoulliParams { return { weights: this.w.slice(), probs: this.p.slice() }; }

  protected setParams(q: BernoulliParams): void {
    const k = this.nComponents, d = q.probs.length / k;
    this.w = q.weights; this.p = q.probs; this.nFeatures = d;
    // logs in float64 from the float64 p, then stored as float32
    const odds = new Float32Array(k * d), l1 = new Float64Array(k);
    for (let i = 0; i < k * d; i++) {
      const v = Math.min(Math.max(q.probs[i], P_MIN), 1 - P_MIN), a = Math.log1p(-v);
      odds[i] = Math.log(v) - a; l1[Math.floor(i / d)] += a;
    }
    this.logOdds = new Tensor(odds, [k, d]);
    this.log1mSum = l1;
  }

  protected mixingWeights(): Float64Array { return this.w; }

  /** X (ln P − ln(1 − P))ᵀ + b, b_k = Σ_d ln(1 − p_kd) + (ln w_k when weighted): linearScores, or the GEMM where the backend lacks it. */
  private scores(X: Matrix, weighted: boolean): Tensor {
    const k = this.nComponents, b = this.log1mSum.map((v, j) => v + (weighted ? Math.log(this.w[j]) : 0));
    if (kernelSource('linearScores') !== getBackend()) {
      return add(matmul(X.t, this.logOdds!, { transposeB: true }), new Tensor(Float32Array.from(b), [k]));
    }
    const out = new Float32Array(X.n * k);
    kernels().linearScores(out, X.data, this.logOdds!.data, b, X.n, X.d, k);
    return new Tensor(out, [X.n, k]);
  }

  protected componentLogProb(X: Matrix): Tensor { return this.scores(X, false); }

  protected override weightedLogProb(X: Matrix): Tensor { return this.scores(X, true); }

  protected mStep(X: Matrix, R: Tensor): void {
    const k = this.nComponents, d = X.d;
    // N_k = Σ_n r_nk and the pseudo-counts s = Rᵀ X in float64 (mixtureMoments: a float64 GEMM over the rows).
    // float64 matters: for a pixel nearly always on in a component, 1 − p ∝ N_k − s, which a float32
    // Rᵀ X would cancel to noise, and EM amplifies that error from step to step.
    const nk = new Float64Array(k), s = new Float64Array(k * d);
    kernels().mixtureMoments(nk, s, R.data, X.data, X.n, d, k);
    const a1 = this.alpha1, a2 = this.alpha2;
    // π̂_k = (N_k + α2) / (Σ_k' N_k' + α2 K)
    const nSum = nk.reduce((a, v) => a + v, 0);
    const weights = nk.map((v) => (v + a2) / (nSum + k * a2));
    // p̂_k = (Σ_n η_nk x_n + α1) / (N_k + α1 D)   ('beta': / (N_k + 2 α1))
    const probs = new Float64Array(k * d), pseudo = this.smoothing === 'beta' ? 2 * a1 : d * a1;
    for (let j = 0; j < k; j++) {
      const den = nk[j] + pseudo;
      for (let i = 0; i < d; i++) probs[j * d + i] = den > 0 ? (s[j * d + i] + a1) / den : 0.5;
    }
    if (weights.some((v) => !(v > 0))) {
      throw new Error('BernoulliMixture: a component lost all its samples (weight 0); set alpha2 > 0 (e.g. 1e-8), reduce nComponents or use another seed');
    }
    this.setParams({ weights, probs });
  }

  protected nParameters(): number { return this.nComponents * this.nFeatures + this.nComponents - 1; }

  /** x_d ~ Bern(p_kd), independently. */
  protected drawComponent(j: number, count: number, rng: Rng, x: Float32Array, row: number): void {
    const d = this.nFeatures;
    for (let c = 0; c < count; c++, row++) {
      for (let i = 0; i < d; i++) x[row * d + i] = rng.uniform() < this.p[j * d + i] ? 1 : 0;
    }
  }
}

/** Values must be in [0, 1] (binary, or probabilities such as grey levels / 255). */
function checkBinaryRange(X: Matrix, op: string): void {
  // max x ≤ 1 and max −x ≤ 0 on the kernel backend (−x a chunk at a time, no copy of the data);
  // the scan below only names the offending value
  const hi = new Float32Array(1), len = X.data.length, CH = 1 << 16, negx = new Float32Array(Math.min(CH, len));
  kernels().reduce('max', hi, X.data, 1, len, 1);
  let ok = hi[0] <= 1;
  for (let at = 0; ok && at < len; at += CH) {
    const part = X.data.subarray(at, Math.min(at + CH, len)), t = negx.subarray(0, part.length);
    kernels().unary('neg', t, part, 0, 0);
    kernels().reduce('max', hi, t, 1, t.length, 1);
    ok = hi[0] <= 0;
  }
  if (ok) return;
  for (let i = 0; i < X.data.length; i++) {
    const v = X.data[i];
    if (v < 0 || v > 1) throw new Error(`BernoulliMixture.${op}: value ${v} at sample ${Math.floor(i / X.d)} is outside [0, 1]; binarise the data (e.g. x > 0.5) or scale it to [0, 1]`);
  }
}
