// Small SIMD helpers shared by the kernels.
// madd(a, b, c) = a·b + c: one fused multiply-add when the module is built with
// relaxed SIMD (then V8 emits vfmadd on FMA hardware), else a multiply and an add.

@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}
