// lk.nn: modules and initialisers.
export { Module } from './module.js';
export {
  Linear, Conv2d, MaxPool2d, Upsample, Tanh, Sigmoid, ReLU, LeakyReLU, Flatten, Reshape, Sequential,
  type LinearOptions, type Conv2dLayerOptions, type WeightInit,
} from './layers.js';
export * as init from './init.js';
