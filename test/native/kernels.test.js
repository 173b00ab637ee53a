// The native kernels against the float64 js reference on shapes the shared
// suite does not reach: several cache blocks (k > 256, m > 144), the batched
// and threaded GEMM paths, strided/padded convolutions, and both ISAs.
import * as uvu from 'uvu';
import { jsKernels as js, native, unavailable, data, close, eachIsa, convDims } from './util.js';
import { testUnless } from '../helpers.js';

const test = testUnless(unavailable);

test('matmul over several cache blocks, every transpose flag, both ISAs', () => {
  const shapes = [[1, 300, 520, 150], [1, 145, 257, 17], [1, 7, 600, 3], [5, 20, 30, 40], [3, 61, 33, 70], [2, 150, 1, 300]];
  eachIsa((isa) => {
    for (const [batch, m, k, n] of shapes) {
      for (const ta of [false, true]) for (const tb of [false, true]) {
        const a = data(batch * m * k, m + k), b = data(batch * k * n, n + 7);
        const got = new Float32Array(batch * m * n).fill(NaN), want = new Float32Array(batch * m * n);
        native.matmul(got, a, b, batch, m, k, n, ta, tb);
        js.matmul(want, a, b, batch, m, k, n, ta, tb);
        // float32 sums of k products of values in [-1, 1]: error grows like sqrt(k)·eps
        close(got, want, { atol: 2e-6 * Math.sqrt(k) * 4, rtol: 1e-4, msg: `${isa} ${[batch, m, k, n, ta, tb]}` });
      }
    }
  });
});

test('matmul with k = 0 writes zeros; empty outputs are fine', () => {
  const out = new Float32Array(6).fill(7);
  native.matmul(out, new Float32Array(0), new Float32Array(0), 1, 2, 0, 3, false, false);
  close(out, new Float32Array(6));
  native.matmul(new Float32Array(0), new Float32Array(0), new Float32Array(12), 1, 0, 4, 3, false, false);
});

test('conv2d and both gradients: strides, paddings, 1x1, one and many images', () => {
  const cases = [
    convDims(1, 3, 9, 11, 4, 3, 3, 1, 1), convDims(5, 2, 10, 7, 3, 3, 2, 2, 1), convDims(2, 4, 8, 8, 5, 1, 1, 1, 0),
    convDims(3, 1, 5, 5, 2, 5, 5, 1, 2), convDims(2, 3, 13, 12, 6, 4, 3, 3, 2), convDims(4, 16, 12, 12, 8, 3, 3, 1, 0),
    convDims(1, 2, 1, 1, 2, 3, 3, 1, 1),
  ];
  eachIsa((isa) => {
    for (const d of cases) {
      const x = data(d.n * d.c * d.h * d.w, 3), w = data(d.o * d.c * d.kh * d.kw, 4), dy = data(d.n * d.o * d.oh * d.ow, 5);
      const pairs = [
        ['conv2d', d.n * d.o * d.oh * d.ow, (k, out) => k.conv2d(out, x, w, d)],
        ['conv2dBackwardInput', x.length, (k, out) => k.conv2dBackwardInput(out, dy, w, d)],
        ['conv2dBackwardWeight', w.length, (k, out) => k.conv2dBackwardWeight(out, x, dy, d)],
      ];
      for (const [name, len, run] of pairs) {
        const got = new Float32Array(len).fill(NaN), want = new Float32Array(len);
        run(native, got); run(js, want);
        close(got, want, { atol: 1e-4, rtol: 1e-4, msg: `${isa} ${name} ${JSON.stringify(d)}` });
      }
    }
  });
});

test('maxPool2d (with NaN and ties), upsample2d and their gradients', () => {
  const d = { n: 2, c: 3, h: 7, w: 6, k: 3, stride: 2, oh: 3, ow: 2 };
  const x = data(2 * 3 * 7 * 6, 9);
  x[5] = NaN; x[50] = x[51] = 2;
  const o1 = new Float32Array(36), o2 = new Float32Array(36), a1 = new Int32Array(36), a2 = new Int32Array(36);
  native.maxPool2d(o1, a1, x, d); js.maxPool2d(o2, a2, x, d);
  close(o1, o2, { atol: 0, rtol: 0, msg: 'maxPool2d' });
  close(a1, a2, { atol: 0, rtol: 0, msg: 'argmax' });
  const dy = data(36, 10), g1 = new Float32Array(x.length), g2 = new Float32Array(x.length);
  native.maxPool2dBackward(g1, dy, a1, d); js.maxPool2dBackward(g2, dy, a2, d);
  close(g1, g2, { atol: 0, rtol: 0, msg: 'maxPool2dBackward' });
  const u = data(2 * 3 * 4 * 5, 11), up1 = new Float32Array(u.length * 9), up2 = new Float32Array(u.length * 9);
  native.upsample2d(up1, u, 2, 3, 4, 5, 3); js.upsample2d(up2, u, 2, 3, 4, 5, 3);
  close(up1, up2, { atol: 0, rtol: 0, msg: 'upsample2d' });
  const b1 = new Float32Array(u.length), b2 = new Float32Array(u.length);
  native.upsample2dBackward(b1, up1, 2, 3, 4, 5, 3); js.upsample2dBackward(b2, up1, 2, 3, 4, 5, 3);
  close(b1, b2, { atol: 1e-6, msg: 'upsample2dBackward' });
});

