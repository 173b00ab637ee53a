// The wasm threads build: split matmul and conv calls give the one-thread
// results (bit-for-bit where the split keeps every sum's order, within the
// backend tolerance of the js reference everywhere), setThreads, the fallback
// to one thread (no shared memory, a failing worker) and a clean exit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as lk from '../../dist/index.js';
import { jsKernels } from '../../dist/backend/js/index.js';
import { loadWasm, wasmInfo, closeWasmThreads } from '../../dist/backend/wasm/index.js';
import { setParallelThreshold, PAR_MIN_FLOPS, PAR_FNS, RANGE_KERNELS, threadsForCall } from '../../dist/backend/wasm/parallel.js';
import { UNARY_OPS } from '../../dist/backend/contract.gen.js';
import { Pool } from '../../dist/backend/wasm/pool.js';
import { defaultWasmDir, instantiateShared, sharedMemory } from '../../dist/backend/wasm/module.js';
import { lcg } from './page/demo.js';

const RUNS = Number(process.env.LATENTKIT_FC_RUNS ?? 25);
const dist = new URL('../../dist/index.js', import.meta.url).href;
const threadsFile = new URL('latentkit.threads.wasm', defaultWasmDir());
const k = loadWasm();
const shared = wasmInfo().shared;
const t = shared ? test : (name) => test.skip(name);
if (!shared) console.log(`\nskipped: threads tests (the threads build ${fileURLToPath(threadsFile)} did not load; npm run build:wasm)`);

function allClose(a, e, atol, rtol, msg) {
  assert.is(a.length, e.length, `${msg}: length`);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) assert.unreachable(`${msg}: element ${i} is ${a[i]}, the reference ${e[i]}`);
  }
}
function sameBits(a, b, msg) {
  assert.is(a.length, b.length, `${msg}: length`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.unreachable(`${msg}: element ${i}: ${a[i]} on 2 threads, ${b[i]} on 1`);
}

/** Run fn on one thread (threshold ∞) and on `threads` with every call split (threshold 0). */
function oneAndMany(threads, fn) {
  const saved = PAR_MIN_FLOPS;
  if (lk.getThreads() !== threads) lk.setThreads(threads); // a new pool only when the count changes
  try {
    setParallelThreshold(Infinity);
    const one = fn();
    setParallelThreshold(0);
    const many = fn();
    return { one, many };
  } finally {
    setParallelThreshold(saved);
  }
}

t('setThreads / getThreads: the count in effect, clear errors for bad input', () => {
  assert.ok(lk.getThreads() >= 1);
  assert.is(lk.setThreads(3), 3);
  assert.is(lk.getThreads(), 3);
  assert.is(lk.setThreads(100), 16);
  for (const bad of [0, -1, 1.5, NaN, '2']) {
    assert.throws(() => lk.setThreads(bad), /setThreads: expected a whole number of threads >= 1/);
  }
  lk.setThreads(2);
});

t('a large call runs on two threads once the pool is up', () => {
  lk.setThreads(2);
  const n = 256, a = lcg(1)(n * n), b = lcg(2)(n * n), c = new Float32Array(n * n);
  k.matmul(c, a, b, 1, n, n, n, false, false);
  assert.is(wasmInfo().threads, 2);
  lk.setThreads(1);
  assert.is(wasmInfo().threads, 1);
  lk.setThreads(2);
});

for (const threads of [2, 3]) t(`matmul on ${threads} threads equals one thread bit for bit, and the js reference (odd sizes, transposes, batched)`, () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 70 }),
    fc.boolean(), fc.boolean(), fc.integer(),
    (batch, m, kk, n, ta, tb, seed) => {
      const r = lcg(seed >>> 0);
      const a = r(batch * m * kk), b = r(batch * kk * n);
      const run = () => { const c = new Float32Array(batch * m * n).fill(NaN); k.matmul(c, a, b, batch, m, kk, n, ta, tb); return c; };
      const { one, many } = oneAndMany(threads, run);
      sameBits(many, one, `matmul ${[batch, m, kk, n, ta, tb]} on ${threads}`);
      const want = new Float32Array(batch * m * n);
      jsKernels.matmul(want, a, b, batch, m, kk, n, ta, tb);
      allClose(many, want, 2e-5 * Math.sqrt(kk), 1e-4, `matmul ${[batch, m, kk, n, ta, tb]} vs js`);
    }), { numRuns: RUNS * 2 });
  lk.setThreads(2);
});

