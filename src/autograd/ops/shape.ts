// Shape ops: reshape (shares data), broadcastTo, transpose, concat, slice, stack.
// Indexing (gather, takeColumns) is in gather.ts.
import { Tensor, allocData, checkShape, fmtShape, shapeSize, type Shape } from '../tensor.js';
import { record } from '../engine.js';
import { kernels } from '../../backend/registry.js';
import { broadcastShapes, broadcastStrides, unbroadcast } from './broadcast.js';

function check(x: Tensor, op: string): void {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/** Same data, new shape; one dimension may be -1 (inferred). */
export function reshape(x: Tensor, shape: Shape): Tensor {
  check(x, 'reshape');
  if (!Array.isArray(shape)) throw new Error('reshape: shape must be an array of integers');
  const s = [...shape];
  const neg = s.filter((d) => d === -1).length;
  if (neg > 1) throw new Error(`reshape: only one dimension may be -1 (got ${fmtShape(shape)})`);
  if (neg === 1) {
    const known = s.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (known === 0 || x.size % known !== 0) {
      throw new Error(`reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)}`);
    }
    s[s.indexOf(-1)] = x.size / known;
  }
  checkShape(s, 'reshape');
  if (shapeSize(s) !== x.size) {
    throw new Error(`reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)} (${shapeSize(s)} elements)`);
  }
  const out = new Tensor(x.data, s);
  return record(out, 'reshape', [x], (g) => [reshape(g, x.shape)]);
}

/** Merge the axes from startAxis (default 1) to the last into one. */
export function flatten(x: Tensor, startAxis = 1): Tensor {
  return reshape(x, [...x.shape.slice(0, startAxis), -1]);
}

/** Repeat x along broadcast axes to `shape`; backward sums them back. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  check(x, 'broadcastTo');
  const target = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (target.join(',') !== shape.join(',')) {
    throw new Error(`broadcastTo: cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  }
  if (x.shape.join(',') === shape.join(',')) return x;
  const out = allocData(shapeSize(shape), 'broadcastTo', true); // x + 0 writes every element
  const zero = new Float32Array(1);
  kernels().binary('add', out, x.data, zero, shape, broadcastStrides(x.shape, shape), new Array(shape.length).fill(0));
  return record(new Tensor(out, shape), 'broadcastTo', [x], (g) => [unbroadcast(g, x.shape)]);
}

/** Permute axes; with no perm the axes are reversed. */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  check(x, 'transpose');
  const nd = x.ndim;
  if (perm !== undefined && perm !== null && !Array.isArray(perm)) {
    throw new Error(`transpose: perm must be an array of axes (e.g. [1, 0]), got ${typeof perm}`);
  }
  const p = perm ? perm.map((a) => (a < 0 ? a + nd : a)) : [...Array(nd).keys()].reverse();
  if (p.length !== nd || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new Error(`transpose: perm [${perm}] is not a permutation of the ${nd} axes of ${fmtShape(x.shape)}`);
  }
  const outShape = p.map((a) => x.shape[a]);
  const out = new Float32Array(x.size);
  if (p.every((v, i) => v === i)) out.set(x.data);
  else kernels().transpose(out, x.data, x.shape, p);
  const inv = new Array<number>(nd);
  p.forEach((a, i) => { inv[a] = i; });
  return record(new Tensor(out, outShape), 'transpose', [x], (g) => [transpose(g, inv)]);
}

