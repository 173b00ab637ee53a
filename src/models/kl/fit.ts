// Fitting a 1-D Gaussian q = N(m, s²) to a target density p given on a grid.
//   forward  KL(p‖q) is minimised by moment matching: m = E_p[x], s² = Var_p[x]
//            (mass-covering);
//   reverse  KL(q‖p) = −H(q) − E_q[ln p] + const, minimised over (m, ln s) by
//            Nelder–Mead from several starts (mode-seeking).
import { Tensor } from '../../autograd/tensor.js';
import { refuseUnknown, enumOption, intOption } from '../options.js';

/** fitGaussian options: the KL direction and the integration grid. */
export interface FitGaussianOptions {
  direction?: 'forward' | 'reverse';
  lo?: number;
  hi?: number;
  points?: number;
}

/** The Gaussian fitted by fitGaussian, with the KL it reaches. */
export interface FitGaussianResult { mean: number; std: number; kl: number; direction: 'forward' | 'reverse' }

const LN_SQRT_2PIE = 0.5 * Math.log(2 * Math.PI * Math.E);

/**
 * The Gaussian closest to the 1-D target `logDensity` (possibly unnormalised;
 * it maps a Tensor of points [P] to log-densities [P]) in forward or reverse KL,
 * integrated on `points` grid points over [lo, hi]. Returns {mean, std, kl}.
 */
export function fitGaussian(logDensity: (x: Tensor) => Tensor | ArrayLike<number>, opts: FitGaussianOptions = {}): FitGaussianResult {
  refuseUnknown(opts, ['direction', 'lo', 'hi', 'points'], 'fitGaussian');
  const { lo = -10, hi = 10 } = opts;
  if (typeof logDensity !== 'function') throw new Error('fitGaussian: logDensity must be a function from a Tensor of points to their log-densities');
  const direction = enumOption(opts.direction ?? 'forward', 'direction', 'fitGaussian', ['forward', 'reverse']);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) throw new Error(`fitGaussian: need finite lo < hi, got [${lo}, ${hi}]`);
  const points = intOption(opts.points ?? 2001, 'points', 'fitGaussian', 11);
  const dx = (hi - lo) / (points - 1);
  const xs = Float64Array.from({ length: points }, (_, i) => lo + i * dx);
  const out = logDensity(new Tensor(Float32Array.from(xs), [points]));
  const lpRaw = out instanceof Tensor ? out.data : out;
  if (lpRaw.length !== points) throw new Error(`fitGaussian: logDensity returned ${lpRaw.length} values for ${points} points`);
  // normalise p on the grid: ln p = ln p̃ − ln Σ p̃ dx
  let mx = -Infinity;
  for (let i = 0; i < points; i++) {
    if (Number.isNaN(lpRaw[i]) || lpRaw[i] === Infinity) throw new Error(`fitGaussian: logDensity is ${lpRaw[i]} at x = ${xs[i]}; it must be finite or -Infinity`);
    mx = Math.max(mx, lpRaw[i]);
  }
  if (mx === -Infinity) throw new Error('fitGaussian: the density is zero on the whole grid; widen [lo, hi]');
  let z = 0;
  for (let i = 0; i < points; i++) z += Math.exp(lpRaw[i] - mx) * dx;
  const lp = Float64Array.from(lpRaw, (v) => v - mx - Math.log(z));
  const p = Float64Array.from(lp, (v) => Math.exp(v));
  let m = 0, v2 = 0;
  for (let i = 0; i < points; i++) m += xs[i] * p[i] * dx;
  for (let i = 0; i < points; i++) v2 += (xs[i] - m) ** 2 * p[i] * dx;
  const forwardKL = (mu: number, s: number): number => {
    let k = 0;
    for (let i = 0; i < points; i++) if (p[i] > 0) k += p[i] * (lp[i] - logNormal(xs[i], mu, s)) * dx;
    return k;
  };
  // KL(q‖p) = −H(q) − E_q[ln p], with E_q on the grid (q renormalised there)
  const reverseKL = (mu: number, s: number): number => {
    if (!(s >= dx)) return Infinity;
    let e = 0, qs = 0;
    for (let i = 0; i < points; i++) {
      const q = Math.exp(logNormal(xs[i], mu, s)) * dx;
      qs += q;
      e += q === 0 ? 0 : q * (lp[i] === -Infinity ? -1e300 : lp[i]);
    }
    return -(Math.log(s) + LN_SQRT_2PIE) - e / qs;
  };
  if (direction === 'forward') {
    const s = Math.sqrt(v2);
    return { mean: m, std: s, kl: forwardKL(m, s), direction };
  }
  let best = { mean: m, std: Math.sqrt(v2), kl: Infinity };
  let mode = 0;
  for (let i = 1; i < points; i++) if (lp[i] > lp[mode]) mode = i;
  for (const start of [[m, Math.log(Math.sqrt(v2))], [xs[mode], Math.log(Math.sqrt(v2) / 2)], [xs[mode], Math.log(4 * dx + (hi - lo) / 50)]]) {
    const r = nelderMead(([a, ls]) => reverseKL(a, Math.exp(ls)), start);
    if (r.f < best.kl) best = { mean: r.x[0], std: Math.exp(r.x[1]), kl: r.f };
  }
  return { ...best, direction };
}

function logNormal(x: number, mu: number, s: number): number {
  return -0.5 * Math.log(2 * Math.PI) - Math.log(s) - (0.5 * (x - mu) ** 2) / (s * s);
}

/** Nelder–Mead minimisation in 2-D. */
function nelderMead(f: (x: number[]) => number, x0: number[], iters = 400): { x: number[]; f: number } {
  let simplex = [x0, [x0[0] + 0.5, x0[1]], [x0[0], x0[1] + 0.3]].map((x) => ({ x, f: f(x) }));
  for (let it = 0; it < iters; it++) {
    simplex.sort((a, b) => a.f - b.f);
    const [b, g, w] = simplex;
    if (Math.abs(w.f - b.f) < 1e-12 && Math.hypot(w.x[0] - b.x[0], w.x[1] - b.x[1]) < 1e-9) break;
    const c = [(b.x[0] + g.x[0]) / 2, (b.x[1] + g.x[1]) / 2];
    const at = (t: number): number[] => [c[0] + t * (w.x[0] - c[0]), c[1] + t * (w.x[1] - c[1])];
    const r = { x: at(-1), f: 0 }; r.f = f(r.x);
    if (r.f < b.f) {
      const e = { x: at(-2), f: 0 }; e.f = f(e.x);
      simplex[2] = e.f < r.f ? e : r;
    } else if (r.f < g.f) simplex[2] = r;
    else {
      const k = { x: at(0.5), f: 0 }; k.f = f(k.x);
      if (k.f < w.f) simplex[2] = k;
      else simplex = simplex.map((s, i) => (i === 0 ? s : { x: [(s.x[0] + b.x[0]) / 2, (s.x[1] + b.x[1]) / 2], f: f([(s.x[0] + b.x[0]) / 2, (s.x[1] + b.x[1]) / 2]) }));
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  return simplex[0];
}
