// Convolution (NCHW, weights [out, in, kh, kw] as PyTorch), max pooling and
// nearest upsampling. These are hot kernels with backward kernels of their own.
import { Tensor, allocData, fmtShape, gradBuffer } from '../tensor.js';
import { record } from '../engine.js';
import { kernels, kernelSource, getBackend } from '../../backend/registry.js';
import { convOutSize, type Conv2dDims, type Pool2dDims } from '../../backend/contract.js';
import { add } from './elementwise.js';
import { reshape } from './shape.js';

function posInt(v: number, op: string, what: string, allowZero = false): number {
  if (!Number.isInteger(v) || v < (allowZero ? 0 : 1)) {
    throw new Error(`${op}: ${what} must be a${allowZero ? ' non-negative' : ' positive'} integer, got ${v}`);
  }
  return v;
}

// db[o] = Σ_{b, p} g[b, o, p]: the plane sums [n·o] first, then over the batch.
function biasGrad(g: Float32Array, n: number, o: number, plane: number): Float32Array {
  const planes = new Float32Array(n * o), db = new Float32Array(o);
  if (g.length === 0) return db;
  kernels().reduce('sum', planes, g, n * o, plane, 1);
  kernels().reduce('sum', db, planes, 1, n, o);
  return db;
}

/** conv2d options: stride (default 1) and zero padding on each side (default 0). */
export interface Conv2dOptions { stride?: number; padding?: number }

/** 2-D cross-correlation as PyTorch conv2d: x [N, C, H, W], weights [out, C, kh, kw], optional bias [out]. */
export function conv2d(x: Tensor, w: Tensor, b?: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  const stride = posInt(opts.stride ?? 1, 'conv2d', 'stride');
  const pad = posInt(opts.padding ?? 0, 'conv2d', 'padding', true);
  if (!(x instanceof Tensor) || x.ndim !== 4) throw new Error(`conv2d: input must be 4-D NCHW, got ${x instanceof Tensor ? fmtShape(x.shape) : typeof x}`);
  if (!(w instanceof Tensor) || w.ndim !== 4) throw new Error(`conv2d: weights must be 4-D [out, in, kh, kw], got ${w instanceof Tensor ? fmtShape(w.shape) : typeof w}`);
  const [n, c, h, wd] = x.shape;
  const [o, ci, kh, kw] = w.shape;
  if (ci !== c) throw new Error(`conv2d: input ${fmtShape(x.shape)} has ${c} channels but weights ${fmtShape(w.shape)} expect ${ci}`);
  if (kh < 1 || kw < 1) throw new Error(`conv2d: the kernel must be at least 1x1, got weights ${fmtShape(w.shape)}`);
  const oh = convOutSize(h, kh, stride, pad), ow = convOutSize(wd, kw, stride, pad);
  if (oh < 1 || ow < 1) {
    throw new Error(`conv2d: kernel ${kh}x${kw} is larger than the padded input ${h + 2 * pad}x${wd + 2 * pad}; add padding or use a smaller kernel`);
  }
  if (b != null && (!(b instanceof Tensor) || b.size !== o)) {
    throw new Error(`conv2d: bias must have ${o} elements (one per output channel), got ${b instanceof Tensor ? fmtShape(b.shape) : typeof b}`);
  }
  const d: Conv2dDims = { n, c, h, w: wd, o, kh, kw, stride, pad, oh, ow };
  // forward outputs below are written in full by their kernels (conv2d when c > 0): no zero fill
  const out = allocData(n * o * oh * ow, 'conv2d', c > 0);
  // The bias goes into the convolution's own pass where the backend has that
  // kernel (native, wasm); elsewhere it is a broadcast add after it.
  const fused = b != null && kernelSource('conv2dBias') === getBackend();
  if (fused) kernels().conv2dBias(out, x.data, w.data, b.data, d);
  else kernels().conv2d(out, x.data, w.data, d);
  const y = record(new Tensor(out, [n, o, oh, ow]), 'conv2d', fused ? [x, w, b] : [x, w], (g) => {
    let dx: Tensor | null = null, dw: Tensor | null = null, db: Tensor | null = null;
    // the kernels write every element of dx and dW (no output, g.size = 0: zero gradients, zero-filled here)
    if (x.requiresGrad) {
      const buf = g.size > 0 ? allocData(x.size, 'conv2d', true) : new Float32Array(x.size);
      if (g.size > 0) kernels().conv2dBackwardInput(buf, g.data, w.data, d);
      dx = new Tensor(buf, x.shape);
    }
    if (w.requiresGrad) {
      const buf = g.size > 0 ? gradBuffer(w, 'conv2d') : new Float32Array(w.size);
      if (g.size > 0) kernels().conv2dBackwardWeight(buf, x.data, g.data, d);
      dw = new Tensor(buf, w.shape);
    }
    if (fused && b.requiresGrad) db = new Tensor(biasGrad(g.data, n, o, oh * ow), b.shape);
    return fused ? [dx, dw, db] : [dx, dw];
  });
  return b != null && !fused ? add(y, reshape(b, [1, o, 1, 1])) : y;
}

/** maxPool2d options: the window size (default 2) and stride (default the window). */
export interface MaxPoolOptions { kernel?: number; stride?: number }

/** Max pooling over kernel × kernel windows of x [N, C, H, W]. */
export function maxPool2d(x: Tensor, opts: MaxPoolOptions = {}): Tensor {
  const k = posInt(opts.kernel ?? 2, 'maxPool2d', 'kernel');
  const stride = posInt(opts.stride ?? k, 'maxPool2d', 'stride');
  if (!(x instanceof Tensor) || x.ndim !== 4) throw new Error(`maxPool2d: input must be 4-D NCHW, got ${x instanceof Tensor ? fmtShape(x.shape) : typeof x}`);
  const [n, c, h, w] = x.shape;
  const oh = convOutSize(h, k, stride, 0), ow = convOutSize(w, k, stride, 0);
  if (oh < 1 || ow < 1) throw new Error(`maxPool2d: kernel ${k} is larger than the input ${h}x${w}`);
  const d: Pool2dDims = { n, c, h, w, k, stride, oh, ow };
  const out = allocData(n * c * oh * ow, 'maxPool2d', true);
  const argmax = new Int32Array(out.length);
  kernels().maxPool2d(out, argmax, x.data, d);
  return record(new Tensor(out, [n, c, oh, ow]), 'maxPool2d', [x], (g) => {
    const dx = new Float32Array(x.size);
    kernels().maxPool2dBackward(dx, g.data, argmax, d);
    return [new Tensor(dx, x.shape)];
  });
}

/** upsample2d options: the integer scale factor (default 2). */
export interface UpsampleOptions { scale?: number }

/** Nearest-neighbour upsampling of x [N, C, H, W] by an integer scale. */
export function upsample2d(x: Tensor, opts: UpsampleOptions = {}): Tensor {
  const s = posInt(opts.scale ?? 2, 'upsample2d', 'scale');
  if (!(x instanceof Tensor) || x.ndim !== 4) throw new Error(`upsample2d: input must be 4-D NCHW, got ${x instanceof Tensor ? fmtShape(x.shape) : typeof x}`);
  const [n, c, h, w] = x.shape;
  const out = allocData(x.size * s * s, 'upsample2d', true);
  kernels().upsample2d(out, x.data, n, c, h, w, s);
  return record(new Tensor(out, [n, c, h * s, w * s]), 'upsample2d', [x], (g) => {
    const dx = new Float32Array(x.size);
    kernels().upsample2dBackward(dx, g.data, n, c, h, w, s);
    return [new Tensor(dx, x.shape)];
  });
}

