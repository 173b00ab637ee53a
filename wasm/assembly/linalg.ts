// Float64 linear-algebra kernels (kernels.linalg.spec.mjs) for the wasm module.
// Buffers are byte offsets; f64 matrices row-major. The covariance forms the centred
// products of each block of 512 samples in float32 on the packed gemm (upper tiles
// only) and adds the blocks in float64; the rest are the reference algorithms with
// f64x2 lanes on the row loops that dominate (axpy-shaped updates, Givens rotations).
import { gemm, gemmWorkspaceBytes } from './gemm';

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 3); }

/** y[0..n) += a·x[0..n) */
function axpy(n: i32, a: f64, x: usize, y: usize): void {
  const av = f64x2.splat(a);
  let i = 0;
  for (; i + 2 <= n; i += 2) v128.store(at(y, i), f64x2.add(v128.load(at(y, i)), f64x2.mul(av, v128.load(at(x, i)))));
  for (; i < n; i++) st(y, i, ld(y, i) + a * ld(x, i));
}

const KB: i32 = 512;
const TILE: i32 = 128;

export function covarianceWorkspaceBytes(d: i32): i32 {
  return KB * d * 4 + TILE * TILE * 4 + gemmWorkspaceBytes() + 64;
}

export function covariance(out: usize, mean: usize, x: usize, n: i32, d: i32, ws: usize): void {
  for (let i = 0; i < d; i++) st(mean, i, 0);
  for (let s = 0; s < n; s++) for (let i = 0; i < d; i++) st(mean, i, ld(mean, i) + <f64>load<f32>(x + (<usize>(s * d + i) << 2)));
  for (let i = 0; i < d; i++) st(mean, i, ld(mean, i) / <f64>n);
  memory.fill(out, 0, <usize>d * d * 8);
  const xc = (ws + 15) & ~15;
  const tile = xc + (<usize>(KB * d) << 2);
  const gws = (tile + (<usize>(TILE * TILE) << 2) + 15) & ~15;
  const nt = (d + TILE - 1) / TILE;
  for (let b0 = 0; b0 < n; b0 += KB) {
    const kb = min(KB, n - b0);
    for (let s = 0; s < kb; s++) for (let i = 0; i < d; i++) {
      store<f32>(xc + (<usize>(s * d + i) << 2), <f32>(<f64>load<f32>(x + (<usize>((b0 + s) * d + i) << 2)) - ld(mean, i)));
    }
    for (let I = 0; I < nt; I++) for (let J = I; J < nt; J++) {
      const i0 = I * TILE, j0 = J * TILE, m = min(TILE, d - i0), nn = min(TILE, d - j0);
      // tile = Xc[:, i0:]ᵀ Xc[:, j0:]  (A(i, p) = xc[p·d + i0 + i])
      gemm(m, nn, kb, xc + (<usize>i0 << 2), 1, d, xc + (<usize>j0 << 2), d, 1, tile, nn, false, gws);
      for (let i = 0; i < m; i++) {
        const o = at(out, (i0 + i) * d + j0), t = tile + (<usize>(i * nn) << 2);
        for (let j = 0; j < nn; j++) st(o, j, ld(o, j) + <f64>load<f32>(t + (<usize>j << 2)));
      }
    }
  }
  const sc = 1.0 / <f64>(n - 1);
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) {
    const v = ld(out, a * d + b) * sc;
    st(out, a * d + b, v); st(out, b * d + a, v);
  }
}

