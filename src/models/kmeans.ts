// K-means (Lloyd's algorithm) with k-means++ seeding, nInit restarts and
// empty-cluster repair, on the classical kernels:
//   assignment  l_i = argmin_j ‖x_i − c_j‖²  fused with  s_j = Σ_{l_i = j} x_i, n_j = #{l_i = j}
//   update      c_j = s_j / n_j            inertia = Σ_i ‖x_i − c_{l_i}‖²
// (kmeansAssign: direct distances for small D, the GEMM ‖x‖² − 2 x·c + ‖c‖² for wide rows),
// k-means++ on minSqDist (every candidate's min distances and potential in one call).
// Files, fitAsync (a yield after every Lloyd step) and failed fits that change
// nothing: ClassicalModel (persist.ts).
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { sqrt } from '../autograd/ops/elementwise.js';
import { transpose } from '../autograd/ops/shape.js';
import { kernels } from '../backend/registry.js';
import { noGrad } from '../autograd/engine.js';
import { Rng, rngFor } from '../random.js';
import { asMatrix, type Matrix, type MatrixLike } from './input.js';
import { intOption, numOption, callbackOption, signalOption, requireOptions, needFitted } from './options.js';
import { ClassicalModel, type FitSteps, type ModelState, type StateReader } from './persist.js';

/** Options of KMeans (scikit-learn's names): nClusters, maxIter, tol, init, nInit, seed, onIteration, signal. */
export interface KMeansOptions {
  nClusters: number;
  maxIter?: number;
  /** Stop when the squared centroid shift is below tol × the mean feature variance. */
  tol?: number;
  /** 'k-means++' (seeded, default), 'random' (distinct samples), or initial centroids [K, D]. */
  init?: 'k-means++' | 'random' | Tensor | readonly (readonly number[])[];
  /** Restarts (ignored when init is given); the lowest inertia wins. */
  nInit?: number;
  seed?: number;
  /** Called after each Lloyd step with {iter, shift (squared centroid movement), run}; return false to stop the run. */
  onIteration?: (info: { iter: number; shift: number; run: number }) => boolean | void;
  /** Aborting the signal stops the fit after the current Lloyd step (the centroids so far are kept). */
  signal?: AbortSignal;
}

const KMEANS_OPTIONS = ['nClusters', 'maxIter', 'tol', 'init', 'nInit', 'seed', 'onIteration', 'signal'];

/** K-means by Lloyd's algorithm with k-means++ seeding (see the module comment). */
export class KMeans extends ClassicalModel {
  /** The model's name in files. */
  static readonly kind = 'KMeans';
  readonly nClusters: number;
  maxIter: number;
  tol: number;
  nInit: number;
  init: KMeansOptions['init'];
/** The per-iteration callback (see KMeansOptions.onIteration). */
  onIteration?: KMeansOptions['onIteration'];
  signal?: AbortSignal;
  seed?: number;
  /** Cluster centres [K, D]. */
  centroids: Tensor | null = null;
  /** Σ_n ‖x_n − c_{label n}‖² on the training data. */
  inertia = NaN;
  nIter = 0;
  /** Labels of the training data. */
  labels: Int32Array | null = null;
  private rng: Rng;

  constructor(opts: KMeansOptions) {
    super();
    requireOptions(opts, 'KMeans', '{ nClusters: 8 }', KMEANS_OPTIONS);
    this.nClusters = intOption(opts.nClusters, 'nClusters', 'KMeans', 1);
    this.maxIter = intOption(opts.maxIter ?? 300, 'maxIter', 'KMeans', 0);
    this.tol = numOption(opts.tol ?? 1e-4, 'tol', 'KMeans');
    this.nInit = intOption(opts.nInit ?? 1, 'nInit', 'KMeans', 1);
    this.init = opts.init ?? 'k-means++';
    this.onIteration = callbackOption(opts.onIteration, 'onIteration', 'KMeans');
    this.signal = signalOption(opts.signal, 'KMeans');
    this.seed = opts.seed;
    this.rng = rngFor(opts.seed);
  }

  get kind(): string { return 'KMeans'; }
  protected override fitRng(): Rng { return this.rng; }
  protected isFitted(): boolean { return this.centroids !== null; }

  /** config: the plain-data options (init when it is a name); tensors: centroids [K, D], labels [N]. */
  protected state(): ModelState {
    const init = typeof this.init === 'string' ? { init: this.init } : {};
    return {
      config: { nClusters: this.nClusters, maxIter: this.maxIter, tol: this.tol, nInit: this.nInit, seed: this.seed, ...init },
      tensors: [['centroids', this.centroids!.clone()], ['labels', new Tensor(Float32Array.from(this.labels!), [this.labels!.length])]],
      extra: { inertia: this.inertia, nIter: this.nIter },
    };
  }

