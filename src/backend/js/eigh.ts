// The reference eigh kernel (float64): Householder reduction to
// tridiagonal form, then the implicit QL algorithm with Wilkinson-style shifts
// (the EISPACK tred2/tql2 pair). Work storage is kept so that every O(n³) inner
// loop walks a contiguous row: U holds the transpose of the textbook V, so row i
// of U is eigenvector i at the end.

/**
 * Householder tridiagonalisation of the symmetric matrix held in U (rows of
 * Float64Array, overwritten). On return d is the diagonal, e the sub-diagonal
 * (e[0] = 0) and U's rows the columns of the orthogonal Q with A = Q T Qᵀ.
 */
function tridiagonalise(U: Float64Array[], n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = U[j][n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0, h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) { d[j] = U[j][i - 1]; U[j][i] = 0; U[i][j] = 0; }
    } else {
      // Householder vector v = x − ‖x‖ e_{i−1} for the row x = d[0..i) (scaled)
      for (let k = 0; k < i; k++) { d[k] /= scale; h += d[k] * d[k]; }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // p = A v / h (e holds p), using the lower triangle stored in U's rows
      for (let j = 0; j < i; j++) {
        const Uj = U[j];
        f = d[j];
        U[i][j] = f;
        g = e[j] + Uj[j] * f;
        for (let k = j + 1; k < i; k++) { g += Uj[k] * d[k]; e[k] += Uj[k] * f; }
        e[j] = g;
      }
      // q = p − (vᵀp / 2h) v; A ← A − v qᵀ − q vᵀ
      f = 0;
      for (let j = 0; j < i; j++) { e[j] /= h; f += e[j] * d[j]; }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        const Uj = U[j];
        f = d[j]; g = e[j];
        for (let k = j; k < i; k++) Uj[k] -= f * e[k] + g * d[k];
        d[j] = Uj[i - 1];
        Uj[i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations Q = H_1 H_2 ... into U.
  for (let i = 0; i < n - 1; i++) {
    const Ui = U[i], Un = U[i + 1];
    Ui[n - 1] = Ui[i];
    Ui[i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = Un[k] / h;
      for (let j = 0; j <= i; j++) {
        const Uj = U[j];
        let g = 0;
        for (let k = 0; k <= i; k++) g += Un[k] * Uj[k];
        for (let k = 0; k <= i; k++) Uj[k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) Un[k] = 0;
  }
  for (let j = 0; j < n; j++) { d[j] = U[j][n - 1]; U[j][n - 1] = 0; }
  U[n - 1][n - 1] = 1;
  e[0] = 0;
}

/**
 * Implicit QL iterations on the tridiagonal (d, e), rotating U's rows along;
 * on return d holds the eigenvalues and U[i] the eigenvector of d[i].
 */
function tridiagonalQL(U: Float64Array[], n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0, tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 100) throw new Error(`eigh: the QL iteration did not converge for eigenvalue ${l}; check that the matrix is symmetric and finite`);
        // Wilkinson shift from the leading 2x2 block
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        // Implicit QL sweep of Givens rotations from m up to l
        p = d[m];
        let c = 1, c2 = c, c3 = c, s = 0, s2 = 0;
        const el1 = e[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const a = U[i], b = U[i + 1];
          for (let k = 0; k < n; k++) {
            const t = b[k];
            b[k] = s * a[k] + c * t;
            a[k] = c * a[k] - s * t;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/**
 * The eigh kernel: eigenvalues descending into values, eigenvector j into column j of vectors
 * (row-major n x n), each with its largest-magnitude entry positive; a is symmetrised as (a + aᵀ)/2.
 */
export function eigh(values: Float64Array, vectors: Float64Array, a: Float64Array, n: number): void {
  const U: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(n);
    for (let j = 0; j < n; j++) row[j] = 0.5 * (a[i * n + j] + a[j * n + i]);
    U.push(row);
  }
  const d = new Float64Array(n), e = new Float64Array(n);
  tridiagonalise(U, n, d, e);
  tridiagonalQL(U, n, d, e);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y] - d[x]);
  for (let j = 0; j < n; j++) {
    const src = order[j];
    values[j] = d[src];
    const v = U[src];
    let big = 0;
    for (let k = 0; k < n; k++) if (Math.abs(v[k]) > Math.abs(big)) big = v[k];
    const sgn = big < 0 ? -1 : 1;
    for (let k = 0; k < n; k++) vectors[k * n + j] = sgn * v[k];
  }
}
