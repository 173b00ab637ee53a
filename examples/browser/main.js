// The page's script: say where the .wasm files are (when the bundler did not
// place them: esbuild), wait for the kernels, run the demo, show the result.
import * as lk from 'latentkit';
import { runDemo } from './demo.js';

const status = document.getElementById('status');
const result = document.getElementById('result');

async function main() {
  const wasm = document.querySelector('meta[name="latentkit-wasm"]')?.content;
  if (wasm) lk.setWasmPaths(new URL(wasm, document.baseURI).href);
  const backend = await lk.ready();
  status.textContent = `backend: ${backend}`;
  const out = await runDemo((text) => { status.textContent = `backend ${backend}: ${text}`; });
  // file-path I/O is Node-only: in a page it says so (and what to use instead)
  try { lk.data.readIdx('train-images-idx3-ubyte'); out.readIdx = 'no error'; } catch (e) { out.readIdx = e.message; }
  result.textContent = JSON.stringify(out, null, 2);
  status.textContent = `done on ${backend}`;
  result.dataset.done = '1';
}

main().catch((err) => {
  status.textContent = 'failed';
  result.textContent = `ERROR: ${err && err.stack ? err.stack : err}`;
  result.dataset.done = 'error';
});
