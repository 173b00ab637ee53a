// The classical models' kernels (see src/backend/kernels.classical.spec.mjs):
// K-means assignment with the cluster sums fused, k-means++ candidate
// distances, the full-covariance Gaussian E-step and the float64 M-step
// moments. Rows go in blocks of B: a block is transposed into the workspace
// (xt[a][s], features outermost) so every centroid or component is a pass of
// f32x4 lanes over 4 samples at a time.
//   dist_ij = Σ_a (x_ia − c_ja)²,  out_ij = bias_j − ½ Σ_s (Σ_a (x_ia − μ_ja) P_j[a, s])² (float64)
import { madd } from './simd';
import { vexpNeg } from './vmath';

const B = 256;
@inline function f4(p: usize, i: i32): usize { return p + (<usize>i << 2); }
@inline function f8(p: usize, i: i32): usize { return p + (<usize>i << 3); }

/** Workspace bytes of kmeansAssign / minSqDist (xt, acc, best, labels: float32) and gaussianLogProb (dt, y, maha: float64). */
export function classicalWorkspaceBytes(d: i32): i32 { return 8 * (d * B + 2 * B) + 64; }

// xt[a·B + s] = x[(b0 + s)·d + a] for s < m; lanes m..ceil4(m) are zero.
function transposeBlock(xt: usize, x: usize, b0: i32, m: i32, d: i32): void {
  const m4 = (m + 3) & ~3;
  for (let a = 0; a < d; a++) {
    const row = f4(xt, a * B);
    for (let s = 0; s < m; s++) store<f32>(f4(row, s), load<f32>(f4(x, (b0 + s) * d + a)));
    for (let s = m; s < m4; s++) store<f32>(f4(row, s), 0);
  }
}

// acc[s] = Σ_a (xt[a][s] − c[a])² for s < m4
@inline function sqDistBlock(acc: usize, xt: usize, c: usize, m4: i32, d: i32): void {
  for (let s = 0; s < m4; s += 4) v128.store(f4(acc, s), f32x4.splat(0));
  for (let a = 0; a < d; a++) {
    const ca = f32x4.splat(load<f32>(f4(c, a)));
    const row = f4(xt, a * B);
    for (let s = 0; s < m4; s += 4) {
      const t = f32x4.sub(v128.load(f4(row, s)), ca);
      v128.store(f4(acc, s), madd(t, t, v128.load(f4(acc, s))));
    }
  }
}

export function kmeansAssign(labels: usize, dist: usize, sums: usize, stats: usize, prev: usize, x: usize, c: usize,
  n: i32, d: i32, k: i32, ws: usize): void {
  memory.fill(sums, 0, <usize>(k * d) << 3);
  memory.fill(stats, 0, <usize>(3 * k) << 3);
  const xt = ws, acc = f4(ws, d * B), best = f4(acc, B), lab = f4(best, B);
  let changed = 0;
  for (let b0 = 0; b0 < n; b0 += B) {
    const m = min(B, n - b0), m4 = (m + 3) & ~3;
    transposeBlock(xt, x, b0, m, d);
    for (let s = 0; s < m4; s += 4) { v128.store(f4(best, s), f32x4.splat(Infinity)); v128.store(f4(lab, s), i32x4.splat(0)); }
    for (let j = 0; j < k; j++) {
      sqDistBlock(acc, xt, f4(c, j * d), m4, d);
      const jv = i32x4.splat(j);
      for (let s = 0; s < m4; s += 4) {
        const a = v128.load(f4(acc, s)), bv = v128.load(f4(best, s));
        const lt = f32x4.lt(a, bv); // strict: the first centroid wins ties
        v128.store(f4(best, s), v128.bitselect(a, bv, lt));
        v128.store(f4(lab, s), v128.bitselect(jv, v128.load(f4(lab, s)), lt));
      }
    }
    for (let s = 0; s < m; s++) {
      const i = b0 + s, j = load<i32>(f4(lab, s)), v = load<f32>(f4(best, s));
      store<i32>(f4(labels, i), j);
      store<f32>(f4(dist, i), v);
      if (j != load<i32>(f4(prev, i))) changed++;
      store<f64>(f8(stats, j), load<f64>(f8(stats, j)) + 1);
      store<f64>(f8(stats, k + j), load<f64>(f8(stats, k + j)) + <f64>v);
      for (let a = 0; a < d; a++) {
        const p = f8(sums, j * d + a);
        store<f64>(p, load<f64>(p) + <f64>load<f32>(f4(x, i * d + a)));
      }
    }
  }
  store<f64>(f8(stats, 2 * k), <f64>changed);
}

