// Creating tensors: from values, constants, ranges and seeded random draws.
import { Tensor, allocData, checkShape, fmtShape, shapeSize, type Shape } from './tensor.js';
import { globalRng } from '../random.js';

/** An operand of the elementwise ops: a Tensor or a plain number. */
export type TensorLike = Tensor | number;
/** A number or (nested) arrays of numbers, as lk.tensor() takes. */
export type NestedArray = number | readonly NestedArray[];

function inferShape(v: NestedArray, op: string): number[] {
  const shape: number[] = [];
  let cur: NestedArray = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  if (!Array.isArray(cur) && typeof cur !== 'number') {
    throw new Error(`${op}: values must be numbers, nested arrays of numbers or a Float32Array; found ${typeof cur}`);
  }
  return shape;
}

function flatten(v: NestedArray, shape: number[], axis: number, out: Float32Array, off: { i: number }, op: string): void {
  if (axis === shape.length) {
    if (typeof v !== 'number') throw new Error(`${op}: ragged nested array: expected a number at depth ${axis}`);
    out[off.i++] = v;
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[axis]) {
    throw new Error(`${op}: ragged nested array: expected ${shape[axis]} entries at depth ${axis}, found ${Array.isArray(v) ? v.length : typeof v}`);
  }
  for (const x of v) flatten(x, shape, axis + 1, out, off, op);
}

/** A tensor from a number, nested arrays or a typed array (with an optional shape). */
export function tensor(values: NestedArray | ArrayLike<number> | Tensor, shape?: Shape): Tensor {
  if (values instanceof Tensor) return shape ? new Tensor(values.data.slice(), shape) : values.clone();
  if (typeof values === 'number') {
    const t = new Tensor(Float32Array.of(values), []);
    if (shape) checkShape(shape, 'tensor');
    return shape ? new Tensor(allocData(shapeSize(shape), 'tensor').fill(values), shape) : t;
  }
  if (typeof values === 'string') throw new Error(`tensor: expected numbers, nested arrays or a Float32Array, got the string '${String(values).slice(0, 20)}'`);
  if (ArrayBuffer.isView(values) || (!Array.isArray(values) && typeof (values as ArrayLike<number>)?.length === 'number')) {
    const arr = values as ArrayLike<number>;
    if (!ArrayBuffer.isView(arr)) {
      for (let i = 0; i < arr.length; i++) {
        if (typeof arr[i] !== 'number') throw new Error(`tensor: element ${i} is ${typeof arr[i]}, not a number`);
      }
    } else if (arr instanceof BigInt64Array || arr instanceof BigUint64Array || arr instanceof DataView) {
      throw new Error('tensor: BigInt arrays and DataViews are not supported; pass a Float32Array or numbers');
    }
    const data = arr instanceof Float32Array ? arr.slice() : Float32Array.from(arr);
    const s = shape ?? [data.length];
    checkShape(s, 'tensor');
    if (shapeSize(s) !== data.length) throw new Error(`tensor: ${data.length} values do not fill shape ${fmtShape(s)} (needs ${shapeSize(s)})`);
    return new Tensor(data, s);
  }
  const inferred = inferShape(values as NestedArray, 'tensor');
  const data = new Float32Array(shapeSize(inferred));
  flatten(values as NestedArray, inferred, 0, data, { i: 0 }, 'tensor');
  if (shape) {
    checkShape(shape, 'tensor');
    if (shapeSize(shape) !== data.length) throw new Error(`tensor: ${data.length} values do not fill shape ${fmtShape(shape)} (needs ${shapeSize(shape)})`);
    return new Tensor(data, shape);
  }
  return new Tensor(data, inferred);
}

/** A leaf tensor that requires grad (a copy of t's data). */
export function variable(t: Tensor | NestedArray | Float32Array, shape?: Shape): Tensor {
  const v = t instanceof Tensor ? new Tensor(t.data.slice(), t.shape) : tensor(t, shape);
  v.requiresGrad = true;
  return v;
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number, op = 'full'): Tensor {
  checkShape(shape, op);
  if (typeof value !== 'number') throw new Error(`${op}: value must be a number, got ${typeof value}`);
  return new Tensor(allocData(shapeSize(shape), op).fill(value), shape);
}
/** A tensor of zeros. */
export const zeros = (shape: Shape): Tensor => full(shape, 0, 'zeros');
/** A tensor of ones. */
export const ones = (shape: Shape): Tensor => full(shape, 1, 'ones');
/** Zeros of the shape of `t`. */
export const zerosLike = (t: Tensor): Tensor => full(t.shape, 0, 'zerosLike');
/** Ones of the shape of `t`. */
export const onesLike = (t: Tensor): Tensor => full(t.shape, 1, 'onesLike');

/** The n × n identity matrix. */
export function eye(n: number): Tensor {
  checkShape([n], 'eye');
  const t = full([n, n], 0, 'eye');
  for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
  return t;
}

/** arange(n) = [0..n-1]; arange(start, stop, step = 1) as in NumPy. */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) { stop = start; start = 0; }
  if (![start, stop, step].every(Number.isFinite) || step === 0) {
    throw new Error(`arange: start, stop and step must be finite and step non-zero (got ${start}, ${stop}, ${step})`);
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const t = zeros([n]);
  for (let i = 0; i < n; i++) t.data[i] = start + i * step;
  return t;
}

/** Uniform draws on [0, 1) from the seeded global generator. */
export function rand(shape: Shape): Tensor {
  checkShape(shape, 'rand');
  const t = full(shape, 0, 'rand');
  for (let i = 0; i < t.size; i++) t.data[i] = Math.min(globalRng.uniform(), 0.99999994);
  return t;
}

/** Standard normal draws from the seeded global generator. */
export function randn(shape: Shape): Tensor {
  checkShape(shape, 'randn');
  const t = full(shape, 0, 'randn');
  for (let i = 0; i < t.size; i++) t.data[i] = globalRng.normal();
  return t;
}

/** A tensor for a tensor-or-number operand (numbers become 0-d tensors). */
export function asTensor(x: TensorLike, op: string): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') return new Tensor(Float32Array.of(x), []);
  throw new Error(`${op}: expected a Tensor or a number, got ${x === null ? 'null' : typeof x}`);
}
