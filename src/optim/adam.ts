// Adam (Kingma & Ba), with bias correction:
//   m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²
//   p ← p − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε)
import type { Tensor } from '../autograd/tensor.js';
import { Optimizer } from './optimizer.js';
import { kernels, longLivedArray } from '../backend/registry.js';

/** Adam options (as torch.optim.Adam): lr (default 1e-3), betas, eps, weightDecay. */
export interface AdamOptions { lr?: number; betas?: [number, number]; eps?: number; weightDecay?: number }

/** The Adam optimiser (Kingma and Ba), as torch.optim.Adam. */
export class Adam extends Optimizer {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  private m: (Float32Array | null)[];
  private v: (Float32Array | null)[];

  constructor(params: Iterable<Tensor>, opts: AdamOptions = {}) {
    super(params, opts.lr ?? 1e-3, 'Adam');
    this.betas = opts.betas ?? [0.9, 0.999];
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    if (!Array.isArray(this.betas) || this.betas.length !== 2) throw new Error('Adam: betas must be a pair [beta1, beta2], e.g. [0.9, 0.999]');
    for (const b of this.betas) if (!(b >= 0 && b < 1)) throw new Error(`Adam: betas must be in [0, 1), got [${this.betas}]`);
    if (!(this.eps > 0 && Number.isFinite(this.eps))) throw new Error(`Adam: eps must be a positive number (e.g. 1e-8), got ${this.eps}`);
    if (!(this.weightDecay >= 0 && Number.isFinite(this.weightDecay))) throw new Error(`Adam: weightDecay must be a non-negative number, got ${this.weightDecay}`);
    this.m = this.params.map(() => null);
    this.v = this.params.map(() => null);
  }

  protected update(i: number, p: Float32Array, g: Float32Array): void {
    // long-lived: in wasm memory when the backend uses them there in place
    const m = (this.m[i] ??= longLivedArray(p.length));
    const v = (this.v[i] ??= longLivedArray(p.length));
    // the update runs on the kernel backend (native: vectorised and threaded)
    kernels().adam(p, m, v, g, this.lr, this.betas[0], this.betas[1], this.eps, this.steps, this.weightDecay);
  }
}
