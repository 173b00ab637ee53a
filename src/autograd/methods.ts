// The ops as Tensor methods (t.add(b), t.sum(1), loss.backward(), ...).
import { Tensor } from './tensor.js';
import * as ops from './ops/index.js';
import { backward, type BackwardOptions } from './engine.js';
import { ones } from './creation.js';
import type { TensorLike } from './creation.js';
import type { Axis } from './ops/reduce.js';
import type { MatmulOptions } from './ops/matmul.js';
import type { Conv2dOptions, MaxPoolOptions, UpsampleOptions } from './ops/conv.js';
import type { Shape } from './tensor.js';

declare module './tensor.js' {
  interface Tensor {
    add(b: TensorLike): Tensor; sub(b: TensorLike): Tensor; mul(b: TensorLike): Tensor; div(b: TensorLike): Tensor;
    neg(): Tensor; pow(p: number): Tensor; exp(): Tensor; log(): Tensor; log1p(): Tensor; sqrt(): Tensor; abs(): Tensor;
    square(): Tensor; tanh(): Tensor; sigmoid(): Tensor; relu(): Tensor; leakyRelu(slope?: number): Tensor;
    softplus(): Tensor; logSigmoid(): Tensor; clip(lo: number, hi: number): Tensor;
    sum(axis?: Axis, keepDims?: boolean): Tensor; mean(axis?: Axis, keepDims?: boolean): Tensor;
    max(axis?: Axis, keepDims?: boolean): Tensor; min(axis?: Axis, keepDims?: boolean): Tensor;
    logsumexp(axis?: number, keepDims?: boolean): Tensor; softmax(axis?: number): Tensor; logSoftmax(axis?: number): Tensor;
    argmax(axis?: number): Tensor;
    matmul(b: Tensor, opts?: MatmulOptions): Tensor; transpose(perm?: readonly number[]): Tensor;
    reshape(shape: Shape): Tensor; flatten(startAxis?: number): Tensor; slice(begin: readonly number[], size?: readonly number[]): Tensor;
    broadcastTo(shape: Shape): Tensor;
    conv2d(w: Tensor, b?: Tensor | null, opts?: Conv2dOptions): Tensor; maxPool2d(opts?: MaxPoolOptions): Tensor;
    upsample2d(opts?: UpsampleOptions): Tensor;
    /** Accumulate gradients into every leaf that requires grad (scalar tensors need no argument). */
    backward(grad?: Tensor, opts?: BackwardOptions): void;
  }
}

const P = Tensor.prototype as any;
const methods: Record<string, (...args: any[]) => Tensor> = {
  add: ops.add, sub: ops.sub, mul: ops.mul, div: ops.div, neg: ops.neg, pow: ops.pow, exp: ops.exp, log: ops.log,
  log1p: ops.log1p, sqrt: ops.sqrt, abs: ops.abs, square: ops.square, tanh: ops.tanh, sigmoid: ops.sigmoid,
  relu: ops.relu, leakyRelu: ops.leakyRelu, softplus: ops.softplus, logSigmoid: ops.logSigmoid, clip: ops.clip,
  sum: ops.sum, mean: ops.mean, max: ops.max, min: ops.min, logsumexp: ops.logsumexp, softmax: ops.softmax,
  logSoftmax: ops.logSoftmax, argmax: ops.argmax, matmul: ops.matmul, transpose: ops.transpose,
  reshape: ops.reshape, flatten: ops.flatten, slice: ops.slice, broadcastTo: ops.broadcastTo,
  conv2d: ops.conv2d, maxPool2d: ops.maxPool2d, upsample2d: ops.upsample2d,
};
for (const [name, fn] of Object.entries(methods)) {
  P[name] = function (this: Tensor, ...args: unknown[]) { return fn(this, ...args); };
}
P.backward = function (this: Tensor, grad?: Tensor, opts?: BackwardOptions) {
  backward(this, grad, ones, ops.add, opts);
};
