// Entry point of the WASM (AssemblyScript, SIMD) backend.
//   Node:    loadWasm() reads wasm/build/*.wasm with node:fs and instantiates
//            synchronously (the registry calls it on first use).
//   Browser: `await lk.ready()` (ready.ts, which calls initWasm) fetches and
//            instantiates the module from setWasmPaths()'s location or the
//            package's own URL, then re-registers the backend.
// Node-only modules are reached through process.getBuiltinModule, never a
// static import, so this file also loads in a browser.
import type { BackendKernels } from '../contract.js';
import { registerBackend } from '../registry.js';
import { Arena } from './arena.js';
import { makeKernels } from './kernels.js';
import { hasWasmLocation, loadFromDisk, loadFromUrl, nodeProcess, type WasmExports } from './module.js';

let instance: WasmExports | null = null;
let table: BackendKernels | null = null;
let arena: Arena | null = null;

export const wasmHowToFix = 'In a browser (or any runtime without node:fs), serve the package\'s wasm/build/*.wasm files, call '
  + 'lk.setWasmPaths(\'/url/of/that/folder/\') and `await lk.ready()`; in this repository, build them with: npm run build:wasm.';

function kernelsOf(e: WasmExports): BackendKernels {
  if (!table || instance !== e) {
    instance = e;
    arena = new Arena(e.memory, e.heapBase());
    table = makeKernels(e, arena);
  }
  return table;
}

export function loadWasm(): BackendKernels {
  if (instance) return kernelsOf(instance);
  if (typeof WebAssembly === 'undefined') throw new Error('this runtime has no WebAssembly.');
  let e: WasmExports;
  try {
    e = loadFromDisk();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`the wasm kernels could not be loaded: ${msg}`);
  }
  return kernelsOf(e);
}

/**
 * Asynchronous initialisation for browsers (and any runtime without node:fs):
 * fetches latentkit.relaxed.wasm (if the runtime accepts relaxed SIMD) or
 * latentkit.wasm from `dir` (a URL of the wasm/build/ directory; default: the
 * location given to setWasmPaths(), else the package's own), then makes the
 * backend available. Returns the kernels.
 */
export async function initWasm(dir?: URL | string): Promise<BackendKernels> {
  if (!instance) {
    instance = nodeProcess()?.getBuiltinModule && dir === undefined && !hasWasmLocation() ? loadFromDisk() : await loadFromUrl(dir);
  }
  const k = kernelsOf(instance);
  registerBackend('wasm', 1, loadWasm, wasmHowToFix);
  return k;
}

/** What was loaded: whether the relaxed-SIMD (FMA) build runs, and the linear memory size. */
export function wasmInfo(): { loaded: boolean; relaxed: boolean; memoryBytes: number } {
  return { loaded: instance !== null, relaxed: instance ? instance.relaxed() === 1 : false, memoryBytes: arena?.size ?? 0 };
}
