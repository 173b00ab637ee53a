// Reference matmul: float64 accumulation, any transpose flags, batched.

export function matmul(out: Float32Array, a: Float32Array, b: Float32Array, batch: number, m: number, k: number,
  n: number, transA: boolean, transB: boolean): void {
  const acc = new Float64Array(n);
  for (let t = 0; t < batch; t++) {
    const ao = t * m * k, bo = t * k * n, oo = t * m * n;
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      for (let p = 0; p < k; p++) {
        const av = transA ? a[ao + p * m + i] : a[ao + i * k + p];
        if (transB) for (let j = 0; j < n; j++) acc[j] += av * b[bo + j * k + p];
        else {
          const row = bo + p * n;
          for (let j = 0; j < n; j++) acc[j] += av * b[row + j];
        }
      }
      for (let j = 0; j < n; j++) out[oo + i * n + j] = acc[j];
    }
  }
}