  protected restore(r: StateReader): void {
    const c = r.tensor('centroids', [this.nClusters, -1]), labels = r.tensor('labels', [-1]);
    if (c.shape[1] < 1) r.fail('stores centroids with no features');
    if (!labels.data.every((v) => Number.isInteger(v) && v >= 0 && v < this.nClusters)) r.fail(`has labels outside 0..${this.nClusters - 1}`);
    this.centroids = c.clone();
    this.labels = Int32Array.from(labels.data);
    this.inertia = r.num('inertia');
    this.nIter = r.num('nIter', { int: true, min: 0 });
  }

  /** Lloyd's algorithm from nInit starts; a fit that throws leaves the model as it was. */
  fit(x: MatrixLike, shape?: readonly number[]): this {
    return this.runFit(this.fitSteps(x, shape));
  }

  /** fit() as steps, one per Lloyd iteration; installs the best run only at the end. */
  protected *fitSteps(x: MatrixLike, shape?: readonly number[]): FitSteps {
    const X = asMatrix(x, 'KMeans.fit', shape);
    const k = this.nClusters, d = X.d;
    if (X.n < k) throw new Error(`KMeans.fit: nClusters=${k} but only ${X.n} samples; use at most ${X.n} clusters`);
    // tol is relative to the mean feature variance (scikit-learn's): Σ_a var_a / d
    const tolAbs = (this.tol * Math.max(totalVariance(X), 0)) / d;
    const given = this.init instanceof Tensor || Array.isArray(this.init);
    const runs = given ? 1 : this.nInit;
    let best: { c: Float64Array; labels: Int32Array; inertia: number; nIter: number } | null = null;
    let stopped = false;
    for (let run = 0; run < runs && !stopped; run++) {
      let c = this.initialCentroids(X);
      let labels: Int32Array = new Int32Array(X.n).fill(-1), it = 0;
      for (it = 1; it <= this.maxIter; it++) {
        // one fused kernel: labels, distances, per-cluster sums and counts, and how many labels changed
        const a = assign(X, c, k, labels);
        const next = updateCentroids(X, a, k);
        let shift = 0;
        for (let i = 0; i < c.length; i++) shift += (next[i] - c[i]) ** 2;
        c = next; labels = a.labels;
        if (this.onIteration?.({ iter: it, shift, run }) === false) break;
        if (a.changed === 0 || shift <= tolAbs) break;
        if (this.signal?.aborted) { stopped = true; break; }
        yield;
      }
      const fin = assign(X, c, k);
      if (!best || fin.inertia < best.inertia) best = { c, labels: fin.labels, inertia: fin.inertia, nIter: Math.min(it, this.maxIter) };
    }
    this.centroids = new Tensor(Float32Array.from(best!.c), [k, d]);
    this.labels = best!.labels;
    this.inertia = best!.inertia;
    this.nIter = best!.nIter;
  }

  /** Index of the nearest centroid of each sample. */
  predict(x: MatrixLike, shape?: readonly number[]): Int32Array {
    const X = this.check(x, 'predict', shape);
    return assign(X, Float64Array.from(this.centroids!.data), this.nClusters).labels;
  }

/** Fit, then the cluster of every row (as predict on the same data). */
  fitPredict(x: MatrixLike, shape?: readonly number[]): Int32Array {
    return this.fit(x, shape).labels!;
  }

  /** Euclidean distances to every centroid, [N, K]. */
  transform(x: MatrixLike, shape?: readonly number[]): Tensor {
    const X = this.check(x, 'transform', shape);
    const k = this.nClusters, d2 = new Float32Array(k * X.n), none = new Float32Array(X.n).fill(Infinity);
    kernels().minSqDist(d2, new Float64Array(k), none, X.data, this.centroids!.data, X.n, X.d, k); // [K, N]
    return noGrad(() => sqrt(transpose(new Tensor(d2, [k, X.n]))));
  }

  /** −inertia of x under the fitted centroids (sklearn's score). */
  score(x: MatrixLike, shape?: readonly number[]): number {
    const X = this.check(x, 'score', shape);
    return -assign(X, Float64Array.from(this.centroids!.data), this.nClusters).inertia;
  }

  private check(x: MatrixLike, op: string, shape?: readonly number[]): Matrix {
    needFitted(this.centroids !== null, op, 'KMeans');
    return asMatrix(x, `KMeans.${op}`, shape, this.centroids!.shape[1]);
  }

  private initialCentroids(X: Matrix): Float64Array {
    const k = this.nClusters, d = X.d, init = this.init;
    if (init instanceof Tensor || Array.isArray(init)) {
      const t = asMatrix(init as MatrixLike, 'KMeans init');
      if (t.n !== k || t.d !== d) throw new Error(`KMeans: init centroids have shape ${fmtShape(t.t.shape)}; expected [${k}, ${d}] (nClusters x nFeatures)`);
      return Float64Array.from(t.data);
    }
    const c = new Float64Array(k * d);
    if (init === 'random') {
      const p = this.rng.permutation(X.n);
      for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) c[j * d + i] = X.data[p[j] * d + i];
      return c;
    }
    if (init !== 'k-means++') throw new Error(`KMeans: init must be 'k-means++', 'random' or a [K, D] tensor of centroids, got ${String(init)}`);
    return kmeansPlusPlus(X, k, this.rng);
  }
}

