// Reductions along axes (sum, mean, max, logsumexp) and softmax / log-softmax.
import { Tensor, fmtShape, type Shape } from '../tensor.js';
import { record } from '../engine.js';
import { kernels } from '../../backend/registry.js';
import { binaryRaw, mul, sub, exp, div } from './elementwise.js';
import { broadcastTo, reshape } from './shape.js';
import { reduceAxes, splitAxis } from './broadcast.js';

/** One axis, several, or undefined for all; negative axes count from the end. */
export type Axis = number | readonly number[] | undefined;

/**
 * Normalise an axis argument (negative counts from the end) to sorted unique
 * axes. A 0-d tensor accepts axis 0 or −1 (as PyTorch does) and has no axis to
 * reduce: its sum, mean, max and logsumexp are itself.
 */
export function normAxes(axis: Axis, ndim: number, op: string): number[] {
  if (axis === undefined || axis === null) return [...Array(ndim).keys()];
  if (typeof axis !== 'number' && !Array.isArray(axis)) {
    throw new Error(`${op}: axis must be an integer or an array of integers, got ${typeof axis}`);
  }
  const list = typeof axis === 'number' ? [axis] : [...axis];
  if (ndim === 0) {
    for (const a of list) if (a !== 0 && a !== -1) throw new Error(`${op}: axis ${a} is out of range for a 0-d tensor (use 0 or -1)`);
    return [];
  }
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -ndim || a >= ndim) {
      throw new Error(`${op}: axis ${a} is out of range for a tensor with ${ndim} dimension(s)`);
    }
    return a < 0 ? a + ndim : a;
  });
  return [...new Set(out)].sort((a, b) => a - b);
}

function oneAxis(axis: number | undefined, ndim: number, op: string): number {
  if (axis === undefined) throw new Error(`${op}: an axis is required (e.g. ${op}(x, -1))`);
  if (typeof axis !== 'number') throw new Error(`${op}: axis must be a single integer`);
  return normAxes(axis, ndim, op)[0];
}

/** The axis of a 0-d tensor seen as a 1-element vector (0 or −1 accepted). */
function oneAxis0(axis: number | undefined, op: string): number {
  normAxes(axis ?? -1, 0, op);
  return 0;
}

/** The shape after reducing `axes`, kept as size-1 axes or dropped. */
function reducedShape(shape: Shape, axes: number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => { if (!axes.includes(i)) out.push(d); else if (keepDims) out.push(1); });
  return out;
}

function reduceRaw(op: 'sum' | 'max', x: Tensor, axes: number[], name: string): Float32Array {
  if (op === 'max' && axes.some((ax) => x.shape[ax] === 0)) {
    throw new Error(`${name}: cannot take the max over an empty axis (shape ${fmtShape(x.shape)})`);
  }
  return reduceAxes(op, x.data, x.shape, axes);
}

/** Sum along `axis` (all axes when undefined), dropping it unless keepDims. */
export function sum(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes(axis, x.ndim, 'sum');
  const out = new Tensor(reduceRaw('sum', x, axes, 'sum'), reducedShape(x.shape, axes, keepDims));
  const kept = reducedShape(x.shape, axes, true);
  return record(out, 'sum', [x], (g) => [broadcastTo(reshape(g, kept), x.shape)]);
}

/** Mean along `axis` (all axes when undefined), dropping it unless keepDims. */
export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes(axis, x.ndim, 'mean');
  const n = axes.reduce((a, ax) => a * x.shape[ax], 1);
  if (n === 0) throw new Error(`mean: cannot average over an empty axis (shape ${fmtShape(x.shape)})`);
  return mul(sum(x, axes, keepDims), 1 / n);
}

