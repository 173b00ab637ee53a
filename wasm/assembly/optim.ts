// One Adam step in place on f32x4 (contract: src/backend/kernels.spec.mjs), the native kernel's float32 math:
//   g' = g + wd·p,  m ← β1 m + (1 − β1) g',  v ← β2 v + (1 − β2) g'²,
//   p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
// (the bias corrections folded into two scalars computed once, in float64).

@inline function adamLane(p: v128, m: v128, v: v128, g: v128, lrc1: v128, isc2: v128, b1: v128, b2: v128,
  ob1: v128, ob2: v128, eps: v128, wd: v128, mo: usize, vo: usize, po: usize): void {
  const gj = f32x4.add(g, f32x4.mul(wd, p));
  const mj = f32x4.add(f32x4.mul(b1, m), f32x4.mul(ob1, gj));
  const vj = f32x4.add(f32x4.mul(b2, v), f32x4.mul(f32x4.mul(ob2, gj), gj));
  v128.store(mo, mj);
  v128.store(vo, vj);
  const den = f32x4.add(f32x4.mul(f32x4.sqrt(vj), isc2), eps);
  v128.store(po, f32x4.sub(p, f32x4.div(f32x4.mul(lrc1, mj), den)));
}

export function adam(p: usize, m: usize, v: usize, g: usize, len: i32, lr: f32, beta1: f32, beta2: f32, eps: f32,
  step: f64, wd: f32): void {
  const lrc1 = f32x4.splat(<f32>(<f64>lr / (1.0 - Math.pow(<f64>beta1, step))));
  const isc2 = f32x4.splat(<f32>(1.0 / Math.sqrt(1.0 - Math.pow(<f64>beta2, step))));
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2);
  const ob1 = f32x4.splat(<f32>1 - beta1), ob2 = f32x4.splat(<f32>1 - beta2);
  const ve = f32x4.splat(eps), vwd = f32x4.splat(wd);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 2;
    adamLane(v128.load(p + o), v128.load(m + o), v128.load(v + o), v128.load(g + o), lrc1, isc2, b1, b2, ob1, ob2, ve, vwd,
      m + o, v + o, p + o);
  }
  // the tail one element at a time (same math)
  for (; i < len; i++) {
    const o = <usize>i << 2;
    const gj = load<f32>(g + o) + wd * load<f32>(p + o);
    const mj = beta1 * load<f32>(m + o) + (<f32>1 - beta1) * gj;
    const vj = beta2 * load<f32>(v + o) + (<f32>1 - beta2) * gj * gj;
    store<f32>(m + o, mj);
    store<f32>(v + o, vj);
    store<f32>(p + o, load<f32>(p + o) - f32x4.extract_lane(lrc1, 0) * mj / (Mathf.sqrt(vj) * f32x4.extract_lane(isc2, 0) + eps));
  }
}
