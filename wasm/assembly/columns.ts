// Column gather / scatter of a row-major matrix (src/backend/kernels.columns.spec.mjs):
//   takeColumns:    out[r, j] = x[r, idx[j]]               out [n, m], x [n, d]
//   scatterColumns: out[r, idx[j]] (+)= alpha · g[r, j]    out [n, d], g [n, m]
// Every idx[j] is in [0, d) (checked by the TS guards before the call). An idx
// that is s, s + 1, … copies whole row ranges; s, s + 2, … (NICE's even / odd
// halves) gathers / scatters four columns per step with two vectors.

@inline function f(p: usize, i: i32): usize { return p + (<usize>i << 2); }

// The stride of idx when it is s, s + step, s + 2 step, … with step >= 1, else 0.
function progression(idx: usize, m: i32): i32 {
  if (m < 2) return 1;
  const step = load<i32>(f(idx, 1)) - load<i32>(idx);
  if (step < 1) return 0;
  for (let j = 2; j < m; j++) if (load<i32>(f(idx, j)) - load<i32>(f(idx, j - 1)) != step) return 0;
  return step;
}

export function takeColumns(out: usize, x: usize, idx: usize, n: i32, d: i32, m: i32): void {
  if (m == 0) return;
  const step = progression(idx, m), s = load<i32>(idx);
  for (let r = 0; r < n; r++) {
    const src = f(x, r * d), dst = f(out, r * m);
    if (step == 1) { memory.copy(dst, f(src, s), <usize>m << 2); continue; }
    let j = 0;
    if (step == 2) {
      // columns s + 2j … s + 2j + 6 from the 8 floats at s + 2j (all inside the row: s + 2j + 8 <= d)
      for (; j + 4 <= m && s + 2 * j + 8 <= d; j += 4) {
        const p = f(src, s + 2 * j);
        v128.store(f(dst, j), i32x4.shuffle(v128.load(p), v128.load(p, 16), 0, 2, 4, 6));
      }
    }
    for (; j < m; j++) store<f32>(f(dst, j), load<f32>(f(src, load<i32>(f(idx, j)))));
  }
}

// Two g values into lanes 0 and 2 of the 4 output columns s + 2j, s + 2j + 1, s + 2j + 2, s + 2j + 3;
// lanes 1 and 3 (columns not in idx) keep their bits.
@inline function mergeEven(o: v128, v: v128, accumulate: bool): v128 {
  return v128.bitselect(accumulate ? f32x4.add(o, v) : v, o, i32x4(-1, 0, -1, 0));
}

export function scatterColumns(out: usize, g: usize, idx: usize, n: i32, d: i32, m: i32, accumulate: bool, alpha: f32): void {
  if (m == 0) return;
  const step = progression(idx, m), s = load<i32>(idx), a4 = f32x4.splat(alpha);
  for (let r = 0; r < n; r++) {
    const dst = f(out, r * d), src = f(g, r * m);
    let j = 0;
    if (step == 2) {
      // four columns s + 2j … s + 2j + 6 in the 8 floats at s + 2j (all inside the row: s + 2j + 8 <= d)
      for (; j + 4 <= m && s + 2 * j + 8 <= d; j += 4) {
        const p = f(dst, s + 2 * j), v = f32x4.mul(v128.load(f(src, j)), a4);
        v128.store(p, mergeEven(v128.load(p), i32x4.shuffle(v, v, 0, 0, 1, 1), accumulate));
        v128.store(p, mergeEven(v128.load(p, 16), i32x4.shuffle(v, v, 2, 2, 3, 3), accumulate), 16);
      }
    }
    // in j order, so a repeated column sums (accumulate) or keeps its last j (store)
    if (accumulate) {
      for (; j < m; j++) {
        const p = f(dst, load<i32>(f(idx, j)));
        store<f32>(p, load<f32>(p) + alpha * load<f32>(f(src, j)));
      }
    } else {
      for (; j < m; j++) store<f32>(f(dst, load<i32>(f(idx, j))), alpha * load<f32>(f(src, j)));
    }
  }
}
