// Loads the wasm backend from the package's dist/ and wasm/build/ (served next
// to this page), runs the demo on it and writes the result into the page.
import { initWasm, wasmInfo } from '../../../dist/backend/wasm/index.js';
import { runDemo } from './demo.js';

const status = document.getElementById('status');
const result = document.getElementById('result');

async function main() {
  const kernels = await initWasm(new URL('../../../wasm/build/', import.meta.url));
  const t0 = performance.now();
  const out = runDemo(kernels);
  const ms = performance.now() - t0;
  // a 512×512 matmul for a speed reading
  const n = 512, a = new Float32Array(n * n).fill(0.5), b = new Float32Array(n * n).fill(0.25), c = new Float32Array(n * n);
  kernels.matmul(c, a, b, 1, n, n, n, false, false);
  const t1 = performance.now();
  kernels.matmul(c, a, b, 1, n, n, n, false, false);
  const mmMs = performance.now() - t1;
  const report = { ...out, info: wasmInfo(), demoMs: ms, matmul512Ms: mmMs, matmul512GFlops: (2 * n ** 3) / mmMs / 1e6, check512: c[0] };
  result.textContent = JSON.stringify(report, null, 2);
  status.textContent = `done (relaxed SIMD: ${report.info.relaxed}, 512² matmul ${report.matmul512GFlops.toFixed(1)} GFLOP/s)`;
  result.dataset.done = '1';
}

main().catch((err) => {
  status.textContent = 'failed';
  result.textContent = `ERROR: ${err && err.stack ? err.stack : err}`;
  result.dataset.done = 'error';
});
