// Module: a function with parameters. Parameters are the own properties that
// hold a Tensor with requiresGrad; child modules are own properties that hold
// a Module (or an array of Modules), so parameters are found by walking the
// object in property order, as PyTorch registers them.
import { Tensor, allocData, checkShape, fmtShape, shapeSize } from '../autograd/tensor.js';

/**
 * A function with parameters, as torch.nn.Module: subclasses implement forward();
 * parameters and child modules are found from the own properties (see the file header).
 */
export abstract class Module {
  /** True in training mode (the default); eval() turns it off. */
  training = true;

  /** The module applied to `x`. */
  abstract forward(x: Tensor): Tensor;

  /**
   * A leaf tensor that requires grad, filled by `init` (default zeros). Its data is
   * long-lived (longLivedArray: in wasm memory when the backend uses it there in place).
   */
  protected param(shape: readonly number[], init?: (t: Tensor) => Tensor): Tensor {
    checkShape(shape, 'param');
    const t = new Tensor(allocData(shapeSize(shape), 'param', false, true), shape);
    if (init) init(t);
    t.requiresGrad = true;
    return t;
  }

  /** The child modules, by property name (array entries as name.i). */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [k, v] of Object.entries(this)) {
      if (v instanceof Module) out.push([k, v]);
      else if (Array.isArray(v)) v.forEach((m, i) => { if (m instanceof Module) out.push([`${k}.${i}`, m]); });
    }
    return out;
  }

  /** Every parameter with a dotted name ("enc.0.weight"), depth-first in property order. */
  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = this.ownParameters().map(([k, v]) => [prefix + k, v]);
    for (const [k, m] of this.namedChildren()) out.push(...m.namedParameters(`${prefix}${k}.`));
    return out;
  }

  /** The parameters held directly in this module's properties, by property name. */
  private ownParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [k, v] of Object.entries(this)) if (v instanceof Tensor && v.requiresGrad) out.push([k, v]);
    return out;
  }

  /**
   * fn() with this module's parameters (its children's too) as constants: each is
   * swapped for a tensor over the same data that does not require grad, so the
   * graph fn records has no path to them and backward computes no gradient for
   * them (e.g. a GAN's discriminator inside the generator's loss). The
   * parameters are put back afterwards, also when fn throws.
   */
  withFrozenParameters<T>(fn: () => T): T {
    const swapped: [Record<string, unknown>, string, Tensor][] = [];
    const freeze = (m: Module) => {
      const props = m as unknown as Record<string, unknown>;
      for (const [k, v] of m.ownParameters()) { swapped.push([props, k, v]); props[k] = new Tensor(v.data, v.shape); }
      for (const [, c] of m.namedChildren()) freeze(c);
    };
    try {
      freeze(this);
      return fn();
    } finally {
      for (const [props, k, v] of swapped) props[k] = v;
    }
  }

  /** Every parameter (leaf tensors that require grad), in the order of namedParameters(). */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Set training mode on this module and its children. */
  train(mode = true): this {
    this.training = mode;
    for (const [, m] of this.namedChildren()) m.train(mode);
    return this;
  }

  /** Evaluation mode (train(false)); returns this. */
  eval(): this { return this.train(false); }

  /** Clear the gradient of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** The number of scalar parameters. */
  numParameters(): number {
    return this.parameters().reduce((a, p) => a + p.size, 0);
  }

  /** Copy of every parameter's values, by name. */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [k, p] of this.namedParameters()) out[k] = p.clone();
    return out;
  }

  /** Overwrite parameters from stateDict(); names and shapes must match exactly. */
  loadStateDict(state: Record<string, Tensor | { shape: readonly number[]; data: ArrayLike<number> }>): this {
    const own = this.namedParameters();
    const names = new Set(Object.keys(state));
    for (const [k, p] of own) {
      const s = state[k];
      if (!s) throw new Error(`loadStateDict: parameter "${k}" is missing from the state (it has ${[...names].slice(0, 5).join(', ')}${names.size > 5 ? ', ...' : ''})`);
      if (s.shape.join(',') !== p.shape.join(',')) {
        throw new Error(`loadStateDict: parameter "${k}" has shape ${fmtShape(s.shape)} in the state but ${fmtShape(p.shape)} in the model`);
      }
      p.data.set(s instanceof Tensor ? s.data : Float32Array.from(s.data));
      names.delete(k);
    }
    if (names.size) throw new Error(`loadStateDict: the state has parameters the model does not: ${[...names].join(', ')}`);
    return this;
  }
}

/** Check that x is a Tensor with `ndim` dimensions and `last` features (when given). */
export function expectInput(x: Tensor, op: string, ndim: number, last?: number): void {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor input, got ${x === null ? 'null' : typeof x}`);
  if (x.ndim !== ndim) throw new Error(`${op}: expected a ${ndim}-D input, got shape ${fmtShape(x.shape)}`);
  if (last !== undefined && x.shape[ndim === 4 ? 1 : ndim - 1] !== last) {
    throw new Error(`${op}: expected ${last} ${ndim === 4 ? 'channels' : 'features'}, got shape ${fmtShape(x.shape)}`);
  }
}
