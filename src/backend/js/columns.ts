// Reference column gather / scatter of a row-major matrix (kernels.columns.spec.mjs).
// idx[j] in [0, d) is checked before these run (src/backend/checks.ts).

/** out[r, j] = x[r, idx[j]]: out [n, m], x [n, d]. */
export function takeColumns(out: Float32Array, x: Float32Array, idx: Int32Array, n: number, d: number, m: number): void {
  for (let r = 0; r < n; r++) {
    const src = r * d, dst = r * m;
    for (let j = 0; j < m; j++) out[dst + j] = x[src + idx[j]];
  }
}

/** out[r, idx[j]] += alpha · g[r, j] (accumulate) or = alpha · g[r, j], in j order; out [n, d], g [n, m]. */
export function scatterColumns(out: Float32Array, g: Float32Array, idx: Int32Array, n: number, d: number, m: number,
  accumulate: boolean, alpha: number): void {
  const a = Math.fround(alpha);
  for (let r = 0; r < n; r++) {
    const src = r * m, dst = r * d;
    // float32 product, then a float32 sum: the rounding of the compiled kernels
    if (accumulate) for (let j = 0; j < m; j++) out[dst + idx[j]] += Math.fround(a * g[src + j]);
    else for (let j = 0; j < m; j++) out[dst + idx[j]] = a * g[src + j];
  }
}
