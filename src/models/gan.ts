// The GAN of the course, for 28x28 images, exactly its tables:
//   discriminator  conv(1→2, 3, p1) ReLU maxpool2 · conv(2→4, 3, p1) ReLU maxpool2
//                  · conv(4→8, 3, p0) ReLU · flatten (8·5·5) · linear(→1)   (a logit)
//   generator      linear(latent→1568) LeakyReLU(0.2) · reshape (32, 7, 7) · upsample2
//                  · conv(32→16, 3, p1) LeakyReLU(0.2) · upsample2
//                  · conv(16→8, 3, p1) LeakyReLU(0.2) · conv(8→1, 3, p1) sigmoid
// Kaiming-uniform weights, zero biases. Both players use BCE with logits:
//   L_D = bce(D(x), 1) + bce(D(G(z)), 0),   L_G = bce(D(G(z)), 1)  (non-saturating)
// one step = one Adam update of D, then one of G on fresh noise.
import { Tensor } from '../autograd/tensor.js';
import { noGrad } from '../autograd/engine.js';
import { randn } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import type { Module } from '../nn/module.js';
import { planOf, runPlan } from './gan_upconv.js';
import { Linear, Conv2d, MaxPool2d, Upsample, ReLU, LeakyReLU, Sigmoid, Flatten, Reshape, Sequential } from '../nn/layers.js';
import { Adam } from '../optim/adam.js';
import { rngFor } from '../random.js';
import { bceWithLogits } from '../losses/index.js';
import { NeuralModel } from './base.js';
import type { FitOptions } from './train.js';
import { toMatrix, rowsOf, assertUnitRange } from './input.js';
import { refuseUnknown, intOption } from './options.js';

/** GAN options. */
export interface GANOptions {
  latentDim?: number;
  seed?: number;
}

/** GAN.fit options: the fit options plus Adam betas (default [0.5, 0.999]). */
export interface GANFitOptions extends FitOptions {
  /** Adam β's for both players (default [0.5, 0.999], as DCGAN). */
  betas?: [number, number];
}

const SIDE = 28;
const GAN_OPTIONS = ['latentDim', 'seed'];

/** A generative adversarial network on 28 × 28 images (the course MNIST architecture tables): generator and discriminator trained in alternation. */
export class GAN extends NeuralModel {
  readonly kind = 'GAN';
  readonly latentDim: number;
  readonly seed?: number;
  readonly inputDim = SIDE * SIDE;
  generator: Sequential;
  discriminator: Sequential;

  constructor(opts: GANOptions = {}) {
    super();
    refuseUnknown(opts, GAN_OPTIONS, 'GAN');
    this.latentDim = intOption(opts.latentDim ?? 100, 'latentDim', 'GAN');
    this.seed = opts.seed;
    const rng = rngFor(opts.seed);
    const k = { init: 'kaiming' as const, rng };
    const leaky = { ...k, slope: 0.2 };
    this.discriminator = new Sequential(
      new Conv2d(1, 2, 3, { padding: 1, ...k }), new ReLU(), new MaxPool2d(2),
      new Conv2d(2, 4, 3, { padding: 1, ...k }), new ReLU(), new MaxPool2d(2),
      new Conv2d(4, 8, 3, { padding: 0, ...k }), new ReLU(),
      new Flatten(), new Linear(8 * 5 * 5, 1, k),
    );
    this.generator = new Sequential(
      new Linear(this.latentDim, 32 * 7 * 7, leaky), new LeakyReLU(0.2), new Reshape([32, 7, 7]), new Upsample(2),
      new Conv2d(32, 16, 3, { padding: 1, ...leaky }), new LeakyReLU(0.2), new Upsample(2),
      new Conv2d(16, 8, 3, { padding: 1, ...leaky }), new LeakyReLU(0.2),
      new Conv2d(8, 1, 3, { padding: 1, ...k }), new Sigmoid(),
    );
  }

  config(): Record<string, unknown> {
    return { latentDim: this.latentDim, seed: this.seed };
  }

  /** Read a model written by save(path) (Node). */
  static load(path: string): GAN {
    return NeuralModel.loadAs(path, 'GAN', (c) => new GAN(c));
  }

  /** A model from toBytes() output (no file system needed). */
  static fromBytes(bytes: Uint8Array): GAN {
    return NeuralModel.fromBytesAs(bytes, 'GAN', (c) => new GAN(c));
  }

