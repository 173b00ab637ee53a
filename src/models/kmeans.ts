// K-means (Lloyd's algorithm) with k-means++ seeding, nInit restarts and
// empty-cluster repair. The assignment step's distances come from one matmul:
//   ‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖²   (data centred first to limit cancellation)
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { matmul } from '../autograd/ops/matmul.js';
import { noGrad } from '../autograd/engine.js';
import { Rng, rngFor } from '../random.js';
import { asMatrix, type Matrix, type MatrixLike } from './input.js';
import { intOption, numOption, callbackOption, requireOptions, needFitted } from './options.js';

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
}

const KMEANS_OPTIONS = ['nClusters', 'maxIter', 'tol', 'init', 'nInit', 'seed', 'onIteration'];

export class KMeans {
  readonly nClusters: number;
  maxIter: number;
  tol: number;
  nInit: number;
  init: KMeansOptions['init'];
  onIteration?: KMeansOptions['onIteration'];
  /** Cluster centres [K, D]. */
  centroids: Tensor | null = null;
  /** Σ_n ‖x_n − c_{label n}‖² on the training data. */
  inertia = NaN;
  nIter = 0;
  /** Labels of the training data. */
  labels: Int32Array | null = null;
  private rng: Rng;

  constructor(opts: KMeansOptions) {
    requireOptions(opts, 'KMeans', '{ nClusters: 8 }', KMEANS_OPTIONS);
    this.nClusters = intOption(opts.nClusters, 'nClusters', 'KMeans', 1);
    this.maxIter = intOption(opts.maxIter ?? 300, 'maxIter', 'KMeans', 0);
    this.tol = numOption(opts.tol ?? 1e-4, 'tol', 'KMeans');
    this.nInit = intOption(opts.nInit ?? 1, 'nInit', 'KMeans', 1);
    this.init = opts.init ?? 'k-means++';
    this.onIteration = callbackOption(opts.onIteration, 'onIteration', 'KMeans');
    this.rng = rngFor(opts.seed);
  }

  fit(x: MatrixLike, shape?: readonly number[]): this {
    const X = asMatrix(x, 'KMeans.fit', shape);
    const k = this.nClusters, d = X.d;
    if (X.n < k) throw new Error(`KMeans.fit: nClusters=${k} but only ${X.n} samples; use at most ${X.n} clusters`);
    // mean feature variance, for the relative tolerance
    const mean = new Float64Array(d), sq = new Float64Array(d);
    for (let n = 0; n < X.n; n++) for (let i = 0; i < d; i++) { const v = X.data[n * d + i]; mean[i] += v; sq[i] += v * v; }
    let varMean = 0;
    for (let i = 0; i < d; i++) { mean[i] /= X.n; varMean += sq[i] / X.n - mean[i] * mean[i]; }
    const tolAbs = (this.tol * Math.max(varMean, 0)) / d;
    const given = this.init instanceof Tensor || Array.isArray(this.init);
    const runs = given ? 1 : this.nInit;
    let best: { c: Float64Array; labels: Int32Array; inertia: number; nIter: number } | null = null;
    for (let run = 0; run < runs; run++) {
      let c = this.initialCentroids(X);
      let labels: Int32Array = new Int32Array(X.n).fill(-1), it = 0;
      for (it = 1; it <= this.maxIter; it++) {
        const { labels: nl, dist } = assign(X, c, k);
        const next = updateCentroids(X, nl, dist, k);
        let shift = 0;
        for (let i = 0; i < c.length; i++) shift += (next[i] - c[i]) ** 2;
        const same = nl.every((v, i) => v === labels[i]);
        c = next; labels = nl;
        if (this.onIteration?.({ iter: it, shift, run }) === false) break;
        if (same || shift <= tolAbs) break;
      }
      const fin = assign(X, c, k);
      const inertia = exactInertia(X, c, fin.labels);
      if (!best || inertia < best.inertia) best = { c, labels: fin.labels, inertia, nIter: Math.min(it, this.maxIter) };
    }
    this.centroids = new Tensor(Float32Array.from(best!.c), [k, d]);
    this.labels = best!.labels;
    this.inertia = best!.inertia;
    this.nIter = best!.nIter;
    return this;
  }

  /** Index of the nearest centroid of each sample. */
  predict(x: MatrixLike, shape?: readonly number[]): Int32Array {
    const X = this.check(x, 'predict', shape);
    return assign(X, Float64Array.from(this.centroids!.data), this.nClusters).labels;
  }

  fitPredict(x: MatrixLike, shape?: readonly number[]): Int32Array {
    return this.fit(x, shape).labels!;
  }

  /** Euclidean distances to every centroid, [N, K]. */
  transform(x: MatrixLike, shape?: readonly number[]): Tensor {
    const X = this.check(x, 'transform', shape);
    const d2 = sqDistances(X, Float64Array.from(this.centroids!.data), this.nClusters);
    for (let i = 0; i < d2.length; i++) d2[i] = Math.sqrt(Math.max(d2[i], 0));
    return new Tensor(d2, [X.n, this.nClusters]);
  }

