// Max pooling (no padding) with argmax, nearest upsampling, and their gradients.
// argmax holds, per output, the flat index of the max within its (n, c) plane.

@inline function f(p: usize, i: i32): usize { return p + (<usize>i << 2); }

export function maxPool2d(out: usize, argmax: usize, x: usize, n: i32, c: i32, h: i32, w: i32, k: i32, stride: i32,
  oh: i32, ow: i32): void {
  for (let plane = 0; plane < n * c; plane++) {
    const xb = f(x, plane * h * w), ob = plane * oh * ow;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
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
