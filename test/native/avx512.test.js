// The AVX-512 GEMM against the portable path, bit-for-bit shapes that reach
// every register tile it picks (mr = 14, 12, 8 from m), every edge (rows and
// columns short of a tile, k not a multiple of 16 in the transposing packs),
// several cache blocks (k > 384, n > 768) and all four transpose flags.
import * as uvu from 'uvu';
import * as assert from 'uvu/assert';
import { addon, native, jsKernels as js, unavailable, data, close, isasAvailable } from './util.js';
import { testUnless } from '../helpers.js';

const test = testUnless(unavailable || (isasAvailable().includes('avx512') ? '' : 'this CPU has no AVX-512'));

function run(isa, args) {
  const before = addon.info().isa;
  try {
    assert.is(addon.setIsa(isa), isa);
    const [batch, m, k, n, ta, tb, a, b] = args;
    const out = new Float32Array(batch * m * n).fill(NaN);
    native.matmul(out, a, b, batch, m, k, n, ta, tb);
    return out;
  } finally { addon.setIsa(before); }
}

test('avx512 matmul equals the portable one', () => {
  const shapes = [
    [1, 1, 1, 1], [1, 14, 16, 32], [1, 13, 17, 33], [1, 32, 144, 784], [1, 24, 5, 31], [1, 29, 400, 47],
    [1, 337, 390, 65], [1, 50, 31, 800], [2, 15, 17, 18], [3, 8, 1, 16], [1, 1, 1000, 3], [1, 200, 3, 1],
  ];
  for (const [batch, m, k, n] of shapes) {
    for (const ta of [false, true]) for (const tb of [false, true]) {
      const a = data(batch * m * k, m * 3 + k), b = data(batch * k * n, n * 5 + k);
      const args = [batch, m, k, n, ta, tb, a, b];
      const fast = run('avx512', args), slow = run('portable', args);
      close(fast, slow, { atol: 1e-6 * Math.sqrt(k) * 4, rtol: 1e-5, msg: `${[batch, m, k, n, ta, tb]}` });
    }
  }
});

test('avx512 matmul leaves the memory around C alone and reads no NaN padding', () => {
  // C is part of a larger buffer: the masked stores must not touch the guard zone
  const m = 13, k = 21, n = 35;
  const a = data(m * k, 1), b = data(k * n, 2);
  const buf = new Float32Array(m * n + 64).fill(-7);
  const out = buf.subarray(0, m * n);
  const before = addon.info().isa;
  addon.setIsa('avx512');
  try { native.matmul(out, a, b, 1, m, k, n, false, true); } finally { addon.setIsa(before); }
  for (let i = m * n; i < buf.length; i++) assert.is(buf[i], -7);
  for (let i = 0; i < m * n; i++) assert.ok(Number.isFinite(out[i]));
});

test('avx512 conv2d and its gradients equal the portable ones (stride 1 fused path and fallbacks)', () => {
  const cases = [
    // [n, c, h, w, o, kh, kw, stride, pad]: ow from 8 up (1-3 row segments per half panel),
    // pads 0..2, kh != kw, one image (panel chunks), o not a multiple of mr, K > 512 (fallback)
    [1, 3, 9, 8, 4, 3, 3, 1, 1], [2, 2, 11, 15, 15, 3, 3, 1, 0], [3, 1, 12, 30, 1, 5, 5, 1, 2],
    [1, 4, 10, 17, 33, 2, 3, 1, 1], [5, 2, 9, 9, 7, 1, 1, 1, 0], [2, 65, 8, 9, 3, 3, 3, 1, 1],
    [2, 3, 20, 20, 5, 3, 3, 2, 1], [1, 2, 4, 5, 3, 3, 3, 1, 1], [9, 16, 14, 14, 32, 3, 3, 1, 1],
    // one large image: the GEMMs split over the pool with pre-packed B (forward stride 2, dW stride 1)
    [1, 8, 64, 64, 16, 3, 3, 2, 1], [1, 8, 40, 40, 16, 3, 3, 1, 1],
  ];
  for (const [n, c, h, w, o, kh, kw, stride, pad] of cases) {
    const oh = Math.floor((h + 2 * pad - kh) / stride) + 1, ow = Math.floor((w + 2 * pad - kw) / stride) + 1;
    const d = { n, c, h, w, o, kh, kw, stride, pad, oh, ow };
    const x = data(n * c * h * w, c + h), wt = data(o * c * kh * kw, o + kw, 0.5), dy = data(n * o * oh * ow, 3);
    const before = addon.info().isa;
    const outs = {};
    try {
      for (const isa of ['avx512', 'portable']) {
        addon.setIsa(isa);
        const y = new Float32Array(n * o * oh * ow).fill(NaN), dx = new Float32Array(x.length).fill(NaN);
        const dw = new Float32Array(wt.length).fill(NaN);
        native.conv2d(y, x, wt, d);
        native.conv2dBackwardInput(dx, dy, wt, d);
        native.conv2dBackwardWeight(dw, x, dy, d);
        outs[isa] = { y, dx, dw };
      }
    } finally { addon.setIsa(before); }
    const tol = (k) => ({ atol: 1e-6 * Math.sqrt(k) * 8, rtol: 1e-5 });
    const K = c * kh * kw;
    close(outs.avx512.y, outs.portable.y, { ...tol(K), msg: `y ${JSON.stringify(d)}` });
    close(outs.avx512.dx, outs.portable.dx, { ...tol(o * kh * kw), msg: `dx ${JSON.stringify(d)}` });
    close(outs.avx512.dw, outs.portable.dw, { ...tol(n * oh * ow), msg: `dw ${JSON.stringify(d)}` });
  }
});

test('avx512 softmax / logsumexp: exact zeros for -Infinity, underflow, every tail length', () => {
  const before = addon.info().isa;
  try {
    addon.setIsa('avx512');
    for (const n of [1, 15, 16, 17, 33, 1024]) {
      const x = data(3 * n, n, 30);
      x[0] = -Infinity;
      if (n > 2) x[n + 1] = -1e30;
      const gs = new Float32Array(x.length), ws = new Float32Array(x.length);
      native.softmax(gs, x, 3, n, 1, false); js.softmax(ws, x, 3, n, 1, false);
      close(gs, ws, { atol: 1e-6, rtol: 1e-5, msg: `softmax n=${n}` });
      if (n > 1) assert.is(gs[0], 0);
      const g = new Float32Array(3), w = new Float32Array(3);
      native.logsumexp(g, x, 3, n, 1); js.logsumexp(w, x, 3, n, 1);
      close(g, w, { atol: 1e-5, rtol: 1e-6, msg: `logsumexp n=${n}` });
    }
  } finally { addon.setIsa(before); }
});

uvu.test.run();