/** out = op(a) op(b): each row of out is Σ_p a_ip · row p of b, four rows of b per pass (f64x2); b strided when transB. */
export function dgemm(out: usize, a: usize, b: usize, m: i32, k: i32, n: i32, transA: bool, transB: bool): void {
  memory.fill(out, 0, <usize>m * n * 8);
  const as = transA ? m : 1, ar = transA ? 1 : k;
  for (let i = 0; i < m; i++) {
    const o = at(out, i * n), ai = i * ar;
    if (transB) {
      for (let p = 0; p < k; p++) { const v = ld(a, ai + p * as); for (let j = 0; j < n; j++) st(o, j, ld(o, j) + v * ld(b, j * k + p)); }
      continue;
    }
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const x0 = f64x2.splat(ld(a, ai + p * as)), x1 = f64x2.splat(ld(a, ai + (p + 1) * as));
      const x2 = f64x2.splat(ld(a, ai + (p + 2) * as)), x3 = f64x2.splat(ld(a, ai + (p + 3) * as));
      const b0 = at(b, p * n), b1 = at(b, (p + 1) * n), b2 = at(b, (p + 2) * n), b3 = at(b, (p + 3) * n);
      let j = 0;
      for (; j + 2 <= n; j += 2) {
        const off = <usize>j << 3;
        let c = v128.load(o + off);
        c = f64x2.add(c, f64x2.add(f64x2.mul(x0, v128.load(b0 + off)), f64x2.mul(x1, v128.load(b1 + off))));
        c = f64x2.add(c, f64x2.add(f64x2.mul(x2, v128.load(b2 + off)), f64x2.mul(x3, v128.load(b3 + off))));
        v128.store(o + off, c);
      }
      for (; j < n; j++) {
        st(o, j, ld(o, j) + (f64x2.extract_lane(x0, 0) * ld(b0, j) + f64x2.extract_lane(x1, 0) * ld(b1, j))
          + (f64x2.extract_lane(x2, 0) * ld(b2, j) + f64x2.extract_lane(x3, 0) * ld(b3, j)));
      }
    }
    for (; p < k; p++) axpy(n, ld(a, ai + p * as), at(b, p * n), o);
  }
}

export function cholesky(l: usize, info: usize, a: usize, n: i32): void {
  memory.fill(l, 0, <usize>n * n * 8);
  store<i32>(info, 0);
  for (let j = 0; j < n; j++) {
    let s = ld(a, j * n + j);
    for (let k = 0; k < j; k++) s -= ld(l, j * n + k) * ld(l, j * n + k);
    if (!(s > 0) || !isFinite(s)) { store<i32>(info, j + 1); return; }
    const dj = Math.sqrt(s);
    st(l, j * n + j, dj);
    for (let i = j + 1; i < n; i++) {
      let t = ld(a, i * n + j);
      for (let k = 0; k < j; k++) t -= ld(l, i * n + k) * ld(l, j * n + k);
      st(l, i * n + j, t / dj);
    }
  }
}

export function triSolve(b: usize, l: usize, n: i32, m: i32, trans: bool): void {
  if (!trans) {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < i; k++) { const v = ld(l, i * n + k); if (v != 0) axpy(m, -v, at(b, k * m), at(b, i * m)); }
      const dinv = 1.0 / ld(l, i * n + i);
      for (let j = 0; j < m; j++) st(b, i * m + j, ld(b, i * m + j) * dinv);
    }
  } else {
    for (let i = n - 1; i >= 0; i--) {
      const dinv = 1.0 / ld(l, i * n + i);
      for (let j = 0; j < m; j++) st(b, i * m + j, ld(b, i * m + j) * dinv);
      for (let k = 0; k < i; k++) { const v = ld(l, i * n + k); if (v != 0) axpy(m, -v, at(b, i * m), at(b, k * m)); }
    }
  }
}

export function lu(a: usize, piv: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i32>(piv + (<usize>i << 2), i);
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(ld(a, k * n + k));
    for (let i = k + 1; i < n; i++) { const v = Math.abs(ld(a, i * n + k)); if (v > best) { best = v; p = i; } }
    if (best == 0) continue;
    if (p != k) {
      for (let j = 0; j < n; j++) { const t = ld(a, k * n + j); st(a, k * n + j, ld(a, p * n + j)); st(a, p * n + j, t); }
      const pk = piv + (<usize>k << 2), pp = piv + (<usize>p << 2), t = load<i32>(pk);
      store<i32>(pk, load<i32>(pp)); store<i32>(pp, t);
    }
    const dinv = 1.0 / ld(a, k * n + k);
    for (let i = k + 1; i < n; i++) {
      const f = ld(a, i * n + k) * dinv;
      st(a, i * n + k, f);
      if (f != 0) axpy(n - k - 1, -f, at(a, k * n + k + 1), at(a, i * n + k + 1));
    }
  }
}