t('matmul panels across the blocking boundaries (m > 128, k > 256, n > 2048) on 2 threads', () => {
  const r = lcg(7);
  for (const [m, kk, n] of [[131, 259, 11], [7, 3, 2051], [300, 40, 2], [1, 600, 1]]) {
    const a = r(m * kk), b = r(kk * n);
    for (const ta of [false, true]) for (const tb of [false, true]) {
      const run = () => { const c = new Float32Array(m * n); k.matmul(c, a, b, 1, m, kk, n, ta, tb); return c; };
      const { one, many } = oneAndMany(2, run);
      sameBits(many, one, `matmul ${[m, kk, n, ta, tb]}`);
    }
  }
});

t('bceLogits and bceLogitsGrad split by rows on 2 and 3 threads equal one thread bit for bit; adam and biasAct (in place) stay on one', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 2, max: 3 }), fc.integer(),
    (rows, cols, threads, seed) => {
      const r = lcg(seed >>> 0), len = rows * cols;
      const l = r(len), x = r(len).map((u) => (u > 0 ? 1 : 0)), gr = r(rows);
      const run = () => {
        const out = new Float32Array(rows).fill(NaN), dl = new Float32Array(len).fill(NaN);
        k.bceLogits(out, l, x, rows, cols);
        k.bceLogitsGrad(dl, gr, l, x, rows, cols);
        return [out, dl];
      };
      const { one, many } = oneAndMany(threads, run);
      ['bceLogits', 'bceLogitsGrad'].forEach((what, i) => sameBits(many[i], one[i], `${what} ${rows}x${cols} on ${threads}`));
    }), { numRuns: RUNS });
  // a worker's unfinished row is rerun here, so no kernel that updates in place may be split
  for (const name of ['adam', 'biasAct']) assert.not.ok(PAR_FNS.includes(name) || RANGE_KERNELS.includes(name), `${name} is not split`);
  lk.setThreads(2);
});

t('unary: the transcendental ops split by element ranges on 2 and 3 threads equal one thread bit for bit; cheap ops and in-place calls stay on one', () => {
  const ops = ['exp', 'log', 'tanh', 'sigmoid', 'softplus', 'logSigmoid', 'log1p'];
  fc.assert(fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 2, max: 3 }), fc.constantFrom(...ops), fc.integer(),
    (len, threads, op, seed) => {
      const r = lcg(seed >>> 0);
      // log and log1p on their domains, the rest on [-8, 8]
      const x = r(len).map((u) => (op === 'log' ? Math.abs(u) * 8 + 1e-3 : op === 'log1p' ? Math.abs(u) * 8 - 0.5 : u * 8));
      const run = () => { const out = new Float32Array(len).fill(NaN); k.unary(op, out, x, 0, 0); return out; };
      const { one, many } = oneAndMany(threads, run);
      sameBits(many, one, `${op} of ${len} on ${threads}`);
    }), { numRuns: RUNS });
  // unary's flattened arguments: op code, out, x (byte offsets), len, alpha, beta
  const code = (op) => UNARY_OPS.indexOf(op);
  assert.is(threadsForCall('unary', [code('softplus'), 64, 1 << 20, 1 << 18, 0, 0], 2), 2, 'a large softplus is split');
  assert.is(threadsForCall('unary', [code('softplus'), 64, 64, 1 << 18, 0, 0], 2), 1, 'in place (out = x) it is not: a rerun range would apply it twice');
  assert.is(threadsForCall('unary', [code('neg'), 64, 1 << 20, 1 << 18, 0, 0], 2), 1, 'a cheap op is not split');
  assert.is(threadsForCall('unary', [code('tanh'), 64, 1 << 20, 1000, 0, 0], 2), 1, 'nor a short one');
  lk.setThreads(2);
});

