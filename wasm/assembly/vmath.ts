// Vectorised exp and log on f32x4, accurate to a few float32 ulps.
import { madd } from './simd';

const LOG2E: f32 = 1.44269504;
const LN2_HI: f32 = 0.693145752; // ln 2 split so that n·LN2_HI is exact for |n| < 2^8
const LN2_LO: f32 = 1.42860677e-6;
const EXP_MAX: f32 = 88.7228394; // e^x overflows float32 above this
const EXP_MIN: f32 = -87.3365448; // and is below the smallest normal under this

const MAGIC: f32 = 12582912.0; // 1.5·2^23: t + MAGIC rounds t to an integer held in the low mantissa bits

// e^x = 2^n · e^r, n = round(x / ln2), r = x − n·ln2 ∈ [−ln2/2, ln2/2];
// e^r = Σ_{k≤7} r^k / k! (Horner), truncation error r^8/8! < 3e-9 relative.
// x > EXP_MAX gives +∞, x < EXP_MIN gives 0 (so e^−∞ = 0), NaN stays NaN.
// pmin/pmax (one instruction each) keep a NaN x in place; n comes from the
// magic-number rounding, so no float→int conversion is needed.
@inline export function vexp(x: v128): v128 {
  const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(EXP_MAX)), f32x4.splat(EXP_MIN));
  const t = madd(xc, f32x4.splat(LOG2E), f32x4.splat(MAGIC));
  const n = f32x4.sub(t, f32x4.splat(MAGIC));
  const ni = i32x4.sub(t, f32x4.splat(MAGIC)); // integer n, as bits of t minus bits of MAGIC
  let r = madd(n, f32x4.splat(-LN2_HI), xc);
  r = madd(n, f32x4.splat(-LN2_LO), r);
  let p = f32x4.splat(1.0 / 5040.0);
  p = madd(p, r, f32x4.splat(1.0 / 720.0));
  p = madd(p, r, f32x4.splat(1.0 / 120.0));
  p = madd(p, r, f32x4.splat(1.0 / 24.0));
  p = madd(p, r, f32x4.splat(1.0 / 6.0));
  p = madd(p, r, f32x4.splat(0.5));
  p = madd(p, r, f32x4.splat(1.0));
  p = madd(p, r, f32x4.splat(1.0));
  // 2^n built in the exponent bits; n ∈ [−126, 128]: 2^(n−h)·2^h with h = n >> 1 stays normal
  const h = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(h, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, h), i32x4.splat(127)), 23);
  let y = f32x4.mul(f32x4.mul(p, s1), s2);
  y = v128.bitselect(f32x4.splat(Infinity), y, f32x4.gt(x, f32x4.splat(EXP_MAX)));
  y = v128.andnot(y, f32x4.lt(x, f32x4.splat(EXP_MIN)));
  return y;
}

// e^x for x ≤ 0 (softmax and logsumexp feed x − max): n ∈ [−126, 0], so one
// exponent scale suffices and nothing overflows; the Taylor series stops at r^6/6!
// (truncation < 1.2e-7 relative); x < EXP_MIN (and −∞) gives 0.
export function vexpNeg(x: v128): v128 {
  const xc = f32x4.pmax(x, f32x4.splat(EXP_MIN));
  const t = madd(xc, f32x4.splat(LOG2E), f32x4.splat(MAGIC));
  const n = f32x4.sub(t, f32x4.splat(MAGIC));
  const ni = i32x4.sub(t, f32x4.splat(MAGIC));
  let r = madd(n, f32x4.splat(-LN2_HI), xc);
  r = madd(n, f32x4.splat(-LN2_LO), r);
  let p = f32x4.splat(1.0 / 720.0);
  p = madd(p, r, f32x4.splat(1.0 / 120.0));
  p = madd(p, r, f32x4.splat(1.0 / 24.0));
  p = madd(p, r, f32x4.splat(1.0 / 6.0));
  p = madd(p, r, f32x4.splat(0.5));
  p = madd(p, r, f32x4.splat(1.0));
  p = madd(p, r, f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(ni, i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(p, scale), f32x4.lt(x, f32x4.splat(EXP_MIN)));
}

// log x = e·ln2 + log m with x = 2^e·m, m ∈ [√½, √2); log m = 2·atanh(s),
// s = (m − 1)/(m + 1), |s| ≤ 0.172: 2(s + s³/3 + … + s^11/11), error < 1e-9.
// log 0 = −∞, log(x < 0) = NaN, log ∞ = ∞; subnormals are rescaled by 2^24 first.
@inline export function vlog(x: v128): v128 {
  const tiny = f32x4.lt(x, f32x4.splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(16777216.0)), x, tiny);
  const bits = xs;
  // e = exponent relative to √½: subtract the bits of √½ (0x3f3504f3) so m lands in [√½, √2)
  const off = i32x4.sub(bits, i32x4.splat(0x3f3504f3));
  const e = i32x4.shr_s(off, 23);
  const mbits = i32x4.sub(bits, i32x4.shl(e, 23));
  const m = mbits;
  const s = f32x4.div(f32x4.sub(m, f32x4.splat(1)), f32x4.add(m, f32x4.splat(1)));
  const s2 = f32x4.mul(s, s);
  let p = f32x4.splat(2.0 / 11.0);
  p = madd(p, s2, f32x4.splat(2.0 / 9.0));
  p = madd(p, s2, f32x4.splat(2.0 / 7.0));
  p = madd(p, s2, f32x4.splat(2.0 / 5.0));
  p = madd(p, s2, f32x4.splat(2.0 / 3.0));
  p = madd(p, s2, f32x4.splat(2.0));
  const ef = f32x4.sub(f32x4.convert_i32x4_s(e), v128.and(tiny, f32x4.splat(24)));
  let y = madd(ef, f32x4.splat(LN2_HI), madd(ef, f32x4.splat(LN2_LO), f32x4.mul(p, s)));
  y = v128.bitselect(f32x4.splat(-Infinity), y, f32x4.eq(x, f32x4.splat(0)));
  y = v128.bitselect(x, y, f32x4.eq(x, f32x4.splat(Infinity)));
  y = v128.bitselect(f32x4.splat(NaN), y, f32x4.ne(x, x)); // NaN in, NaN out
  y = v128.bitselect(f32x4.splat(NaN), y, f32x4.lt(x, f32x4.splat(0)));
  return y;
}

/** Horizontal sum and max of the four lanes. */
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}
@inline export function hmax(v: v128): f32 {
  const a = f32x4.extract_lane(v, 0), b = f32x4.extract_lane(v, 1), c = f32x4.extract_lane(v, 2), d = f32x4.extract_lane(v, 3);
  // propagate NaN like the reference: any NaN makes the max NaN
  if (a != a || b != b || c != c || d != d) return NaN;
  return max(max(a, b), max(c, d));
}
