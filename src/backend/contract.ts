// The kernel contract. The kernels themselves (names, arguments, op codes,
// dims structs) are declared once in kernels.spec.mjs and generated into
// contract.gen.ts, the native header and binding, and the wasm op codes;
// this file re-exports them and adds what is not per-kernel.
//
// All tensors are float32, row-major and contiguous. The caller owns every
// buffer (inputs and outputs); a kernel never allocates the memory it writes.
// Each backend (js, wasm, native) implements the kernels in a file of the
// same family; a backend may omit a kernel, and the registry then uses the js one.
export * from './contract.gen.js';
import type { Kernels } from './contract.gen.js';

/** A kernel backend: the C++ addon, AssemblyScript WASM, or the TypeScript reference. */
export type BackendName = 'native' | 'wasm' | 'js';

/** What a backend module provides: any subset of the kernels. */
export type BackendKernels = Partial<Kernels>;

export function convOutSize(size: number, k: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - k) / stride) + 1;
}
