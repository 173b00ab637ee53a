// The wasm kernel table: each wrapper places its inputs in the module's memory
// (one copy in), runs the exported kernel, and copies the result out. When a
// call cannot run in wasm (an empty tensor, memory past the wasm32 limit, a
// pow exponent the module does not special-case) it uses the js kernel.
import type { BackendKernels, BinaryOp, Conv2dDims, Pool2dDims, UnaryOp } from '../contract.js';
import { UNARY_OPS, BINARY_OPS } from '../contract.js';
import { jsKernels } from '../js/index.js';
import { Arena } from './arena.js';
import type { WasmExports } from './module.js';

const POW_IN_WASM = new Set([1, 2, 3, -1]);

const f32 = new Float32Array(1);
const bits = new Int32Array(f32.buffer);
/** The float32 next to f (f itself a float32) towards +∞ (dir 1) or −∞ (dir −1). */
function nextF32(f: number, dir: 1 | -1): number {
  if (f === 0) return dir * 1.401298464324817e-45;
  f32[0] = f;
  bits[0] += (f > 0 ? dir : -dir);
  return f32[0];
}
/** Largest float32 ≤ a: for a float32 x, x > a ⟺ x > below(a). */
function below(a: number): number { const f = Math.fround(a); return f > a ? nextF32(f, -1) : f; }
/** Smallest float32 ≥ a: for a float32 x, x < a ⟺ x < above(a). */
function above(a: number): number { const f = Math.fround(a); return f < a ? nextF32(f, 1) : f; }

/** The float32 thresholds that make the module's float32 comparisons agree with the float64 reference. */
function thresholds(op: UnaryOp, alpha: number, beta: number): [number, number] {
  if (op === 'clipGrad') return [below(alpha), above(beta)]; // lo < x < hi
  if (op === 'clip') return [above(alpha), below(beta)]; // x < lo, x > hi
  return [alpha, beta];
}

/** Merge adjacent axes that are contiguous for the output and both operands; drop size-1 axes. */
export function simplifyBroadcast(shape: readonly number[], as: readonly number[], bs: readonly number[]):
  { shape: number[]; as: number[]; bs: number[] } {
  const s: number[] = [], a: number[] = [], b: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const k = s.length - 1;
    if (k >= 0 && a[k] === as[i] * shape[i] && b[k] === bs[i] * shape[i]) {
      s[k] *= shape[i]; a[k] = as[i]; b[k] = bs[i];
    } else { s.push(shape[i]); a.push(as[i]); b.push(bs[i]); }
  }
  if (s.length === 0) { s.push(1); a.push(0); b.push(0); }
  return { shape: s, as: a, bs: b };
}

