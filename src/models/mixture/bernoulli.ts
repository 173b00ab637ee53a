// Mixture of multivariate Bernoullis fitted by EM (the course's MNIST model).
//   E-step  log p(x_n | k) = x_n · ln p_k + (1 − x_n) · ln(1 − p_k)
//           = two matmuls on the kernel backend: X ln Pᵀ + (1 − X) ln(1 − P)ᵀ
//   M-step  (the course's Dirichlet smoothing, 000 P3 tips; alpha1 on the pixels, alpha2 on the weights)
//           p̂_k = (Σ_n η_nk x_n + α1) / (N_k + α1 D)
//           π̂_k = (N_k + α2) / (Σ_k' N_k' + α2 K)
//   smoothing: 'beta' instead puts a Beta(1 + α1, 1 + α1) prior on each pixel, the conjugate
//           MAP p̂_kd = (Σ_n η_nk x_nd + α1) / (N_k + 2 α1), symmetric in x and 1 − x (π̂ as above).
//   init 'random' (the course): every p^(k) drawn U(0, 1)^D and scaled to unit length, π_k = 1/K.
// One iteration is one E-step then one M-step, as in the course.
import { Tensor, fmtShape } from '../../autograd/tensor.js';
import { matmul } from '../../autograd/ops/matmul.js';
import { add } from '../../autograd/ops/elementwise.js';
import type { Rng } from '../../random.js';
import { MixtureBase, responsibilities, type MixtureOptions } from './base.js';
import type { Matrix } from '../input.js';
import { numOption, enumOption, needFitted } from '../options.js';

export interface BernoulliInit { weights?: Tensor | readonly number[]; probs: Tensor | readonly (readonly number[])[] }

export interface BernoulliMixtureOptions extends MixtureOptions {
  alpha1?: number;
  alpha2?: number;
  /** 'dirichlet' (the course's M-step, default) or 'beta' (a Beta(1 + α1, 1 + α1) prior per pixel). */
  smoothing?: 'dirichlet' | 'beta';
  /** 'random' (the course's: rows U(0, 1) normalised to unit length, equal weights); or given {weights, probs}. */
  init?: 'random' | BernoulliInit;
}

interface BernoulliParams { weights: Float64Array; probs: Float64Array }

// p is kept in [P_MIN, 1 − P_MIN] so ln p and ln(1 − p) stay finite in float32.
const P_MIN = 1e-12;

export class BernoulliMixture extends MixtureBase<BernoulliParams> {
  alpha1: number;
  alpha2: number;
  smoothing: 'dirichlet' | 'beta';
  init: 'random' | BernoulliInit;
  private w: Float64Array = new Float64Array(0);
  private p: Float64Array = new Float64Array(0);
  private logP: Tensor | null = null;
  private log1mP: Tensor | null = null;
  /** 1 − X of the data being fitted (cached for the second matmul). */
  private oneMinus: { of: Float32Array; t: Tensor } | null = null;

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
    checkBinaryRange(X);
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

  protected getParams(): BernoulliParams { return { weights: this.w.slice(), probs: this.p.slice() }; }

  protected setParams(q: BernoulliParams): void {
    const k = this.nComponents, d = q.probs.length / k;
    this.w = q.weights; this.p = q.probs; this.nFeatures = d;
    // logs in float64 from the float64 p, then stored as float32
    const lp = new Float32Array(k * d), l1 = new Float32Array(k * d);
    for (let i = 0; i < k * d; i++) {
      const v = Math.min(Math.max(q.probs[i], P_MIN), 1 - P_MIN);
      lp[i] = Math.log(v); l1[i] = Math.log1p(-v);
    }
    this.logP = new Tensor(lp, [k, d]);
    this.log1mP = new Tensor(l1, [k, d]);
  }

  protected mixingWeights(): Float64Array { return this.w; }

  protected componentLogProb(X: Matrix): Tensor {
    if (!this.oneMinus || this.oneMinus.of !== X.data) {
      const om = new Float32Array(X.data.length);
      for (let i = 0; i < om.length; i++) om[i] = 1 - X.data[i];
      this.oneMinus = { of: X.data, t: new Tensor(om, X.t.shape) };
    }
    return add(matmul(X.t, this.logP!, { transposeB: true }), matmul(this.oneMinus.t, this.log1mP!, { transposeB: true }));
  }

  protected mStep(X: Matrix, logResp: Tensor): void {
    const k = this.nComponents, d = X.d, r = responsibilities(logResp), x = X.data;
    const nk = new Float64Array(k), s = new Float64Array(k * d);
    for (let n = 0; n < X.n; n++) {
      for (let j = 0; j < k; j++) {
        const w = r[n * k + j];
        nk[j] += w;
        if (w < 1e-300) continue;
        const row = n * d, sj = j * d;
        for (let i = 0; i < d; i++) s[sj + i] += w * x[row + i];
      }
    }
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
function checkBinaryRange(X: Matrix): void {
  for (let i = 0; i < X.data.length; i++) {
    const v = X.data[i];
    if (v < 0 || v > 1) throw new Error(`BernoulliMixture.fit: value ${v} at sample ${Math.floor(i / X.d)} is outside [0, 1]; binarise the data (e.g. x > 0.5) or scale it to [0, 1]`);
  }
}
