// Registers the optional backends with the registry (js is always there).
import { registerBackend } from './registry.js';
import { loadNative, nativeHowToFix } from './native/index.js';
import { loadWasm, wasmHowToFix } from './wasm/index.js';

registerBackend('native', 2, loadNative, nativeHowToFix);
registerBackend('wasm', 1, loadWasm, wasmHowToFix);

export { backends, setBackend, getBackend, backendError, kernels, kernelSource } from './registry.js';
export type { BackendName, Kernels } from './contract.js';
