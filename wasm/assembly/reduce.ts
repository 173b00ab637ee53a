// Reductions along the middle axis of x viewed as [outer, n, inner]:
// sum / max, logsumexp and (log-)softmax. Rows (inner = 1) are reduced with
// f32x4 lanes along the row; otherwise the inner axis is the vector axis and
// per-column running values live in the workspace ws (inner floats ×2, or
// inner doubles for sum).
//   logsumexp = m + log Σ_j e^(x_j − m), m = max_j x_j;  softmax_j = e^(x_j − lse).
import { vexpNeg as vexp, hsum, hmax } from './vmath';
import { REDUCE_SUM, REDUCE_MAX } from './ops.gen';

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

// max along a row with two pmax accumulators; NaNs are tracked in a mask (any NaN → NaN).
function rowMax(x: usize, n: i32): f32 {
  let j = 0;
  let m: f32 = -Infinity;
  if (n >= 8) {
    let v0 = v128.load(x), v1 = v128.load(x, 16), nan = f32x4.splat(0);
    for (j = 8; j + 8 <= n; j += 8) {
      const w0 = v128.load(at(x, j)), w1 = v128.load(at(x, j), 16);
      v0 = f32x4.pmax(v0, w0); v1 = f32x4.pmax(v1, w1);
      nan = v128.or(nan, v128.or(f32x4.ne(w0, w0), f32x4.ne(w1, w1)));
    }
    nan = v128.or(nan, v128.or(f32x4.ne(v0, v0), f32x4.ne(v1, v1))); // NaN in the first 8
    if (v128.any_true(nan)) return NaN;
    m = hmax(f32x4.pmax(v0, v1));
  }
  for (; j < n; j++) { const w = load<f32>(at(x, j)); if (w > m || w != w) m = w; if (m != m) break; }
  return m;
}

@inline function sexp(x: f32): f32 { return f32x4.extract_lane(vexp(f32x4.splat(x)), 0); }

/** Σ_j e^(x_j − m) over a row, two vector accumulators. */
function rowSumExp(x: usize, n: i32, m: f32): f32 {
  const mv = f32x4.splat(m);
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    s0 = f32x4.add(s0, vexp(f32x4.sub(v128.load(at(x, j)), mv)));
    s1 = f32x4.add(s1, vexp(f32x4.sub(v128.load(at(x, j), 16), mv)));
  }
  for (; j + 4 <= n; j += 4) s0 = f32x4.add(s0, vexp(f32x4.sub(v128.load(at(x, j)), mv)));
  let s = hsum(f32x4.add(s0, s1));
  for (; j < n; j++) s += sexp(load<f32>(at(x, j)) - m);
  return s;
}

/** Per column i of a [n, inner] block: m_i = max_j x_ji (into mp), ls_i = log Σ_j e^(x_ji − m_i) (into sp). */
function colLse(x: usize, n: i32, inner: i32, mp: usize, sp: usize): void {
  memory.copy(mp, x, <usize>inner << 2);
  for (let j = 1; j < n; j++) {
    const row = at(x, j * inner);
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      const w = v128.load(at(row, i)), v = v128.load(at(mp, i));
      v128.store(at(mp, i), v128.bitselect(w, f32x4.max(v, w), f32x4.ne(w, w)));
    }
    for (; i < inner; i++) { const w = load<f32>(at(row, i)), v = load<f32>(at(mp, i)); if (w > v || w != w) store<f32>(at(mp, i), w); }
  }
  memory.fill(sp, 0, <usize>inner << 2);
  for (let j = 0; j < n; j++) {
    const row = at(x, j * inner);
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      v128.store(at(sp, i), f32x4.add(v128.load(at(sp, i)), vexp(f32x4.sub(v128.load(at(row, i)), v128.load(at(mp, i))))));
    }
    for (; i < inner; i++) store<f32>(at(sp, i), load<f32>(at(sp, i)) + sexp(load<f32>(at(row, i)) - load<f32>(at(mp, i))));
  }
  for (let i = 0; i < inner; i++) {
    const m = load<f32>(at(mp, i));
    store<f32>(at(sp, i), isFinite(m) ? <f32>Math.log(load<f32>(at(sp, i))) : NaN);
  }
}

export function logsumexp(out: usize, x: usize, outer: i32, n: i32, inner: i32, ws: usize): void {
  for (let o = 0; o < outer; o++) {
    const xo = at(x, o * n * inner);
    if (inner == 1) {
      const m = rowMax(xo, n);
      store<f32>(at(out, o), isFinite(m) ? m + <f32>Math.log(rowSumExp(xo, n, m)) : m);
    } else {
      const mp = ws, sp = at(ws, inner);
      colLse(xo, n, inner, mp, sp);
      for (let i = 0; i < inner; i++) {
        const m = load<f32>(at(mp, i));
        store<f32>(at(out, o * inner + i), isFinite(m) ? m + load<f32>(at(sp, i)) : m);
      }
    }
  }
}

// softmax_j = e^((x_j − m) − ls), log-softmax_j = (x_j − m) − ls with ls = log Σ e^(x − m):
// x_j − m is exact near the max, so the result keeps its precision even when |m| is large.
@inline function softmaxOf(x: v128, m: v128, ls: v128, isLog: bool): v128 {
  const d = f32x4.sub(f32x4.sub(x, m), ls);
  return isLog ? d : vexp(d);
}