const convDims = fc.record({
  n: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 3, max: 12 }), w: fc.integer({ min: 3, max: 12 }),
  o: fc.integer({ min: 1, max: 5 }), k: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 2 }), pad: fc.integer({ min: 0, max: 1 }),
}).map(({ n, c, h, w, o, k: kk, stride, pad }) => ({
  n, c, h, w, o, kh: kk, kw: kk, stride, pad, oh: Math.floor((h + 2 * pad - kk) / stride) + 1, ow: Math.floor((w + 2 * pad - kk) / stride) + 1,
}));

t('conv2d, conv2dBias, up2Conv2d and their gradients on 2 threads equal one thread (dW within rounding) and the js reference', () => {
  fc.assert(fc.property(convDims, fc.integer(), (d, seed) => {
    const r = lcg(seed >>> 0);
    const x = r(d.n * d.c * d.h * d.w), w = r(d.o * d.c * d.kh * d.kw), dy = r(d.n * d.o * d.oh * d.ow);
    const ny = d.n * d.o * d.oh * d.ow, nx = x.length, nw = w.length;
    const tol = 2e-5 * Math.sqrt(d.c * d.kh * d.kw * d.n * d.oh * d.ow);
    const bias = r(d.o);
    const cases = [
      ['conv2d', ny, (out) => k.conv2d(out, x, w, d), (out) => jsKernels.conv2d(out, x, w, d), true],
      ['conv2dBias', ny, (out) => k.conv2dBias(out, x, w, bias, d), (out) => jsKernels.conv2dBias(out, x, w, bias, d), true],
      ['conv2dBackwardInput', nx, (out) => k.conv2dBackwardInput(out, dy, w, d), (out) => jsKernels.conv2dBackwardInput(out, dy, w, d), true],
      ['conv2dBackwardWeight', nw, (out) => k.conv2dBackwardWeight(out, x, dy, d), (out) => jsKernels.conv2dBackwardWeight(out, x, dy, d), false],
    ];
    // up2Conv2d: the same images as low-resolution inputs, the conv on their 2x upsampling
    const u = { ...d, oh: Math.floor((2 * d.h + 2 * d.pad - d.kh) / d.stride) + 1, ow: Math.floor((2 * d.w + 2 * d.pad - d.kw) / d.stride) + 1 };
    const dyu = r(d.n * d.o * u.oh * u.ow), nyu = dyu.length;
    cases.push(
      ['up2Conv2d', nyu, (out) => k.up2Conv2d(out, x, w, bias, u), (out) => jsKernels.up2Conv2d(out, x, w, bias, u), true],
      ['up2Conv2dBackwardInput', nx, (out) => k.up2Conv2dBackwardInput(out, dyu, w, u), (out) => jsKernels.up2Conv2dBackwardInput(out, dyu, w, u), true],
      ['up2Conv2dBackwardWeight', nw, (out) => k.up2Conv2dBackwardWeight(out, x, dyu, u), (out) => jsKernels.up2Conv2dBackwardWeight(out, x, dyu, u), false],
    );
    for (const [name, len, wasm, js, exact] of cases) {
      const { one, many } = oneAndMany(2, () => { const o = new Float32Array(len).fill(NaN); wasm(o); return o; });
      if (exact) sameBits(many, one, `${name} ${JSON.stringify(d)}`);
      else allClose(many, one, tol, 1e-4, `${name} ${JSON.stringify(d)} 2 vs 1 thread`);
      const want = new Float32Array(len);
      js(want);
      allClose(many, want, tol, 1e-4, `${name} ${JSON.stringify(d)} vs js`);
    }
  }), { numRuns: RUNS * 2 });
});

