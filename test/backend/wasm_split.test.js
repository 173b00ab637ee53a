// The wasm threads build's split choices: the streamed kernels (adam split by
// element ranges, copies overlapping the work: parallel.ts STREAMED,
// Pool.stream) give the one-thread bits at every range boundary, and
// Pool.stream's failure paths (a throwing worker, a throwing prepare) finish
// every row once, in order, without hanging; SplitChooser takes the faster of
// split and one-thread matmuls from the times it is given. Runs on the wasm
// backend only.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { lk, BACKEND, seededData, testUnless } from '../helpers.js';
import { jsKernels } from '../../dist/backend/js/index.js';
import { kernels } from '../../dist/backend/registry.js';
import { wasmInfo } from '../../dist/backend/wasm/index.js';
import { PAR_FNS, PAR_MIN_FLOPS, STREAM_CHUNK, STREAM_MIN, SplitChooser, setParallelThreshold, setStreamThreshold } from '../../dist/backend/wasm/parallel.js';
import { Pool } from '../../dist/backend/wasm/pool.js';
import { defaultWasmDir, instantiateShared, sharedMemory } from '../../dist/backend/wasm/module.js';

const shared = BACKEND === 'wasm' && wasmInfo().shared;
const t = shared ? test : testUnless(BACKEND !== 'wasm' ? 'wasm stream tests run on the wasm backend only'
  : 'the wasm threads build did not load (npm run build:wasm)');