  /** −inertia of x under the fitted centroids (sklearn's score). */
  score(x: MatrixLike, shape?: readonly number[]): number {
    const X = this.check(x, 'score', shape);
    const c = Float64Array.from(this.centroids!.data);
    return -exactInertia(X, c, assign(X, c, this.nClusters).labels);
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

/** ‖x_n − c_j‖² for all n, j as float32 [N·K] (via one matmul, data centred on the centroid mean). */
function sqDistances(X: Matrix, c: Float64Array, k: number): Float32Array {
  const d = X.d;
  const m = new Float64Array(d);
  for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) m[i] += c[j * d + i] / k;
  const xc = new Float32Array(X.n * d), xx = new Float64Array(X.n);
  for (let n = 0; n < X.n; n++) {
    let s = 0;
    for (let i = 0; i < d; i++) { const v = X.data[n * d + i] - m[i]; xc[n * d + i] = v; s += v * v; }
    xx[n] = s;
  }
  const cc = new Float32Array(k * d), c2 = new Float64Array(k);
  for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) { const v = c[j * d + i] - m[i]; cc[j * d + i] = v; c2[j] += v * v; }
  const cross = noGrad(() => matmul(new Tensor(xc, [X.n, d]), new Tensor(cc, [k, d]), { transposeB: true })).data;
  const out = new Float32Array(X.n * k);
  for (let n = 0; n < X.n; n++) for (let j = 0; j < k; j++) out[n * k + j] = xx[n] - 2 * cross[n * k + j] + c2[j];
  return out;
}

function assign(X: Matrix, c: Float64Array, k: number): { labels: Int32Array; dist: Float64Array } {
  const d2 = sqDistances(X, c, k);
  const labels = new Int32Array(X.n), dist = new Float64Array(X.n);
  for (let n = 0; n < X.n; n++) {
    let best = Infinity, at = 0;
    for (let j = 0; j < k; j++) { const v = d2[n * k + j]; if (v < best) { best = v; at = j; } }
    labels[n] = at; dist[n] = best;
  }
  return { labels, dist };
}

/** Means of the assigned points; an empty cluster takes the sample farthest from its centre. */
function updateCentroids(X: Matrix, labels: Int32Array, dist: Float64Array, k: number): Float64Array {
  const d = X.d;
  const c = new Float64Array(k * d), cnt = new Float64Array(k);
  for (let n = 0; n < X.n; n++) {
    const j = labels[n];
    cnt[j]++;
    for (let i = 0; i < d; i++) c[j * d + i] += X.data[n * d + i];
  }
  let order: number[] | null = null, next = 0;
  for (let j = 0; j < k; j++) {
    if (cnt[j] > 0) { for (let i = 0; i < d; i++) c[j * d + i] /= cnt[j]; continue; }
    order ??= Array.from(dist.keys()).sort((a, b) => dist[b] - dist[a]);
    const far = order[next++ % order.length];
    for (let i = 0; i < d; i++) c[j * d + i] = X.data[far * d + i];
  }
  return c;
}

function exactInertia(X: Matrix, c: Float64Array, labels: Int32Array): number {
  const d = X.d;
  let s = 0;
  for (let n = 0; n < X.n; n++) {
    const j = labels[n];
    for (let i = 0; i < d; i++) { const t = X.data[n * d + i] - c[j * d + i]; s += t * t; }
  }
  return s;
}

/** k-means++: D² sampling with 2 + ⌊ln K⌋ candidate draws per centre, keeping the one that lowers the potential most. */
export function kmeansPlusPlus(X: Matrix, k: number, rng: Rng): Float64Array {
  const d = X.d, n = X.n, x = X.data;
  const c = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const sqd = (a: number, cent: Float64Array, off: number): number => {
    let s = 0;
    for (let i = 0; i < d; i++) { const t = x[a * d + i] - cent[off + i]; s += t * t; }
    return s;
  };
  const first = rng.int(n);
  for (let i = 0; i < d; i++) c[i] = x[first * d + i];
  const closest = new Float64Array(n);
  let pot = 0;
  for (let a = 0; a < n; a++) { closest[a] = sqd(a, c, 0); pot += closest[a]; }
  const cand = new Float64Array(d);
  for (let j = 1; j < k; j++) {
    let bestPot = Infinity, bestIdx = 0, bestDist: Float64Array | null = null;
    for (let t = 0; t < trials; t++) {
      // draw a sample with probability ∝ its squared distance to the nearest centre
      let u = rng.uniform() * pot, idx = 0;
      if (pot > 0) { while (idx < n - 1 && u >= closest[idx]) { u -= closest[idx]; idx++; } } else idx = rng.int(n);
      for (let i = 0; i < d; i++) cand[i] = x[idx * d + i];
      const nd = new Float64Array(n);
      let p = 0;
      for (let a = 0; a < n; a++) { nd[a] = Math.min(closest[a], sqd(a, cand, 0)); p += nd[a]; }
      if (p < bestPot) { bestPot = p; bestIdx = idx; bestDist = nd; }
    }
    for (let i = 0; i < d; i++) c[j * d + i] = x[bestIdx * d + i];
    closest.set(bestDist!);
    pot = bestPot;
  }
  return c;
}
