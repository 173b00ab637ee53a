// Reference linear-algebra kernels, float64 throughout (see kernels.linalg.spec.mjs).
// Row-major; every loop walks a contiguous row in its innermost step.

/** mean = Σ x / n;  out = Σ (x − mean)(x − mean)ᵀ / (n − 1), summed in float64. */
export function covariance(out: Float64Array, mean: Float64Array, x: Float32Array, n: number, d: number): void {
  mean.fill(0);
  for (let s = 0; s < n; s++) for (let i = 0; i < d; i++) mean[i] += x[s * d + i];
  for (let i = 0; i < d; i++) mean[i] /= n;
  out.fill(0);
  const xc = new Float64Array(d);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < d; i++) xc[i] = x[s * d + i] - mean[i];
    for (let a = 0; a < d; a++) { // upper triangle: out[a][b] += xc_a xc_b, b >= a
      const v = xc[a];
      if (v === 0) continue;
      const ra = a * d;
      for (let b = a; b < d; b++) out[ra + b] += v * xc[b];
    }
  }
  const s = 1 / (n - 1);
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) { const v = out[a * d + b] * s; out[a * d + b] = v; out[b * d + a] = v; }
}

/** out [m, n] = op(a) · op(b) in float64. */
export function dgemm(out: Float64Array, a: Float64Array, b: Float64Array, m: number, k: number, n: number,
  transA: boolean, transB: boolean): void {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    const ro = i * n;
    for (let p = 0; p < k; p++) {
      const v = transA ? a[p * m + i] : a[i * k + p];
      if (v === 0) continue;
      if (transB) for (let j = 0; j < n; j++) out[ro + j] += v * b[j * k + p];
      else { const rb = p * n; for (let j = 0; j < n; j++) out[ro + j] += v * b[rb + j]; }
    }
  }
}

/** Cholesky–Banachiewicz: L_jj = √(A_jj − Σ_k<j L_jk²),  L_ij = (A_ij − Σ_k<j L_ik L_jk) / L_jj. */
export function cholesky(l: Float64Array, info: Int32Array, a: Float64Array, n: number): void {
  l.fill(0);
  info[0] = 0;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = a[rj + j];
    for (let k = 0; k < j; k++) s -= l[rj + k] * l[rj + k];
    if (!(s > 0) || !Number.isFinite(s)) { info[0] = j + 1; return; }
    const dj = Math.sqrt(s);
    l[rj + j] = dj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = a[ri + j];
      for (let k = 0; k < j; k++) t -= l[ri + k] * l[rj + k];
      l[ri + j] = t / dj;
    }
  }
}

/** b ← L⁻¹ b (forward) or L⁻ᵀ b (backward), b [n, m]. */
export function triSolve(b: Float64Array, l: Float64Array, n: number, m: number, trans: boolean): void {
  if (!trans) {
    for (let i = 0; i < n; i++) { // x_i = (b_i − Σ_k<i L_ik x_k) / L_ii
      const ri = i * m;
      for (let k = 0; k < i; k++) {
        const v = l[i * n + k];
        if (v !== 0) for (let j = 0; j < m; j++) b[ri + j] -= v * b[k * m + j];
      }
      const dinv = 1 / l[i * n + i];
      for (let j = 0; j < m; j++) b[ri + j] *= dinv;
    }
  } else {
    for (let i = n - 1; i >= 0; i--) { // x_i = (b_i − Σ_k>i L_ki x_k) / L_ii
      const ri = i * m;
      const dinv = 1 / l[i * n + i];
      for (let j = 0; j < m; j++) b[ri + j] *= dinv;
      for (let k = 0; k < i; k++) { // push x_i into the rows above: b_k −= L_ik x_i
        const v = l[i * n + k];
        if (v !== 0) for (let j = 0; j < m; j++) b[k * m + j] -= v * b[ri + j];
      }
    }
  }
}

/** Right-looking LU with partial pivoting, in place. */
export function lu(a: Float64Array, piv: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) piv[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k, best = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) { const v = Math.abs(a[i * n + k]); if (v > best) { best = v; p = i; } }
    if (best === 0) continue;
    if (p !== k) {
      for (let j = 0; j < n; j++) { const t = a[k * n + j]; a[k * n + j] = a[p * n + j]; a[p * n + j] = t; }
      const t = piv[k]; piv[k] = piv[p]; piv[p] = t;
    }
    const dinv = 1 / a[k * n + k], rk = k * n;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n, f = (a[ri + k] *= dinv);
      if (f !== 0) for (let j = k + 1; j < n; j++) a[ri + j] -= f * a[rk + j];
    }
  }
}

/** x = U⁻¹ L⁻¹ P b. */
export function luSolve(x: Float64Array, luA: Float64Array, piv: Int32Array, b: Float64Array, n: number, m: number): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) x[i * m + j] = b[piv[i] * m + j];
  for (let i = 0; i < n; i++) {
    const ri = i * m;
    for (let k = 0; k < i; k++) { const v = luA[i * n + k]; if (v !== 0) for (let j = 0; j < m; j++) x[ri + j] -= v * x[k * m + j]; }
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * m;
    for (let k = i + 1; k < n; k++) { const v = luA[i * n + k]; if (v !== 0) for (let j = 0; j < m; j++) x[ri + j] -= v * x[k * m + j]; }
    const dinv = 1 / luA[i * n + i];
    for (let j = 0; j < m; j++) x[ri + j] *= dinv;
  }
}

/**
 * Householder QR of q [m, k], then Q's first k columns formed in place (LAPACK geqr2 + org2r):
 * H_j = I − τ_j v_j v_jᵀ zeroes column j below the diagonal; Q = H_0 H_1 ⋯ H_{k−1} [I_k; 0].
 */
export function qrQ(q: Float64Array, m: number, k: number): void {
  const kk = Math.min(m, k), tau = new Float64Array(k);
  for (let j = 0; j < kk; j++) {
    let xn = 0;
    for (let i = j + 1; i < m; i++) xn += q[i * k + j] ** 2;
    const alpha = q[j * k + j];
    if (xn === 0) { tau[j] = 0; continue; }
    const beta = alpha > 0 ? -Math.sqrt(alpha * alpha + xn) : Math.sqrt(alpha * alpha + xn);
    tau[j] = (beta - alpha) / beta;
    const sc = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) q[i * k + j] *= sc; // v = [1, x/(α − β)]
    q[j * k + j] = beta;
    for (let c = j + 1; c < k; c++) { // column c ← H_j column c
      let s = q[j * k + c];
      for (let i = j + 1; i < m; i++) s += q[i * k + j] * q[i * k + c];
      s *= tau[j];
      q[j * k + c] -= s;
      for (let i = j + 1; i < m; i++) q[i * k + c] -= s * q[i * k + j];
    }
  }
  for (let j = kk; j < k; j++) for (let i = 0; i < m; i++) q[i * k + j] = 0;
  // Q: backwards, column j ← H_j e_j, then columns > j ← H_j (them)
  for (let j = kk - 1; j >= 0; j--) {
    for (let c = j + 1; c < k; c++) {
      let s = 0;
      for (let i = j + 1; i < m; i++) s += q[i * k + j] * q[i * k + c];
      s *= tau[j];
      q[j * k + c] = -s;
      for (let i = j + 1; i < m; i++) q[i * k + c] -= s * q[i * k + j];
    }
    const t = tau[j];
    q[j * k + j] = 1 - t;
    for (let i = j + 1; i < m; i++) q[i * k + j] *= -t;
    for (let i = 0; i < j; i++) q[i * k + j] = 0;
  }
}