/** Max along axes; the gradient is shared equally among tied maxima. */
export function max(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes(axis, x.ndim, 'max');
  const kept = reducedShape(x.shape, axes, true);
  const m = new Tensor(reduceRaw('max', x, axes, 'max'), kept);
  const out = new Tensor(m.data, reducedShape(x.shape, axes, keepDims));
  return record(out, 'max', [x], (g) => {
    const mask = binaryRaw('eq', x, m);
    const count = new Tensor(reduceRaw('sum', mask, axes, 'max'), kept);
    return [mul(mask, div(reshape(g, kept), count))];
  });
}

/** Min along axes; the gradient is shared equally among tied minima. */
export function min(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return mul(max(mul(x, -1), axis, keepDims), -1);
}

/** log Σ exp(x) along one axis; d/dx = softmax(x). */
export function logsumexp(x: Tensor, axis: number = -1, keepDims = false): Tensor {
  if (x instanceof Tensor && x.ndim === 0) return reshape(logsumexp(reshape(x, [1]), oneAxis0(axis, 'logsumexp')), []);
  const ax = oneAxis(axis, x.ndim, 'logsumexp');
  if (x.shape[ax] === 0) throw new Error(`logsumexp: axis ${ax} of shape ${fmtShape(x.shape)} is empty`);
  const [outer, n, inner] = splitAxis(x.shape, ax);
  const data = new Float32Array(outer * inner);
  kernels().logsumexp(data, x.data, outer, n, inner);
  const kept = reducedShape(x.shape, [ax], true);
  const out = new Tensor(data, reducedShape(x.shape, [ax], keepDims));
  return record(out, 'logsumexp', [x], (g) => {
    const lse = new Tensor(data, kept);
    return [mul(reshape(g, kept), exp(sub(x, lse)))];
  });
}

function softmaxRaw(x: Tensor, ax: number, log: boolean): Tensor {
  const [outer, n, inner] = splitAxis(x.shape, ax);
  const out = new Float32Array(x.size);
  kernels().softmax(out, x.data, outer, n, inner, log);
  return new Tensor(out, x.shape);
}

/** Softmax along one axis (default the last) (y = softmax(x): dx = y ⊙ (g − Σ g ⊙ y)) */
export function softmax(x: Tensor, axis: number = -1): Tensor {
  if (x instanceof Tensor && x.ndim === 0) return reshape(softmax(reshape(x, [1]), oneAxis0(axis, 'softmax')), []);
  const ax = oneAxis(axis, x.ndim, 'softmax');
  const y = softmaxRaw(x, ax, false);
  return record(y, 'softmax', [x], (g) => [mul(y, sub(g, sum(mul(g, y), ax, true)))]);
}

/** log softmax along one axis (default the last), stable (y = log softmax(x): dx = g − softmax(x) Σ g) */
export function logSoftmax(x: Tensor, axis: number = -1): Tensor {
  if (x instanceof Tensor && x.ndim === 0) return reshape(logSoftmax(reshape(x, [1]), oneAxis0(axis, 'logSoftmax')), []);
  const ax = oneAxis(axis, x.ndim, 'logSoftmax');
  const y = softmaxRaw(x, ax, true);
  return record(y, 'logSoftmax', [x], (g) => [sub(g, mul(exp(y), sum(g, ax, true)))]);
}

/** Index of the largest value along one axis, as a float tensor (not differentiable). */
export function argmax(x: Tensor, axis: number = -1): Tensor {
  if (x instanceof Tensor && x.ndim === 0) return reshape(argmax(reshape(x, [1]), oneAxis0(axis, 'argmax')), []);
  const ax = oneAxis(axis, x.ndim, 'argmax');
  const [outer, n, inner] = splitAxis(x.shape, ax);
  if (n === 0) throw new Error(`argmax: axis ${ax} of shape ${fmtShape(x.shape)} is empty`);
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = -Infinity, at = 0;
      for (let j = 0; j < n; j++) {
        const v = x.data[(o * n + j) * inner + i];
        if (v > best) { best = v; at = j; }
      }
      out[o * inner + i] = at;
    }
  }
  return new Tensor(out, reducedShape(x.shape, [ax], false));
}

