// Entry point of the WASM (AssemblyScript, SIMD) backend. Filled in by the wasm backend work.
import type { BackendKernels } from '../contract.js';

export function loadWasm(): BackendKernels {
  throw new Error('the wasm module is not part of this build yet.');
}

export const wasmHowToFix = 'Build it with: npm run build:wasm (needs the assemblyscript devDependency).';
