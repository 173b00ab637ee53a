// Batched matmul with transpose flags, the contract's argument order:
//   out[t] = op(a[t]) · op(b[t]),  a [m,k] (or [k,m] when transA), b [k,n] (or [n,k] when transB).
// A transpose flag only swaps the operand's strides; packing absorbs it.
import { gemm } from './gemm';

export function matmul(out: usize, a: usize, b: usize, batch: i32, m: i32, k: i32, n: i32,
  transA: bool, transB: bool, ws: usize): void {
  const ars = transA ? 1 : k, acs = transA ? m : 1;
  const brs = transB ? 1 : n, bcs = transB ? k : 1;
  for (let t = 0; t < batch; t++) {
    gemm(m, n, k, a + (<usize>(t * m * k) << 2), ars, acs, b + (<usize>(t * k * n) << 2), brs, bcs,
      out + (<usize>(t * m * n) << 2), n, false, ws);
  }
}
