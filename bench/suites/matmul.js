// Matrix products at 128/256/512/1024, plain and with each transpose flag.
import { randomData } from '../engines.js';

export const name = 'matmul';

const VARIANTS = [
  { label: 'A·B', ta: false, tb: false },
  { label: 'Aᵀ·B', ta: true, tb: false },
  { label: 'A·Bᵀ', ta: false, tb: true },
];

export function cases() {
  const out = [];
  for (const n of [128, 256, 512, 1024]) {
    for (const v of VARIANTS) {
      const op = `${v.ta ? 'A.T' : 'A'} @ ${v.tb ? 'B.T' : 'B'}`;
      out.push({
        id: `matmul ${n} ${v.label}`,
        // NumPy (OpenBLAS sgemm, output allocated per call as lk.matmul does) and PyTorch CPU
        peers: {
          numpy: { arrays: () => ({ a: { data: randomData(n * n, 1), shape: [n, n] }, b: { data: randomData(n * n, 2), shape: [n, n] } }),
            setup: 'A, B = data["a"], data["b"]', run: `C = ${op}` },
          torch: { arrays: () => ({ a: { data: randomData(n * n, 1), shape: [n, n] }, b: { data: randomData(n * n, 2), shape: [n, n] } }),
            setup: 'import torch\nA, B = torch.from_numpy(data["a"]), torch.from_numpy(data["b"])', run: `C = ${op}` },
        },
        flops: 2 * n * n * n,
        target: n === 1024 ? { gflops: 150 } : undefined,
        // the float64 reference loop takes seconds at these sizes
        skip: n >= 512 ? { 'lk-js': 'reference backend, too slow at this size' } : undefined,
        make: (ctx, engine) => {
          const a = randomData(n * n, 1), b = randomData(n * n, 2);
          if (engine.kind === 'lk') {
            const { lk } = ctx;
            const A = lk.tensor(a, [n, n]), B = lk.tensor(b, [n, n]);
            return () => lk.noGrad(() => lk.matmul(A, B, { transposeA: v.ta, transposeB: v.tb }));
          }
          const { tf } = ctx;
          const A = tf.tensor2d(a, [n, n]), B = tf.tensor2d(b, [n, n]);
          return () => tf.tidy(() => tf.matMul(A, B, v.ta, v.tb)).dispose();
        },
      });
    }
  }
  return out;
}
