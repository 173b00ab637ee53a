// latentkit: the public API (see API.md). Re-exports only.

export { Tensor, type Shape } from './autograd/tensor.js';
export {
  tensor, variable, zeros, ones, full, zerosLike, onesLike, eye, arange, rand, randn, type TensorLike,
} from './autograd/creation.js';
export { seed, Rng } from './random.js';
export * from './autograd/ops/index.js';
export { noGrad, isGradEnabled } from './autograd/engine.js';
export { grad, gradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/grad.js';
export { backends, setBackend, getBackend, backendError, kernelSource } from './backend/index.js';

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
