// Principal component analysis through the sample covariance and eigh:
//   C = (X − m)ᵀ(X − m) / (N − 1) = V diag(λ) Vᵀ,  components = first rows of Vᵀ,
//   transform(x) = (x − m) Vₖ  (÷ √λ when whitening),  inverse = z Vₖᵀ + m.
// The covariance is the covariance kernel (float64 sums); the decomposition the full
// eigh kernel ('full') or randomised subspace iteration on C for the top k ('randomized',
// Halko et al.; scikit-learn's 'auto' picks it when max(N, D) > 500 and k < 0.8 min(N, D)).
// Files, fitAsync (one yield, between the covariance and the decomposition) and
// failed fits that change nothing: ClassicalModel (persist.ts).
import { Tensor } from '../autograd/tensor.js';
import { matmul } from '../autograd/ops/matmul.js';
import { noGrad } from '../autograd/engine.js';
import { eigh64 } from '../linalg/eigh.js';
import { topEigh64 } from '../linalg/subspace.js';
import { kernels } from '../backend/registry.js';
import { asMatrix, type MatrixLike } from './input.js';
import { refuseUnknown, enumOption, boolOption, needFitted } from './options.js';
import { ClassicalModel, type FitSteps, type ModelState, type StateReader } from './persist.js';

/** Options of PCA: nComponents (an integer, or a fraction of the variance to keep) and svdSolver (scikit-learn's names). */
export interface PCAOptions {
  /** An integer count, a fraction in (0, 1) of variance to keep, or undefined for min(N, D). */
  nComponents?: number;
  /** Scale the projections to unit variance. */
  whiten?: boolean;
  /**
   * scikit-learn's solver names. 'full': every eigenpair of the D×D covariance (eigh).
   * 'randomized': the top nComponents by randomised subspace iteration on the covariance
   * (7 power iterations, oversampling max(10, k/2)); `eigenvalues` then holds only those k.
   * 'auto' (default): 'randomized' when max(N, D) > 500 and an integer nComponents < 0.8·min(N, D),
   * else 'full'.
   */
  svdSolver?: 'auto' | 'full' | 'randomized';
  /** Power iterations of the randomized solver (default 7). */
  iteratedPower?: number;
  /** Seed of the randomized solver's Gaussian start (default 0). */
  randomState?: number;
}

const PCA_OPTIONS = ['nComponents', 'whiten', 'svdSolver', 'iteratedPower', 'randomState'];

/** Principal component analysis through the sample covariance and eigh. */
export class PCA extends ClassicalModel {
  /** The model's name in files. */
  static readonly kind = 'PCA';
  nComponentsOpt?: number;
  whiten: boolean;
  svdSolver: 'auto' | 'full' | 'randomized';
  iteratedPower?: number;
  randomState: number;
  /** The solver the last fit used ('full' or 'randomized'). */
  fitSolver: 'full' | 'randomized' | null = null;
  nComponents = 0;
  /** Feature means [D]. */
  mean: Tensor | null = null;
  /** Principal axes [nComponents, D], one per row, by decreasing variance. */
  components: Tensor | null = null;
  /** Variance along each kept component [nComponents] (eigenvalues of C). */
  explainedVariance: Tensor | null = null;
  explainedVarianceRatio: Tensor | null = null;
  /** Every eigenvalue of the covariance [D] (the spectrum), descending; only the top nComponents with the randomized solver. */
  eigenvalues: Tensor | null = null;
  /** Mean squared reconstruction error per sample of the training data, ×N/(N−1): the sum of the dropped eigenvalues. */
  noiseVariance = NaN;
  private totalVar = 0;