export function luSolve(x: usize, lu_: usize, piv: usize, b: usize, n: i32, m: i32): void {
  for (let i = 0; i < n; i++) memory.copy(at(x, i * m), at(b, load<i32>(piv + (<usize>i << 2)) * m), <usize>m << 3);
  for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) { const v = ld(lu_, i * n + k); if (v != 0) axpy(m, -v, at(x, k * m), at(x, i * m)); }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) { const v = ld(lu_, i * n + k); if (v != 0) axpy(m, -v, at(x, k * m), at(x, i * m)); }
    const dinv = 1.0 / ld(lu_, i * n + i);
    for (let j = 0; j < m; j++) st(x, i * m + j, ld(x, i * m + j) * dinv);
  }
}

/**
 * Householder QR then Q (geqr2 + org2r), row-oriented as the native kernel: w = vᵀ Q[j:, cols]
 * accumulated row by row, then Q[i, cols] −= τ v_i w (f64x2 axpys). ws: τ [k] and w [k].
 */
export function qrQ(q: usize, m: i32, k: i32, ws: usize): void {
  const kk = min(m, k), tau = ws, w = ws + (<usize>k << 3);
  for (let j = 0; j < k; j++) st(tau, j, 0);
  for (let j = 0; j < kk; j++) {
    let xn = 0.0;
    for (let i = j + 1; i < m; i++) xn += ld(q, i * k + j) * ld(q, i * k + j);
    const alpha = ld(q, j * k + j);
    if (xn == 0) continue;
    const r = Math.sqrt(alpha * alpha + xn), beta = alpha > 0 ? -r : r;
    const t = (beta - alpha) / beta;
    st(tau, j, t);
    const sc = 1.0 / (alpha - beta);
    for (let i = j + 1; i < m; i++) st(q, i * k + j, ld(q, i * k + j) * sc);
    st(q, j * k + j, beta);
    reflect(q, m, k, j, t, w, true);
  }
  for (let i = 0; i < m; i++) for (let j = kk; j < k; j++) st(q, i * k + j, 0);
  for (let j = kk - 1; j >= 0; j--) {
    const t = ld(tau, j);
    if (t != 0) reflect(q, m, k, j, t, w, false); else for (let c = j + 1; c < k; c++) st(q, j * k + c, 0);
    st(q, j * k + j, 1 - t);
    for (let i = j + 1; i < m; i++) st(q, i * k + j, -t * ld(q, i * k + j));
    for (let i = 0; i < j; i++) st(q, i * k + j, 0);
  }
}

/** Columns (j, k) of q ← H_j (them), H_j = I − τ v vᵀ, v = [1, q[j+1:, j]]; row j read only when unitRow. */
function reflect(q: usize, m: i32, k: i32, j: i32, t: f64, w: usize, unitRow: bool): void {
  const c0 = j + 1, nc = k - c0;
  if (nc <= 0) return;
  if (unitRow) memory.copy(w, at(q, j * k + c0), <usize>nc << 3); else memory.fill(w, 0, <usize>nc << 3);
  for (let i = j + 1; i < m; i++) axpy(nc, ld(q, i * k + j), at(q, i * k + c0), w);
  if (unitRow) axpy(nc, -t, w, at(q, j * k + c0)); else for (let c = 0; c < nc; c++) st(q, j * k + c0 + c, -t * ld(w, c));
  for (let i = j + 1; i < m; i++) axpy(nc, -t * ld(q, i * k + j), w, at(q, i * k + c0));
}
