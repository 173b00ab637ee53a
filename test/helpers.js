// Shared helpers for the test suites.
import * as lk from '../dist/index.js';
import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { spawnSync } from 'node:child_process';

export { lk };
export const BACKEND = lk.getBackend();

/** Property-test run counts: a few more on the reference backend. */
export const RUNS = Number(process.env.LATENTKIT_FC_RUNS ?? 25);

/** Assert |a − e| <= atol + rtol |e| elementwise, naming the first bad index. */
export function allClose(actual, expected, { atol = 1e-5, rtol = 1e-4, msg = '' } = {}) {
  const a = actual instanceof lk.Tensor ? actual.data : actual;
  const e = expected instanceof lk.Tensor ? expected.data : expected;
  assert.is(a.length, e.length, `${msg} length`);
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]) || (Number.isNaN(a[i]) && Number.isNaN(e[i])) || a[i] === e[i];
    if (!ok) assert.unreachable(`${msg} element ${i}: got ${a[i]}, expected ${e[i]} (atol ${atol}, rtol ${rtol})`);
  }
}

/** Assert fn throws an Error whose message matches re. */
export function throwsMatch(fn, re) {
  try { fn(); } catch (e) {
    assert.instance(e, Error);
    assert.match(e.message, re);
    return;
  }
  assert.unreachable(`expected an error matching ${re}`);
}

/**
 * uvu's `test`, or, when `reason` is a non-empty string, a stand-in that runs
 * nothing and registers nothing: each test given to it is counted as skipped
 * (uvu's own skip count, never a pass) and the file prints one line
 * `skipped: N (reason)` when it runs. test/run.js sums and lists them.
 */
export function testUnless(reason) {
  if (!reason) return test;
  let n = 0;
  test.after(() => { console.log(`\nskipped: ${n} (${oneLine(reason)})`); });
  return (name) => { n++; test.skip(name); };
}

const oneLine = (s) => String(s).replace(/\s*\n\s*/g, ' ').trim();

/** Run a function with the js reference backend selected, restoring the current one. */
export function onJs(fn) {
  const prev = lk.getBackend();
  lk.setBackend('js');
  try { return fn(); } finally { lk.setBackend(prev); }
}

/** Float32 data from a fast-check seed, values in [-scale, scale]. */
export function seededData(n, seed, scale = 1) {
  const r = new lk.Rng(seed);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = (r.uniform() * 2 - 1) * scale;
  return d;
}

/**
 * Run an ES-module snippet in a fresh Node process (cwd: the package root, so
 * './dist/...' imports work) with a time limit, so that a crash or a hang fails
 * the calling test instead of killing or stalling the runner. Returns
 * { status, signal, timedOut, out, err }.
 */
export function isolated(code, { timeoutMs = 20000, env = {} } = {}) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname, timeout: timeoutMs,
    env: { ...process.env, ...env }, maxBuffer: 1 << 26,
  });
  return { status: r.status, signal: r.signal, timedOut: r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM', out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim() };
}
