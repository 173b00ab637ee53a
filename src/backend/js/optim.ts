// Reference optimiser kernel: one Adam step in place (see contract.ts).

export function adam(p: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, lr: number, beta1: number,
  beta2: number, eps: number, step: number, weightDecay: number): void {
  const c1 = 1 - beta1 ** step, c2 = 1 - beta2 ** step;
  for (let j = 0; j < p.length; j++) {
    const gj = g[j] + weightDecay * p[j];
    const mj = beta1 * m[j] + (1 - beta1) * gj;
    const vj = beta2 * v[j] + (1 - beta2) * gj * gj;
    m[j] = mj;
    v[j] = vj;
    p[j] -= (lr * (mj / c1)) / (Math.sqrt(vj / c2) + eps);
  }
}
