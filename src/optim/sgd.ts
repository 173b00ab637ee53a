// Stochastic gradient descent with (heavy-ball) momentum, as PyTorch and tfjs:
//   v ← μ v + g,   p ← p − lr v        (μ = 0: plain p ← p − lr g)
import type { Tensor } from '../autograd/tensor.js';
import { Optimizer } from './optimizer.js';
import { longLivedArray } from '../backend/registry.js';

/** SGD options: lr, momentum (default 0), weightDecay. */
export interface SGDOptions { lr?: number; momentum?: number; weightDecay?: number }

/** Stochastic gradient descent with optional momentum, as torch.optim.SGD. */
export class SGD extends Optimizer {
  momentum: number;
  weightDecay: number;
  private velocity: (Float32Array | null)[];

  constructor(params: Iterable<Tensor>, opts: SGDOptions = {}) {
    super(params, opts.lr ?? 0.01, 'SGD');
    this.momentum = opts.momentum ?? 0;
    this.weightDecay = opts.weightDecay ?? 0;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new Error(`SGD: momentum must be in [0, 1), got ${this.momentum}`);
    this.velocity = this.params.map(() => null);
  }

  protected update(i: number, p: Float32Array, g: Float32Array): void {
    const mu = this.momentum, lr = this.lr, wd = this.weightDecay;
    if (mu === 0) {
      for (let j = 0; j < p.length; j++) p[j] -= lr * (g[j] + wd * p[j]);
      return;
    }
    const v = (this.velocity[i] ??= longLivedArray(p.length));
    for (let j = 0; j < p.length; j++) {
      v[j] = mu * v[j] + g[j] + wd * p[j];
      p[j] -= lr * v[j];
    }
  }
}