function sameBits(a, b, msg) {
  assert.is(a.length, b.length, `${msg}: length`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.unreachable(`${msg}: element ${i}: ${a[i]} streamed, ${b[i]} on 1 thread`);
}

/** adam on copies of (p, m, v) with the streaming threshold forced to `min`. */
function adamWith(min, len, seed, step, wd) {
  const p = seededData(len, seed, 1), m = seededData(len, seed + 1, 0.1), v = seededData(len, seed + 2, 0.01).map(Math.abs);
  const g = seededData(len, seed + 3, 1);
  const saved = STREAM_MIN;
  setStreamThreshold(min);
  try { kernels().adam(p, m, v, g, 1e-3, 0.9, 0.999, 1e-8, step, wd); } finally { setStreamThreshold(saved); }
  return [p, m, v];
}

t('adam streamed over 2 threads gives the one-thread bits at every range boundary', () => {
  if (lk.getThreads() !== 2) lk.setThreads(2);
  const lens = [STREAM_CHUNK + 1, STREAM_CHUNK + 3, 2 * STREAM_CHUNK, 2 * STREAM_CHUNK + 2, 5 * STREAM_CHUNK - 1, 40001, 300007];
  for (const [i, len] of lens.entries()) {
    const [step, wd] = [[1, 0], [7, 0.01], [1000, 0.5]][i % 3];
    const one = adamWith(Infinity, len, i, step, wd), many = adamWith(0, len, i, step, wd);
    for (let k = 0; k < 3; k++) sameBits(many[k], one[k], `adam len ${len} step ${step} wd ${wd}, array ${'pmv'[k]}`);
    // and both within the backend tolerance of the js reference
    const p = seededData(len, i, 1), m = seededData(len, i + 1, 0.1), v = seededData(len, i + 2, 0.01).map(Math.abs);
    jsKernels.adam(p, m, v, seededData(len, i + 3, 1), 1e-3, 0.9, 0.999, 1e-8, step, wd);
    for (let j = 0; j < len; j++) {
      if (!(Math.abs(many[0][j] - p[j]) <= 1e-6 + 1e-5 * Math.abs(p[j]))) assert.unreachable(`adam len ${len}: p[${j}] ${many[0][j]} vs js ${p[j]}`);
    }
  }
});

/** A pool of 2 on a fresh threads instance, and a row per range of `n` floats at `base`. */
function poolOf() {
  const mod = new WebAssembly.Module(readFileSync(new URL('latentkit.threads.wasm', defaultWasmDir())));
  const memory = sharedMemory();
  const e = instantiateShared(mod, memory);
  const control = Math.ceil(e.heapBase() / 64) * 64;
  return { pool: new Pool(mod, memory, control, PAR_FNS, 2), e };
}

t('Pool.stream: a worker whose row throws costs a warning and a rerun here; every row is finished once, in order', () => {
  const { pool } = poolOf();
  assert.ok(pool.ready());
  const warnings = [], warn = console.warn;
  console.warn = (m) => warnings.push(String(m));
  const bad = 0xfff00000; // the worker's adam (the module's) traps on an address far past the memory
  const rows = [];
  for (let i = 0; i < 6; i++) rows.push(i === 1 ? [bad, bad, bad, bad, 64, 1e-3, 0.9, 0.999, 1e-8, 1, 0] : [64, 64, 64, 64, 0, 1e-3, 0.9, 0.999, 1e-8, 1, 0]);
  const ran = [], finished = [];
  // the caller's adam only records; rows go out in two batches (0..2, 3..5), and the caller waits in prepare(3),
  // so that the worker takes the first batch, row 1 (the bad one) included
  const record = (...args) => ran.push(args[0]);
  const fns = PAR_FNS.map((n) => (n === 'adam' ? record : () => assert.unreachable(n)));
  try {
    pool.stream({ fn: PAR_FNS.indexOf('adam'), rows, threads: 2, stride: 0 }, fns,
      (i) => { if (i === 3) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300); },
      (i) => finished.push(i));
  } finally {
    console.warn = warn;
    pool.close();
  }
  assert.equal(finished, [0, 1, 2, 3, 4, 5], 'each row finished once, in order');
  assert.ok(ran.includes(bad), 'the failed row was rerun here');
  assert.ok(pool.closed);
  assert.match(warnings.join('\n'), /wasm threads disabled: a worker's call to adam threw/);
});

t('Pool.stream: a prepare that throws ends the job (workers do not wait for rows forever); the pool runs the next job', () => {
  const { pool, e } = poolOf();
  const fns = PAR_FNS.map((n) => e[n]);
  const base = 1 << 20;
  e.memory.grow(64);
  const rows = [0, 1, 2, 3].map((i) => [base + i * 256, base + 4096 + i * 256, base + 8192 + i * 256, base + 12288 + i * 256, 64, 1e-3, 0.9, 0.999, 1e-8, 1, 0]);
  try {
    assert.throws(() => pool.stream({ fn: PAR_FNS.indexOf('adam'), rows, threads: 2, stride: 0 }, fns,
      (i) => { if (i === 2) throw new Error('prepare failed'); }, () => {}), /prepare failed/);
    // the next job (a plain one) still runs on both threads and returns
    const f32 = new Float32Array(e.memory.buffer);
    f32.fill(0.5, base >> 2, (base >> 2) + 4096);
    pool.run({ fn: PAR_FNS.indexOf('adam'), rows, threads: 2, stride: 0 }, fns);
    assert.ok(!pool.closed, 'the pool is still open');
    assert.ok(f32[base >> 2] < 0.5, 'adam ran');
  } finally {
    pool.close();
  }
});

test(`[${BACKEND}] SplitChooser: the faster of split and one thread per size class, the other tried every 32nd call`, () => {
  const c = new SplitChooser();
  // matmul arguments as flattened: out, a, b, batch, m, k, n, transA, transB, ws
  const big = [0, 0, 0, 1, 100, 500, 500, 0, 1, 0], other = [0, 0, 0, 1, 512, 512, 512, 0, 0, 0];
  const run = (flat, msSplit, msOne, calls) => {
    const picks = [];
    for (let i = 0; i < calls; i++) {
      const s = c.split('matmul', flat);
      picks.push(s);
      c.record('matmul', flat, s ? 2 : 1, s ? msSplit : msOne);
    }
    return picks;
  };
  // first two splits (the first one's time ignored: a woken worker), then one thread, to measure both;
  // then the faster (split), one thread every 32nd call
  const p = run(big, 0.6, 1.0, 96);
  assert.equal(p.slice(0, 3), [true, true, false]);
  assert.is(p.filter((x) => !x).length, 1 + 3, 'one-thread probes: the first measurement and calls 32, 64, 96');
  assert.ok(!p[31] && !p[63] && !p[95]);
  // the other size class is independent; on a machine where splitting is slower, one thread wins
  const q = run(other, 2.0, 1.0, 66);
  assert.equal(q.slice(0, 3), [true, true, false]);
  assert.is(q.filter((x) => x).length, 2 + 2 * 2, 'split tries (two calls each): the first measurement and calls 32, 64');
  assert.ok(q[31] && q[32] && q[63] && q[64] && !q[33]);
  // a slow first call of a try is not counted: a try whose second call is fast wins split back
  const c2 = new SplitChooser();
  for (let i = 0; i < 40; i++) { const s = c2.split('matmul', other); c2.record('matmul', other, s ? 2 : 1, s ? (i === 0 ? 50 : 0.5) : 1.0); }
  assert.ok(c2.split('matmul', other), 'the woken-worker time of the first split is ignored');
  // one very slow split (a descheduled worker) moves the average by at most 25%: split stays the choice
  c2.record('matmul', other, 2, 1000);
  assert.ok(c2.split('matmul', other), 'one outlier does not switch to one thread');
  c2.record('matmul', other, 2, 1000);
  c2.record('matmul', other, 2, 1000);
  c2.record('matmul', other, 2, 1000);
  c2.split('matmul', other); // (a call; not the 32nd)
  assert.not.ok(c2.split('matmul', other), 'splits that stay slow do');
  // the averages follow a change of load: splits become fast again, and after a few probes they win
  const r = run(other, 0.3, 1.0, 32 * 6);
  assert.ok(r.slice(-32).filter((x) => x).length >= 31, 'split chosen again once it is measured faster');
  // other kernels, a threshold set by hand (tests forcing splits) or a disabled chooser: always split
  assert.ok(c.split('conv2d', [0, 0, 0, 8, 3, 32, 32, 16, 3, 3, 1, 1, 30, 30, 0]));
  const saved = PAR_MIN_FLOPS;
  try {
    setParallelThreshold(0);
    assert.ok(run(other, 2.0, 1.0, 8).every((x) => x));
  } finally { setParallelThreshold(saved); }
  c.setEnabled(false);
  assert.ok(run(other, 2.0, 1.0, 8).every((x) => x));
});

test.run();
