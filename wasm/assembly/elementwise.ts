// Elementwise kernels on f32x4: unary ops by code and broadcasting binary ops
// (the codes are generated from src/backend/kernels.spec.mjs into ops.gen.ts).
import { vexp, vlog } from './vmath';
import {
  UNARY_NEG, UNARY_EXP, UNARY_LOG, UNARY_SQRT, UNARY_ABS, UNARY_SIGN, UNARY_SQUARE, UNARY_TANH, UNARY_SIGMOID, UNARY_RELU, UNARY_STEP, UNARY_LEAKY_RELU, UNARY_LEAKY_RELU_GRAD, UNARY_SOFTPLUS, UNARY_LOG_SIGMOID, UNARY_LOG1P, UNARY_POW, UNARY_CLIP, UNARY_CLIP_GRAD,
  BINARY_ADD, BINARY_SUB, BINARY_MUL, BINARY_DIV, BINARY_EQ, BINARY_GT, BINARY_TANH_GRAD, BINARY_SIGMOID_GRAD, BINARY_RELU_GRAD,
} from './ops.gen';

const ONE = f32x4.splat(1);
const ZERO = f32x4.splat(0);

// log(1 + y) accurately: with u = 1 + y rounded, log1p(y) = log(u)·y/(u − 1) (u ≠ 1), else y.
@inline function vlog1p(y: v128): v128 {
  const u = f32x4.add(y, ONE);
  let r = f32x4.mul(vlog(u), f32x4.div(y, f32x4.sub(u, ONE)));
  r = v128.bitselect(y, r, f32x4.eq(u, ONE));
  return v128.bitselect(y, r, f32x4.eq(y, f32x4.splat(Infinity)));
}

// softplus(x) = max(x, 0) + log1p(e^−|x|)
@inline function vsoftplus(x: v128): v128 {
  return f32x4.add(f32x4.max(x, ZERO), vlog1p(vexp(f32x4.neg(f32x4.abs(x)))));
}

// tanh|x| = (1 − t)/(1 + t), t = e^−2|x|; below 0.125 the odd Taylor series
// x − x³/3 + 2x⁵/15 − 17x⁷/315 avoids the cancellation in 1 − t.
@inline function vtanh(x: v128): v128 {
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
@inline function vsigmoid(x: v128): v128 {
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
      // a switch, not if-returns: binaryen turns those into br_ifs whose values (x², x³ and 1/x) are all computed
      switch (<i32>alpha) {
        case 2: return f32x4.mul(x, x);
        case 3: return f32x4.mul(f32x4.mul(x, x), x);
        case -1: return f32x4.div(ONE, x);
      }
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
    case BINARY_TANH_GRAD: return f32x4.mul(a, f32x4.sub(ONE, f32x4.mul(b, b))); // a (1 − b²)
    case BINARY_SIGMOID_GRAD: return f32x4.mul(a, f32x4.mul(b, f32x4.sub(ONE, b))); // a b (1 − b)
    case BINARY_RELU_GRAD: return f32x4.mul(a, v128.and(ONE, f32x4.gt(b, ZERO))); // a [b > 0]
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

// ---- fused kernels of the autograd layer (kernels.fused.spec.mjs) ----
// act codes: 0 identity, 1 tanh, 2 relu, 3 sigmoid; act' in terms of y = act(x):
// 1, 1 − y², [y > 0], y (1 − y).
@inline function vact(code: i32, v: v128): v128 {
  switch (code) {
    case 1: return vtanh(v);
    case 2: return v128.and(v, f32x4.gt(v, ZERO));
    case 3: return vsigmoid(v);
  }
  return v;
}

@inline function vactGrad(code: i32, y: v128): v128 {
  switch (code) {
    case 1: return f32x4.sub(ONE, f32x4.mul(y, y));
    case 2: return v128.and(ONE, f32x4.gt(y, ZERO));
    case 3: return f32x4.mul(y, f32x4.sub(ONE, y));
  }
  return ONE;
}

@inline function lane0(v: v128): f32 { return f32x4.extract_lane(v, 0); }
@inline function ld1(p: usize): v128 { return f32x4.splat(load<f32>(p)); }

// One loop per act code: vact / vactGrad are inlined with a constant code, so
// only that act is computed (with a run-time code, binaryen evaluates every
// branch's act, tanh and sigmoid included, for every vector and then selects).
@inline function biasActLoop(code: i32, y: usize, bias: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    const row = y + (<usize>i * <usize>cols << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(row + o, vact(code, f32x4.add(v128.load(row + o), v128.load(bias + o))));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, lane0(vact(code, f32x4.add(ld1(row + o), ld1(bias + o)))));
    }
  }
}

/** y ← act(y + bias), bias broadcast along the rows. */
export function biasAct(y: usize, bias: usize, rows: i32, cols: i32, code: i32): void {
  if (code == 1) biasActLoop(1, y, bias, rows, cols);
  else if (code == 2) biasActLoop(2, y, bias, rows, cols);
  else if (code == 3) biasActLoop(3, y, bias, rows, cols);
  else biasActLoop(0, y, bias, rows, cols);
}