  /** Images [N, 1, 28, 28] from rows [N, 784] (or as they are when already 4-D). */
  private images(x: Tensor | Float32Array, op: string): Tensor {
    if (x instanceof Tensor && x.ndim === 4) {
      if (x.shape[1] !== 1 || x.shape[2] !== SIDE || x.shape[3] !== SIDE) throw new Error(`${op}: images must be [N, 1, 28, 28]`);
      return x;
    }
    return ops.reshape(toMatrix(x, SIDE * SIDE, op), [-1, 1, SIDE, SIDE]);
  }

  private genPlan?: { layers: readonly Module[]; steps: ReturnType<typeof planOf> };

  /** G(z): images [N, 1, 28, 28] in (0, 1). Its Upsample + Conv2d pairs run as one fused op where the backend has it. */
  generate(z: Tensor): Tensor {
    const layers = this.generator.layers;
    const p = this.genPlan;
    if (!p || p.layers.length !== layers.length || !p.layers.every((m, i) => m === layers[i])) {
      this.genPlan = { layers: [...layers], steps: planOf(layers) }; // built again when the layers change
    }
    return runPlan(this.genPlan!.steps, rowsOf(z, this.latentDim, 'GAN.generate'));
  }

  /** D(x): logits [N, 1] that x is real. */
  discriminate(x: Tensor | Float32Array): Tensor {
    return this.discriminator.forward(this.images(x, 'GAN.discriminate'));
  }

  forward(z: Tensor): Tensor { return this.generate(z); }

  /** L_D = mean bce(D(x), 1) + mean bce(D(G(z)), 0), with G(z) held fixed. */
  discriminatorLoss(x: Tensor, z: Tensor): Tensor {
    const fake = noGrad(() => this.generate(z));
    const real = this.discriminate(x);
    return ops.add(bceWithLogits(real, 1), bceWithLogits(this.discriminate(fake), 0));
  }

  /**
   * L_G = mean bce(D(G(z)), 1). D's parameters are frozen in this loss: its
   * backward() fills the generator's gradients only (the G step updates G
   * alone, so ∂L_G/∂θ_D would be computed and thrown away).
   */
  generatorLoss(z: Tensor): Tensor {
    const fake = this.generate(z);
    return bceWithLogits(this.discriminator.withFrozenParameters(() => this.discriminate(fake)), 1);
  }

  /** n generated images as rows [n, 784]. */
  sample(n: number): Tensor {
    intOption(n, 'n', 'GAN.sample');
    return noGrad(() => ops.reshape(this.generate(randn([n, this.latentDim])), [n, SIDE * SIDE]));
  }

  /**
   * Alternate one Adam step of D and one of G per batch (defaults: 10 epochs,
   * batch 64, lr 2e-4, betas [0.5, 0.999]). Reports loss = L_D + L_G, dLoss, gLoss.
   */
  fit(x: Tensor | Float32Array, opts: GANFitOptions = {}): this {
    const data = toMatrix(x instanceof Tensor && x.ndim === 4 ? ops.reshape(x, [-1, SIDE * SIDE]) : x, SIDE * SIDE, 'GAN.fit');
    assertUnitRange(data, 'GAN.fit');
    const betas = opts.betas ?? [0.5, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2 || !betas.every((b) => b >= 0 && b < 1)) {
      throw new Error(`GAN.fit: betas must be two numbers in [0, 1), e.g. betas: [0.5, 0.999], got ${String(betas)}`);
    }
    this.trainLoop(data.shape[0], opts, { epochs: 10, batchSize: 64, learningRate: 2e-4 }, ['betas'], (lr) => {
      const optD = new Adam(this.discriminator.parameters(), { lr, betas });
      const optG = new Adam(this.generator.parameters(), { lr, betas });
      return (idx) => {
        const batch = ops.reshape(ops.gather(data, idx), [-1, 1, SIDE, SIDE]); // checked once above
        const n = idx.length;
        const dLoss = this.descend(optD, () => this.discriminatorLoss(batch, randn([n, this.latentDim])));
        const gLoss = this.descend(optG, () => this.generatorLoss(randn([n, this.latentDim])));
        this.discriminator.zeroGrad();
        return { loss: dLoss + gLoss, dLoss, gLoss };
      };
    });
    return this;
  }
}
