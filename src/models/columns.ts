// Picking columns of a matrix by index, with its backward (a scatter-add):
//   y[n, j] = x[n, idx[j]],   dx[n, idx[j]] += dy[n, j]
// NICE uses it to split an input into its even and odd coordinates and to
// put the halves back together.
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { record } from '../autograd/engine.js';

export function takeColumns(x: Tensor, idx: Int32Array): Tensor {
  if (x.ndim !== 2) throw new Error(`takeColumns: expected a 2-D tensor, got ${fmtShape(x.shape)}`);
  const [n, d] = x.shape, m = idx.length;
  for (const j of idx) if (j < 0 || j >= d) throw new Error(`takeColumns: column ${j} is out of range for ${fmtShape(x.shape)}`);
  const out = new Float32Array(n * m);
  for (let r = 0; r < n; r++) {
    const src = r * d, dst = r * m;
    for (let j = 0; j < m; j++) out[dst + j] = x.data[src + idx[j]];
  }
  return record(new Tensor(out, [n, m]), 'takeColumns', [x], (g) => {
    const dx = new Float32Array(n * d);
    for (let r = 0; r < n; r++) {
      const src = r * m, dst = r * d;
      for (let j = 0; j < m; j++) dx[dst + idx[j]] += g.data[src + j];
    }
    return [new Tensor(dx, x.shape)];
  });
}

/** The inverse of a permutation. */
export function inversePermutation(p: Int32Array): Int32Array {
  const inv = new Int32Array(p.length);
  p.forEach((v, i) => { inv[v] = i; });
  return inv;
}
