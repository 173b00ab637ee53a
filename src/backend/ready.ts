// lk.ready() and lk.setWasmPaths(): loading the kernels asynchronously, as a
// page must (fetch + WebAssembly.instantiate), the way tfjs's setWasmPaths()
// and tf.ready() do. In Node both are optional: the wasm module is read
// synchronously on first use.
import type { BackendName } from './contract.js';
import { getBackend, registerBackend, useBestUnlessChosen } from './registry.js';
import { initWasm, wasmHowToFix } from './wasm/index.js';
import { setWasmLocation } from './wasm/module.js';

/** Where the .wasm files are: a URL prefix (a folder, ending in '/'), or one URL per file. */
export type WasmPaths = string | URL | { 'latentkit.wasm'?: string | URL; 'latentkit.relaxed.wasm'?: string | URL };

/**
 * Say where the wasm kernels (`latentkit.wasm`, `latentkit.relaxed.wasm`, from
 * the package's `wasm/build/` folder) are served, for bundlers that do not copy
 * them (esbuild); call before {@link ready}. A string prefix is resolved
 * against the page's URL and gets the file name appended, so end a folder with '/'.
 * @example lk.setWasmPaths('/assets/latentkit/'); await lk.ready();
 */
export function setWasmPaths(paths: WasmPaths): void {
  setWasmLocation(paths);
}

/**
 * Resolves once the default backend is loaded, with its name: in a browser
 * after the wasm module is fetched and compiled (from {@link setWasmPaths}'s
 * location, else next to the package's own code); in Node at once. If the
 * wasm module cannot be fetched the promise still resolves (with 'js', the
 * reference kernels) and backendError('wasm') / setBackend('wasm') say why.
 * A backend chosen with setBackend() or LATENTKIT_BACKEND is kept.
 */
export async function ready(): Promise<BackendName> {
  try {
    await initWasm();
  } catch (e) {
    const why = `the wasm kernels could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
    registerBackend('wasm', 1, () => { throw new Error(why); }, wasmHowToFix);
  }
  useBestUnlessChosen();
  return getBackend();
}
