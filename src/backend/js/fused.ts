// Reference fused kernels of the autograd layer (float64 arithmetic, float32 storage).
import { sigmoid, softplus } from './elementwise.js';

/** act(v) for the activation codes of kernels.fused.spec.mjs (0 identity, 1 tanh, 2 relu, 3 sigmoid). */
function act(code: number, v: number): number {
  if (code === 1) return Math.tanh(v);
  if (code === 2) return v > 0 ? v : 0;
  if (code === 3) return sigmoid(v);
  return v;
}

/** act'(x) written in y = act(x). */
function actGrad(code: number, y: number): number {
  if (code === 1) return 1 - y * y;
  if (code === 2) return y > 0 ? 1 : 0;
  if (code === 3) return y * (1 - y);
  return 1;
}

export function biasAct(y: Float32Array, bias: Float32Array, rows: number, cols: number, code: number): void {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) y[o + j] = act(code, y[o + j] + bias[j]);
  }
}

export function biasActGrad(dx: Float32Array, db: Float32Array, g: Float32Array, y: Float32Array, rows: number,
  cols: number, code: number): void {
  const acc = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const d = Math.fround(g[o + j] * actGrad(code, y[o + j]));
      dx[o + j] = d;
      acc[j] += d;
    }
  }
  db.set(acc);
}

// bce(l, x) = max(l, 0) − l x + log(1 + e^−|l|) = softplus(l) − l x
export function bceLogits(out: Float32Array, logits: Float32Array, x: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = i * cols, e = j + cols; j < e; j++) s += softplus(logits[j]) - logits[j] * x[j];
    out[i] = s;
  }
}

// d bce / dl = σ(l) − x
export function bceLogitsGrad(dl: Float32Array, g: Float32Array, logits: Float32Array, x: Float32Array, rows: number,
  cols: number): void {
  for (let i = 0; i < rows; i++) {
    const gi = g[i];
    for (let j = i * cols, e = j + cols; j < e; j++) dl[j] = gi * (sigmoid(logits[j]) - x[j]);
  }
}

// z = μ + e^{lv/2} ε
export function reparam(z: Float32Array, mu: Float32Array, logVar: Float32Array, eps: Float32Array): void {
  for (let i = 0; i < z.length; i++) z[i] = mu[i] + Math.exp(0.5 * logVar[i]) * eps[i];
}

// dz/dlv = ½ e^{lv/2} ε
export function reparamGrad(dlv: Float32Array, g: Float32Array, logVar: Float32Array, eps: Float32Array): void {
  for (let i = 0; i < dlv.length; i++) dlv[i] = 0.5 * g[i] * Math.exp(0.5 * logVar[i]) * eps[i];
}

// KL(N(μ, e^{lv}) ‖ N(0, 1)) summed per row: ½ Σ (e^{lv} + μ² − 1 − lv)
export function klStdNormal(out: Float32Array, mu: Float32Array, logVar: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = i * cols, e = j + cols; j < e; j++) s += Math.exp(logVar[j]) + mu[j] * mu[j] - 1 - logVar[j];
    out[i] = 0.5 * s;
  }
}

// d/dμ = μ, d/dlv = ½ (e^{lv} − 1), each times g[row]
export function klStdNormalGrad(dmu: Float32Array, dlv: Float32Array, g: Float32Array, mu: Float32Array, logVar: Float32Array,
  rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const gi = g[i];
    for (let j = i * cols, e = j + cols; j < e; j++) {
      dmu[j] = gi * mu[j];
      dlv[j] = 0.5 * gi * (Math.exp(logVar[j]) - 1);
    }
  }
}