  constructor(opts: PCAOptions = {}) {
    super();
    refuseUnknown(opts, PCA_OPTIONS, 'PCA');
    const k = opts.nComponents;
    if (k !== undefined && (typeof k !== 'number' || !(k > 0) || (k >= 1 && !Number.isInteger(k)))) {
      throw new Error(`PCA: nComponents must be a positive integer or a fraction in (0, 1), got ${String(k)}`);
    }
    this.nComponentsOpt = k;
    this.whiten = boolOption(opts.whiten ?? false, 'whiten', 'PCA');
    this.svdSolver = enumOption(opts.svdSolver ?? 'auto', 'svdSolver', 'PCA', ['auto', 'full', 'randomized']);
    const it = opts.iteratedPower;
    if (it !== undefined && !(Number.isInteger(it) && it >= 0)) throw new Error(`PCA: iteratedPower must be an integer >= 0, got ${String(it)}`);
    this.iteratedPower = it;
    this.randomState = opts.randomState ?? 0;
  }

  get kind(): string { return 'PCA'; }
  protected isFitted(): boolean { return this.components !== null; }

  protected state(): ModelState {
    return {
      config: { nComponents: this.nComponentsOpt, whiten: this.whiten, svdSolver: this.svdSolver, iteratedPower: this.iteratedPower, randomState: this.randomState },
      tensors: [['mean', this.mean!], ['components', this.components!], ['explainedVariance', this.explainedVariance!],
        ['explainedVarianceRatio', this.explainedVarianceRatio!], ['eigenvalues', this.eigenvalues!]].map(([k, t]) => [k as string, (t as Tensor).clone()]),
      extra: { nComponents: this.nComponents, noiseVariance: this.noiseVariance, totalVariance: this.totalVar, fitSolver: this.fitSolver },
    };
  }

  protected restore(r: StateReader): void {
    const mean = r.tensor('mean', [-1]), d = mean.size, comp = r.tensor('components', [-1, d]), k = comp.shape[0];
    const k0 = r.num('nComponents', { int: true, min: 1 });
    if (k0 !== k || d < 1) r.fail(`stores ${k} components of ${d} features but nComponents = ${k0}`);
    const ev = r.tensor('explainedVariance', [k]), ratio = r.tensor('explainedVarianceRatio', [k]), eig = r.tensor('eigenvalues', [-1]);
    const solver = r.raw<'full' | 'randomized'>('fitSolver', (v) => v === 'full' || v === 'randomized');
    this.mean = mean.clone(); this.components = comp.clone(); this.explainedVariance = ev.clone();
    this.explainedVarianceRatio = ratio.clone(); this.eigenvalues = eig.clone();
    this.nComponents = k;
    this.noiseVariance = r.num('noiseVariance');
    this.totalVar = r.num('totalVariance');
    this.fitSolver = solver;
  }

  /** Fit the mean and principal axes; a fit that throws leaves the model as it was. */
  fit(x: MatrixLike, shape?: readonly number[]): this {
    return this.runFit(this.fitSteps(x, shape));
  }

