// Indexing ops with their backward (a scatter-add):
//   gather:       y[i, ...] = x[idx[i], ...],   dx[idx[i], ...] += dy[i, ...]
//   takeColumns:  y[n, j]   = x[n, idx[j]],     dx[n, idx[j]]   += dy[n, j]
// (NICE uses takeColumns to split an input into its even and odd coordinates
// and to put the halves back together.)
import { Tensor, allocData, fmtShape } from '../tensor.js';
import { record } from '../engine.js';

function check(x: Tensor, op: string): void {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/** Rows of a 2-D (or any) tensor picked by integer indices along axis 0. */
export function gather(x: Tensor, indices: ArrayLike<number>): Tensor {
  check(x, 'gather');
  if (x.ndim === 0) throw new Error('gather: a 0-d tensor has no rows to gather; reshape it to [1] first');
  if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
    throw new Error('gather: indices must be an array (or Int32Array) of row numbers');
  }
  const rowSize = x.ndim ? x.size / x.shape[0] : 1;
  const n = indices.length;
  const out = new Float32Array(n * rowSize);
  for (let i = 0; i < n; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= x.shape[0]) throw new Error(`gather: index ${r} is out of range for ${x.shape[0]} rows`);
    out.set(x.data.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
  }
  const shape = [n, ...x.shape.slice(1)];
  return record(new Tensor(out, shape), 'gather', [x], (g) => {
    const dx = new Float32Array(x.size);
    for (let i = 0; i < n; i++) {
      const r = indices[i];
      for (let j = 0; j < rowSize; j++) dx[r * rowSize + j] += g.data[i * rowSize + j];
    }
    return [new Tensor(dx, x.shape)];
  });
}

/** True when no column index repeats (then the backward scatter writes each target once). */
function distinct(idx: Int32Array, d: number): boolean {
  const seen = new Uint8Array(d);
  for (let j = 0; j < idx.length; j++) {
    if (seen[idx[j]]) return false;
    seen[idx[j]] = 1;
  }
  return true;
}

/** Columns of a 2-D tensor picked by index (any order, repeats allowed). */
export function takeColumns(x: Tensor, idx: Int32Array): Tensor {
  check(x, 'takeColumns');
  if (x.ndim !== 2) throw new Error(`takeColumns: expected a 2-D tensor, got ${fmtShape(x.shape)}`);
  const [n, d] = x.shape, m = idx.length;
  for (const j of idx) if (j < 0 || j >= d) throw new Error(`takeColumns: column ${j} is out of range for ${fmtShape(x.shape)}`);
  const xd = x.data, out = allocData(n * m, 'takeColumns', true); // every element written below
  for (let r = 0; r < n; r++) {
    const src = r * d, dst = r * m;
    for (let j = 0; j < m; j++) out[dst + j] = xd[src + idx[j]];
  }
  return record(new Tensor(out, [n, m]), 'takeColumns', [x], (g) => {
    const gd = g.data;
    // distinct indices: each dx[r, idx[j]] is written once (a store, not +=), and a
    // permutation of all d columns writes every element, so dx needs no zero fill
    const once = distinct(idx, d);
    const dx = allocData(n * d, 'takeColumns', once && m === d);
    for (let r = 0; r < n; r++) {
      const src = r * m, dst = r * d;
      if (once) for (let j = 0; j < m; j++) dx[dst + idx[j]] = gd[src + j];
      else for (let j = 0; j < m; j++) dx[dst + idx[j]] += gd[src + j];
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
