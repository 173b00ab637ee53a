// Max pooling (no padding) with argmax, nearest upsampling, and their gradients.
// argmax holds, per output, the flat index of the max within its (n, c) plane.

@inline function f(p: usize, i: i32): usize { return p + (<usize>i << 2); }

// One candidate of a 2x2 window for four outputs at once, in the scalar loop's
// order: taken when larger, or NaN, unless a NaN was already taken (it wins).
@inline function better(best: v128, v: v128): v128 {
  return v128.and(v128.or(f32x4.gt(v, best), f32x4.ne(v, v)), f32x4.eq(best, best));
}

// 2x2 windows, stride 2: four outputs of row i per step from two rows of x,
// split into even and odd columns (the window's q = 0 and q = 1 taps).
// Returns the first output column left to the scalar loop.
function maxPool2x2Row(out: usize, argmax: usize, xb: usize, w: i32, i: i32, ow: i32): i32 {
  const r0 = 2 * i * w, r1 = r0 + w;
  let j = 0;
  for (; j + 4 <= ow && 2 * j + 8 <= w; j += 4) {
    const a0 = v128.load(f(xb, r0 + 2 * j)), a1 = v128.load(f(xb, r0 + 2 * j + 4));
    const b0 = v128.load(f(xb, r1 + 2 * j)), b1 = v128.load(f(xb, r1 + 2 * j + 4));
    const c00 = i32x4.shuffle(a0, a1, 0, 2, 4, 6), c01 = i32x4.shuffle(a0, a1, 1, 3, 5, 7);
    const c10 = i32x4.shuffle(b0, b1, 0, 2, 4, 6), c11 = i32x4.shuffle(b0, b1, 1, 3, 5, 7);
    const i00 = i32x4.add(i32x4.splat(r0 + 2 * j), i32x4(0, 2, 4, 6));
    let best = c00, at = i00, t = better(best, c01);
    best = v128.bitselect(c01, best, t); at = v128.bitselect(i32x4.add(i00, i32x4.splat(1)), at, t);
    t = better(best, c10);
    best = v128.bitselect(c10, best, t); at = v128.bitselect(i32x4.add(i00, i32x4.splat(w)), at, t);
    t = better(best, c11);
    best = v128.bitselect(c11, best, t); at = v128.bitselect(i32x4.add(i00, i32x4.splat(w + 1)), at, t);
    v128.store(f(out, i * ow + j), best);
    v128.store(f(argmax, i * ow + j), at);
  }
  return j;
}

export function maxPool2d(out: usize, argmax: usize, x: usize, n: i32, c: i32, h: i32, w: i32, k: i32, stride: i32,
  oh: i32, ow: i32): void {
  for (let plane = 0; plane < n * c; plane++) {
    const xb = f(x, plane * h * w), ob = plane * oh * ow;
    for (let i = 0; i < oh; i++) {
      const j0 = k == 2 && stride == 2 ? maxPool2x2Row(f(out, ob), f(argmax, ob), xb, w, i, ow) : 0;
      for (let j = j0; j < ow; j++) {
        let at = i * stride * w + j * stride;
        let best: f32 = -Infinity;
        for (let p = 0; p < k; p++) {
          const row = (i * stride + p) * w + j * stride;
          let q = 0;
          for (; q < k; q++) {
            const v = load<f32>(f(xb, row + q));
            if (v > best || v != v) { best = v; at = row + q; if (v != v) break; }
          }
          if (q < k) break; // a NaN wins the window, as in the reference
        }
        store<f32>(f(out, ob + i * ow + j), load<f32>(f(xb, at)));
        store<i32>(f(argmax, ob + i * ow + j), at);
      }
    }
  }
}

export function maxPool2dBackward(dx: usize, dy: usize, argmax: usize, n: i32, c: i32, h: i32, w: i32, k: i32,
  stride: i32, oh: i32, ow: i32): void {
  memory.fill(dx, 0, <usize>(n * c * h * w) << 2);
  for (let plane = 0; plane < n * c; plane++) {
    const xb = plane * h * w, ob = plane * oh * ow;
    for (let t = 0; t < oh * ow; t++) {
      const p = f(dx, xb + load<i32>(f(argmax, ob + t)));
      store<f32>(p, load<f32>(p) + load<f32>(f(dy, ob + t)));
    }
  }
}

// out[i, j] = x[⌊i/s⌋, ⌊j/s⌋]: build one widened row, then copy it s times.
export function upsample2d(out: usize, x: usize, n: i32, c: i32, h: i32, w: i32, s: i32): void {
  const W = w * s;
  for (let r = 0; r < n * c * h; r++) {
    const src = f(x, r * w), dst = f(out, r * s * W);
    let j = 0;
    if (s == 2) {
      for (; j + 4 <= w; j += 4) {
        const v = v128.load(f(src, j));
        v128.store(f(dst, 2 * j), i32x4.shuffle(v, v, 0, 0, 1, 1));
        v128.store(f(dst, 2 * j + 4), i32x4.shuffle(v, v, 2, 2, 3, 3));
      }
    }
    for (; j < w; j++) {
      const v = load<f32>(f(src, j));
      for (let q = 0; q < s; q++) store<f32>(f(dst, j * s + q), v);
    }
    for (let p = 1; p < s; p++) memory.copy(f(dst, p * W), dst, <usize>W << 2);
  }
}

// dx[i, j] = Σ_{p,q < s} dy[i·s + p, j·s + q]
export function upsample2dBackward(dx: usize, dy: usize, n: i32, c: i32, h: i32, w: i32, s: i32): void {
  const W = w * s;
  for (let r = 0; r < n * c * h; r++) {
    const dst = f(dx, r * w), src = f(dy, r * s * W);
    for (let j = 0; j < w; j++) {
      let acc: f32 = 0;
      for (let p = 0; p < s; p++) for (let q = 0; q < s; q++) acc += load<f32>(f(src, p * W + j * s + q));
      store<f32>(f(dst, j), acc);
    }
  }
}
