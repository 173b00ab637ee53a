// Reference reductions along the middle axis of [outer, n, inner], in float64.

import type { ReduceOp } from '../contract.js';
export function reduce(op: ReduceOp, out: Float32Array, x: Float32Array, outer: number, n: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      if (op === 'sum') {
        let s = 0;
        for (let j = 0; j < n; j++) s += x[base + j * inner + i];
        out[o * inner + i] = s;
      } else {
        let m = -Infinity;
        for (let j = 0; j < n; j++) {
          const v = x[base + j * inner + i];
          if (v > m || Number.isNaN(v)) m = v;
          if (Number.isNaN(m)) break;
        }
        out[o * inner + i] = m;
      }
    }
  }
}

// logsumexp = m + log Σ_j exp(x_j − m), with m = max_j x_j (−∞ when every x_j is −∞).
export function logsumexp(out: Float32Array, x: Float32Array, outer: number, n: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let m = -Infinity;
      for (let j = 0; j < n; j++) m = Math.max(m, x[base + j * inner + i]);
      if (m === -Infinity || m === Infinity || Number.isNaN(m)) { out[o * inner + i] = m; continue; }
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(x[base + j * inner + i] - m);
      out[o * inner + i] = m + Math.log(s);
    }
  }
}

// softmax_j = exp(x_j − lse), log-softmax_j = x_j − lse.
export function softmax(out: Float32Array, x: Float32Array, outer: number, n: number, inner: number, log: boolean): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let m = -Infinity;
      for (let j = 0; j < n; j++) m = Math.max(m, x[base + j * inner + i]);
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(x[base + j * inner + i] - m);
      const lse = m + Math.log(s);
      for (let j = 0; j < n; j++) {
        const k = base + j * inner + i;
        out[k] = log ? x[k] - lse : Math.exp(x[k] - lse);
      }
    }
  }
}