/** Join tensors along an existing axis. */
export function concat(ts: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(ts) || ts.length === 0) throw new Error('concat: expected a non-empty array of tensors');
  ts.forEach((t) => check(t, 'concat'));
  const nd = ts[0].ndim;
  const ax = axis < 0 ? axis + nd : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= nd) throw new Error(`concat: axis ${axis} is out of range for ${nd}-d tensors`);
  for (const t of ts) {
    if (t.ndim !== nd || t.shape.some((d: number, i: number) => i !== ax && d !== ts[0].shape[i])) {
      throw new Error(`concat: shapes ${fmtShape(ts[0].shape)} and ${fmtShape(t.shape)} differ outside axis ${ax}`);
    }
  }
  const outShape = [...ts[0].shape];
  outShape[ax] = ts.reduce((a, t) => a + t.shape[ax], 0);
  const outer = shapeSize(outShape.slice(0, ax)), inner = shapeSize(outShape.slice(ax + 1));
  const out = allocData(shapeSize(outShape), 'concat', true); // the row copies below fill it
  const rowOut = outShape[ax] * inner;
  let off = 0;
  for (const t of ts) {
    const row = t.shape[ax] * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * row, (o + 1) * row), o * rowOut + off);
    off += row;
  }
  return record(new Tensor(out, outShape), 'concat', ts as Tensor[], (g) => {
    let start = 0;
    return ts.map((t) => {
      const begin = new Array(nd).fill(0);
      begin[ax] = start;
      start += t.shape[ax];
      return t.requiresGrad ? slice(g, begin, t.shape) : null;
    });
  });
}

/** Stack same-shaped tensors along a new axis. */
export function stack(ts: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(ts) || ts.length === 0) throw new Error('stack: expected a non-empty array of tensors');
  const nd = ts[0].ndim + 1;
  const ax = axis < 0 ? axis + nd : axis;
  return concat(ts.map((t) => reshape(t, [...t.shape.slice(0, ax), 1, ...t.shape.slice(ax)])), ax);
}

/** Copy a box of x (begin per axis, size per axis; size -1 = to the end). */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  check(x, 'slice');
  const nd = x.ndim;
  if (!Array.isArray(begin) || begin.length > nd) throw new Error(`slice: begin [${begin}] has more axes than ${fmtShape(x.shape)}`);
  if (size !== undefined && size !== null && (!Array.isArray(size) || size.length > nd)) {
    throw new Error(`slice: size must be an array of at most ${nd} lengths (-1 = to the end), got ${Array.isArray(size) ? `[${size}]` : typeof size}`);
  }
  const b = x.shape.map((_, i) => begin[i] ?? 0);
  const s = x.shape.map((d, i) => {
    const v = size?.[i] ?? -1;
    return v === -1 ? d - b[i] : v;
  });
  for (let i = 0; i < nd; i++) {
    if (!Number.isInteger(b[i]) || !Number.isInteger(s[i]) || b[i] < 0 || s[i] < 0 || b[i] + s[i] > x.shape[i]) {
      throw new Error(`slice: begin [${b}] size [${s}] is outside ${fmtShape(x.shape)} on axis ${i}`);
    }
  }
  const out = allocData(shapeSize(s), 'slice', true); // copyBox fills the whole box
  copyBox(x.data, x.shape, b, out, s, false);
  return record(new Tensor(out, s), 'slice', [x], (g) => {
    const dx = new Float32Array(x.size);
    copyBox(dx, x.shape, b, g.data, s, true);
    return [new Tensor(dx, x.shape)];
  });
}

/** Copy between a full buffer (shape `full`) and a box (begin, size); `intoFull` picks the direction. */
function copyBox(fullBuf: Float32Array, full: Shape, begin: number[], box: Float32Array, size: number[], intoFull: boolean): void {
  const nd = full.length;
  if (box.length === 0) return;
  if (nd === 0) { if (intoFull) fullBuf[0] = box[0]; else box[0] = fullBuf[0]; return; }
  const strides = new Array<number>(nd);
  let st = 1;
  for (let i = nd - 1; i >= 0; i--) { strides[i] = st; st *= full[i]; }
  const inner = size[nd - 1];
  const idx = new Array<number>(nd - 1).fill(0);
  const rows = box.length / inner;
  for (let r = 0; r < rows; r++) {
    let off = begin[nd - 1];
    for (let i = 0; i < nd - 1; i++) off += (begin[i] + idx[i]) * strides[i];
    if (intoFull) fullBuf.set(box.subarray(r * inner, (r + 1) * inner), off);
    else box.set(fullBuf.subarray(off, off + inner), r * inner);
    for (let i = nd - 2; i >= 0; i--) { if (++idx[i] < size[i]) break; idx[i] = 0; }
  }
}