export function minSqDist(out: usize, pot: usize, closest: usize, x: usize, cand: usize, n: i32, d: i32, k: i32, ws: usize): void {
  memory.fill(pot, 0, <usize>k << 3);
  const xt = ws, acc = f4(ws, d * B);
  for (let b0 = 0; b0 < n; b0 += B) {
    const m = min(B, n - b0), m4 = (m + 3) & ~3;
    transposeBlock(xt, x, b0, m, d);
    for (let t = 0; t < k; t++) {
      sqDistBlock(acc, xt, f4(cand, t * d), m4, d);
      let p: f64 = 0;
      for (let s = 0; s < m; s++) {
        const v = min(load<f32>(f4(acc, s)), load<f32>(f4(closest, b0 + s)));
        store<f32>(f4(out, t * n + b0 + s), v);
        p += v;
      }
      store<f64>(f8(pot, t), load<f64>(f8(pot, t)) + p);
    }
  }
}

// float64 inside (f64x2 lanes over pairs of samples): the EM objective must not go down by rounding
export function gaussianLogProb(out: usize, x: usize, mu: usize, prec: usize, bias: usize, n: i32, d: i32, k: i32, ws: usize): void {
  const dt = ws, y = f8(dt, d * B), maha = f8(y, B);
  for (let b0 = 0; b0 < n; b0 += B) {
    const m = min(B, n - b0), m2 = (m + 1) & ~1;
    for (let j = 0; j < k; j++) {
      for (let a = 0; a < d; a++) {
        const ma = load<f64>(f8(mu, j * d + a)), row = f8(dt, a * B);
        for (let s = 0; s < m; s++) store<f64>(f8(row, s), <f64>load<f32>(f4(x, (b0 + s) * d + a)) - ma);
        if (m < m2) store<f64>(f8(row, m), 0);
      }
      for (let s = 0; s < m2; s += 2) v128.store(f8(maha, s), f64x2.splat(0));
      const P = f8(prec, j * d * d);
      for (let col = 0; col < d; col++) {
        for (let s = 0; s < m2; s += 2) v128.store(f8(y, s), f64x2.splat(0));
        for (let a = 0; a < d; a++) {
          const p = load<f64>(f8(P, a * d + col));
          if (p == 0) continue; // P = L⁻ᵀ is triangular
          const pv = f64x2.splat(p), row = f8(dt, a * B);
          for (let s = 0; s < m2; s += 2) v128.store(f8(y, s), f64x2.add(v128.load(f8(y, s)), f64x2.mul(v128.load(f8(row, s)), pv)));
        }
        for (let s = 0; s < m2; s += 2) { const v = v128.load(f8(y, s)); v128.store(f8(maha, s), f64x2.add(v128.load(f8(maha, s)), f64x2.mul(v, v))); }
      }
      const bj = load<f64>(f8(bias, j));
      for (let s = 0; s < m; s++) store<f32>(f4(out, (b0 + s) * k + j), <f32>(bj - 0.5 * load<f64>(f8(maha, s))));
    }
  }
}

// sums_j += Σ_i r_ij x_i in float64: rows in pairs, each pair widened once into xd (2·d doubles), so every
// load/store of a sums lane pair carries two multiply-adds (f64x2 over the features).
export function mixtureMoments(nk: usize, sums: usize, r: usize, x: usize, n: i32, d: i32, k: i32, ws: usize): void {
  memory.fill(nk, 0, <usize>k << 3);
  memory.fill(sums, 0, <usize>(k * d) << 3);
  const x0 = ws, x1 = f8(ws, d);
  for (let i = 0; i < n; i += 2) {
    const two = i + 1 < n;
    for (let a = 0; a < d; a++) {
      store<f64>(f8(x0, a), <f64>load<f32>(f4(x, i * d + a)));
      store<f64>(f8(x1, a), two ? <f64>load<f32>(f4(x, (i + 1) * d + a)) : 0);
    }
    for (let j = 0; j < k; j++) {
      const w0 = <f64>load<f32>(f4(r, i * k + j)), w1: f64 = two ? <f64>load<f32>(f4(r, (i + 1) * k + j)) : 0;
      if (w0 == 0 && w1 == 0) continue;
      store<f64>(f8(nk, j), load<f64>(f8(nk, j)) + (w0 + w1));
      const v0 = f64x2.splat(w0), v1 = f64x2.splat(w1), sj = f8(sums, j * d);
      let a = 0;
      for (; a + 2 <= d; a += 2) {
        const t = f64x2.add(f64x2.mul(v0, v128.load(f8(x0, a))), f64x2.mul(v1, v128.load(f8(x1, a))));
        v128.store(f8(sj, a), f64x2.add(v128.load(f8(sj, a)), t));
      }
      for (; a < d; a++) store<f64>(f8(sj, a), load<f64>(f8(sj, a)) + (w0 * load<f64>(f8(x0, a)) + w1 * load<f64>(f8(x1, a))));
    }
  }
}

