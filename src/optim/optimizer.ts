// The optimiser base: a list of parameters, zeroGrad() and step(). Updates
// write into each parameter's Float32Array in place.
import { Tensor, fmtShape, keepGradBuffer } from '../autograd/tensor.js';
import { kernels } from '../backend/registry.js';

const total = new Float32Array(1);

/** The optimiser base: the parameters it updates, zeroGrad() and step(). */
export abstract class Optimizer {
  readonly params: Tensor[];
  lr: number;
  /** Number of step() calls so far. */
  steps = 0;

  constructor(params: Iterable<Tensor>, lr: number, name: string) {
    this.params = [...params];
    if (this.params.length === 0) throw new Error(`${name}: no parameters to optimise`);
    this.params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new Error(`${name}: parameter ${i} is not a Tensor`);
      if (!p.requiresGrad) throw new Error(`${name}: parameter ${i} ${fmtShape(p.shape)} does not require grad; mark it with lk.variable(t) or t.requiresGrad = true`);
    });
    if (!(typeof lr === 'number' && lr > 0 && Number.isFinite(lr))) throw new Error(`${name}: lr must be a positive number, got ${lr}`);
    this.lr = lr;
  }

  /**
   * Clear the gradient of every parameter this optimiser updates. Each .grad
   * becomes null, and its buffer is kept for that parameter's next gradient
   * (as torch's zero_grad(set_to_none=False) reuses the storage): a reference
   * to an old .grad tensor may show the next step's gradient. Use
   * tensor.zeroGrad() (or clone the gradient) to keep an old one intact.
   */
  zeroGrad(): void {
    for (const p of this.params) keepGradBuffer(p);
  }

  /**
   * Apply one update from the accumulated gradients (parameters without a
   * gradient are skipped). A NaN or infinite gradient is refused before any
   * parameter changes: it means the loss diverged.
   */
  step(): void {
    this.params.forEach((p, i) => {
      if (!p.grad) return;
      if (p.grad.size !== p.size) throw new Error(`optimiser: gradient ${fmtShape(p.grad.shape)} does not match parameter ${fmtShape(p.shape)}`);
      // one float64 sum on the kernel backend: NaN or ±Inf anywhere makes it non-finite
      const g = p.grad.data;
      kernels().reduce('sum', total, g, 1, g.length, 1);
      if (!Number.isFinite(total[0])) {
        const bad = g.find((v) => !Number.isFinite(v)) ?? total[0];
        throw new Error(`optimiser: the gradient of parameter ${i} ${fmtShape(p.shape)} has a ${bad} value: training diverged; lower the learning rate (or check the loss for log(0) / division by zero); no parameter was changed`);
      }
    });
    this.steps++;
    this.params.forEach((p, i) => { if (p.grad) this.update(i, p.data, p.grad.data); });
  }

  protected abstract update(i: number, p: Float32Array, g: Float32Array): void;
}
