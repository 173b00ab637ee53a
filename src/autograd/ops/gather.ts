// Indexing ops with their backward (a scatter-add):
//   gather:       y[i, ...] = x[idx[i], ...],   dx[idx[i], ...] += dy[i, ...]
//   takeColumns:  y[n, j]   = x[n, idx[j]],     dx[n, idx[j]]   += dy[n, j]
//   addColumns:   y = x, y[n, idx[j]] += α m[n, j];   dx = dy, dm[n, j] = α dy[n, idx[j]]
// (NICE's coupling takes the conditioning columns with takeColumns and shifts
// the others in place with addColumns.) Both run on the takeColumns /
// scatterColumns kernels (src/backend/kernels.columns.spec.mjs).
import { Tensor, allocData, fmtShape } from '../tensor.js';
import { record } from '../engine.js';
import { kernels } from '../../backend/registry.js';

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

/** idx as an Int32Array of column numbers of `x` (2-D), each checked to be in [0, d). */
function columnIndex(x: Tensor, idx: ArrayLike<number>, op: string, what = 'x'): Int32Array {
  check(x, op);
  if (x.ndim !== 2) throw new Error(`${op}: expected ${what} to be a 2-D tensor [N, D], got ${fmtShape(x.shape)}`);
  if (idx === null || typeof idx !== 'object' || typeof idx.length !== 'number') {
    throw new Error(`${op}: the column indices must be an Int32Array (or an array) of integers in [0, ${x.shape[1]})`);
  }
  const d = x.shape[1];
  for (let j = 0; j < idx.length; j++) {
    const c = idx[j];
    if (!Number.isInteger(c) || c < 0 || c >= d) throw new Error(`${op}: column ${c} (index ${j}) is out of range for ${what} of shape ${fmtShape(x.shape)}; use integers in [0, ${d})`);
  }
  return idx instanceof Int32Array ? idx : Int32Array.from(idx);
}

/** dm = alpha · g[:, idx] for g [n, d]: the gradient of what addColumns added. */
function takeScaled(g: Tensor, idx: Int32Array, alpha: number, op: string): Tensor {
  const [n, d] = g.shape, m = idx.length, size = n * m;
  const out = allocData(size, op, true); // every element written by the gather
  const k = kernels();
  k.takeColumns(out, g.data, idx, n, d, m);
  if (alpha === -1) k.unary('neg', out, out, 0, 0);
  else if (alpha !== 1) k.binary('mul', out, out, Float32Array.of(alpha), [size], [1], [0]);
  return new Tensor(out, [n, m]);
}

/** Columns of a 2-D tensor picked by index (any order, repeats allowed): y[:, j] = x[:, idx[j]]. */
export function takeColumns(x: Tensor, idx: Int32Array | ArrayLike<number>): Tensor {
  const cols = columnIndex(x, idx, 'takeColumns');
  const [n, d] = x.shape, m = cols.length;
  const out = allocData(n * m, 'takeColumns', true); // every element written by the kernel
  kernels().takeColumns(out, x.data, cols, n, d, m);
  return record(new Tensor(out, [n, m]), 'takeColumns', [x], (g) => {
    // distinct indices: each dx[r, idx[j]] is written once (a store, not +=), and a
    // permutation of all d columns writes every element, so dx needs no zero fill
    const once = distinct(cols, d);
    const dx = allocData(n * d, 'takeColumns', once && m === d);
    kernels().scatterColumns(dx, g.data, cols, n, d, m, !once, 1);
    return [new Tensor(dx, x.shape)];
  });
}

/**
 * x with alpha·m added to some of its columns: y = x, then y[:, idx[j]] += alpha·m[:, j]
 * for every j (a repeated column gets the sum). x [N, D], m [N, idx.length]; y is a new
 * tensor. Gradients: dx = dy, dm = alpha·dy[:, idx]. (NICE's additive coupling
 * y2 = x2 ± m(x1) without splitting x and joining the halves again.)
 */
export function addColumns(x: Tensor, idx: Int32Array | ArrayLike<number>, m: Tensor, alpha = 1): Tensor {
  const cols = columnIndex(x, idx, 'addColumns');
  check(m, 'addColumns');
  const [n, d] = x.shape, k = cols.length;
  if (m.ndim !== 2 || m.shape[0] !== n || m.shape[1] !== k) {
    throw new Error(`addColumns: m must be [${n},${k}] (a row per row of x ${fmtShape(x.shape)}, a column per index), got ${fmtShape(m.shape)}`);
  }
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new Error(`addColumns: alpha must be a finite number, got ${alpha}`);
  const out = allocData(n * d, 'addColumns', true); // overwritten by the copy of x
  out.set(x.data);
  kernels().scatterColumns(out, m.data, cols, n, d, k, true, alpha);
  return record(new Tensor(out, [n, d]), 'addColumns', [x, m], (g) => [
    // y − x does not depend on x: its gradient passes through as it is (as add's does)
    x.requiresGrad ? g : null,
    m.requiresGrad ? takeScaled(g, cols, alpha, 'addColumns') : null,
  ]);
}
