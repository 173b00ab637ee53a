// Principal component analysis through the sample covariance and eigh:
//   C = (X − m)ᵀ(X − m) / (N − 1) = V diag(λ) Vᵀ,  components = first rows of Vᵀ,
//   transform(x) = (x − m) Vₖ  (÷ √λ when whitening),  inverse = z Vₖᵀ + m.
// The covariance is accumulated in float64 (Σ x xᵀ skipping zero entries, minus N m mᵀ).
import { Tensor } from '../autograd/tensor.js';
import { matmul } from '../autograd/ops/matmul.js';
import { noGrad } from '../autograd/engine.js';
import { eigh64 } from '../linalg/eigh.js';
import { asMatrix, type MatrixLike } from './input.js';
import { refuseUnknown, enumOption, boolOption, needFitted } from './options.js';

export interface PCAOptions {
  /** An integer count, a fraction in (0, 1) of variance to keep, or undefined for min(N, D). */
  nComponents?: number;
  /** Scale the projections to unit variance. */
  whiten?: boolean;
  /**
   * scikit-learn's solver name. Every value gets the exact answer from the
   * float64 eigendecomposition of the covariance (D×D, cheap for D up to a few
   * thousand), so 'randomized' is accepted for compatibility, not approximated.
   */
  svdSolver?: 'auto' | 'full' | 'randomized';
}

const PCA_OPTIONS = ['nComponents', 'whiten', 'svdSolver'];

export class PCA {
  nComponentsOpt?: number;
  whiten: boolean;
  svdSolver: 'auto' | 'full' | 'randomized';
  nComponents = 0;
  /** Feature means [D]. */
  mean: Tensor | null = null;
  /** Principal axes [nComponents, D], one per row, by decreasing variance. */
  components: Tensor | null = null;
  /** Variance along each kept component [nComponents] (eigenvalues of C). */
  explainedVariance: Tensor | null = null;
  explainedVarianceRatio: Tensor | null = null;
  /** Every eigenvalue of the covariance [D] (the spectrum), descending. */
  eigenvalues: Tensor | null = null;
  /** Mean squared reconstruction error per sample of the training data, ×N/(N−1): the sum of the dropped eigenvalues. */
  noiseVariance = NaN;
  private totalVar = 0;

  constructor(opts: PCAOptions = {}) {
    refuseUnknown(opts, PCA_OPTIONS, 'PCA');
    const k = opts.nComponents;
    if (k !== undefined && (typeof k !== 'number' || !(k > 0) || (k >= 1 && !Number.isInteger(k)))) {
      throw new Error(`PCA: nComponents must be a positive integer or a fraction in (0, 1), got ${String(k)}`);
    }
    this.nComponentsOpt = k;
    this.whiten = boolOption(opts.whiten ?? false, 'whiten', 'PCA');
    this.svdSolver = enumOption(opts.svdSolver ?? 'auto', 'svdSolver', 'PCA', ['auto', 'full', 'randomized']);
  }

  fit(x: MatrixLike, shape?: readonly number[]): this {
    const X = asMatrix(x, 'PCA.fit', shape);
    const { n, d, data } = X;
    if (n < 2) throw new Error('PCA.fit: need at least 2 samples to estimate a covariance');
    const kmax = Math.min(n, d);
    const opt = this.nComponentsOpt;
    if (opt !== undefined && opt >= 1 && opt > kmax) {
      throw new Error(`PCA.fit: nComponents=${opt} but min(nSamples, nFeatures) = ${kmax}; ask for at most ${kmax}`);
    }
    const m = new Float64Array(d);
    for (let s = 0; s < n; s++) for (let i = 0; i < d; i++) m[i] += data[s * d + i];
    for (let i = 0; i < d; i++) m[i] /= n;
    // C = (Σ x xᵀ − N m mᵀ) / (N − 1), upper triangle first
    const C = new Float64Array(d * d);
    for (let s = 0; s < n; s++) {
      const row = s * d;
      for (let a = 0; a < d; a++) {
        const xa = data[row + a];
        if (xa === 0) continue;
        const ra = a * d;
        for (let b = a; b < d; b++) C[ra + b] += xa * data[row + b];
      }
    }
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) {
      const v = (C[a * d + b] - n * m[a] * m[b]) / (n - 1);
      C[a * d + b] = v; C[b * d + a] = v;
    }
    const { values, vectors } = eigh64(C, d);
    for (let i = 0; i < d; i++) if (values[i] < 0) values[i] = 0; // round-off below zero
    let total = 0;
    for (let i = 0; i < d; i++) total += values[i];
    this.totalVar = total;
    this.eigenvalues = new Tensor(Float32Array.from(values), [d]);
    const k = opt === undefined ? kmax : opt < 1 ? this.countFor(opt, values, total, kmax) : opt;
    const comp = new Float32Array(k * d);
    for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) comp[j * d + i] = vectors[i * d + j];
    this.nComponents = k;
    this.mean = new Tensor(Float32Array.from(m), [d]);
    this.components = new Tensor(comp, [k, d]);
    this.explainedVariance = new Tensor(Float32Array.from(values.subarray(0, k)), [k]);
    this.explainedVarianceRatio = new Tensor(Float32Array.from(values.subarray(0, k), (v) => (total > 0 ? v / total : 0)), [k]);
    let dropped = 0;
    for (let i = k; i < d; i++) dropped += values[i];
    this.noiseVariance = dropped;
    return this;
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
