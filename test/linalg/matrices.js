// Test matrices in float64: random SPD (B Bᵀ + shift·I) and ill-conditioned ones with a known
// spectrum (A = H diag(λ) H, H a Householder reflection, λ_i = 10^(−t·i/(n−1)), cond 10^t).
import { lk } from '../helpers.js';

export function spd(n, seed, shift = 0.1) {
  const r = new lk.Rng(seed), b = Float64Array.from({ length: n * n }, () => r.uniform() * 2 - 1), a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
    a[i * n + j] = a[j * n + i] = s + (i === j ? shift * n : 0);
  }
  return a;
}

export function illConditioned(n, seed, decades) {
  const r = new lk.Rng(seed), u = Float64Array.from({ length: n }, () => r.uniform() * 2 - 1);
  const uu = u.reduce((s, v) => s + v * v, 0);
  const lam = Float64Array.from({ length: n }, (_, i) => 10 ** (-decades * (n > 1 ? i / (n - 1) : 0)));
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H[i * n + j] = (i === j ? 1 : 0) - (2 * u[i] * u[j]) / uu;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += H[i * n + k] * lam[k] * H[j * n + k];
    a[i * n + j] = a[j * n + i] = s;
  }
  return { a, lam };
}

/** Float64 product of row-major [n, m] and [m, p]. */
export function mm(a, b, n, m, p) {
  const c = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) { const v = a[i * m + k]; if (v !== 0) for (let j = 0; j < p; j++) c[i * p + j] += v * b[k * p + j]; }
  return c;
}
export const transpose = (a, n, m) => { const t = new Float64Array(n * m); for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j]; return t; };
export const frob = (a) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
export const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** ‖A − V diag(λ) Vᵀ‖_F / ‖A‖_F and max |VᵀV − I| for vectors as columns of V [n, n]. */
export function eighErrors(a, values, V, n) {
  const VL = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) VL[i * n + j] = V[i * n + j] * values[j];
  const R = mm(VL, transpose(V, n, n), n, n, n);
  let num = 0;
  for (let i = 0; i < n * n; i++) num += (R[i] - a[i]) ** 2;
  const G = mm(transpose(V, n, n), V, n, n, n);
  let orth = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) orth = Math.max(orth, Math.abs(G[i * n + j] - (i === j ? 1 : 0)));
  return { recon: Math.sqrt(num) / Math.max(frob(a), 1e-300), orth };
}
