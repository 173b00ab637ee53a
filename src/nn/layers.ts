// Layers with parameters (Linear, Conv2d) and without (pooling, upsampling,
// activations, Flatten, Sequential).
import { Tensor } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import { Module, expectInput } from './module.js';
import * as init from './init.js';
import type { Rng } from '../random.js';

export type WeightInit = 'kaiming' | 'xavier' | ((w: Tensor) => Tensor);

export interface LinearOptions {
  bias?: boolean;
  /** Weight initialiser: 'xavier' (default), 'kaiming' (ReLU gain) or a function. */
  init?: WeightInit;
  /** Negative slope for 'kaiming' when a leaky ReLU follows. */
  slope?: number;
  rng?: Rng;
}

function initWeight(w: Tensor, how: WeightInit | undefined, slope: number, rng?: Rng): Tensor {
  if (typeof how === 'function') return how(w);
  if (how === 'kaiming') return init.kaimingUniform(w, { a: slope, rng });
  if (how === undefined || how === 'xavier') return init.xavierUniform(w, { rng });
  throw new Error(`init: unknown initialiser "${String(how)}" (use 'kaiming', 'xavier' or a function)`);
}

function positive(n: number, op: string, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${op}: ${what} must be a positive integer, got ${n}`);
  return n;
}

/** y = x Wᵀ + b with W [out, in] (as PyTorch); biases start at zero. */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    this.inFeatures = positive(inFeatures, 'Linear', 'inFeatures');
    this.outFeatures = positive(outFeatures, 'Linear', 'outFeatures');
    this.weight = this.param([outFeatures, inFeatures], (w) => initWeight(w, opts.init, opts.slope ?? 0, opts.rng));
    this.bias = opts.bias === false ? null : this.param([outFeatures]);
  }

  forward(x: Tensor): Tensor {
    expectInput(x, 'Linear', 2, this.inFeatures);
    const y = ops.matmul(x, this.weight, { transposeB: true });
    return this.bias ? ops.add(y, this.bias) : y;
  }
}

export interface Conv2dLayerOptions extends LinearOptions { stride?: number; padding?: number }

/** NCHW convolution with weights [out, in, k, k]. */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: Conv2dLayerOptions = {}) {
    super();
    this.inChannels = positive(inChannels, 'Conv2d', 'inChannels');
    this.outChannels = positive(outChannels, 'Conv2d', 'outChannels');
    this.kernelSize = positive(kernelSize, 'Conv2d', 'kernelSize');
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? 0;
    this.weight = this.param([outChannels, inChannels, kernelSize, kernelSize],
      (w) => initWeight(w, opts.init ?? 'kaiming', opts.slope ?? 0, opts.rng));
    this.bias = opts.bias === false ? null : this.param([outChannels]);
  }

  forward(x: Tensor): Tensor {
    expectInput(x, 'Conv2d', 4, this.inChannels);
    return ops.conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }
}

export class MaxPool2d extends Module {
  readonly kernel: number;
  readonly stride: number;
  constructor(kernel: number | { kernel?: number; stride?: number } = 2, stride?: number) {
    super();
    const o = typeof kernel === 'number' ? { kernel, stride } : kernel;
    this.kernel = o.kernel ?? 2;
    this.stride = o.stride ?? this.kernel;
  }
  forward(x: Tensor): Tensor { return ops.maxPool2d(x, { kernel: this.kernel, stride: this.stride }); }
}

/** Nearest-neighbour upsampling by an integer scale. */
export class Upsample extends Module {
  readonly scale: number;
  constructor(scale: number | { scale?: number } = 2) {
    super();
    this.scale = typeof scale === 'number' ? scale : scale.scale ?? 2;
  }
  forward(x: Tensor): Tensor { return ops.upsample2d(x, { scale: this.scale }); }
}

export class Tanh extends Module { forward(x: Tensor): Tensor { return ops.tanh(x); } }
export class Sigmoid extends Module { forward(x: Tensor): Tensor { return ops.sigmoid(x); } }
export class ReLU extends Module { forward(x: Tensor): Tensor { return ops.relu(x); } }

export class LeakyReLU extends Module {
  readonly slope: number;
  constructor(slope = 0.01) { super(); this.slope = slope; }
  forward(x: Tensor): Tensor { return ops.leakyRelu(x, this.slope); }
}

/** [N, ...] -> [N, prod(...)]. */
export class Flatten extends Module {
  forward(x: Tensor): Tensor { return ops.flatten(x, 1); }
}

/** [N, D] -> [N, ...shape] (e.g. the generator's (32, 7, 7)). */
export class Reshape extends Module {
  readonly shape: readonly number[];
  constructor(shape: readonly number[]) { super(); this.shape = [...shape]; }
  forward(x: Tensor): Tensor { return ops.reshape(x, [x.shape[0], ...this.shape]); }
}

/** Modules applied in order. */
export class Sequential extends Module {
  layers: Module[];
  constructor(...layers: (Module | Module[])[]) {
    super();
    this.layers = layers.flat();
    this.layers.forEach((m, i) => {
      if (!(m instanceof Module)) throw new Error(`Sequential: entry ${i} is not a Module`);
    });
  }
  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, m) => m.forward(h), x);
  }
  get length(): number { return this.layers.length; }
  at(i: number): Module { return this.layers[i]; }
}
