// lk.nn: modules and initialisers.
export { Module } from './module.js';
export {
  Linear, Conv2d, MaxPool2d, Upsample, Tanh, Sigmoid, ReLU, LeakyReLU, Flatten, Reshape, Sequential,
  type LinearOptions, type Conv2dLayerOptions, type WeightInit, type BiasInit,
} from './layers.js';
/** lk.nn.init: initialisers that fill a tensor in place (Kaiming, Xavier, uniform, zeros, constant) and the default layer initialisation. */
export * as init from './init.js';