interface Assignment { labels: Int32Array; dist: Float32Array; sums: Float64Array; counts: Float64Array; inertia: number; changed: number }

/** One kmeansAssign call: nearest centroids, their distances, cluster sums / counts, inertia, labels changed vs prev. */
function assign(X: Matrix, c: Float64Array, k: number, prev?: Int32Array): Assignment {
  const n = X.n, d = X.d;
  const labels = new Int32Array(n), dist = new Float32Array(n), sums = new Float64Array(k * d), stats = new Float64Array(3 * k);
  kernels().kmeansAssign(labels, dist, sums, stats, prev ?? new Int32Array(n).fill(-1), X.data, Float32Array.from(c), n, d, k);
  let inertia = 0;
  for (let j = 0; j < k; j++) inertia += stats[k + j];
  return { labels, dist, sums, counts: stats.subarray(0, k), inertia, changed: stats[2 * k] };
}

/** Σ_a Σ_i (x_ia − mean_a)² / N, two float64 passes on the M-step kernels (one "component" of weight 1). */
function totalVariance(X: Matrix): number {
  const n = X.n, d = X.d, ones = new Float32Array(n).fill(1);
  const cnt = new Float64Array(1), mean = new Float64Array(d), v = new Float64Array(d * d);
  kernels().mixtureMoments(cnt, mean, ones, X.data, n, d, 1);
  for (let a = 0; a < d; a++) mean[a] /= n;
  kernels().mixtureScatter(v, ones, X.data, mean, n, d, 1, true);
  let s = 0;
  for (let a = 0; a < d; a++) s += v[a] / n;
  return s;
}

/** Means of the assigned points; an empty cluster takes the sample farthest from its centre. */
function updateCentroids(X: Matrix, a: Assignment, k: number): Float64Array {
  const d = X.d, c = a.sums.slice(), cnt = a.counts, dist = a.dist;
  let order: number[] | null = null, next = 0;
  for (let j = 0; j < k; j++) {
    if (cnt[j] > 0) { for (let i = 0; i < d; i++) c[j * d + i] /= cnt[j]; continue; }
    order ??= Array.from(dist.keys()).sort((p, q) => dist[q] - dist[p]); // rare: only when a cluster empties
    const far = order[next++ % order.length];
    for (let i = 0; i < d; i++) c[j * d + i] = X.data[far * d + i];
  }
  return c;
}

const BLOCK = 1024;

/**
 * Index drawn with probability ∝ w (u uniform in [0, Σ w)): walk the float64 block sums
 * of BLOCK weights, then the weights of one block (scikit-learn: cumsum + searchsorted).
 */
function drawIndex(w: Float32Array, blocks: Float32Array, u: number): number {
  const n = w.length;
  let b = 0;
  for (; b < blocks.length && u >= blocks[b]; b++) u -= blocks[b];
  let idx = Math.min(b * BLOCK, n - 1);
  for (; idx < n - 1 && u >= w[idx]; idx++) u -= w[idx];
  return idx;
}

/** Sums of each whole BLOCK of w (the reduce kernel); the tail is walked element by element. */
function blockSums(w: Float32Array): Float32Array {
  const nb = Math.floor(w.length / BLOCK), out = new Float32Array(nb);
  if (nb > 0) kernels().reduce('sum', out, w.subarray(0, nb * BLOCK), nb, BLOCK, 1);
  return out;
}

/** k-means++: D² sampling with 2 + ⌊ln K⌋ candidate draws per centre, keeping the one that lowers the potential most. */
export function kmeansPlusPlus(X: Matrix, k: number, rng: Rng): Float64Array {
  const d = X.d, n = X.n, x = X.data;
  const c = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  for (let i = 0; i < d; i++) c[i] = x[first * d + i];
  let closest = new Float32Array(n);
  const pot1 = new Float64Array(1);
  kernels().minSqDist(closest, pot1, new Float32Array(n).fill(Infinity), x, x.subarray(first * d, first * d + d), n, d, 1);
  let pot = pot1[0];
  const cand = new Float32Array(trials * d), out = new Float32Array(trials * n), pots = new Float64Array(trials);
  const picks = new Int32Array(trials);
  for (let j = 1; j < k; j++) {
    const blocks = blockSums(closest);
    for (let t = 0; t < trials; t++) {
      // a sample with probability ∝ its squared distance to the nearest centre
      const u = rng.uniform() * pot;
      picks[t] = pot > 0 ? drawIndex(closest, blocks, u) : rng.int(n);
      cand.set(x.subarray(picks[t] * d, picks[t] * d + d), t * d);
    }
    kernels().minSqDist(out, pots, closest, x, cand, n, d, trials);
    let bt = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[bt]) bt = t;
    for (let i = 0; i < d; i++) c[j * d + i] = x[picks[bt] * d + i];
    closest = out.slice(bt * n, (bt + 1) * n);
    pot = pots[bt];
  }
  return c;
}
