// Loads the wasm backend in a cross-origin-isolated page, waits until its
// worker pool is up (a page cannot block for it), then runs a matmul and a
// conv2d on 2 threads and on 1 and reports whether they agree bit for bit;
// then the same matmul on resident arrays (in the shared memory, used in place).
import { initWasm, wasmInfo, setWasmThreads } from '../../../dist/backend/wasm/index.js';
import { longLivedArray, setBackend } from '../../../dist/backend/registry.js';
import { lcg } from '../page/demo.js';

const status = document.getElementById('status');
const result = document.getElementById('result');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  setWasmThreads(2);
  const k = await initWasm(new URL('../../../wasm/build/', import.meta.url));
  for (let i = 0; i < 200 && wasmInfo().threads < 2; i++) await sleep(50);
  const info = wasmInfo();
  const r = lcg(3);
  const m = 300, kk = 257, n = 301, a = r(m * kk), b = r(kk * n);
  const d = { n: 8, c: 4, h: 15, w: 13, o: 6, kh: 3, kw: 3, stride: 1, pad: 1, oh: 15, ow: 13 };
  const x = r(d.n * d.c * d.h * d.w), w = r(d.o * d.c * 9);
  const run = () => {
    const c = new Float32Array(m * n), y = new Float32Array(d.n * d.o * d.oh * d.ow);
    k.matmul(c, a, b, 1, m, kk, n, false, true);
    k.conv2d(y, x, w, d);
    return [c, y];
  };
  const big = 512, A = r(big * big), B = r(big * big), C = new Float32Array(big * big);
  const time = () => { k.matmul(C, A, B, 1, big, big, big, false, false); const t = performance.now(); k.matmul(C, A, B, 1, big, big, big, false, false); return performance.now() - t; };
  const [c2, y2] = run();
  const ms2 = time();
  setWasmThreads(1);
  const [c1, y1] = run();
  const ms1 = time();
  const same = (p, q) => p.length === q.length && p.every((v, i) => Object.is(v, q[i]));
  setBackend('wasm');
  const ra = longLivedArray(m * kk), rb = longLivedArray(kk * n), rc = longLivedArray(m * n);
  ra.set(a); rb.set(b);
  k.matmul(rc, ra, rb, 1, m, kk, n, false, true);
  const resident = { shared: rc.buffer instanceof SharedArrayBuffer, same: same(rc, c1), bytes: wasmInfo().residentBytes };
  const report = { isolated: globalThis.crossOriginIsolated === true, info, matmulSame: same(c1, c2), convSame: same(y1, y2),
    resident, matmul512: { oneMs: ms1, twoMs: ms2 }, check: c1[0] };
  result.textContent = JSON.stringify(report, null, 2);
  status.textContent = 'done';
  result.dataset.done = '1';
}

main().catch((err) => {
  status.textContent = 'failed';
  result.textContent = `ERROR: ${err && err.stack ? err.stack : err}`;
  result.dataset.done = 'error';
});
