// Elementwise kernels on f32x4: unary ops by code and broadcasting binary ops
// (the codes are generated from src/backend/kernels.spec.mjs into ops.gen.ts).
import { vexp, vlog } from './vmath';
import {
  UNARY_NEG, UNARY_EXP, UNARY_LOG, UNARY_SQRT, UNARY_ABS, UNARY_SIGN, UNARY_SQUARE, UNARY_TANH, UNARY_SIGMOID, UNARY_RELU, UNARY_STEP, UNARY_LEAKY_RELU, UNARY_LEAKY_RELU_GRAD, UNARY_SOFTPLUS, UNARY_LOG_SIGMOID, UNARY_LOG1P, UNARY_POW, UNARY_CLIP, UNARY_CLIP_GRAD,
  BINARY_ADD, BINARY_SUB, BINARY_MUL, BINARY_DIV, BINARY_EQ, BINARY_GT,
} from './ops.gen';

const ONE = f32x4.splat(1);
const ZERO = f32x4.splat(0);

// log(1 + y) accurately: with u = 1 + y rounded, log1p(y) = log(u)·y/(u − 1) (u ≠ 1), else y.
function vlog1p(y: v128): v128 {
  const u = f32x4.add(y, ONE);
  let r = f32x4.mul(vlog(u), f32x4.div(y, f32x4.sub(u, ONE)));
  r = v128.bitselect(y, r, f32x4.eq(u, ONE));
  return v128.bitselect(y, r, f32x4.eq(y, f32x4.splat(Infinity)));
}

// softplus(x) = max(x, 0) + log1p(e^−|x|)
function vsoftplus(x: v128): v128 {
  return f32x4.add(f32x4.max(x, ZERO), vlog1p(vexp(f32x4.neg(f32x4.abs(x)))));
}

// tanh|x| = (1 − t)/(1 + t), t = e^−2|x|; below 0.125 the odd Taylor series
// x − x³/3 + 2x⁵/15 − 17x⁷/315 avoids the cancellation in 1 − t.
function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const t = vexp(f32x4.mul(ax, f32x4.splat(-2)));
  let big = f32x4.div(f32x4.sub(ONE, t), f32x4.add(ONE, t));
  big = v128.or(big, v128.and(x, f32x4.splat(-0.0))); // copy the sign of x
  const x2 = f32x4.mul(x, x);
  let p = f32x4.splat(-17.0 / 315.0);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.0 / 15.0));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-1.0 / 3.0));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(p, x2), x));
  return v128.bitselect(small, big, f32x4.lt(ax, f32x4.splat(0.125)));
}

// sigmoid(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) for x < 0, e = e^−|x|
function vsigmoid(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const s = f32x4.div(ONE, f32x4.add(ONE, e));
  return v128.bitselect(s, f32x4.mul(e, s), f32x4.ge(x, ZERO));
}

@inline function apply(op: i32, x: v128, alpha: f32, beta: f32): v128 {
  switch (op) {
    case UNARY_NEG: return f32x4.neg(x);
    case UNARY_EXP: return vexp(x);
    case UNARY_LOG: return vlog(x);
    case UNARY_SQRT: return f32x4.sqrt(x);
    case UNARY_ABS: return f32x4.abs(x);
    case UNARY_SIGN: return v128.or(v128.and(f32x4.gt(x, ZERO), ONE), v128.and(f32x4.lt(x, ZERO), f32x4.splat(-1)));
    case UNARY_SQUARE: return f32x4.mul(x, x);
    case UNARY_TANH: return vtanh(x);
    case UNARY_SIGMOID: return vsigmoid(x);
    case UNARY_RELU: return v128.and(x, f32x4.gt(x, ZERO));
    case UNARY_STEP: return v128.and(ONE, f32x4.gt(x, ZERO));
    case UNARY_LEAKY_RELU: return v128.bitselect(x, f32x4.mul(x, f32x4.splat(alpha)), f32x4.gt(x, ZERO));
    case UNARY_LEAKY_RELU_GRAD: return v128.bitselect(ONE, f32x4.splat(alpha), f32x4.gt(x, ZERO));
    case UNARY_SOFTPLUS: return vsoftplus(x);
    case UNARY_LOG_SIGMOID: return f32x4.neg(vsoftplus(f32x4.neg(x)));
    case UNARY_LOG1P: return vlog1p(x);
    case UNARY_POW: // pow, integer exponents 1, 2, 3, −1 only (the TS side sends the rest to js)
      if (alpha == 2) return f32x4.mul(x, x);
      if (alpha == 3) return f32x4.mul(f32x4.mul(x, x), x);
      if (alpha == -1) return f32x4.div(ONE, x);
      return x;
    case UNARY_CLIP: {
      const hi = v128.bitselect(f32x4.splat(beta), x, f32x4.gt(x, f32x4.splat(beta)));
      return v128.bitselect(f32x4.splat(alpha), hi, f32x4.lt(x, f32x4.splat(alpha)));
    }
    case UNARY_CLIP_GRAD: return v128.and(ONE, v128.and(f32x4.gt(x, f32x4.splat(alpha)), f32x4.lt(x, f32x4.splat(beta))));
  }
  return x;
}

// One loop per op: `apply` is inlined with a constant op, so the switch folds away.
@inline function unaryLoop(op: i32, x: usize, out: usize, len: i32, alpha: f32, beta: f32): void {
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, apply(op, v128.load(x + o), alpha, beta));
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(apply(op, f32x4.splat(load<f32>(x + o)), alpha, beta), 0));
  }
}