// One strided line of n values (stride in floats), width 4 (a vector of columns) or 1.
function writeSoftmax(x: usize, out: usize, n: i32, stride: i32, m: v128, ls: v128, isLog: bool, width: i32): void {
  for (let j = 0; j < n; j++) {
    const px = at(x, j * stride), po = at(out, j * stride);
    if (width == 4) v128.store(po, softmaxOf(v128.load(px), m, ls, isLog));
    else store<f32>(po, f32x4.extract_lane(softmaxOf(f32x4.splat(load<f32>(px)), m, ls, isLog), 0));
  }
}

// softmax of one row: out_j = e^(x_j − m) (stored), s = Σ out_j, then out_j /= s.
function rowSoftmax(x: usize, out: usize, n: i32): void {
  const mf = rowMax(x, n);
  if (!isFinite(mf)) { for (let j = 0; j < n; j++) store<f32>(at(out, j), NaN); return; }
  const m = f32x4.splat(mf);
  let s0 = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const e = vexp(f32x4.sub(v128.load(at(x, j)), m));
    v128.store(at(out, j), e);
    s0 = f32x4.add(s0, e);
  }
  let s = hsum(s0);
  for (; j < n; j++) { const e = sexp(load<f32>(at(x, j)) - mf); store<f32>(at(out, j), e); s += e; }
  const inv = f32x4.splat(<f32>1 / s);
  for (j = 0; j + 4 <= n; j += 4) v128.store(at(out, j), f32x4.mul(v128.load(at(out, j)), inv));
  for (; j < n; j++) store<f32>(at(out, j), load<f32>(at(out, j)) * f32x4.extract_lane(inv, 0));
}

export function softmax(out: usize, x: usize, outer: i32, n: i32, inner: i32, isLog: bool, ws: usize): void {
  for (let o = 0; o < outer; o++) {
    const xo = at(x, o * n * inner), oo = at(out, o * n * inner);
    if (inner == 1 && !isLog) {
      rowSoftmax(xo, oo, n);
    } else if (inner == 1) {
      const mf = rowMax(xo, n);
      // as the reference: a row whose max is ±∞ or NaN gives NaN
      const lf: f32 = isFinite(mf) ? <f32>Math.log(rowSumExp(xo, n, mf)) : NaN;
      const m = f32x4.splat(mf), ls = f32x4.splat(lf);
      let j = 0;
      for (; j + 4 <= n; j += 4) v128.store(at(oo, j), softmaxOf(v128.load(at(xo, j)), m, ls, isLog));
      if (j < n) writeSoftmax(at(xo, j), at(oo, j), n - j, 1, m, ls, isLog, 1);
    } else {
      const mp = ws, lp = at(ws, inner);
      colLse(xo, n, inner, mp, lp);
      let i = 0;
      for (; i + 4 <= inner; i += 4) writeSoftmax(at(xo, i), at(oo, i), n, inner, v128.load(at(mp, i)), v128.load(at(lp, i)), isLog, 4);
      for (; i < inner; i++) {
        writeSoftmax(at(xo, i), at(oo, i), n, inner, f32x4.splat(load<f32>(at(mp, i))), f32x4.splat(load<f32>(at(lp, i))), isLog, 1);
      }
    }
  }
}

// Σ in float64: each f32x4 widened into two f64x2 accumulators.
function rowSum(x: usize, n: i32): f64 {
  let a = f64x2.splat(0), b = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const v = v128.load(at(x, j));
    a = f64x2.add(a, f64x2.promote_low_f32x4(v));
    b = f64x2.add(b, f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)));
  }
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1) + f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1);
  for (; j < n; j++) s += <f64>load<f32>(at(x, j));
  return s;
}

/** op REDUCE_SUM (float64 accumulation) or REDUCE_MAX (NaN propagates). ws: inner doubles for sum. */
export function reduce(op: i32, out: usize, x: usize, outer: i32, n: i32, inner: i32, ws: usize): void {
  for (let o = 0; o < outer; o++) {
    const xo = at(x, o * n * inner), oo = at(out, o * inner);
    if (inner == 1) {
      store<f32>(oo, op == REDUCE_SUM ? <f32>rowSum(xo, n) : rowMax(xo, n));
    } else if (op == REDUCE_MAX) {
      if (n == 0) { for (let i = 0; i < inner; i++) store<f32>(at(oo, i), -Infinity); continue; }
      memory.copy(oo, xo, <usize>inner << 2);
      for (let j = 1; j < n; j++) {
        const row = at(xo, j * inner);
        let i = 0;
        for (; i + 4 <= inner; i += 4) {
          const w = v128.load(at(row, i)), v = v128.load(at(oo, i));
          v128.store(at(oo, i), v128.bitselect(w, f32x4.max(v, w), f32x4.ne(w, w)));
        }
        for (; i < inner; i++) { const w = load<f32>(at(row, i)), v = load<f32>(at(oo, i)); if (w > v || w != w) store<f32>(at(oo, i), w); }
      }
    } else {
      memory.fill(ws, 0, <usize>inner << 3);
      for (let j = 0; j < n; j++) {
        const row = at(xo, j * inner);
        let i = 0;
        for (; i + 4 <= inner; i += 4) {
          const v = v128.load(at(row, i)), p = ws + (<usize>i << 3);
          v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(v)));
          v128.store(p, f64x2.add(v128.load(p, 16), f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0))), 16);
        }
        for (; i < inner; i++) { const p = ws + (<usize>i << 3); store<f64>(p, load<f64>(p) + <f64>load<f32>(at(row, i))); }
      }
      for (let i = 0; i < inner; i++) store<f32>(at(oo, i), <f32>load<f64>(ws + (<usize>i << 3)));
    }
  }
}
