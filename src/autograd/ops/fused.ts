// Fused ops of the dense models' training steps: one graph node (and a couple
// of kernel calls) where the plain ops would record several.
//   linear(x, W, b, act)  y = act(x Wᵀ + b)         W [out, in], x [N, in], y [N, out]
//     backward from y alone: d = g ⊙ act'(y) (act' written in y), db = Σ_rows d,
//     dx = d W, dW = dᵀ x
//   bernoulliLogLik(x, l) Σ_last −bce(l, x) = Σ x l − softplus(l)   (log Bern(x; σ(l)))
//     d/dl = g (x − σ(l)),  d/dx = g l
//   reparam(μ, lv, ε)     z = μ + e^{lv/2} ε          dμ = g, dlv = ½ g e^{lv/2} ε
//   klStdNormal(μ, lv)    ½ Σ_last (e^{lv} + μ² − 1 − lv)   dμ = g μ, dlv = ½ g (e^{lv} − 1)
import { Tensor, allocData, fmtShape, gradBuffer } from '../tensor.js';
import { record } from '../engine.js';
import { kernels } from '../../backend/registry.js';
import { matmul } from './matmul.js';
import { mul, exp } from './elementwise.js';
import { reshape } from './shape.js';
import type { UnaryOp } from '../../backend/contract.js';

/** The activations a fused linear layer applies, by kernel code (kernels.fused.spec.mjs). */
export const ACTIVATIONS = { identity: 0, tanh: 1, relu: 2, sigmoid: 3 } as const;
export type Activation = keyof typeof ACTIVATIONS;

/** x Wᵀ (+ b) through the activation, as one node: see the file header. */
export function linear(x: Tensor, w: Tensor, b: Tensor | null, act: Activation = 'identity'): Tensor {
  const code = ACTIVATIONS[act];
  if (code === undefined) throw new Error(`linear: unknown activation '${String(act)}' (use ${Object.keys(ACTIVATIONS).join(', ')})`);
  if (!(x instanceof Tensor) || !(w instanceof Tensor) || (b !== null && !(b instanceof Tensor))) {
    throw new Error('linear: x and the weight must be Tensors (the bias a Tensor or null)');
  }
  if (x.ndim !== 2 || w.ndim !== 2 || x.shape[1] !== w.shape[1]) {
    throw new Error(`linear: x ${fmtShape(x.shape)} and weight ${fmtShape(w.shape)} do not align (need [N, in] and [out, in])`);
  }
  const n = x.shape[0], out = w.shape[0], inF = w.shape[1];
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== out)) throw new Error(`linear: bias ${fmtShape(b.shape)} must be [${out}]`);
  const k = kernels();
  const y = allocData(n * out, 'linear', inF > 0); // fully written by the product when in > 0
  k.matmul(y, x.data, w.data, 1, n, inF, out, false, true);
  if (b !== null) k.biasAct(y, b.data, n, out, code);
  else if (code !== 0) k.unary(act as UnaryOp, y, y, 0, 0);
  const yt = new Tensor(y, [n, out]);
  const parents = b === null ? [x, w] : [x, w, b];
  return record(yt, `linear(${act})`, parents, (g) => {
    let d: Tensor = g, db: Tensor | null = null;
    const wantB = b !== null && b.requiresGrad;
    // the kernels below write every element of db and dW when n > 0 (a leaf's may reuse its old .grad buffer)
    const dbd = wantB ? (n > 0 ? gradBuffer(b!, 'linear') : new Float32Array(out)) : null;
    if (code !== 0) {
      // d = g ⊙ act'(y), with the bias gradient as its column sums in the same pass
      const dd = allocData(n * out, 'linear', true);
      k.biasActGrad(dd, dbd ?? new Float32Array(out), g.data, y, n, out, code);
      d = new Tensor(dd, [n, out]);
    } else if (dbd) {
      k.reduce('sum', dbd, g.data, 1, n, out);
    }
    if (dbd) db = new Tensor(dbd, [out]);
    const dx = x.requiresGrad ? matmul(d, w) : null; // d W
    let dw: Tensor | null = null;
    if (w.requiresGrad) { // dᵀ x
      const dwd = n > 0 ? gradBuffer(w, 'linear') : new Float32Array(w.size);
      if (n > 0) k.matmul(dwd, d.data, x.data, 1, out, n, inF, true, false);
      dw = new Tensor(dwd, w.shape);
    }
    return b === null ? [dx, dw] : [dx, dw, db];
  });
}