export function mixtureScatter(out: usize, r: usize, x: usize, mu: usize, n: i32, d: i32, k: i32, diag: i32, ws: usize): void {
  memory.fill(out, 0, <usize>(diag ? k * d : k * d * d) << 3);
  const diff = ws;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const w = <f64>load<f32>(f4(r, i * k + j));
      if (w == 0) continue;
      for (let a = 0; a < d; a++) store<f64>(f8(diff, a), <f64>load<f32>(f4(x, i * d + a)) - load<f64>(f8(mu, j * d + a)));
      if (diag) {
        for (let a = 0; a < d; a++) { const t = load<f64>(f8(diff, a)), p = f8(out, j * d + a); store<f64>(p, load<f64>(p) + w * t * t); }
        continue;
      }
      const o = f8(out, j * d * d);
      for (let a = 0; a < d; a++) {
        const wa = w * load<f64>(f8(diff, a)), oa = f8(o, a * d);
        for (let b = a; b < d; b++) store<f64>(f8(oa, b), load<f64>(f8(oa, b)) + wa * load<f64>(f8(diff, b)));
      }
    }
  }
  if (diag) return;
  for (let j = 0; j < k; j++) {
    const o = f8(out, j * d * d);
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) store<f64>(f8(o, a * d + b), load<f64>(f8(o, b * d + a)));
  }
}

// lse_i = m_i + ln Σ_j e^(wlp_ij − m_i), resp_ij = e^(wlp_ij − m_i) / Σ, total = Σ_i lse_i (float64);
// a block of rows transposed to t[j][s] so the max and the exponentials go 4 rows a vector.
export function mixtureResponsibilities(resp: usize, lse: usize, total: usize, wlp: usize, n: i32, k: i32, ws: usize): void {
  const t = ws, mx = f4(ws, k * B), sum = f4(mx, B);
  let tot: f64 = 0;
  for (let b0 = 0; b0 < n; b0 += B) {
    const m = min(B, n - b0), m4 = (m + 3) & ~3;
    for (let j = 0; j < k; j++) {
      const row = f4(t, j * B);
      for (let s = 0; s < m; s++) store<f32>(f4(row, s), load<f32>(f4(wlp, (b0 + s) * k + j)));
      for (let s = m; s < m4; s++) store<f32>(f4(row, s), 0);
    }
    memory.copy(mx, t, <usize>m4 << 2);
    for (let j = 1; j < k; j++) {
      const row = f4(t, j * B);
      for (let s = 0; s < m4; s += 4) {
        const v = v128.load(f4(row, s)), c = v128.load(f4(mx, s));
        v128.store(f4(mx, s), v128.bitselect(v, c, v128.or(f32x4.gt(v, c), f32x4.ne(v, v))));
      }
    }
    for (let s = 0; s < m4; s += 4) v128.store(f4(sum, s), f32x4.splat(0));
    for (let j = 0; j < k; j++) {
      const row = f4(t, j * B);
      for (let s = 0; s < m4; s += 4) {
        const e = vexpNeg(f32x4.sub(v128.load(f4(row, s)), v128.load(f4(mx, s))));
        v128.store(f4(row, s), e);
        v128.store(f4(sum, s), f32x4.add(v128.load(f4(sum, s)), e));
      }
    }
    for (let s = 0; s < m; s++) {
      const i = b0 + s, ms = load<f32>(f4(mx, s));
      if (!(ms - ms == 0)) { // max ±∞ or NaN
        store<f32>(f4(lse, i), ms); tot += ms;
        for (let j = 0; j < k; j++) store<f32>(f4(resp, i * k + j), NaN);
        continue;
      }
      const S = load<f32>(f4(sum, s)), l = ms + <f32>Math.log(<f64>S); // Σ ∈ [1, k]
      store<f32>(f4(lse, i), l); tot += <f64>l;
      const inv: f32 = 1 / S;
      for (let j = 0; j < k; j++) store<f32>(f4(resp, i * k + j), load<f32>(f4(t, j * B + s)) * inv);
    }
  }
  store<f64>(total, tot);
}
