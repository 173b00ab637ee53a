// lk.optim: optimisers.
export { Optimizer } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