/** log Bern(x; σ(logits)) summed over the last axis, as one node (x and logits of one shape, at least 1-D). */
export function bernoulliLogLik(x: Tensor, logits: Tensor): Tensor {
  if (!(x instanceof Tensor) || !(logits instanceof Tensor)) throw new Error('bernoulliLogLik: x and logits must be Tensors');
  if (x.shape.join(',') !== logits.shape.join(',') || x.ndim === 0) {
    throw new Error(`bernoulliLogLik: x ${fmtShape(x.shape)} and logits ${fmtShape(logits.shape)} must have one shape with at least one axis`);
  }
  const cols = x.shape[x.ndim - 1], rows = cols === 0 ? 0 : x.size / cols;
  const k = kernels();
  const out = new Float32Array(rows);
  k.bceLogits(out, logits.data, x.data, rows, cols);
  k.unary('neg', out, out, 0, 0); // log p = −bce
  const shape = x.shape.slice(0, -1);
  return record(new Tensor(out, shape), 'bernoulliLogLik', [x, logits], (g) => {
    let dl: Tensor | null = null, dx: Tensor | null = null;
    if (logits.requiresGrad) {
      // d(−bce)/dl = −(σ(l) − x): the kernel's gradient at −g
      const ng = new Float32Array(rows);
      k.unary('neg', ng, g.data, 0, 0);
      const d = allocData(x.size, 'bernoulliLogLik', true); // written in full by the kernel
      k.bceLogitsGrad(d, ng, logits.data, x.data, rows, cols);
      dl = new Tensor(d, logits.shape);
    }
    if (x.requiresGrad) dx = mul(logits, reshape(g, [...shape, 1])); // d/dx (x l) = l
    return [dx, dl];
  });
}

function sameShape(op: string, names: string[], ts: Tensor[]): void {
  ts.forEach((t, i) => { if (!(t instanceof Tensor)) throw new Error(`${op}: ${names[i]} must be a Tensor`); });
  const s0 = ts[0].shape.join(',');
  for (let i = 1; i < ts.length; i++) {
    if (ts[i].shape.join(',') !== s0) {
      throw new Error(`${op}: ${names[i]} ${fmtShape(ts[i].shape)} must have the shape of ${names[0]} ${fmtShape(ts[0].shape)}`);
    }
  }
}

/** The reparameterised draw z = μ + e^{lv/2} ε from N(μ, diag e^{lv}), as one node (μ, lv, ε of one shape). */
export function reparam(mu: Tensor, logVar: Tensor, eps: Tensor): Tensor {
  sameShape('reparam', ['mu', 'logVar', 'noise'], [mu, logVar, eps]);
  const k = kernels();
  const z = new Float32Array(mu.size);
  k.reparam(z, mu.data, logVar.data, eps.data);
  return record(new Tensor(z, mu.shape), 'reparam', [mu, logVar, eps], (g) => {
    let dlv: Tensor | null = null;
    if (logVar.requiresGrad) {
      const d = new Float32Array(mu.size);
      k.reparamGrad(d, g.data, logVar.data, eps.data);
      dlv = new Tensor(d, mu.shape);
    }
    const deps = eps.requiresGrad ? mul(g, exp(mul(logVar, 0.5))) : null; // dz/dε = e^{lv/2} (rare: the noise is data)
    return [mu.requiresGrad ? g : null, dlv, deps];
  });
}

/** KL(N(μ, diag e^{lv}) ‖ N(0, I)) summed over the last axis, as one node (μ and lv of one shape, at least 1-D). */
export function klStdNormal(mu: Tensor, logVar: Tensor): Tensor {
  sameShape('klStdNormal', ['mu', 'logVar'], [mu, logVar]);
  if (mu.ndim === 0) throw new Error('klStdNormal: mu and logVar need at least one axis (the event axis)');
  const cols = mu.shape[mu.ndim - 1], rows = cols === 0 ? 0 : mu.size / cols;
  const k = kernels();
  const out = new Float32Array(rows);
  k.klStdNormal(out, mu.data, logVar.data, rows, cols);
  return record(new Tensor(out, mu.shape.slice(0, -1)), 'klStdNormal', [mu, logVar], (g) => {
    const dmu = new Float32Array(mu.size), dlv = new Float32Array(mu.size);
    k.klStdNormalGrad(dmu, dlv, g.data, mu.data, logVar.data, rows, cols);
    return [mu.requiresGrad ? new Tensor(dmu, mu.shape) : null, logVar.requiresGrad ? new Tensor(dlv, mu.shape) : null];
  });
}
