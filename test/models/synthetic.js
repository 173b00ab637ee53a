// Small synthetic data sets for the model tests (seeded, float64 generation).
import { lk } from '../helpers.js';

/** N samples from a Gaussian mixture with the given weights, means [K][D] and full covs [K][D][D]. */
export function gaussianMixtureData(n, weights, means, covs, seed) {
  const rng = new lk.Rng(seed);
  const k = weights.length, d = means[0].length;
  const L = covs.map((c) => { // Cholesky in float64
    const l = Array.from({ length: d }, () => new Array(d).fill(0));
    for (let j = 0; j < d; j++) {
      let s = c[j][j];
      for (let t = 0; t < j; t++) s -= l[j][t] ** 2;
      l[j][j] = Math.sqrt(s);
      for (let i = j + 1; i < d; i++) { let v = c[i][j]; for (let t = 0; t < j; t++) v -= l[i][t] * l[j][t]; l[i][j] = v / l[j][j]; }
    }
    return l;
  });
  const x = new Float32Array(n * d), y = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    let u = rng.uniform(), j = 0;
    while (j < k - 1 && u >= weights[j]) { u -= weights[j]; j++; }
    const z = Array.from({ length: d }, () => rng.normal());
    for (let i = 0; i < d; i++) { let v = means[j][i]; for (let t = 0; t <= i; t++) v += L[j][i][t] * z[t]; x[s * d + i] = v; }
    y[s] = j;
  }
  return { x: lk.tensor(x, [n, d]), y };
}

export const THREE = {
  weights: [0.2, 0.3, 0.5],
  means: [[0, 0], [6, 1], [1, 7]],
  covs: [[[1, 0.3], [0.3, 0.5]], [[0.6, -0.2], [-0.2, 1.2]], [[1.5, 0.5], [0.5, 1]]],
};

/** Index of the nearest of `targets` for each row of `rows` (to match fitted components to the truth). */
export function matchRows(rows, targets) {
  return targets.map((t) => {
    let best = Infinity, at = -1;
    rows.forEach((r, i) => { const d = r.reduce((s, v, j) => s + (v - t[j]) ** 2, 0); if (d < best) { best = d; at = i; } });
    return at;
  });
}

/** Float64 mean and covariance of rows of a [N, D] Float32Array picked by mask. */
export function momentsOf(x, d, pick) {
  const m = new Float64Array(d), c = new Float64Array(d * d);
  let n = 0;
  for (let s = 0; s < x.length / d; s++) { if (!pick(s)) continue; n++; for (let i = 0; i < d; i++) m[i] += x[s * d + i]; }
  for (let i = 0; i < d; i++) m[i] /= n;
  for (let s = 0; s < x.length / d; s++) {
    if (!pick(s)) continue;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) c[i * d + j] += (x[s * d + i] - m[i]) * (x[s * d + j] - m[j]) / n;
  }
  return { mean: m, cov: c, n };
}
