// Layers with parameters (Linear, Conv2d) and without (pooling, upsampling,
// activations, Flatten, Sequential).
import { Tensor } from '../autograd/tensor.js';
import * as ops from '../autograd/ops/index.js';
import { linear, type Activation } from '../autograd/ops/fused.js';
import { Module, expectInput } from './module.js';
import * as init from './init.js';
import type { Rng } from '../random.js';

/**
 * How a layer's weights start:
 * - 'pytorch' (the default): PyTorch's `reset_parameters`, weights kaiming_uniform(a = √5),
 *   i.e. U(±1/√fanIn), and biases U(±1/√fanIn);
 * - 'legacy': latentkit's earlier defaults (Linear xavier, Conv2d kaiming), biases zero;
 * - 'kaiming' (He, ReLU gain, or the leaky slope `slope`), 'xavier' or a function: the
 *   weights only; biases then start at zero unless `biasInit` says otherwise.
 */
export type WeightInit = 'pytorch' | 'legacy' | 'kaiming' | 'xavier' | ((w: Tensor) => Tensor);
/** 'uniform' = U(±1/√fanIn) as PyTorch; 'zeros'. */
export type BiasInit = 'uniform' | 'zeros';

/** Linear options: bias and the weight/bias initialisation (default as PyTorch). */
export interface LinearOptions {
  bias?: boolean;
  /** Weight initialiser (default: the layer default, 'pytorch' unless lk.nn.init.setDefaultLayerInit changed it). */
  init?: WeightInit;
  /** Bias initialiser: 'uniform' with init 'pytorch', otherwise 'zeros'. */
  biasInit?: BiasInit;
  /** Negative slope for 'kaiming' when a leaky ReLU follows. */
  slope?: number;
  rng?: Rng;
}

const SQRT5 = Math.sqrt(5);

function initWeight(w: Tensor, how: WeightInit, legacy: 'kaiming' | 'xavier', slope: number, rng?: Rng): Tensor {
  if (typeof how === 'function') return how(w);
  // kaiming_uniform(a = √5): gain √(2 / (1 + 5)) = √(1/3), bound = gain·√(3 / fanIn) = 1/√fanIn
  if (how === 'pytorch') return init.kaimingUniform(w, { a: SQRT5, rng });
  if (how === 'legacy') return initWeight(w, legacy, legacy, slope, rng);
  if (how === 'kaiming') return init.kaimingUniform(w, { a: slope, rng });
  if (how === 'xavier') return init.xavierUniform(w, { rng });
  throw new Error(`init: unknown initialiser "${String(how)}" (use 'pytorch', 'legacy', 'kaiming', 'xavier' or a function)`);
}

/** The layer's weight and bias initialisers from its options. */
function layerInit(opts: LinearOptions, legacy: 'kaiming' | 'xavier', fanIn: number) {
  const how = opts.init ?? init.getDefaultLayerInit();
  const biasInit = opts.biasInit ?? (how === 'pytorch' ? 'uniform' : 'zeros');
  if (biasInit !== 'uniform' && biasInit !== 'zeros') throw new Error(`init: unknown biasInit "${String(biasInit)}" (use 'uniform' or 'zeros')`);
  return {
    weight: (w: Tensor) => initWeight(w, how, legacy, opts.slope ?? 0, opts.rng),
    // PyTorch: bias ~ U(−1/√fanIn, 1/√fanIn)
    bias: (b: Tensor) => (biasInit === 'uniform' ? init.uniform(b, 1 / Math.sqrt(fanIn), { rng: opts.rng }) : init.zeros(b)),
  };
}

function positive(n: number, op: string, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${op}: ${what} must be a positive integer, got ${n}`);
  return n;
}

/** y = x Wᵀ + b with W [out, in], initialised as PyTorch's nn.Linear by default. */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    this.inFeatures = positive(inFeatures, 'Linear', 'inFeatures');
    this.outFeatures = positive(outFeatures, 'Linear', 'outFeatures');
    const ini = layerInit(opts, 'xavier', inFeatures);
    this.weight = this.param([outFeatures, inFeatures], ini.weight);
    this.bias = opts.bias === false ? null : this.param([outFeatures], ini.bias);
  }

  forward(x: Tensor): Tensor {
    return this.forwardAct(x, 'identity');
  }

  /** act(x Wᵀ + b) as one fused op (what Sequential runs for a Linear followed by Tanh, ReLU or Sigmoid). */
  forwardAct(x: Tensor, act: Activation): Tensor {
    expectInput(x, 'Linear', 2, this.inFeatures);
    return linear(x, this.weight, this.bias, act);
  }
}

/** Conv2d options: those of Linear plus stride and padding. */
export interface Conv2dLayerOptions extends LinearOptions { stride?: number; padding?: number }

/** NCHW convolution with weights [out, in, k, k], initialised as PyTorch's nn.Conv2d by default. */
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
    const ini = layerInit(opts, 'kaiming', inChannels * kernelSize * kernelSize);
    this.weight = this.param([outChannels, inChannels, kernelSize, kernelSize], ini.weight);
    this.bias = opts.bias === false ? null : this.param([outChannels], ini.bias);
  }

  forward(x: Tensor): Tensor {
    expectInput(x, 'Conv2d', 4, this.inChannels);
    return ops.conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }
}

/** Max pooling layer (see lk.maxPool2d). */
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

/** tanh as a layer. */
export class Tanh extends Module { forward(x: Tensor): Tensor { return ops.tanh(x); } }
/** σ as a layer. */
export class Sigmoid extends Module { forward(x: Tensor): Tensor { return ops.sigmoid(x); } }
/** ReLU as a layer. */
export class ReLU extends Module { forward(x: Tensor): Tensor { return ops.relu(x); } }

/** Leaky ReLU as a layer (slope default 0.01). */
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

/** The fused activation a layer stands for, if it is exactly Tanh, ReLU or Sigmoid (subclasses may override forward). */
function activationOf(m: Module | undefined): Activation | undefined {
  if (m === undefined) return undefined;
  const c = m.constructor;
  return c === Tanh ? 'tanh' : c === ReLU ? 'relu' : c === Sigmoid ? 'sigmoid' : undefined;
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
    let h = x;
    const L = this.layers;
    for (let i = 0; i < L.length; i++) {
      // a Linear and the activation after it run as one fused op
      const act = L[i] instanceof Linear ? activationOf(L[i + 1]) : undefined;
      if (act) { h = (L[i] as Linear).forwardAct(h, act); i++; } else h = L[i].forward(h);
    }
    return h;
  }
  get length(): number { return this.layers.length; }
  /** The i-th layer. */
  at(i: number): Module { return this.layers[i]; }
}
