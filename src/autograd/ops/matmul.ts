// Matrix products: 2-D and batched 3-D, with transpose flags that the kernels
// handle without materialising the transpose.
import { Tensor, allocData, fmtShape, gradBuffer } from '../tensor.js';
import { record } from '../engine.js';
import { kernels } from '../../backend/registry.js';
import { broadcastTo, reshape } from './shape.js';

/** matmul options: multiply by the transpose of a and/or b without forming it. */
export interface MatmulOptions { transposeA?: boolean; transposeB?: boolean }

/** a and b both 2-D, or both 3-D with the same batch; `gradOf`: the leaf whose gradient this product is (its buffer may be reused). */
function mm(a: Tensor, b: Tensor, ta: boolean, tb: boolean, gradOf?: Tensor): Tensor {
  const batched = a.ndim === 3;
  const batch = batched ? a.shape[0] : 1;
  const [ar, ac] = a.shape.slice(-2), [br, bc] = b.shape.slice(-2);
  const m = ta ? ac : ar, k = ta ? ar : ac;
  const k2 = tb ? bc : br, n = tb ? br : bc;
  if (k !== k2) {
    throw new Error(`matmul: shapes ${fmtShape(a.shape)}${ta ? 'ᵀ' : ''} and ${fmtShape(b.shape)}${tb ? 'ᵀ' : ''} do not align (${k} != ${k2})`);
  }
  // every element is written by the product when k > 0 (no zero fill needed)
  const out = gradOf !== undefined && k > 0 && gradOf.size === batch * m * n ? gradBuffer(gradOf, 'matmul') : allocData(batch * m * n, 'matmul', k > 0);
  kernels().matmul(out, a.data, b.data, batch, m, k, n, ta, tb);
  const y = new Tensor(out, batched ? [batch, m, n] : [m, n]);
  // C = op(A) op(B); the vector-Jacobian products, in stored layouts:
  return record(y, 'matmul', [a, b], (g) => {
    let da: Tensor | null = null, db: Tensor | null = null;
    if (a.requiresGrad) {
      if (!ta) da = mm(g, b, false, !tb, a); // G op(B)ᵀ
      else da = mm(b, g, tb, true, a); // (G op(B)ᵀ)ᵀ = op(B) Gᵀ
    }
    if (b.requiresGrad) {
      if (!tb) db = mm(a, g, !ta, false, b); // op(A)ᵀ G
      else db = mm(g, a, true, ta, b); // (op(A)ᵀ G)ᵀ = Gᵀ op(A)
    }
    return [da, db];
  });
}

/**
 * Matrix product of 2-D or batched 3-D tensors (a 2-D operand is shared
 * across the batch). `transposeA`/`transposeB` use the transposed matrices.
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new Error('matmul: both operands must be Tensors');
  const ta = !!opts.transposeA, tb = !!opts.transposeB;
  if (a.ndim < 2 || a.ndim > 3 || b.ndim < 2 || b.ndim > 3) {
    throw new Error(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}: operands must be 2-D or 3-D (reshape vectors to [1,n] or [n,1])`);
  }
  if (a.ndim === 2 && b.ndim === 2) return mm(a, b, ta, tb);
  if (a.ndim === 3 && b.ndim === 2 && !ta) {
    // [B, M, K] x [K, N]: one big product over the folded batch
    const [B, M] = a.shape;
    const y = mm(reshape(a, [B * M, a.shape[2]]), b, false, tb);
    return reshape(y, [B, M, y.shape[1]]);
  }
  const B = a.ndim === 3 ? a.shape[0] : b.shape[0];
  if (a.ndim === 3 && b.ndim === 3 && a.shape[0] !== b.shape[0] && a.shape[0] !== 1 && b.shape[0] !== 1) {
    throw new Error(`matmul: batch sizes of ${fmtShape(a.shape)} and ${fmtShape(b.shape)} differ (${a.shape[0]} != ${b.shape[0]})`);
  }
  const nb = Math.max(a.ndim === 3 ? a.shape[0] : 1, b.ndim === 3 ? b.shape[0] : 1, B);
  const a3 = a.ndim === 3 && a.shape[0] === nb ? a : broadcastTo(reshape(a, [1, ...a.shape.slice(-2)]), [nb, ...a.shape.slice(-2)]);
  const b3 = b.ndim === 3 && b.shape[0] === nb ? b : broadcastTo(reshape(b, [1, ...b.shape.slice(-2)]), [nb, ...b.shape.slice(-2)]);
  return mm(a3, b3, ta, tb);
}
