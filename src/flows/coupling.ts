// Row-wise bijectors of NICE (Dinh, Krueger & Bengio 2014) on x [N, D]:
//   AdditiveCoupling: x = (x1, x2) by a mask or a split point;
//     y1 = x1,  y2 = x2 + m(x1);  inverse x2 = y2 − m(y1);
//     ∂y/∂x = [[I, 0], [∂m/∂x1, I]] is triangular with unit diagonal: log |det| = 0.
//   Scale: y = x ⊙ exp(s) with learnable s [D];  log |det| = Σ_d s_d (the same for every row).
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { zeros } from '../autograd/creation.js';
import * as ops from '../autograd/ops/index.js';
import { Module } from '../nn/module.js';
import { Bijector, expectTensor } from './bijector.js';

/** The coupling network m: a Module or a function from x1 [N, |x1|] to a shift [N, |x2|]. */
export type CouplingNet = Module | ((x1: Tensor) => Tensor);

/** AdditiveCoupling options: which inputs pass through unchanged (mask or split) and the network that shifts the others. */
export interface CouplingOptions {
  /** Per feature: 1 (true) = conditioning part x1 (passed through), 0 = transformed part x2. */
  mask?: ArrayLike<number | boolean> | Tensor;
  /** x1 = the first `split` features, x2 = the rest. */
  split?: number;
  /** m(x1) -> shift for x2. */
  net: CouplingNet;
}

/** Index sets of x1 and x2 from a mask or a split point (with the total D when it is known). */
export function couplingHalves(opts: { mask?: ArrayLike<number | boolean> | Tensor; split?: number }, op: string): { a: Int32Array; b: Int32Array; dim?: number } {
  const { mask, split } = opts;
  if ((mask === undefined) === (split === undefined)) throw new Error(`${op}: pass exactly one of {mask} (1 = conditioning features, 0 = transformed) or {split} (the first split features condition)`);
  if (mask !== undefined) {
    const m = mask instanceof Tensor ? Array.from(mask.data) : Array.from(mask as ArrayLike<number | boolean>, Number);
    if (!m.every((v) => v === 0 || v === 1)) throw new Error(`${op}: mask must hold only 0/1 (or booleans), got [${m.join(',')}]`);
    const a = Int32Array.from(m.flatMap((v, i) => (v === 1 ? [i] : [])));
    const b = Int32Array.from(m.flatMap((v, i) => (v === 0 ? [i] : [])));
    if (!a.length || !b.length) throw new Error(`${op}: mask must have at least one 1 (conditioning) and one 0 (transformed) entry, got [${m.join(',')}]`);
    return { a, b, dim: m.length };
  }
  if (!Number.isInteger(split) || (split as number) < 1) throw new Error(`${op}: split must be a positive integer (the number of conditioning features), got ${split}`);
  return { a: Int32Array.from({ length: split as number }, (_, i) => i), b: new Int32Array(0) };
}

export class AdditiveCoupling extends Bijector {
  readonly eventDim = 1 as const;
  readonly net: CouplingNet;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly dim?: number;

  constructor(opts: CouplingOptions) {
    super();
    if (!opts || typeof opts !== 'object') throw new Error('AdditiveCoupling: expected options {mask or split, net}');
    if (!(opts.net instanceof Module) && typeof opts.net !== 'function') throw new Error('AdditiveCoupling: net must be an nn.Module or a function x1 -> shift');
    const h = couplingHalves(opts, 'AdditiveCoupling');
    this.a = h.a; this.b = h.b; this.dim = h.dim;
    this.net = opts.net;
  }

  /** The index sets for x of D features. */
  private halves(x: Tensor, op: string): { a: Int32Array; b: Int32Array } {
    expectTensor(x, op, true, this.dim);
    if (x.ndim !== 2) throw new Error(`${op}: expected a 2-D input [N, D], got shape ${fmtShape(x.shape)}`);
    const D = x.shape[1];
    let b = this.b;
    if (this.dim === undefined) {
      if (D <= this.a.length) throw new Error(`${op}: split ${this.a.length} leaves nothing to transform in ${D} features; use a split below ${D}`);
      b = Int32Array.from({ length: D - this.a.length }, (_, i) => this.a.length + i);
    }
    return { a: this.a, b };
  }

  private shift(x1: Tensor, want: number, op: string): Tensor {
    const m = this.net instanceof Module ? this.net.forward(x1) : this.net(x1);
    if (!(m instanceof Tensor) || m.ndim !== 2 || m.shape[0] !== x1.shape[0] || m.shape[1] !== want) {
      throw new Error(`${op}: net must map x1 ${fmtShape(x1.shape)} to a shift [${x1.shape[0]},${want}], got ${m instanceof Tensor ? fmtShape(m.shape) : typeof m}`);
    }
    return m;
  }

  // y = x with y[:, b] = x[:, b] ± m(x[:, a]): the x1 columns pass through, no split or join
  private couple(x: Tensor, sign: 1 | -1, op: string): Tensor {
    const { a, b } = this.halves(x, op);
    const m = this.shift(ops.takeColumns(x, a), b.length, op);
    return ops.addColumns(x, b, m, sign);
  }

  forward(x: Tensor): Tensor { return this.couple(x, 1, 'AdditiveCoupling.forward'); }
  inverse(y: Tensor): Tensor { return this.couple(y, -1, 'AdditiveCoupling.inverse'); }
  logAbsDetJacobian(x: Tensor): Tensor {
    this.halves(x, 'AdditiveCoupling.logAbsDetJacobian');
    return zeros([x.shape[0]]);
  }
}

/** NICE's diagonal scaling y = x ⊙ exp(s), s [dim] learnable (starts at 0 unless `logScale` is given). */
export class Scale extends Bijector {
  readonly eventDim = 1 as const;
  readonly dim: number;
  logScale: Tensor;

  constructor(opts: { dim: number; logScale?: Tensor | ArrayLike<number> }) {
    super();
    const dim = opts?.dim;
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`Scale: dim must be a positive integer (the number of features), got ${dim}`);
    this.dim = dim;
    this.logScale = this.param([dim]);
    if (opts.logScale !== undefined) {
      const s = opts.logScale instanceof Tensor ? opts.logScale.data : Float32Array.from(opts.logScale);
      if (s.length !== dim || !Array.from(s).every(Number.isFinite)) throw new Error(`Scale: logScale must hold ${dim} finite numbers, got ${s.length}`);
      this.logScale.data.set(s);
    }
  }

  forward(x: Tensor): Tensor { return ops.mul(expectTensor(x, 'Scale.forward', true, this.dim), ops.exp(this.logScale)); }
  inverse(y: Tensor): Tensor { return ops.mul(expectTensor(y, 'Scale.inverse', true, this.dim), ops.exp(ops.neg(this.logScale))); }
  logAbsDetJacobian(x: Tensor): Tensor {
    expectTensor(x, 'Scale.logAbsDetJacobian', true, this.dim);
    return ops.broadcastTo(ops.sum(this.logScale), x.shape.slice(0, -1));
  }
}