export function unary(op: i32, out: usize, x: usize, len: i32, alpha: f32, beta: f32): void {
  switch (op) {
    case UNARY_NEG: unaryLoop(UNARY_NEG, x, out, len, alpha, beta); break;
    case UNARY_EXP: unaryLoop(UNARY_EXP, x, out, len, alpha, beta); break;
    case UNARY_LOG: unaryLoop(UNARY_LOG, x, out, len, alpha, beta); break;
    case UNARY_SQRT: unaryLoop(UNARY_SQRT, x, out, len, alpha, beta); break;
    case UNARY_ABS: unaryLoop(UNARY_ABS, x, out, len, alpha, beta); break;
    case UNARY_SIGN: unaryLoop(UNARY_SIGN, x, out, len, alpha, beta); break;
    case UNARY_SQUARE: unaryLoop(UNARY_SQUARE, x, out, len, alpha, beta); break;
    case UNARY_TANH: unaryLoop(UNARY_TANH, x, out, len, alpha, beta); break;
    case UNARY_SIGMOID: unaryLoop(UNARY_SIGMOID, x, out, len, alpha, beta); break;
    case UNARY_RELU: unaryLoop(UNARY_RELU, x, out, len, alpha, beta); break;
    case UNARY_STEP: unaryLoop(UNARY_STEP, x, out, len, alpha, beta); break;
    case UNARY_LEAKY_RELU: unaryLoop(UNARY_LEAKY_RELU, x, out, len, alpha, beta); break;
    case UNARY_LEAKY_RELU_GRAD: unaryLoop(UNARY_LEAKY_RELU_GRAD, x, out, len, alpha, beta); break;
    case UNARY_SOFTPLUS: unaryLoop(UNARY_SOFTPLUS, x, out, len, alpha, beta); break;
    case UNARY_LOG_SIGMOID: unaryLoop(UNARY_LOG_SIGMOID, x, out, len, alpha, beta); break;
    case UNARY_LOG1P: unaryLoop(UNARY_LOG1P, x, out, len, alpha, beta); break;
    case UNARY_POW: unaryLoop(UNARY_POW, x, out, len, alpha, beta); break;
    case UNARY_CLIP: unaryLoop(UNARY_CLIP, x, out, len, alpha, beta); break;
    default: unaryLoop(UNARY_CLIP_GRAD, x, out, len, alpha, beta);
  }
}

@inline function bin(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case BINARY_ADD: return f32x4.add(a, b);
    case BINARY_SUB: return f32x4.sub(a, b);
    case BINARY_MUL: return f32x4.mul(a, b);
    case BINARY_DIV: return f32x4.div(a, b);
    case BINARY_EQ: return v128.and(ONE, f32x4.eq(a, b));
    case BINARY_GT: return v128.and(ONE, f32x4.gt(a, b));
  }
  return a;
}

// One output row of `len` elements, operands stepping by sa, sb ∈ {0, 1} vectorised.
function binRow(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32): void {
  let i = 0;
  if ((sa == 0 || sa == 1) && (sb == 0 || sb == 1)) {
    const av = f32x4.splat(load<f32>(a)), bv = f32x4.splat(load<f32>(b));
    for (; i + 4 <= len; i += 4) {
      const o = <usize>i << 2;
      const x = sa ? v128.load(a + o) : av, y = sb ? v128.load(b + o) : bv;
      v128.store(out + o, bin(op, x, y));
    }
  }
  for (; i < len; i++) {
    const x = f32x4.splat(load<f32>(a + (<usize>(i * sa) << 2))), y = f32x4.splat(load<f32>(b + (<usize>(i * sb) << 2)));
    store<f32>(out + (<usize>i << 2), f32x4.extract_lane(bin(op, x, y), 0));
  }
}

/**
 * Broadcasting binary op: `shape`, `as` and `bs` point at nd i32 each, the
 * output shape and a's and b's element strides per output axis (0 where
 * broadcast); idx is nd i32 of scratch.
 */
export function binary(op: i32, out: usize, a: usize, aLen: i32, b: usize, bLen: i32, nd: i32, shape: usize, as: usize,
  bs: usize, idx: usize): void {
  let size = 1;
  for (let ax = 0; ax < nd; ax++) size *= load<i32>(shape + (<usize>ax << 2));
  if (size == 0) return;
  const last = nd - 1;
  const inner = nd > 0 ? load<i32>(shape + (<usize>last << 2)) : 1;
  const sa = nd > 0 ? load<i32>(as + (<usize>last << 2)) : 0;
  const sb = nd > 0 ? load<i32>(bs + (<usize>last << 2)) : 0;
  memory.fill(idx, 0, <usize>nd << 2);
  let ia = 0, ib = 0;
  for (let o = 0; o < size; o += inner) {
    binRow(op, a + (<usize>ia << 2), sa, b + (<usize>ib << 2), sb, out + (<usize>o << 2), inner);
    for (let ax = last - 1; ax >= 0; ax--) {
      const ip = idx + (<usize>ax << 2);
      const n = load<i32>(shape + (<usize>ax << 2));
      const sta = load<i32>(as + (<usize>ax << 2)), stb = load<i32>(bs + (<usize>ax << 2));
      const v = load<i32>(ip) + 1;
      ia += sta; ib += stb;
      if (v < n) { store<i32>(ip, v); break; }
      ia -= sta * n; ib -= stb * n;
      store<i32>(ip, 0);
    }
  }
}
