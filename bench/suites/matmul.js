// Matrix products at 128/256/512/1024, plain and with each transpose flag; A·B at
// 2048; and one batched product [8,256,256]·[8,256,256]. NumPy (OpenBLAS sgemm,
// output allocated per call as lk.matmul does) and PyTorch CPU run the same
// products on the same data.
import { randomData } from '../engines.js';

export const name = 'matmul';

const VARIANTS = [
  { label: 'A·B', ta: false, tb: false },
  { label: 'Aᵀ·B', ta: true, tb: false },
  { label: 'A·Bᵀ', ta: false, tb: true },
];

// the operands of a case: [batch,] n x n (batch 0 = plain 2-D)
const operands = (n, batch) => {
  const shape = batch ? [batch, n, n] : [n, n], size = (batch || 1) * n * n;
  return { a: { data: randomData(size, 1), shape }, b: { data: randomData(size, 2), shape } };
};

function peers(n, batch, op) {
  return {
    // paired: where a ratio target compares lk-native with NumPy, the two are timed in alternating rounds (bench/paired.js)
    numpy: { arrays: () => operands(n, batch), setup: 'A, B = data["a"], data["b"]', run: `C = ${op}`, paired: true },
    torch: { arrays: () => operands(n, batch), setup: 'import torch\nA, B = torch.from_numpy(data["a"]), torch.from_numpy(data["b"])', run: `C = ${op}` },
  };
}

function make(n, batch, v) {
  return (ctx, engine) => {
    const { a, b } = operands(n, batch);
    if (engine.kind === 'lk') {
      const { lk } = ctx;
      const A = lk.tensor(a.data, a.shape), B = lk.tensor(b.data, b.shape);
      return () => lk.noGrad(() => lk.matmul(A, B, { transposeA: v.ta, transposeB: v.tb }));
    }
    const { tf } = ctx;
    const A = tf.tensor(a.data, a.shape), B = tf.tensor(b.data, b.shape);
    return () => tf.tidy(() => tf.matMul(A, B, v.ta, v.tb)).dispose();
  };
}

// issue 13's ratio targets (bench/report.js): NumPy's time / lk-native's ≥ 0.9, tfjs-wasm's / lk-wasm's ≥ 1.5
const VS_NUMPY = { ours: 'lk-native', peer: 'numpy', min: 0.9 };
const VS_TFJS_WASM = { ours: 'lk-wasm', peer: 'tfjs-wasm', min: 1.5 };
function ratios(n, v) {
  const out = [];
  if ((v.label === 'A·B' && [256, 1024, 2048].includes(n)) || n === 1024) out.push(VS_NUMPY);
  if (v.label === 'A·B' && (n === 256 || n === 512)) out.push(VS_TFJS_WASM);
  return out.length ? out : undefined;
}

export function cases() {
  const out = [];
  for (const n of [128, 256, 512, 1024]) {
    for (const v of VARIANTS) {
      out.push({
        id: `matmul ${n} ${v.label}`,
        peers: peers(n, 0, `${v.ta ? 'A.T' : 'A'} @ ${v.tb ? 'B.T' : 'B'}`),
        flops: 2 * n * n * n,
        target: n === 1024 ? { gflops: 150 } : undefined,
        ratios: ratios(n, v),
        // the float64 reference loop takes seconds at these sizes
        skip: n >= 512 ? { 'lk-js': 'reference backend, too slow at this size' } : undefined,
        make: make(n, 0, v),
      });
    }
  }
  const n = 2048;
  out.push({
    id: `matmul ${n} A·B`,
    peers: peers(n, 0, 'A @ B'),
    flops: 2 * n * n * n,
    ratios: ratios(n, VARIANTS[0]),
    skip: {
      'lk-js': 'reference backend: minutes at 2048',
      'tfjs-cpu': 'plain-JS kernels: tens of seconds per product at 2048',
    },
    make: make(n, 0, VARIANTS[0]),
  });
  const batch = 8, m = 256;
  out.push({
    id: `matmul batched [${batch},${m},${m}]·[${batch},${m},${m}]`,
    peers: peers(m, batch, 'A @ B'),
    flops: 2 * batch * m * m * m,
    make: make(m, batch, VARIANTS[0]),
  });
  return out;
}
