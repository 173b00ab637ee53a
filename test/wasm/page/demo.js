// The computation the browser page runs, written against the kernel contract
// only, so the same code runs on the wasm kernels in the page and on the js
// reference kernels in Node (test/wasm/browser.test.js compares the two).
//   1. a matmul, plain and with each transpose flag;
//   2. one VAE step, 784-500-2 (batch 16): forward, loss, backward by hand.
// Inputs come from a fixed linear congruential generator: both sides see the same numbers.

/** Deterministic uniform floats in [lo, hi). */
export function lcg(seed) {
  let s = seed >>> 0;
  return (n, lo = -1, hi = 1) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; out[i] = lo + (hi - lo) * (s / 4294967296); }
    return out;
  };
}

const sum = (a) => { let s = 0; for (const v of a) s += v; return s; };
const norm = (a) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));

function matmuls(K) {
  const r = lcg(7), m = 64, k = 48, n = 40;
  const a = r(m * k), b = r(k * n), out = new Float32Array(m * n);
  const res = {};
  for (const [ta, tb] of [[false, false], [true, false], [false, true]]) {
    K.matmul(out, a, b, 1, m, k, n, ta, tb);
    res[`matmul${ta ? '_tA' : ''}${tb ? '_tB' : ''}`] = { sum: sum(out), first: out[0], last: out[m * n - 1] };
  }
  return res;
}

// loss = (1/B) Σ_b [ Σ_i (softplus(f_bi) − x_bi f_bi) + ½ Σ_j (μ² + e^lv − 1 − lv)_bj ]
// with h = tanh(x W1 + b1), μ = h Wμ, lv = h Wv, z = μ + e^{lv/2} ε, g = tanh(z W2 + b2), f = g W3 + b3.
function vaeStep(K) {
  const B = 16, D = 784, H = 500, Z = 2;
  const r = lcg(42);
  const x = r(B * D, 0, 1).map((v) => (v > 0.7 ? 1 : 0));
  const s1 = Math.sqrt(6 / (D + H)), s2 = Math.sqrt(6 / (H + Z));
  const W1 = r(D * H, -s1, s1), Wm = r(H * Z, -s2, s2), Wv = r(H * Z, -s2, s2), W2 = r(Z * H, -s2, s2), W3 = r(H * D, -s1, s1);
  const eps = r(B * Z);
  const mm = (a, b, m, k, n, ta = false, tb = false) => { const o = new Float32Array(m * n); K.matmul(o, a, b, 1, m, k, n, ta, tb); return o; };
  const un = (op, a, alpha = 0) => { const o = new Float32Array(a.length); K.unary(op, a, o, alpha, 0); return o; };
  const bin = (op, a, b) => { const o = new Float32Array(a.length); K.binary(op, a, b, o, [a.length], [1], [b.length === 1 ? 0 : 1]); return o; };
  // forward
  const h = un('tanh', mm(x, W1, B, D, H));
  const mu = mm(h, Wm, B, H, Z), lv = mm(h, Wv, B, H, Z);
  const sd = un('exp', bin('mul', lv, Float32Array.of(0.5)));
  const z = bin('add', mu, bin('mul', sd, eps));
  const g = un('tanh', mm(z, W2, B, Z, H));
  const f = mm(g, W3, B, H, D);
  const recon = bin('sub', un('softplus', f), bin('mul', x, f));
  const kl = bin('mul', bin('sub', bin('sub', bin('add', un('square', mu), un('exp', lv)), Float32Array.of(1)), lv), Float32Array.of(0.5));
  const total = new Float32Array(1);
  K.reduce('sum', recon, total, 1, recon.length, 1);
  const klSum = new Float32Array(1);
  K.reduce('sum', kl, klSum, 1, kl.length, 1);
  const loss = (total[0] + klSum[0]) / B;
  // backward: df = (σ(f) − x)/B; dW3 = gᵀ df; dg = df W3ᵀ; da2 = dg (1 − g²); dW2 = zᵀ da2; dz = da2 W2ᵀ
  const invB = Float32Array.of(1 / B);
  const df = bin('mul', bin('sub', un('sigmoid', f), x), invB);
  const dW3 = mm(g, df, H, B, D, true, false);
  const dg = mm(df, W3, B, D, H, false, true);
  const oneMinusG2 = bin('sub', new Float32Array(g.length).fill(1), un('square', g));
  const dA2 = bin('mul', dg, oneMinusG2);
  const dW2 = mm(z, dA2, Z, B, H, true, false);
  const dz = mm(dA2, W2, B, H, Z, false, true);
  // dμ = dz + μ/B, dlv = dz·ε·½e^{lv/2} + ½(e^lv − 1)/B
  const dmu = bin('add', dz, bin('mul', mu, invB));
  const dlv = bin('add', bin('mul', bin('mul', dz, eps), bin('mul', sd, Float32Array.of(0.5))),
    bin('mul', bin('sub', un('exp', lv), Float32Array.of(1)), Float32Array.of(0.5 / B)));
  const dWm = mm(h, dmu, H, B, Z, true, false), dWv = mm(h, dlv, H, B, Z, true, false);
  const dh = bin('add', mm(dmu, Wm, B, Z, H, false, true), mm(dlv, Wv, B, Z, H, false, true));
  const dA1 = bin('mul', dh, bin('sub', new Float32Array(h.length).fill(1), un('square', h)));
  const dW1 = mm(x, dA1, D, B, H, true, false);
  return { loss, gradNorms: [dW1, dWm, dWv, dW2, dW3].map(norm) };
}

/** Run everything on a kernel table; returns plain numbers (JSON-safe). */
export function runDemo(K) {
  return { ...matmuls(K), vae: vaeStep(K) };
}
