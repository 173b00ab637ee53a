// Functional gradients and finite-difference gradient checking.
import { Tensor, fmtShape } from './tensor.js';
import { noGrad, isGradEnabled } from './engine.js';

function asLeaves(xs: Tensor[], op: string): Tensor[] {
  return xs.map((x, i) => {
    if (!(x instanceof Tensor)) throw new Error(`${op}: argument ${i} is not a Tensor`);
    const v = new Tensor(x.data.slice(), x.shape);
    v.requiresGrad = true;
    return v;
  });
}

function scalarOf(y: unknown, op: string): Tensor {
  if (!(y instanceof Tensor)) throw new Error(`${op}: f must return a Tensor, got ${typeof y}`);
  if (y.size !== 1) throw new Error(`${op}: f must return a scalar, got shape ${fmtShape(y.shape)}; reduce it (e.g. .sum())`);
  return y;
}

/** grad(f)(...xs): the gradients of scalar f with respect to each argument. */
export function grad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor[] {
  return (...xs: Tensor[]) => {
    if (!isGradEnabled()) throw new Error('grad: cannot differentiate inside noGrad()');
    const leaves = asLeaves(xs, 'grad');
    const y = scalarOf(f(...leaves), 'grad');
    if (!y.requiresGrad) return leaves.map((l) => new Tensor(new Float32Array(l.size), l.shape));
    y.backward();
    return leaves.map((l) => l.grad ?? new Tensor(new Float32Array(l.size), l.shape));
  };
}

/** gradcheck settings: the finite-difference step and the tolerances. */
export interface GradcheckOptions { eps?: number; atol?: number; rtol?: number }
/** gradcheck outcome: ok when every gradient entry is within tolerance, and the largest errors. */
export interface GradcheckResult { ok: boolean; maxAbsErr: number; maxRelErr: number }

/**
 * Compare analytic gradients with central differences (f(x+ε) − f(x−ε)) / 2ε,
 * evaluated in float64 on the float32 outputs. ok when, for every element,
 * |analytic − numeric| <= atol + rtol |numeric|.
 */
export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts: GradcheckOptions = {}): GradcheckResult {
  if (typeof f !== 'function') throw new Error('gradcheck: f must be a function of the inputs returning a scalar Tensor');
  if (!Array.isArray(inputs)) throw new Error('gradcheck: inputs must be an array of Tensors, e.g. gradcheck(f, [x])');
  const eps = opts.eps ?? 1e-3, atol = opts.atol ?? 1e-2, rtol = opts.rtol ?? 1e-2;
  if (!(eps > 0 && Number.isFinite(eps))) throw new Error(`gradcheck: eps must be a positive step (e.g. 1e-3), got ${eps}`);
  if (!(atol >= 0) || !(rtol >= 0)) throw new Error(`gradcheck: atol and rtol must be non-negative, got ${atol}, ${rtol}`);
  const analytic = grad(f)(...inputs);
  const xs = inputs.map((x) => new Tensor(x.data.slice(), x.shape));
  let maxAbsErr = 0, maxRelErr = 0, ok = true;
  noGrad(() => {
    const evalF = () => scalarOf(f(...xs), 'gradcheck').data[0];
    xs.forEach((x, i) => {
      for (let j = 0; j < x.size; j++) {
        const orig = x.data[j];
        x.data[j] = orig + eps; const fp = evalF();
        x.data[j] = orig - eps; const fm = evalF();
        x.data[j] = orig;
        const h = Math.fround(orig + eps) - Math.fround(orig - eps); // the step float32 actually took
        const numeric = (fp - fm) / h;
        const a = analytic[i].data[j];
        const abs = Math.abs(a - numeric);
        const rel = abs / Math.max(Math.abs(numeric), 1e-12);
        if (!(abs <= atol + rtol * Math.abs(numeric))) ok = false;
        if (abs > maxAbsErr || Number.isNaN(abs)) maxAbsErr = abs;
        if (rel > maxRelErr || Number.isNaN(rel)) maxRelErr = rel;
      }
    });
  });
  return { ok, maxAbsErr, maxRelErr };
}
