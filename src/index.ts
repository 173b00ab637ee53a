/**
 * latentkit: a from-scratch Float32 autograd engine with native (C++) and
 * WASM (SIMD) kernels, and the classical and neural latent-variable models
 * built on it. This module is the whole public API; it loads in Node (ESM and
 * `require`) and in a browser bundle, where the native backend and file-path
 * I/O are absent. See README.md and the API reference in docs/api.
 * @module latentkit
 */

export { Tensor, type Shape } from './autograd/tensor.js';
export {
  tensor, variable, zeros, ones, full, zerosLike, onesLike, eye, arange, rand, randn, type TensorLike,
} from './autograd/creation.js';
export { seed, Rng } from './random.js';
export * from './autograd/ops/index.js';
export { noGrad, isGradEnabled } from './autograd/engine.js';
export { grad, gradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/grad.js';
export { backends, setBackend, getBackend, backendError, kernelSource } from './backend/index.js';
export { ready, setWasmPaths, type WasmPaths } from './backend/ready.js';
export type { BackendName } from './backend/contract.js';

// ---- models and building blocks (one line per area) ----
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as losses from './losses/index.js';
export * as dist from './distributions/index.js';
export * from './models/neural.js';
export * as linalg from './linalg/index.js';
export * from './models/classical.js';
export * as data from './data/index.js';
export * as flows from './flows/index.js';