test('unary ops, including special values, on both ISAs', () => {
  const ops = ['neg', 'exp', 'log', 'sqrt', 'abs', 'sign', 'square', 'tanh', 'sigmoid', 'relu', 'step', 'leakyRelu',
    'leakyReluGrad', 'softplus', 'logSigmoid', 'log1p', 'pow', 'clip', 'clipGrad'];
  const x = data(1003, 12, 30);
  x.set([0, -0, NaN, Infinity, -Infinity, 1e-7, -1e-7, 88, -100, 0.5], 0);
  eachIsa((isa) => {
    for (const op of ops) {
      const got = new Float32Array(x.length), want = new Float32Array(x.length);
      native.unary(op, got, x, op === 'pow' ? 3 : op === 'clip' || op === 'clipGrad' ? -2 : 0.1, 2.5);
      js.unary(op, want, x, op === 'pow' ? 3 : op === 'clip' || op === 'clipGrad' ? -2 : 0.1, 2.5);
      close(got, want, { atol: 1e-6, rtol: 2e-6, msg: `${isa} ${op}` });
    }
  });
});

test('binary ops with broadcasting and scalars', () => {
  const a = data(4 * 3 * 5, 13), b = data(3 * 1, 14), s = new Float32Array([0.5]);
  for (const op of ['add', 'sub', 'mul', 'div', 'eq', 'gt']) {
    const cases = [
      [a, b, [4, 3, 5], [15, 5, 1], [0, 1, 0]],
      [a, a, [4, 3, 5], [15, 5, 1], [15, 5, 1]],
      [s, a, [4, 3, 5], [0, 0, 0], [15, 5, 1]],
      [a, s, [60], [1], [0]],
      [b, data(5, 15), [3, 5], [1, 0], [0, 1]],
    ];
    for (const [x, y, shape, sa, sb] of cases) {
      const len = shape.reduce((p, q) => p * q, 1);
      const got = new Float32Array(len), want = new Float32Array(len);
      native.binary(op, got, x, y, shape, sa, sb); js.binary(op, want, x, y, shape, sa, sb);
      close(got, want, { atol: 0, rtol: 1e-7, msg: `${op} ${shape}` });
    }
  }
});

test('sum of long rows (split over the pool in float64 chunks), every ISA', () => {
  for (const [outer, n] of [[1, 300001], [1, 1 << 17], [1, 1000003]]) {
    const x = data(outer * n, n % 97, 3);
    eachIsa((isa) => {
      const got = new Float32Array(outer), want = new Float32Array(outer);
      native.reduce('sum', got, x, outer, n, 1); js.reduce('sum', want, x, outer, n, 1);
      close(got, want, { atol: 1e-3, rtol: 1e-6, msg: `${isa} sum ${[outer, n]}` });
    });
  }
});

test('reduce, logsumexp and softmax along first, middle and last axes', () => {
  const x = data(6 * 37 * 5, 16, 10);
  x[100] = -Infinity;
  for (const [outer, n, inner] of [[6, 37, 5], [1, 6, 185], [222, 5, 1], [6 * 37, 5, 1], [1, 1110, 1]]) {
    eachIsa((isa) => {
      for (const op of ['sum', 'max']) {
        const got = new Float32Array(outer * inner), want = new Float32Array(outer * inner);
        native.reduce(op, got, x, outer, n, inner); js.reduce(op, want, x, outer, n, inner);
        close(got, want, { atol: 1e-5, rtol: 1e-6, msg: `${isa} ${op} ${[outer, n, inner]}` });
      }
      const g = new Float32Array(outer * inner), w = new Float32Array(outer * inner);
      native.logsumexp(g, x, outer, n, inner); js.logsumexp(w, x, outer, n, inner);
      close(g, w, { atol: 1e-5, rtol: 1e-5, msg: `${isa} logsumexp ${[outer, n, inner]}` });
      for (const log of [false, true]) {
        const gs = new Float32Array(x.length), ws = new Float32Array(x.length);
        native.softmax(gs, x, outer, n, inner, log); js.softmax(ws, x, outer, n, inner, log);
        close(gs, ws, { atol: 1e-5, rtol: 1e-5, msg: `${isa} softmax(log=${log}) ${[outer, n, inner]}` });
      }
    });
  }
});

test('transpose of a 4-D array', () => {
  const shape = [3, 4, 5, 6], x = data(360, 17);
  for (const perm of [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [0, 2, 1, 3]]) {
    const got = new Float32Array(360), want = new Float32Array(360);
    native.transpose(got, x, shape, perm); js.transpose(want, x, shape, perm);
    close(got, want, { atol: 0, rtol: 0, msg: `perm ${perm}` });
  }
});

uvu.test.run();
