// The eigh kernel for wasm: EISPACK tred2 (Householder to tridiagonal, Q accumulated)
// and tql2 (implicit QL, Wilkinson shifts), as the TypeScript reference
// (src/backend/js/eigh.ts) with U = Qᵀ held by rows so that every O(n³) loop walks a
// contiguous row; the Givens rotations on row pairs use f64x2 lanes.
// ws: U [n·n] f64, d [n], e [n], the sort order [n].

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function row(U: usize, n: i32, i: i32): usize { return U + (<usize>(i * n) << 3); }

function tridiagonalise(U: usize, n: i32, d: usize, e: usize): void {
  for (let j = 0; j < n; j++) st(d, j, ld(row(U, n, j), n - 1));
  for (let i = n - 1; i > 0; i--) {
    let scale = 0.0, h = 0.0;
    const Ui = row(U, n, i);
    for (let k = 0; k < i; k++) scale += Math.abs(ld(d, k));
    if (scale == 0) {
      st(e, i, ld(d, i - 1));
      for (let j = 0; j < i; j++) { const Uj = row(U, n, j); st(d, j, ld(Uj, i - 1)); st(Uj, i, 0); st(Ui, j, 0); }
    } else {
      for (let k = 0; k < i; k++) { const v = ld(d, k) / scale; st(d, k, v); h += v * v; }
      let f = ld(d, i - 1);
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      st(e, i, scale * g);
      h -= f * g;
      st(d, i - 1, f - g);
      for (let j = 0; j < i; j++) st(e, j, 0);
      for (let j = 0; j < i; j++) {
        const Uj = row(U, n, j);
        f = ld(d, j);
        st(Ui, j, f);
        g = ld(e, j) + ld(Uj, j) * f;
        for (let k = j + 1; k < i; k++) { const u = ld(Uj, k); g += u * ld(d, k); st(e, k, ld(e, k) + u * f); }
        st(e, j, g);
      }
      f = 0;
      for (let j = 0; j < i; j++) { const v = ld(e, j) / h; st(e, j, v); f += v * ld(d, j); }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) st(e, j, ld(e, j) - hh * ld(d, j));
      for (let j = 0; j < i; j++) {
        const Uj = row(U, n, j);
        f = ld(d, j); g = ld(e, j);
        const fv = f64x2.splat(f), gv = f64x2.splat(g);
        let k = j;
        for (; k + 2 <= i; k += 2) {
          const p = Uj + (<usize>k << 3);
          v128.store(p, f64x2.sub(v128.load(p), f64x2.add(f64x2.mul(fv, v128.load(e + (<usize>k << 3))), f64x2.mul(gv, v128.load(d + (<usize>k << 3))))));
        }
        for (; k < i; k++) st(Uj, k, ld(Uj, k) - (f * ld(e, k) + g * ld(d, k)));
        st(d, j, ld(Uj, i - 1));
        st(Uj, i, 0);
      }
    }
    st(d, i, h);
  }
  for (let i = 0; i < n - 1; i++) {
    const Ui = row(U, n, i), Un = row(U, n, i + 1);
    st(Ui, n - 1, ld(Ui, i));
    st(Ui, i, 1);
    const h = ld(d, i + 1);
    if (h != 0) {
      for (let k = 0; k <= i; k++) st(d, k, ld(Un, k) / h);
      for (let j = 0; j <= i; j++) {
        const Uj = row(U, n, j);
        let g = 0.0;
        for (let k = 0; k <= i; k++) g += ld(Un, k) * ld(Uj, k);
        for (let k = 0; k <= i; k++) st(Uj, k, ld(Uj, k) - g * ld(d, k));
      }
    }
    for (let k = 0; k <= i; k++) st(Un, k, 0);
  }
  for (let j = 0; j < n; j++) { const Uj = row(U, n, j); st(d, j, ld(Uj, n - 1)); st(Uj, n - 1, 0); }
  st(row(U, n, n - 1), n - 1, 1);
  st(e, 0, 0);
}

