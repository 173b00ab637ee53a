// Elementwise ops with NumPy broadcasting, each with its backward in tensor ops.
import { Tensor, allocData, shapeSize } from '../tensor.js';
import { record } from '../engine.js';
import { asTensor, type TensorLike } from '../creation.js';
import { kernels } from '../../backend/registry.js';
import type { BinaryOp, UnaryOp } from '../../backend/contract.js';
import { broadcastShapes, broadcastStrides, unbroadcast } from './broadcast.js';

/** Run a unary kernel (no recording). */
export function unaryRaw(op: UnaryOp, x: Tensor, alpha = 0, beta = 0): Tensor {
  const out = allocData(x.size, op, true); // the kernel writes every element
  kernels().unary(op, out, x.data, alpha, beta);
  return new Tensor(out, x.shape);
}

/** Run a broadcasting binary kernel (no recording). */
export function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor, name: string = op): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, name);
  const out = allocData(shapeSize(shape), name, true); // the kernel writes every element
  kernels().binary(op, out, a.data, b.data, shape, broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape));
  return new Tensor(out, shape);
}

function finite(v: number, op: string, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${op}: ${what} must be a finite number, got ${v}`);
  return v;
}

function check(x: Tensor, op: string): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  return x;
}

// ---- binary ----
/** a + b elementwise, NumPy broadcasting; either may be a plain number. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'add'), y = asTensor(b, 'add');
  return record(binaryRaw('add', x, y), 'add', [x, y], (g) => [
    x.requiresGrad ? unbroadcast(g, x.shape) : null,
    y.requiresGrad ? unbroadcast(g, y.shape) : null,
  ]);
}
/** a − b elementwise, NumPy broadcasting; either may be a plain number. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'sub'), y = asTensor(b, 'sub');
  return record(binaryRaw('sub', x, y), 'sub', [x, y], (g) => [
    x.requiresGrad ? unbroadcast(g, x.shape) : null,
    y.requiresGrad ? unbroadcast(neg(g), y.shape) : null,
  ]);
}
/** a · b elementwise, NumPy broadcasting; either may be a plain number. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'mul'), y = asTensor(b, 'mul');
  return record(binaryRaw('mul', x, y), 'mul', [x, y], (g) => [
    x.requiresGrad ? unbroadcast(mul(g, y), x.shape) : null,
    y.requiresGrad ? unbroadcast(mul(g, x), y.shape) : null,
  ]);
}
/** a / b elementwise, NumPy broadcasting; either may be a plain number. (d(a/b) = da / b − a db / b²) */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'div'), y = asTensor(b, 'div');
  const out = binaryRaw('div', x, y);
  return record(out, 'div', [x, y], (g) => [
    x.requiresGrad ? unbroadcast(div(g, y), x.shape) : null,
    y.requiresGrad ? unbroadcast(neg(div(mul(g, out), y)), y.shape) : null,
  ]);
}
/** 1 where a == b, else 0 (not differentiable). */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return binaryRaw('eq', asTensor(a, 'equal'), asTensor(b, 'equal'), 'equal');
}
/** 1 where a > b, else 0 (not differentiable). */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return binaryRaw('gt', asTensor(a, 'greater'), asTensor(b, 'greater'), 'greater');
}

// ---- unary ----
function unaryOp(op: UnaryOp, x: Tensor, vjp: (g: Tensor, y: Tensor) => Tensor, alpha = 0, beta = 0): Tensor {
  check(x, op);
  const y = unaryRaw(op, x, alpha, beta);
  return record(y, op, [x], (g) => [vjp(g, y)]);
}

/** −x elementwise. */
export const neg = (x: Tensor): Tensor => unaryOp('neg', x, (g) => neg(g));
/** eˣ elementwise. */
export const exp = (x: Tensor): Tensor => unaryOp('exp', x, (g, y) => mul(g, y));
/** Natural logarithm elementwise. */
export const log = (x: Tensor): Tensor => unaryOp('log', x, (g) => div(g, x));
/** log(1 + x) elementwise, accurate near 0. */
export const log1p = (x: Tensor): Tensor => unaryOp('log1p', x, (g) => div(g, add(x, 1)));
/** √x elementwise. */
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x, (g, y) => div(g, mul(y, 2)));
/** |x| elementwise (subgradient sign(x)). */
export const abs = (x: Tensor): Tensor => unaryOp('abs', x, (g) => mul(g, unaryRaw('sign', x)));
/** x² elementwise. */
export const square = (x: Tensor): Tensor => unaryOp('square', x, (g) => mul(g, mul(x, 2)));
/** tanh elementwise (tanh' = 1 − y²) */
export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x, (g, y) => binaryRaw('tanhGrad', g, y));
/** The logistic function σ(x) = 1 / (1 + e⁻ˣ) elementwise (σ' = σ(1 − σ)) */
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x, (g, y) => binaryRaw('sigmoidGrad', g, y));
/** max(x, 0) elementwise. */
export const relu = (x: Tensor): Tensor => unaryOp('relu', x, (g) => binaryRaw('reluGrad', g, x));
/** x where x > 0, slope · x elsewhere (slope default 0.01). */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  finite(slope, 'leakyRelu', 'slope');
  return unaryOp('leakyRelu', x, (g) => mul(g, unaryRaw('leakyReluGrad', x, slope)), slope);
}
/** Stable log(1 + eˣ) elementwise (softplus(x) = log(1 + eˣ), softplus' = σ(x)) */
export const softplus = (x: Tensor): Tensor => unaryOp('softplus', x, (g) => mul(g, unaryRaw('sigmoid', x)));
/** Stable log σ(x) elementwise (log σ(x) = −softplus(−x), (log σ)' = σ(−x)) */
export const logSigmoid = (x: Tensor): Tensor => unaryOp('logSigmoid', x, (g) => mul(g, unaryRaw('sigmoid', unaryRaw('neg', x))));
/** x^p for a scalar exponent p: d/dx = p x^(p−1). */
export function pow(x: Tensor, p: number): Tensor {
  finite(p, 'pow', 'the exponent');
  return unaryOp('pow', x, (g) => mul(g, mul(unaryRaw('pow', x, p - 1), p)), p);
}
/** Clamp to [lo, hi]; the gradient passes where lo < x < hi. */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) throw new Error(`clip: need lo <= hi (got ${lo}, ${hi})`);
  return unaryOp('clip', x, (g) => mul(g, unaryRaw('clipGrad', x, lo, hi)), lo, hi);
}
