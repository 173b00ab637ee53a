// NumPy broadcasting: the result shape, per-operand strides, and its undoing
// in backward (sum over the broadcast axes).
import { Tensor, fmtShape, type Shape } from '../tensor.js';
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

/** Sum g over the axes along which a tensor of shape `shape` was broadcast. */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  let data = g.data;
  let cur = [...g.shape];
  const k = kernels();
  // drop leading axes, then sum axes where shape has 1 and g has more
  const lead = cur.length - shape.length;
  if (lead > 0) {
    const outer = 1, n = cur.slice(0, lead).reduce((a, b) => a * b, 1), inner = data.length / Math.max(n, 1);
    const out = new Float32Array(inner);
    if (n > 0) k.reduce('sum', data, out, outer, n, inner);
    data = out;
    cur = cur.slice(lead);
  }
  for (let ax = 0; ax < shape.length; ax++) {
    if (shape[ax] === 1 && cur[ax] !== 1) {
      const outer = cur.slice(0, ax).reduce((a, b) => a * b, 1);
      const inner = cur.slice(ax + 1).reduce((a, b) => a * b, 1);
      const out = new Float32Array(outer * inner);
      k.reduce('sum', data, out, outer, cur[ax], inner);
      data = out;
      cur[ax] = 1;
    }
  }
  return new Tensor(data, shape);
}
