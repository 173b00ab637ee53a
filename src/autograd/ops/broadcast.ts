// NumPy broadcasting: the result shape, per-operand strides, and its undoing
// in backward (sum over the broadcast axes).
import { Tensor, fmtShape, shapeSize, type Shape } from '../tensor.js';
import type { ReduceOp } from '../../backend/contract.js';
import { kernels } from '../../backend/registry.js';

export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1, db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast (axis ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Element strides of a tensor of shape `s` seen through the broadcast shape `out` (0 on broadcast axes). */
export function broadcastStrides(s: Shape, out: Shape): number[] {
  const n = out.length, strides = new Array<number>(n).fill(0);
  let stride = 1;
  for (let i = s.length - 1; i >= 0; i--) {
    const j = n - s.length + i;
    strides[j] = s[i] === 1 && out[j] !== 1 ? 0 : stride;
    stride *= s[i];
  }
  return strides;
}

/** x of shape `shape` viewed as [outer, n, inner] around axis `ax`. */
export function splitAxis(shape: Shape, ax: number): [number, number, number] {
  return [shapeSize(shape.slice(0, ax)), shape[ax], shapeSize(shape.slice(ax + 1))];
}

/** Reduce `axes` of data (shape `shape`) with the reduce kernel; the axes stay as size 1. */
export function reduceAxes(op: ReduceOp, data: Float32Array, shape: Shape, axes: readonly number[]): Float32Array {
  const cur = [...shape];
  for (let i = axes.length - 1; i >= 0; i--) {
    const [outer, n, inner] = splitAxis(cur, axes[i]);
    const out = new Float32Array(outer * inner);
    kernels().reduce(op, out, data, outer, n, inner);
    data = out;
    cur[axes[i]] = 1;
  }
  return data;
}

/** Sum g over the axes along which a tensor of shape `shape` was broadcast. */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  // the leading axes g has beyond `shape`, and the axes where `shape` has 1 and g more
  const lead = g.ndim - shape.length;
  const axes = g.shape.map((_, i) => i).filter((i) => i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1));
  return new Tensor(reduceAxes('sum', g.data, g.shape, axes), shape);
}