  /** fit() as steps: the covariance, a yield, then the decomposition (nothing is installed before the end). */
  protected *fitSteps(x: MatrixLike, shape?: readonly number[]): FitSteps {
    const X = asMatrix(x, 'PCA.fit', shape);
    const { n, d, data } = X;
    if (n < 2) throw new Error('PCA.fit: need at least 2 samples to estimate a covariance');
    const kmax = Math.min(n, d);
    const opt = this.nComponentsOpt;
    if (opt !== undefined && opt >= 1 && opt > kmax) {
      throw new Error(`PCA.fit: nComponents=${opt} but min(nSamples, nFeatures) = ${kmax}; ask for at most ${kmax}`);
    }
    const m = new Float64Array(d), C = new Float64Array(d * d);
    kernels().covariance(C, m, data, n, d);
    let total = 0;
    for (let i = 0; i < d; i++) total += C[i * d + i]; // trace C = Σ λ
    yield;
    const intK = opt !== undefined && opt >= 1 ? opt : undefined;
    const randomized = intK !== undefined && (this.svdSolver === 'randomized'
      || (this.svdSolver === 'auto' && Math.max(n, d) > 500 && intK < 0.8 * kmax));
    let values: Float64Array, k: number, comp: Float32Array;
    if (randomized && intK! < d) {
      k = intK!;
      const r = topEigh64(C, d, k, { iterations: this.iteratedPower, seed: this.randomState });
      values = r.values;
      for (let i = 0; i < k; i++) if (values[i] < 0) values[i] = 0;
      comp = new Float32Array(k * d);
      for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) comp[j * d + i] = r.vectors[i * k + j];
    } else {
      const e = eigh64(C, d);
      values = e.values;
      for (let i = 0; i < d; i++) if (values[i] < 0) values[i] = 0; // round-off below zero
      k = opt === undefined ? kmax : opt < 1 ? this.countFor(opt, values, total, kmax) : opt;
      comp = new Float32Array(k * d);
      for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) comp[j * d + i] = e.vectors[i * d + j];
    }
    this.totalVar = total;
    this.fitSolver = randomized && intK! < d ? 'randomized' : 'full';
    this.eigenvalues = new Tensor(Float32Array.from(values), [values.length]);
    this.nComponents = k;
    this.mean = new Tensor(Float32Array.from(m), [d]);
    this.components = new Tensor(comp, [k, d]);
    this.explainedVariance = new Tensor(Float32Array.from(values.subarray(0, k)), [k]);
    this.explainedVarianceRatio = new Tensor(Float32Array.from(values.subarray(0, k), (v) => (total > 0 ? v / total : 0)), [k]);
    let kept = 0;
    for (let i = 0; i < k; i++) kept += values[i];
    this.noiseVariance = Math.max(0, total - kept); // Σ of the dropped eigenvalues = trace C − Σ kept
  }
  private countFor(fraction: number, values: ArrayLike<number>, total: number, kmax: number): number {
    if (total <= 0) return 1;
    let acc = 0;
    for (let i = 0; i < values.length; i++) {
      acc += values[i] / total;
      if (acc >= fraction - 1e-12) return Math.min(i + 1, kmax);
    }
    return kmax;
  }

  /** The fewest components whose explained variance ratio reaches `fraction` (e.g. 0.95). */
  nComponentsFor(fraction: number): number {
    needFitted(this.eigenvalues !== null, 'nComponentsFor', 'PCA');
    if (!(fraction > 0 && fraction <= 1)) throw new Error(`PCA.nComponentsFor: fraction must be in (0, 1], got ${fraction}`);
    return this.countFor(fraction, this.eigenvalues!.data, this.totalVar, this.eigenvalues!.size);
  }

  /** Projections [N, nComponents]. */
  transform(x: MatrixLike, shape?: readonly number[]): Tensor {
    needFitted(this.components !== null, 'transform', 'PCA');
    const X = asMatrix(x, 'PCA.transform', shape, this.mean!.size);
    const m = this.mean!.data, d = X.d;
    const xc = new Float32Array(X.n * d);
    for (let i = 0; i < xc.length; i++) xc[i] = X.data[i] - m[i % d];
    const z = noGrad(() => matmul(new Tensor(xc, [X.n, d]), this.components!, { transposeB: true }));
    if (this.whiten) {
      const ev = this.explainedVariance!.data, k = this.nComponents;
      for (let i = 0; i < z.size; i++) z.data[i] /= Math.sqrt(Math.max(ev[i % k], 1e-30));
    }
    return z;
  }

  /** Back to feature space [N, D]: z Vₖᵀ + m. */
  inverseTransform(z: MatrixLike, shape?: readonly number[]): Tensor {
    needFitted(this.components !== null, 'inverseTransform', 'PCA');
    const Z = asMatrix(z, 'PCA.inverseTransform', shape, this.nComponents);
    let zt = Z.t;
    if (this.whiten) {
      const ev = this.explainedVariance!.data, k = this.nComponents;
      zt = new Tensor(Z.data.map((v, i) => v * Math.sqrt(ev[i % k])), Z.t.shape);
    }
    const x = noGrad(() => matmul(zt, this.components!));
    const m = this.mean!.data, d = m.length;
    for (let i = 0; i < x.size; i++) x.data[i] += m[i % d];
    return x;
  }
}