t('conv2d and its input gradient past the blocking boundaries (o > 128, c·kh·kw > 256, ragged pixel panels)', () => {
  const r = lcg(11);
  for (const d of [{ n: 3, c: 30, h: 7, w: 5, o: 131, kh: 3, kw: 3, stride: 1, pad: 1, oh: 7, ow: 5 },
    { n: 2, c: 3, h: 9, w: 9, o: 5, kh: 2, kw: 2, stride: 2, pad: 0, oh: 4, ow: 4 }]) {
    const x = r(d.n * d.c * d.h * d.w), w = r(d.o * d.c * d.kh * d.kw), dy = r(d.n * d.o * d.oh * d.ow);
    const tol = 2e-5 * Math.sqrt(d.c * d.kh * d.kw * d.o);
    const y = new Float32Array(dy.length), yj = new Float32Array(dy.length), dx = new Float32Array(x.length), dxj = new Float32Array(x.length);
    const { one, many } = oneAndMany(2, () => { const o = new Float32Array(dy.length); k.conv2d(o, x, w, d); return o; });
    sameBits(many, one, `conv2d ${JSON.stringify(d)}`);
    k.conv2d(y, x, w, d); jsKernels.conv2d(yj, x, w, d);
    allClose(y, yj, tol, 1e-4, `conv2d ${JSON.stringify(d)} vs js`);
    k.conv2dBackwardInput(dx, dy, w, d); jsKernels.conv2dBackwardInput(dxj, dy, w, d);
    allClose(dx, dxj, tol, 1e-4, `conv2dBackwardInput ${JSON.stringify(d)} vs js`);
  }
});

t('a worker whose call throws: a warning, its rows rerun on the caller, the pool closed (no hang)', () => {
  const mod = new WebAssembly.Module(readFileSync(threadsFile));
  const memory = sharedMemory();
  const e = instantiateShared(mod, memory);
  const control = Math.ceil(e.heapBase() / 64) * 64;
  const pool = new Pool(mod, memory, control, PAR_FNS, 2);
  assert.ok(pool.ready());
  const warnings = [], warn = console.warn;
  console.warn = (m) => warnings.push(String(m));
  const ran = [];
  // the caller's gemm only records (and waits 300 ms the first time, so that the worker takes the other row);
  // the worker's is the module's, which traps on an address far past the memory
  const record = (...args) => { if (!ran.length) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300); ran.push(args); };
  const fns = PAR_FNS.map((n) => (n === 'gemm' ? record : () => assert.unreachable(n)));
  const bad = 0xfff00000;
  const rows = [[1, 1, 1, 64, 1, 1, 64, 1, 1, 64, 1, 0, 64], [1, 1, 1, bad, 1, 1, bad, 1, 1, bad, 1, 0, 64]];
  try {
    pool.run({ fn: PAR_FNS.indexOf('gemm'), rows, threads: 2, stride: 0 }, fns);
  } finally {
    console.warn = warn;
    pool.close();
  }
  assert.is(ran.length, 2, 'the caller ran its own row and the failed one');
  assert.is(ran[1][3], bad, 'the rerun is the failed row');
  assert.ok(pool.closed);
  assert.match(warnings.join('\n'), /wasm threads disabled: a worker's call to gemm threw/);
});

function child(code, env = {}) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60000,
  });
  return { status: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

const childCall = `
  import * as lk from ${JSON.stringify(dist)};
  import { wasmInfo } from ${JSON.stringify(new URL('../../dist/backend/wasm/index.js', import.meta.url).href)};
  lk.setBackend('wasm'); lk.setThreads(2); lk.seed(1);
  const a = lk.rand([300, 300]), b = lk.rand([300, 300]);
  const c = lk.matmul(a, b);
  let s = 0; for (const v of c.data) s += v;
  console.log(JSON.stringify({ info: wasmInfo(), sum: s }));
`;

t('without shared memory (LATENTKIT_WASM_THREADS=0) the one-thread build runs, with the same results', () => {
  const on = child(childCall), off = child(childCall, { LATENTKIT_WASM_THREADS: '0' });
  assert.is(on.status, 0, on.err);
  assert.is(off.status, 0, off.err);
  const a = JSON.parse(on.out), b = JSON.parse(off.out);
  assert.ok(a.info.shared && a.info.threads === 2, on.out);
  assert.ok(!b.info.shared && b.info.threads === 1, off.out);
  assert.is(a.sum, b.sum);
});

t('a process that used the pool exits by itself, and after setThreads(1) or a closed pool', () => {
  for (const tail of ['', 'lk.setThreads(1);', 'lk.setThreads(2); lk.matmul(a, b);']) {
    const t0 = Date.now();
    const r = child(childCall + tail);
    assert.is(r.status, 0, `${tail}: ${r.err} ${r.signal ?? ''}`);
    assert.ok(Date.now() - t0 < 30000, `${tail}: took ${Date.now() - t0} ms`);
  }
});

test.after(() => closeWasmThreads());
test.run();
