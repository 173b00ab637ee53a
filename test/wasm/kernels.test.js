// The wasm backend itself: both builds (plain SIMD and relaxed SIMD) against
// the js reference on shapes that cross every GEMM blocking boundary, the
// arena's memory growth, and the loader's errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, existsSync } from 'node:fs';
import { jsKernels } from '../../dist/backend/js/index.js';
import { loadWasm, wasmInfo } from '../../dist/backend/wasm/index.js';
import { Arena } from '../../dist/backend/wasm/arena.js';
import { makeKernels } from '../../dist/backend/wasm/kernels.js';
import { acceptsRelaxed, instantiateSync, loadFromDisk, defaultWasmDir } from '../../dist/backend/wasm/module.js';
import { lcg } from './page/demo.js';

function allClose(a, e, atol, rtol, msg) {
  assert.is(a.length, e.length, `${msg}: length`);
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]) || (Number.isNaN(a[i]) && Number.isNaN(e[i])) || a[i] === e[i];
    if (!ok) assert.unreachable(`${msg}: element ${i} is ${a[i]}, the reference ${e[i]}`);
  }
}

function build(file) {
  const bytes = readFileSync(new URL(file, defaultWasmDir()));
  if (file.includes('relaxed') && !acceptsRelaxed(bytes)) return null;
  const e = instantiateSync(bytes);
  return { e, k: makeKernels(e, new Arena(e.memory, e.heapBase())) };
}
const builds = ['latentkit.wasm', 'latentkit.relaxed.wasm'].map((f) => [f, build(f)]).filter(([, b]) => b);

test('the default loader gives a full kernel table', () => {
  const k = loadWasm();
  for (const name of ['matmul', 'logsumexp', 'softmax', 'reduce', 'unary', 'binary', 'conv2d', 'conv2dBackwardInput',
    'conv2dBackwardWeight', 'maxPool2d', 'maxPool2dBackward', 'upsample2d', 'upsample2dBackward']) {
    assert.type(k[name], 'function', name);
  }
  assert.ok(wasmInfo().loaded);
  assert.ok(builds.length >= 1);
});

for (const [file, { e, k }] of builds) {
  test(`[${file}] matmul across the blocking boundaries, every transpose, batched`, () => {
    const r = lcg(3);
    // m > MC (128), k > KC (256), n > NC (2048) and ragged edges of the 4×8 tile
    for (const [batch, m, kk, n] of [[1, 131, 259, 11], [2, 7, 3, 2051], [3, 5, 1, 9], [1, 1, 600, 1]]) {
      const a = r(batch * m * kk), b = r(batch * kk * n);
      for (const ta of [false, true]) for (const tb of [false, true]) {
        const got = new Float32Array(batch * m * n), want = new Float32Array(batch * m * n);
        k.matmul(got, a, b, batch, m, kk, n, ta, tb);
        jsKernels.matmul(want, a, b, batch, m, kk, n, ta, tb);
        allClose(got, want, 2e-5 * Math.sqrt(kk), 1e-4, `matmul ${[batch, m, kk, n, ta, tb]}`);
      }
    }
  });

  test(`[${file}] memory grows for a large call and views are refreshed`, () => {
    const before = e.memory.buffer.byteLength;
    const n = 3000, x = new Float32Array(n * n).fill(1), out = new Float32Array(n);
    k.reduce('sum', out, x, 1, n * n, 1); // 36 MB input: forces memory.grow
    assert.ok(e.memory.buffer.byteLength > before);
    assert.is(out[0], n * n);
    const small = Float32Array.of(1, 2, 3), o = new Float32Array(1);
    k.reduce('max', o, small, 1, 3, 1); // after growth: fresh views
    assert.is(o[0], 3);
  });

  test(`[${file}] unary ops at special values match the reference`, () => {
    const xs = Float32Array.from([0, -0, 1e-30, -1e-30, 1e-7, -1e-7, 0.1, -0.1, 1, -1, 20, -20, 88, 89, -87, -88, -104, 100, -100,
      Infinity, -Infinity, NaN, ...lcg(5)(200, -30, 30)]);
    for (const op of ['neg', 'exp', 'log', 'sqrt', 'abs', 'sign', 'square', 'tanh', 'sigmoid', 'relu', 'step', 'leakyRelu',
      'leakyReluGrad', 'softplus', 'logSigmoid', 'log1p', 'pow', 'clip', 'clipGrad']) {
      for (const src of [xs, xs.map(Math.abs)]) {
        const got = new Float32Array(src.length), want = new Float32Array(src.length);
        k.unary(op, got, src, op === 'pow' ? 2 : 0.1, 0.5);
        jsKernels.unary(op, want, src, op === 'pow' ? 2 : 0.1, 0.5);
        allClose(got, want, 1e-6, 2e-6, `unary ${op}`);
      }
    }
  });

  test(`[${file}] logsumexp over the middle axis with -Infinity columns`, () => {
    const x = lcg(9)(3 * 50 * 6, -40, 40);
    for (let j = 0; j < 50; j++) x[j * 6 + 2] = -Infinity;
    const got = new Float32Array(18), want = new Float32Array(18);
    k.logsumexp(got, x, 3, 50, 6);
    jsKernels.logsumexp(want, x, 3, 50, 6);
    allClose(got, want, 1e-5, 1e-6, 'logsumexp');
    assert.is(got[2], -Infinity);
  });
}

test('a missing build directory gives an error that names the file', () => {
  try {
    loadFromDisk(new URL('file:///nonexistent-latentkit-dir/'));
    assert.unreachable('should throw');
  } catch (err) {
    assert.match(err.message, /latentkit\.wasm does not exist/);
  }
  assert.ok(existsSync(new URL('latentkit.wasm', defaultWasmDir())));
});

test.run();