export function makeKernels(e: WasmExports, arena: Arena): BackendKernels {
  const gemmWs = e.gemmWorkspaceBytes();
  const unaryCode = new Map<UnaryOp, number>(UNARY_OPS.map((op, i) => [op, i]));
  const binaryCode = new Map<BinaryOp, number>(BINARY_OPS.map((op, i) => [op, i]));

  /** Run `fn` with a fresh arena; false if the memory could not grow (then the caller uses js). */
  function call(fn: () => void): boolean {
    arena.reset();
    try {
      fn();
    } catch (err) {
      if (err instanceof RangeError) return false; // memory.grow failed: too big for wasm32
      throw err;
    }
    return true;
  }

  return {
    matmul(out, a, b, batch, m, k, n, transA, transB) {
      if (batch * m * n === 0 || k === 0) return jsKernels.matmul(out, a, b, batch, m, k, n, transA, transB);
      const ok = call(() => {
        const ws = arena.alloc(gemmWs), pa = arena.alloc(batch * m * k * 4), pb = arena.alloc(batch * k * n * 4);
        const po = arena.alloc(batch * m * n * 4);
        arena.commit();
        arena.put(pa, a, batch * m * k); arena.put(pb, b, batch * k * n);
        e.matmul(po, pa, pb, batch, m, k, n, transA ? 1 : 0, transB ? 1 : 0, ws);
        arena.get(po, out);
      });
      if (!ok) jsKernels.matmul(out, a, b, batch, m, k, n, transA, transB);
    },

    logsumexp(x, out, outer, n, inner) {
      if (outer * n * inner === 0) return jsKernels.logsumexp(x, out, outer, n, inner);
      const ok = call(() => {
        const ws = arena.alloc(inner * 8), px = arena.alloc(x.length * 4), po = arena.alloc(out.length * 4);
        arena.commit(); arena.put(px, x);
        e.logsumexp(px, po, outer, n, inner, ws);
        arena.get(po, out);
      });
      if (!ok) jsKernels.logsumexp(x, out, outer, n, inner);
    },

    softmax(x, out, outer, n, inner, log) {
      if (outer * n * inner === 0) return jsKernels.softmax(x, out, outer, n, inner, log);
      const ok = call(() => {
        const ws = arena.alloc(inner * 8), px = arena.alloc(x.length * 4), po = arena.alloc(out.length * 4);
        arena.commit(); arena.put(px, x);
        e.softmax(px, po, outer, n, inner, log ? 1 : 0, ws);
        arena.get(po, out);
      });
      if (!ok) jsKernels.softmax(x, out, outer, n, inner, log);
    },

    reduce(op, x, out, outer, n, inner) {
      if (outer * inner === 0 || n === 0) return jsKernels.reduce(op, x, out, outer, n, inner);
      const ok = call(() => {
        const ws = arena.alloc(inner * 8), px = arena.alloc(x.length * 4), po = arena.alloc(out.length * 4);
        arena.commit(); arena.put(px, x);
        e.reduce(op === 'sum' ? 0 : 1, px, po, outer, n, inner, ws);
        arena.get(po, out);
      });
      if (!ok) jsKernels.reduce(op, x, out, outer, n, inner);
    },

    unary(op, x, out, alpha, beta) {
      const code = unaryCode.get(op);
      if (code === undefined || x.length === 0 || (op === 'pow' && !POW_IN_WASM.has(alpha))) {
        return jsKernels.unary(op, x, out, alpha, beta);
      }
      const ok = call(() => {
        const px = arena.alloc(x.length * 4), po = arena.alloc(x.length * 4);
        arena.commit(); arena.put(px, x);
        const [lo, hi] = thresholds(op, alpha, beta);
        e.unary(code, px, po, x.length, lo, hi);
        arena.get(po, out);
      });
      if (!ok) jsKernels.unary(op, x, out, alpha, beta);
    },

    binary(op, a, b, out, outShape, aStrides, bStrides) {
      const code = binaryCode.get(op);
      if (code === undefined || out.length === 0) return jsKernels.binary(op, a, b, out, outShape, aStrides, bStrides);
      const s = simplifyBroadcast(outShape, aStrides, bStrides);
      const nd = s.shape.length;
      const ok = call(() => {
        const dims = arena.alloc(12 * nd), idx = arena.alloc(4 * nd);
        const pa = arena.alloc(a.length * 4), pb = arena.alloc(b.length * 4), po = arena.alloc(out.length * 4);
        arena.commit();
        arena.putI32(dims, [...s.shape, ...s.as, ...s.bs]);
        arena.put(pa, a); arena.put(pb, b);
        e.binary(code, pa, pb, po, out.length, nd, dims, idx);
        arena.get(po, out);
      });
      if (!ok) jsKernels.binary(op, a, b, out, outShape, aStrides, bStrides);
    },

    conv2d(out, x, w, d) { conv(0, out, x, w, d); },
    conv2dBackwardInput(dx, dy, w, d) { conv(1, dx, dy, w, d); },
    conv2dBackwardWeight(dw, x, dy, d) { conv(2, dw, x, dy, d); },

    maxPool2d(out, argmax, x, d) {
      if (out.length === 0) return jsKernels.maxPool2d(out, argmax, x, d);
      const ok = call(() => {
        const px = arena.alloc(x.length * 4), po = arena.alloc(out.length * 4), pi = arena.alloc(out.length * 4);
        arena.commit(); arena.put(px, x);
        e.maxPool2d(po, pi, px, ...poolArgs(d));
        arena.get(po, out); arena.getI32(pi, argmax);
      });
      if (!ok) jsKernels.maxPool2d(out, argmax, x, d);
    },

    maxPool2dBackward(dx, dy, argmax, d) {
      if (dx.length === 0 || dy.length === 0) return jsKernels.maxPool2dBackward(dx, dy, argmax, d);
      const ok = call(() => {
        const pd = arena.alloc(dx.length * 4), py = arena.alloc(dy.length * 4), pi = arena.alloc(argmax.length * 4);
        arena.commit(); arena.put(py, dy); arena.putI32(pi, argmax);
        e.maxPool2dBackward(pd, py, pi, ...poolArgs(d));
        arena.get(pd, dx);
      });
      if (!ok) jsKernels.maxPool2dBackward(dx, dy, argmax, d);
    },

    upsample2d(out, x, n, c, h, w, scale) {
      if (out.length === 0) return jsKernels.upsample2d(out, x, n, c, h, w, scale);
      const ok = call(() => {
        const px = arena.alloc(x.length * 4), po = arena.alloc(out.length * 4);
        arena.commit(); arena.put(px, x);
        e.upsample2d(po, px, n, c, h, w, scale);
        arena.get(po, out);
      });
      if (!ok) jsKernels.upsample2d(out, x, n, c, h, w, scale);
    },

    upsample2dBackward(dx, dy, n, c, h, w, scale) {
      if (dx.length === 0) return jsKernels.upsample2dBackward(dx, dy, n, c, h, w, scale);
      const ok = call(() => {
        const py = arena.alloc(dy.length * 4), pd = arena.alloc(dx.length * 4);
        arena.commit(); arena.put(py, dy);
        e.upsample2dBackward(pd, py, n, c, h, w, scale);
        arena.get(pd, dx);
      });
      if (!ok) jsKernels.upsample2dBackward(dx, dy, n, c, h, w, scale);
    },
  };

  // which: 0 forward (out, x, w), 1 input grad (dx, dy, w), 2 weight grad (dw, x, dy)
  function conv(which: 0 | 1 | 2, out: Float32Array, p: Float32Array, q: Float32Array, d: Conv2dDims): void {
    const js = [jsKernels.conv2d, jsKernels.conv2dBackwardInput, jsKernels.conv2dBackwardWeight][which];
    const { n, c, h, w, o, kh, kw, stride, pad, oh, ow } = d;
    if (out.length === 0 || oh <= 0 || ow <= 0) return js(out, p, q, d);
    const ok = call(() => {
      const ws = arena.alloc(e.convWorkspaceBytes(c, kh, kw, oh, ow));
      const pp = arena.alloc(p.length * 4), pq = arena.alloc(q.length * 4), po = arena.alloc(out.length * 4);
      arena.commit(); arena.put(pp, p); arena.put(pq, q);
      const f = [e.conv2d, e.conv2dBackwardInput, e.conv2dBackwardWeight][which];
      f(po, pp, pq, n, c, h, w, o, kh, kw, stride, pad, oh, ow, ws);
      arena.get(po, out);
    });
    if (!ok) js(out, p, q, d);
  }
}

function poolArgs(d: Pool2dDims): [number, number, number, number, number, number, number, number] {
  return [d.n, d.c, d.h, d.w, d.k, d.stride, d.oh, d.ow];
}