/** false when an eigenvalue needs more than 100 QL iterations. */
function tridiagonalQL(U: usize, n: i32, d: usize, e: usize): bool {
  for (let i = 1; i < n; i++) st(e, i - 1, ld(e, i));
  st(e, n - 1, 0);
  let f = 0.0, tst1 = 0.0;
  const eps = 2.220446049250313e-16;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(ld(d, l)) + Math.abs(ld(e, l)));
    let m = l;
    while (m < n - 1 && Math.abs(ld(e, m)) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 100) return false;
        let g = ld(d, l);
        let p = (ld(d, l + 1) - g) / (2 * ld(e, l));
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        st(d, l, ld(e, l) / (p + r));
        st(d, l + 1, ld(e, l) * (p + r));
        const dl1 = ld(d, l + 1);
        let h = g - ld(d, l);
        for (let i = l + 2; i < n; i++) st(d, i, ld(d, i) - h);
        f += h;
        p = ld(d, m);
        let c = 1.0, c2 = 1.0, c3 = 1.0, s = 0.0, s2 = 0.0;
        const el1 = ld(e, l + 1);
        for (let i = m - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          const ei = ld(e, i);
          g = c * ei; h = c * p;
          r = Math.hypot(p, ei);
          st(e, i + 1, s * r);
          s = ei / r; c = p / r;
          p = c * ld(d, i) - s * g;
          st(d, i + 1, h + s * (c * g + s * ld(d, i)));
          const a = row(U, n, i), b = row(U, n, i + 1);
          const cv = f64x2.splat(c), sv = f64x2.splat(s);
          let k = 0;
          for (; k + 2 <= n; k += 2) {
            const pa = a + (<usize>k << 3), pb = b + (<usize>k << 3);
            const av = v128.load(pa), bv = v128.load(pb);
            v128.store(pb, f64x2.add(f64x2.mul(sv, av), f64x2.mul(cv, bv)));
            v128.store(pa, f64x2.sub(f64x2.mul(cv, av), f64x2.mul(sv, bv)));
          }
          for (; k < n; k++) { const t = ld(b, k), u = ld(a, k); st(b, k, s * u + c * t); st(a, k, c * u - s * t); }
        }
        p = (-s * s2 * c3 * el1 * ld(e, l)) / dl1;
        st(e, l, s * p);
        st(d, l, c * p);
      } while (Math.abs(ld(e, l)) > eps * tst1);
    }
    st(d, l, ld(d, l) + f);
    st(e, l, 0);
  }
  return true;
}

export function eigh(values: usize, vectors: usize, a: usize, n: i32, ws: usize): void {
  const U = ws, d = U + (<usize>(n * n) << 3), e = d + (<usize>n << 3), order = e + (<usize>n << 3);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) st(row(U, n, i), j, 0.5 * (ld(a, i * n + j) + ld(a, j * n + i)));
  tridiagonalise(U, n, d, e);
  if (!tridiagonalQL(U, n, d, e)) { for (let i = 0; i < n; i++) st(values, i, NaN); return; }
  for (let i = 0; i < n; i++) store<i32>(order + (<usize>i << 2), i);
  for (let i = 1; i < n; i++) { // insertion sort of the indices, descending (stable)
    const oi = load<i32>(order + (<usize>i << 2)), v = ld(d, oi);
    let j = i - 1;
    while (j >= 0 && ld(d, load<i32>(order + (<usize>j << 2))) < v) { store<i32>(order + (<usize>(j + 1) << 2), load<i32>(order + (<usize>j << 2))); j--; }
    store<i32>(order + (<usize>(j + 1) << 2), oi);
  }
  for (let j = 0; j < n; j++) {
    const src = load<i32>(order + (<usize>j << 2)), v = row(U, n, src);
    st(values, j, ld(d, src));
    let big = 0.0;
    for (let k = 0; k < n; k++) if (Math.abs(ld(v, k)) > Math.abs(big)) big = ld(v, k);
    const sg = big < 0 ? -1.0 : 1.0;
    for (let k = 0; k < n; k++) st(vectors, k * n + j, sg * ld(v, k));
  }
}
