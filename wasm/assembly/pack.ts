// Packing for the GEMM: copies a block of A (or B) into the contiguous panel
// layout the micro-kernel streams through. Operands are described by strides,
//   A(i, p) = a[i·ars + p·acs],   B(p, j) = b[p·brs + j·bcs]   (in floats),
// so a transposed operand only swaps its two strides: transposition is absorbed
// here, at O(mk + kn) cost, and the O(mnk) micro-kernel never sees it.
//
// Packed A: panels of MR rows; panel r holds, for p = 0..kc−1, the MR values
//   A(i0 + r·MR + 0..MR−1, p0 + p) contiguously (zero-padded past m).
// Packed B: panels of NR columns; for p = 0..kc−1, the NR values
//   B(p0 + p, j0 + 0..NR−1) contiguously (zero-padded past n).

export const MR: i32 = 4;
export const NR: i32 = 8;

// 4x4 transpose of rows r0..r3 (four f32x4) written as four consecutive columns.
@inline function storeTransposed4(dst: usize, stride: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5); // r0[0] r1[0] r0[1] r1[1]
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i64x2.shuffle(t0, t1, 0, 2));
  v128.store(dst + stride, i64x2.shuffle(t0, t1, 1, 3));
  v128.store(dst + 2 * stride, i64x2.shuffle(t2, t3, 0, 2));
  v128.store(dst + 3 * stride, i64x2.shuffle(t2, t3, 1, 3));
}

/** Pack rows i0..i0+mc−1, columns p0..p0+kc−1 of A into MR-row panels at dst. */
export function packA(dst: usize, a: usize, ars: i32, acs: i32, i0: i32, mc: i32, p0: i32, kc: i32): void {
  for (let r = 0; r < mc; r += MR) {
    const rows = min(MR, mc - r);
    const src = a + (<usize>((i0 + r) * ars + p0 * acs) << 2);
    if (rows == MR && ars == 1) {
      // the MR values of one p are contiguous: one vector load each
      for (let p = 0; p < kc; p++) v128.store(dst + (<usize>(p * MR) << 2), v128.load(src + (<usize>(p * acs) << 2)));
    } else if (rows == MR && acs == 1) {
      // rows are contiguous along p: transpose 4x4 blocks
      const rs = <usize>ars << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const s = src + (<usize>p << 2);
        storeTransposed4(dst + (<usize>(p * MR) << 2), <usize>MR << 2,
          v128.load(s), v128.load(s + rs), v128.load(s + 2 * rs), v128.load(s + 3 * rs));
      }
      for (; p < kc; p++) {
        for (let q = 0; q < MR; q++) store<f32>(dst + (<usize>(p * MR + q) << 2), load<f32>(src + (<usize>p << 2) + <usize>q * rs));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let q = 0; q < MR; q++) {
          const v: f32 = q < rows ? load<f32>(src + (<usize>(q * ars + p * acs) << 2)) : 0;
          store<f32>(dst + (<usize>(p * MR + q) << 2), v);
        }
      }
    }
    dst += <usize>(kc * MR) << 2;
  }
}

/** Pack rows p0..p0+kc−1, columns j0..j0+nc−1 of B into NR-column panels at dst. */
export function packB(dst: usize, b: usize, brs: i32, bcs: i32, p0: i32, kc: i32, j0: i32, nc: i32): void {
  for (let c = 0; c < nc; c += NR) {
    const cols = min(NR, nc - c);
    const src = b + (<usize>(p0 * brs + (j0 + c) * bcs) << 2);
    if (cols == NR && bcs == 1) {
      const rs = <usize>brs << 2;
      let s = src, d = dst;
      for (let p = 0; p < kc; p++) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        s += rs; d += <usize>NR << 2;
      }
    } else if (cols == NR && brs == 1) {
      // columns are contiguous along p (B stored transposed): 4x4 transposes
      const cs = <usize>bcs << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const s = src + (<usize>p << 2);
        const d = dst + (<usize>(p * NR) << 2);
        storeTransposed4(d, <usize>NR << 2, v128.load(s), v128.load(s + cs), v128.load(s + 2 * cs), v128.load(s + 3 * cs));
        const s4 = s + 4 * cs;
        storeTransposed4(d + 16, <usize>NR << 2, v128.load(s4), v128.load(s4 + cs), v128.load(s4 + 2 * cs), v128.load(s4 + 3 * cs));
      }
      for (; p < kc; p++) {
        for (let q = 0; q < NR; q++) store<f32>(dst + (<usize>(p * NR + q) << 2), load<f32>(src + (<usize>p << 2) + <usize>q * cs));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let q = 0; q < NR; q++) {
          const v: f32 = q < cols ? load<f32>(src + (<usize>(p * brs + q * bcs) << 2)) : 0;
          store<f32>(dst + (<usize>(p * NR + q) << 2), v);
        }
      }
    }
    dst += <usize>(kc * NR) << 2;
  }
}
