// Entry point of the native (C++ / Node-API) backend: the addon's functions
// adapted to the Kernels contract. Every kernel of the contract is native.
import type { BackendKernels, BinaryOp, UnaryOp } from '../contract.js';
import { BINARY_OPS, UNARY_OPS } from '../contract.js';
import { loadAddon, type NativeAddon } from './addon.js';

export type { NativeAddon, NativeIsa } from './addon.js';

const unaryCode = new Map<string, number>(UNARY_OPS.map((op, i) => [op, i]));
const binaryCode = new Map<string, number>(BINARY_OPS.map((op, i) => [op, i]));

function code(table: Map<string, number>, kind: string, op: string): number {
  const c = table.get(op);
  if (c === undefined) throw new Error(`${kind}: unknown op '${op}'`);
  return c;
}

export function loadNative(): BackendKernels {
  const a = loadAddon();
  return {
    unary: (op: UnaryOp, x, out, alpha, beta) => a.unary(code(unaryCode, 'unary', op), x, out, alpha ?? 0, beta ?? 0),
    binary: (op: BinaryOp, x, y, out, outShape, aStrides, bStrides) =>
      a.binary(code(binaryCode, 'binary', op), x, y, out, outShape, aStrides, bStrides),
    reduce: (op, x, out, outer, n, inner) => a.reduce(op, x, out, outer, n, inner),
    logsumexp: (x, out, outer, n, inner) => a.logsumexp(x, out, outer, n, inner),
    softmax: (x, out, outer, n, inner, log) => a.softmax(x, out, outer, n, inner, log),
    matmul: (out, x, y, batch, m, k, n, transA, transB) => a.matmul(out, x, y, batch, m, k, n, transA, transB),
    conv2d: (out, x, w, d) => a.conv2d(out, x, w, d),
    conv2dBackwardInput: (dx, dy, w, d) => a.conv2dBackwardInput(dx, dy, w, d),
    conv2dBackwardWeight: (dw, x, dy, d) => a.conv2dBackwardWeight(dw, x, dy, d),
    maxPool2d: (out, argmax, x, d) => a.maxPool2d(out, argmax, x, d),
    maxPool2dBackward: (dx, dy, argmax, d) => a.maxPool2dBackward(dx, dy, argmax, d),
    upsample2d: (out, x, n, c, h, w, s) => a.upsample2d(out, x, n, c, h, w, s),
    upsample2dBackward: (dx, dy, n, c, h, w, s) => a.upsample2dBackward(dx, dy, n, c, h, w, s),
    transpose: (x, out, shape, perm) => a.transpose(x, out, shape, perm),
    adam: (p, g, m, v, lr, b1, b2, eps, step, wd) => a.adam(p, g, m, v, lr, b1, b2, eps, step, wd),
  };
}

/** The raw addon (thread count, instruction set, info) for tests and benchmarks; throws if not built. */
export function nativeAddon(): NativeAddon {
  return loadAddon();
}

export const nativeHowToFix = 'Build it with: npm run build:native (needs cmake and a C++17 compiler).';
