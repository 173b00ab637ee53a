/**
 * latentkit: a from-scratch Float32 autograd engine with native (C++) and
 * WASM (SIMD) kernels, and the classical and neural latent-variable models
 * built on it. This module is the whole public API; it loads in Node (ESM and
 * `require`) and in a browser bundle, where the native backend and file-path
 * I/O are absent. See README.md and the API reference in docs/api.
 * @module latentkit
 */

export { Tensor, type Shape } from './autograd/tensor.js';
export type { BackwardOptions } from './autograd/engine.js';
export type { MatrixLike } from './models/input.js';
export type { Likelihood } from './models/likelihood.js';
export type { Labels } from './models/cvae.js';
export {
  tensor, variable, zeros, ones, full, zerosLike, onesLike, eye, arange, rand, randn, type TensorLike, type NestedArray,
} from './autograd/creation.js';
export { seed, Rng } from './random.js';
export * from './autograd/ops/index.js';
export { noGrad, isGradEnabled } from './autograd/engine.js';
export { grad, gradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/grad.js';
export { backends, setBackend, getBackend, backendError, kernelSource, setThreads, getThreads } from './backend/index.js';
export { ready, setWasmPaths, type WasmPaths } from './backend/ready.js';
export type { BackendName } from './backend/contract.js';

// ---- models and building blocks (one line per area) ----
/** lk.nn: modules (Module, Linear, Conv2d, pooling, activations, Sequential) and initialisers, as torch.nn. */
export * as nn from './nn/index.js';
/** lk.optim: optimisers (SGD, Adam), as torch.optim. */
export * as optim from './optim/index.js';
/** lk.losses: binary cross-entropy (from logits or probabilities) and mean squared error, each with a reduction. */
export * as losses from './losses/index.js';
/** lk.dist: log-densities, reparameterised draws, KL divergences and distribution classes (Normal, Cauchy, Logistic, Uniform, Categorical), as torch.distributions. */
export * as dist from './distributions/index.js';
export * from './models/neural.js';
/** lk.linalg: eigh, cholesky, inv, slogdet and solve (float64 inside). */
export * as linalg from './linalg/index.js';
export * from './models/classical.js';
/** lk.data: the MNIST digits, IDX files, PNG/TIFF images, WAV audio and the baboon test image. File-path I/O needs Node; parseIdx works anywhere. */
export * as data from './data/index.js';
/** lk.flows: bijectors, their composition, TransformedDistribution (change of variables) and discrete flows. */
export * as flows from './flows/index.js';
