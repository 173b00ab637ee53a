// GEMM on packed panels (the GotoBLAS loop nest) with a register-blocked
// f32x4 micro-kernel:
//   C(i, j) (+)= Σ_p A(i, p) · B(p, j),   A(i,p) = a[i·ars + p·acs], B(p,j) = b[p·brs + j·bcs],
//   C(i, j) at c[i·ldc + j].
// Loops: jc over NC columns → pc over KC depth (pack B block, kept in L2/L3)
//   → ic over MC rows (pack A block, kept in L2) → jr over NR → ir over MR:
//   the micro-kernel keeps the MR×NR tile of C in 8 vector registers and
//   streams one packed A panel (MR floats per p) and one B panel (NR per p).
import { MR, NR, packA, packB } from './pack';
import { madd } from './simd';

const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 2048;

/** Bytes of scratch the gemm needs (packed A block, packed B block, one edge tile). */
export function gemmWorkspaceBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4 + 64;
}

// acc_r += splat(A(r, p)) · B(p, 0..7) for r < 4; then C = acc (or C += acc).
// (4×8 measured faster than 6×8 under V8: twelve accumulators spill.)
// bs: bytes from one p to the next in B (NR·4 for a packed panel, the row stride for B read in place).
@inline function micro(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, add: bool, bs: usize = <usize>NR << 2): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 16; bp += bs;
  }
  if (add) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc)); c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc)); c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

/** Zero (or leave, when add) an m×n block of C: the k = 0 case. */
function clearC(c: usize, ldc: i32, m: i32, n: i32): void {
  for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>n << 2);
}

/**
 * C (+)= op(A)·op(B) for an m×k by k×n product given by strides; `add` keeps
 * what C holds. ws: gemmWorkspaceBytes() bytes of scratch, 16-byte aligned.
 */
export function gemm(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32,
  c: usize, ldc: i32, add: bool, ws: usize): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) { if (!add) clearC(c, ldc, m, n); return; }
  const pa = ws;
  const pb = pa + (<usize>(MC * KC) << 2);
  const tile = pb + (<usize>(KC * NC) << 2);
  const ldcb = <usize>ldc << 2;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const acc = add || pc > 0;
      packB(pb, b, brs, bcs, pc, kc, jc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(pa, a, ars, acs, ic, mc, pc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = pb + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const ap = pa + (<usize>(ir * kc) << 2);
            const cp = c + (<usize>((ic + ir) * ldc + jc + jr) << 2);
            if (mr == MR && nr == NR) {
              micro(kc, ap, bp, cp, ldcb, acc);
            } else {
              // edge tile: compute the full tile aside, then copy the valid part
              micro(kc, ap, bp, tile, <usize>NR << 2, false);
              for (let r = 0; r < mr; r++) {
                for (let q = 0; q < nr; q++) {
                  const dst = cp + <usize>r * ldcb + (<usize>q << 2);
                  const v = load<f32>(tile + (<usize>(r * NR + q) << 2));
                  store<f32>(dst, acc ? load<f32>(dst) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/**
 * C (+)= op(A)·B with B row-major (B(p, j) = b[p·ldb + j]) read in place, not
 * packed: for a small m (a convolution's output channels) packing B would cost
 * about as much as the products, and a B that fits in L2 (an im2col matrix)
 * streams well with its row stride. Only a ragged last panel (< NR columns)
 * is packed, zero-padded, into the workspace. Same ws as gemm; every C
 * element is summed in the same order as by gemm.
 */
export function gemmRowB(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32,
  c: usize, ldc: i32, add: bool, ws: usize): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) { if (!add) clearC(c, ldc, m, n); return; }
  const pa = ws;
  const edge = pa + (<usize>(MC * KC) << 2); // KC·NR floats, inside gemm's packed-B region
  const tile = edge + (<usize>(KC * NC) << 2);
  const ldcb = <usize>ldc << 2, ldbb = <usize>ldb << 2;
  const full = n - n % NR;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const acc = add || pc > 0;
    if (full < n) packB(edge, b, ldb, 1, pc, kc, full, n - full);
    for (let ic = 0; ic < m; ic += MC) {
      const mc = min(MC, m - ic);
      packA(pa, a, ars, acs, ic, mc, pc, kc);
      for (let jr = 0; jr < n; jr += NR) {
        const nr = min(NR, n - jr);
        const inPlace = nr == NR;
        const bp = inPlace ? b + (<usize>pc * ldbb) + (<usize>jr << 2) : edge;
        const bs = inPlace ? ldbb : <usize>NR << 2;
        for (let ir = 0; ir < mc; ir += MR) {
          const mr = min(MR, mc - ir);
          const ap = pa + (<usize>(ir * kc) << 2);
          const cp = c + (<usize>((ic + ir) * ldc + jr) << 2);
          if (mr == MR && nr == NR) {
            micro(kc, ap, bp, cp, ldcb, acc, bs);
          } else {
            micro(kc, ap, bp, tile, <usize>NR << 2, false, bs);
            for (let r = 0; r < mr; r++) {
              for (let q = 0; q < nr; q++) {
                const dst = cp + <usize>r * ldcb + (<usize>q << 2);
                const v = load<f32>(tile + (<usize>(r * NR + q) << 2));
                store<f32>(dst, acc ? load<f32>(dst) + v : v);
              }
            }
          }
        }
      }
    }
  }
}
