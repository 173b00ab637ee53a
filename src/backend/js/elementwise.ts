// Reference elementwise kernels (float64 arithmetic, float32 storage).
import type { BinaryOp, UnaryOp } from '../contract.js';

/** log(1 + e^x) without overflow: max(x, 0) + log1p(e^−|x|). */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function unaryFn(op: UnaryOp, alpha: number, beta: number): (x: number) => number {
  switch (op) {
    case 'neg': return (x) => -x;
    case 'exp': return Math.exp;
    case 'log': return Math.log;
    case 'sqrt': return Math.sqrt;
    case 'abs': return Math.abs;
    case 'sign': return (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);
    case 'square': return (x) => x * x;
    case 'tanh': return Math.tanh;
    case 'sigmoid': return sigmoid;
    case 'relu': return (x) => (x > 0 ? x : 0);
    case 'step': return (x) => (x > 0 ? 1 : 0);
    case 'leakyRelu': return (x) => (x > 0 ? x : alpha * x);
    case 'leakyReluGrad': return (x) => (x > 0 ? 1 : alpha);
    case 'softplus': return softplus;
    case 'logSigmoid': return (x) => -softplus(-x);
    case 'log1p': return Math.log1p;
    case 'pow': return (x) => Math.pow(x, alpha);
    case 'clip': return (x) => (x < alpha ? alpha : x > beta ? beta : x);
    case 'clipGrad': return (x) => (x > alpha && x < beta ? 1 : 0);
  }
  throw new Error(`unary: unknown op '${op as string}'`);
}

export function unary(op: UnaryOp, out: Float32Array, x: Float32Array, alpha: number, beta: number): void {
  const f = unaryFn(op, alpha, beta);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
}

function binaryFn(op: BinaryOp): (a: number, b: number) => number {
  switch (op) {
    case 'add': return (a, b) => a + b;
    case 'sub': return (a, b) => a - b;
    case 'mul': return (a, b) => a * b;
    case 'div': return (a, b) => a / b;
    case 'eq': return (a, b) => (a === b ? 1 : 0);
    case 'gt': return (a, b) => (a > b ? 1 : 0);
    case 'tanhGrad': return (a, b) => a * (1 - b * b);
    case 'sigmoidGrad': return (a, b) => a * (b * (1 - b));
    case 'reluGrad': return (a, b) => a * (b > 0 ? 1 : 0);
  }
  throw new Error(`binary: unknown op '${op as string}'`);
}

export function binary(op: BinaryOp, out: Float32Array, a: Float32Array, b: Float32Array,
  outShape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): void {
  const f = binaryFn(op);
  const nd = outShape.length;
  const size = out.length;
  if (size === 0) return;
  // flat fast paths only where the strides say the operand is dense (row-major) or a scalar (all 0)
  const dense = (st: readonly number[], scalar: boolean): boolean => {
    let want = 1;
    for (let ax = nd - 1; ax >= 0; ax--) {
      if (outShape[ax] !== 1 && st[ax] !== (scalar ? 0 : want)) return false;
      want *= outShape[ax];
    }
    return true;
  };
  const aFlat = a.length === size ? dense(aStrides, false) : a.length === 1 && dense(aStrides, true);
  const bFlat = b.length === size ? dense(bStrides, false) : b.length === 1 && dense(bStrides, true);
  if (!aFlat || !bFlat) return strided(f, out, a, b, outShape, aStrides, bStrides);
  if (a.length === size && b.length === size) {
    for (let i = 0; i < size; i++) out[i] = f(a[i], b[i]);
    return;
  }
  if (b.length === 1) {
    const bv = b[0];
    if (a.length === size) { for (let i = 0; i < size; i++) out[i] = f(a[i], bv); return; }
  }
  if (a.length === 1 && b.length === size) {
    const av = a[0];
    for (let i = 0; i < size; i++) out[i] = f(av, b[i]);
    return;
  }
  strided(f, out, a, b, outShape, aStrides, bStrides);
}

// General case: walk the output in row-major order with an index counter,
// the innermost axis in a tight loop.
function strided(f: (a: number, b: number) => number, out: Float32Array, a: Float32Array, b: Float32Array,
  outShape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): void {
  const nd = outShape.length, size = out.length;
  if (nd === 0) { out[0] = f(a[0], b[0]); return; }
  const last = nd - 1;
  const inner = outShape[last];
  const sa = aStrides[last], sb = bStrides[last];
  const idx = new Array<number>(nd).fill(0);
  let ia = 0, ib = 0;
  for (let o = 0; o < size; o += inner) {
    for (let j = 0; j < inner; j++) out[o + j] = f(a[ia + j * sa], b[ib + j * sb]);
    // advance the outer counter
    for (let ax = last - 1; ax >= 0; ax--) {
      idx[ax]++;
      ia += aStrides[ax]; ib += bStrides[ax];
      if (idx[ax] < outShape[ax]) break;
      ia -= aStrides[ax] * outShape[ax]; ib -= bStrides[ax] * outShape[ax];
      idx[ax] = 0;
    }
  }
}
