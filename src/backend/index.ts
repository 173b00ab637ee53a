// Registers the optional backends with the registry (js is always there).
import { registerBackend } from './registry.js';
import { loadNative, nativeHowToFix } from './native/index.js';
import { loadWasm, wasmHowToFix, setWasmThreads, getWasmThreads } from './wasm/index.js';
import { loadAddon } from './native/addon.js';

registerBackend('native', 2, loadNative, nativeHowToFix);
registerBackend('wasm', 1, loadWasm, wasmHowToFix);

export { backends, setBackend, getBackend, backendError, kernels, kernelSource } from './registry.js';
export type { BackendName, Kernels } from './contract.js';

/**
 * Set how many threads the heavy kernels use (the calling thread included):
 * the wasm backend's worker pool (its large matmul and conv2d calls are split
 * across worker_threads in Node, Web Workers in a cross-origin-isolated page;
 * one thread where shared memory is absent) and the native addon's pool.
 * Returns the count in effect (at most 16 for wasm). The default is the cores
 * this process may use, at most 8; 1 keeps every wasm call on the calling
 * thread. Only calls of a few million flops or more are split. The
 * environment variable LATENTKIT_WASM_THREADS=0 loads the one-thread wasm
 * build instead (no shared memory, no workers).
 * @example lk.setThreads(1); // one thread, e.g. to time the kernels alone
 */
export function setThreads(n: number): number {
  const got = setWasmThreads(n);
  let addon: { setThreads(n: number): number } | undefined;
  try { addon = loadAddon(); } catch { addon = undefined; } // no native backend here: only wasm
  addon?.setThreads(n);
  return got;
}

/** The thread count set by {@link setThreads} (default: the cores this process may use, at most 8). */
export function getThreads(): number {
  return getWasmThreads();
}
