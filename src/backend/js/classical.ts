// Reference kernels of the classical models (K-means, mixture E- and M-steps), float64 inside.
//   K-means:  label_i = argmin_j ‖x_i − c_j‖², sums_j = Σ_{label i = j} x_i
//   M-step:   N_j = Σ_i r_ij, Σ_i r_ij x_i, S_j = Σ_i r_ij (x_i − μ_j)(x_i − μ_j)ᵀ
//   E-step:   log N(x | μ, Σ) + ln w = bias − ½ ‖(x − μ)ᵀ P‖², Σ⁻¹ = P Pᵀ
//             lse_i = log Σ_j e^(wlp_ij), r_ij = e^(wlp_ij − lse_i)

export function kmeansAssign(labels: Int32Array, dist: Float32Array, sums: Float64Array, stats: Float64Array, prev: Int32Array,
  x: Float32Array, c: Float32Array, n: number, d: number, k: number): void {
  sums.fill(0); stats.fill(0);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity, at = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) { const t = x[i * d + a] - c[j * d + a]; s += t * t; }
      if (s < best) { best = s; at = j; }
    }
    labels[i] = at; dist[i] = best;
    if (at !== prev[i]) changed++;
    stats[at] += 1; stats[k + at] += Math.fround(best);
    for (let a = 0; a < d; a++) sums[at * d + a] += x[i * d + a];
  }
  stats[2 * k] = changed;
}

export function minSqDist(out: Float32Array, pot: Float64Array, closest: Float32Array, x: Float32Array, cand: Float32Array,
  n: number, d: number, k: number): void {
  for (let t = 0; t < k; t++) {
    let p = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < d; a++) { const v = x[i * d + a] - cand[t * d + a]; s += v * v; }
      const m = Math.fround(Math.min(closest[i], s));
      out[t * n + i] = m; p += m;
    }
    pot[t] = p;
  }
}

export function mixtureMoments(nk: Float64Array, sums: Float64Array, r: Float32Array, x: Float32Array, n: number, d: number, k: number): void {
  nk.fill(0); sums.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const w = r[i * k + j];
      if (w === 0) continue;
      nk[j] += w;
      for (let a = 0; a < d; a++) sums[j * d + a] += w * x[i * d + a];
    }
  }
}

export function mixtureScatter(out: Float64Array, r: Float32Array, x: Float32Array, mu: Float64Array, n: number, d: number, k: number, diag: boolean): void {
  out.fill(0);
  const diff = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const w = r[i * k + j];
      if (w === 0) continue;
      for (let a = 0; a < d; a++) diff[a] = x[i * d + a] - mu[j * d + a];
      if (diag) { for (let a = 0; a < d; a++) out[j * d + a] += w * diff[a] * diff[a]; continue; }
      const o = j * d * d;
      for (let a = 0; a < d; a++) { const wa = w * diff[a]; for (let b = a; b < d; b++) out[o + a * d + b] += wa * diff[b]; }
    }
  }
  if (diag) return;
  for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) out[j * d * d + a * d + b] = out[j * d * d + b * d + a];
}

export function gaussianLogProb(out: Float32Array, x: Float32Array, mu: Float64Array, prec: Float64Array, bias: Float64Array,
  n: number, d: number, k: number): void {
  const diff = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      for (let a = 0; a < d; a++) diff[a] = x[i * d + a] - mu[j * d + a];
      const P = j * d * d;
      let maha = 0;
      for (let s = 0; s < d; s++) {
        let y = 0;
        for (let a = 0; a < d; a++) y += diff[a] * prec[P + a * d + s];
        maha += y * y;
      }
      out[i * k + j] = bias[j] - 0.5 * maha;
    }
  }
}

export function mixtureResponsibilities(resp: Float32Array, lse: Float32Array, total: Float64Array, wlp: Float32Array, n: number, k: number): void {
  let tot = 0;
  for (let i = 0; i < n; i++) {
    let m = -Infinity, nan = false;
    for (let j = 0; j < k; j++) { const v = wlp[i * k + j]; if (v !== v) nan = true; if (v > m) m = v; }
    if (nan) m = NaN;
    if (!Number.isFinite(m)) { lse[i] = m; tot += m; resp.fill(NaN, i * k, (i + 1) * k); continue; }
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(wlp[i * k + j] - m);
    const l = m + Math.log(s);
    lse[i] = l; tot += Math.fround(l);
    for (let j = 0; j < k; j++) resp[i * k + j] = Math.exp(wlp[i * k + j] - l);
  }
  total[0] = tot;
}

export function linearScores(out: Float32Array, x: Float32Array, w: Float32Array, bias: Float64Array, n: number, d: number, k: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      let s = bias[j];
      for (let a = 0; a < d; a++) s += x[i * d + a] * w[j * d + a];
      out[i * k + j] = s;
    }
  }
}