@inline function biasActGradLoop(code: i32, dx: usize, db: usize, g: usize, y: usize, rows: i32, cols: i32): void {
  // column sums in float64, four columns at a time as two f64x2; the tail column by column
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    for (let i = 0; i < rows; i++) {
      const o = (<usize>i * <usize>cols + <usize>j) << 2;
      const d = f32x4.mul(v128.load(g + o), vactGrad(code, v128.load(y + o)));
      v128.store(dx + o, d);
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(d));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(d, d, 2, 3, 0, 1)));
    }
    v128.store(db + (<usize>j << 2), v128.shuffle<f32>(f32x4.demote_f64x2_zero(s0), f32x4.demote_f64x2_zero(s1), 0, 1, 4, 5));
  }
  for (; j < cols; j++) {
    let s: f64 = 0;
    for (let i = 0; i < rows; i++) {
      const o = (<usize>i * <usize>cols + <usize>j) << 2;
      const d = lane0(f32x4.mul(ld1(g + o), vactGrad(code, ld1(y + o))));
      store<f32>(dx + o, d);
      s += <f64>d;
    }
    store<f32>(db + (<usize>j << 2), <f32>s);
  }
}

/** dx = g ⊙ act'(y); db[j] = Σ_i dx[i, j] (float64 sums, accumulated in db's place after the loop). */
export function biasActGrad(dx: usize, db: usize, g: usize, y: usize, rows: i32, cols: i32, code: i32): void {
  if (code == 1) biasActGradLoop(1, dx, db, g, y, rows, cols);
  else if (code == 2) biasActGradLoop(2, dx, db, g, y, rows, cols);
  else if (code == 3) biasActGradLoop(3, dx, db, g, y, rows, cols);
  else biasActGradLoop(0, dx, db, g, y, rows, cols);
}

// softplus(l) − l x per lane
@inline function vbce(l: v128, x: v128): v128 { return f32x4.sub(vsoftplus(l), f32x4.mul(l, x)); }

/** out[i] = Σ_j softplus(l) − l x over row i (float64 sums). */
export function bceLogits(out: usize, logits: usize, x: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    const base = <usize>i * <usize>cols << 2;
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = base + (<usize>j << 2);
      const v = vbce(v128.load(logits + o), v128.load(x + o));
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
    }
    const t = f64x2.add(s0, s1);
    let s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
    for (; j < cols; j++) {
      const o = base + (<usize>j << 2);
      s += <f64>lane0(vbce(ld1(logits + o), ld1(x + o)));
    }
    store<f32>(out + (<usize>i << 2), <f32>s);
  }
}

/** dl = g[i] (σ(l) − x). */
export function bceLogitsGrad(dl: usize, g: usize, logits: usize, x: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    const base = <usize>i * <usize>cols << 2;
    const gi = f32x4.splat(load<f32>(g + (<usize>i << 2)));
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = base + (<usize>j << 2);
      v128.store(dl + o, f32x4.mul(gi, f32x4.sub(vsigmoid(v128.load(logits + o)), v128.load(x + o))));
    }
    for (; j < cols; j++) {
      const o = base + (<usize>j << 2);
      store<f32>(dl + o, lane0(f32x4.mul(gi, f32x4.sub(vsigmoid(ld1(logits + o)), ld1(x + o)))));
    }
  }
}

// ---- fused Gaussian kernels of the ELBO (small latent tensors: scalar loops) ----
@inline function f32at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }

/** z = μ + e^{lv/2} ε */
export function reparam(z: usize, mu: usize, lv: usize, eps: usize, len: i32): void {
  for (let i = 0; i < len; i++) store<f32>(z + (<usize>i << 2), f32at(mu, i) + Mathf.exp(<f32>0.5 * f32at(lv, i)) * f32at(eps, i));
}

/** dlv = ½ g e^{lv/2} ε */
export function reparamGrad(dlv: usize, g: usize, lv: usize, eps: usize, len: i32): void {
  for (let i = 0; i < len; i++) store<f32>(dlv + (<usize>i << 2), <f32>0.5 * f32at(g, i) * Mathf.exp(<f32>0.5 * f32at(lv, i)) * f32at(eps, i));
}

/** out[i] = ½ Σ_j (e^{lv} + μ² − 1 − lv), float64 sums */
export function klStdNormal(out: usize, mu: usize, lv: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    let s: f64 = 0;
    for (let j = i * cols, e = j + cols; j < e; j++) {
      const m = <f64>f32at(mu, j), l = f32at(lv, j);
      s += <f64>Mathf.exp(l) + m * m - 1 - <f64>l;
    }
    store<f32>(out + (<usize>i << 2), <f32>(0.5 * s));
  }
}

/** dmu = g[i] μ, dlv = ½ g[i] (e^{lv} − 1) */
export function klStdNormalGrad(dmu: usize, dlv: usize, g: usize, mu: usize, lv: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    const gi = f32at(g, i);
    for (let j = i * cols, e = j + cols; j < e; j++) {
      store<f32>(dmu + (<usize>j << 2), gi * f32at(mu, j));
      store<f32>(dlv + (<usize>j << 2), <f32>0.5 * gi * (Mathf.exp(f32at(lv, j)) - 1));
    }
  }
}
