// The column kernels (takeColumns, scatterColumns) of this backend against the
// js reference, called directly: exact equality (a gather copies, a scatter does
// one float32 multiply and add per element), for random, repeated, contiguous
// and stride-2 index lists (the compiled kernels' fast paths), and bad input
// (an index outside [0, d), wrong lengths) refused with an error, never a crash.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lk, allClose, RUNS, seededData, BACKEND } from '../helpers.js';
import { jsKernels } from '../../dist/backend/js/index.js';
import { kernels } from '../../dist/backend/registry.js';

const K = () => kernels();

// [d, idx] of one of the index shapes: any (repeats allowed), a contiguous range, s, s + 2, …, a permutation
const indexCase = fc.record({
  kind: fc.constantFrom('any', 'range', 'stride2', 'perm', 'single'),
  d: fc.integer({ min: 1, max: 41 }), seed: fc.integer(), a: fc.nat(), b: fc.nat(),
}).map(({ kind, d, seed, a, b }) => {
  const r = new lk.Rng(seed), pick = () => Math.min(d - 1, Math.floor(r.uniform() * d));
  if (kind === 'any') return [d, Int32Array.from({ length: a % 50 }, pick)];
  if (kind === 'single') return [d, Int32Array.of(a % d)];
  if (kind === 'range') { const s = a % d, m = 1 + (b % (d - s)); return [d, Int32Array.from({ length: m }, (_, j) => s + j)]; }
  if (kind === 'stride2') { const s = a % Math.min(2, d), m = Math.floor((d - s + 1) / 2); return [d, Int32Array.from({ length: m }, (_, j) => s + 2 * j)]; }
  const p = Int32Array.from({ length: d }, (_, i) => i);
  for (let i = d - 1; i > 0; i--) { const j = Math.floor(r.uniform() * (i + 1)); [p[i], p[j]] = [p[j], p[i]]; }
  return [d, p];
});

function takeBoth(n, d, idx, seed) {
  const m = idx.length, x = seededData(n * d, seed, 3);
  const a = new Float32Array(n * m).fill(NaN), e = new Float32Array(n * m);
  K().takeColumns(a, x, idx, n, d, m);
  jsKernels.takeColumns(e, x, idx, n, d, m);
  allClose(a, e, { atol: 0, rtol: 0, msg: `take ${n}x${d} idx [${idx.slice(0, 8)}…] (${m})` });
  for (let r = 0; r < n; r++) for (let j = 0; j < m; j++) assert.is(e[r * m + j], x[r * d + idx[j]], 'reference gather');
}

function scatterBoth(n, d, idx, seed, accumulate, alpha) {
  const m = idx.length, g = seededData(n * m, seed, 2), out0 = seededData(n * d, seed + 1, 5);
  const a = out0.slice(), e = out0.slice();
  K().scatterColumns(a, g, idx, n, d, m, accumulate, alpha);
  jsKernels.scatterColumns(e, g, idx, n, d, m, accumulate, alpha);
  allClose(a, e, { atol: 0, rtol: 0, msg: `scatter ${n}x${d} acc ${accumulate} alpha ${alpha} idx [${idx.slice(0, 8)}…] (${m})` });
}

test(`[${BACKEND}] takeColumns equals the reference for every kind of index list`, () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 9 }), indexCase, fc.integer(), (n, [d, idx], seed) => takeBoth(n, d, idx, seed)),
    { numRuns: RUNS * 4 });
});

test(`[${BACKEND}] scatterColumns equals the reference (store and accumulate, any alpha)`, () => {
  const alpha = fc.oneof(fc.constantFrom(1, -1, 0), fc.float({ min: -4, max: 4, noNaN: true }));
  fc.assert(fc.property(fc.integer({ min: 0, max: 9 }), indexCase, fc.integer(), fc.boolean(), alpha,
    (n, [d, idx], seed, acc, al) => scatterBoth(n, d, idx, seed, acc, al)), { numRuns: RUNS * 4 });
});

test(`[${BACKEND}] large matrices (split over threads in native) and NICE's halves`, () => {
  const even = Int32Array.from({ length: 392 }, (_, j) => 2 * j), odd = even.map((v) => v + 1);
  for (const idx of [even, odd, Int32Array.from({ length: 300 }, (_, j) => 100 + j), odd.slice().reverse()]) {
    takeBoth(300, 784, idx, 5);
    scatterBoth(300, 784, idx, 6, true, -1);
    scatterBoth(300, 784, idx, 7, false, 1);
  }
});

test('the reference kernels compute what the contract says', () => {
  // x [2, 3] = [[1, 2, 3], [4, 5, 6]]
  const x = Float32Array.of(1, 2, 3, 4, 5, 6), out = new Float32Array(6);
  jsKernels.takeColumns(out, x, Int32Array.of(2, 0, 2), 2, 3, 3);
  assert.equal(Array.from(out), [3, 1, 3, 6, 4, 6]);
  const acc = Float32Array.of(1, 1, 1, 1, 1, 1);
  jsKernels.scatterColumns(acc, Float32Array.of(1, 2, 3, 4), Int32Array.of(2, 2), 2, 3, 2, true, 0.5);
  assert.equal(Array.from(acc), [1, 1, 2.5, 1, 1, 4.5]); // repeated columns sum
  const st = Float32Array.of(9, 9, 9, 9, 9, 9);
  jsKernels.scatterColumns(st, Float32Array.of(1, 2, 3, 4), Int32Array.of(1, 1), 2, 3, 2, false, -1);
  assert.equal(Array.from(st), [9, -2, 9, 9, -4, 9]); // store: the last j wins, other columns untouched
});

function throwsLike(fn, re) {
  try { fn(); } catch (e) {
    assert.ok(e instanceof RangeError || e instanceof TypeError, `expected a RangeError or TypeError, got ${e}`);
    assert.match(e.message, re);
    return;
  }
  assert.unreachable(`expected an error matching ${re}`);
}

test(`[${BACKEND}] bad indices and lengths throw, nothing is read or written out of bounds`, () => {
  const f = (n) => new Float32Array(n);
  for (const bad of [-1, 3, 1 << 30, -(2 ** 31)]) {
    const out = f(4).fill(7);
    throwsLike(() => K().takeColumns(out, f(6), Int32Array.of(0, bad), 2, 3, 2), new RegExp(`takeColumns: idx\\[1\\] = ${bad} is not a column.*d = 3`));
    assert.equal(Array.from(out), [7, 7, 7, 7], 'nothing written');
    const dst = f(6).fill(7);
    throwsLike(() => K().scatterColumns(dst, f(4), Int32Array.of(bad, 1), 2, 3, 2, true, 1), /scatterColumns: idx\[0\] = .* is not a column/);
    assert.equal(Array.from(dst), [7, 7, 7, 7, 7, 7], 'nothing written');
  }
  throwsLike(() => K().takeColumns(f(4), f(6), Int32Array.of(0), 2, 3, 2), /'idx' has length 1, expected 2/);
  throwsLike(() => K().takeColumns(f(5), f(6), Int32Array.of(0, 1), 2, 3, 2), /'out' has length 5, expected 4/);
  throwsLike(() => K().takeColumns(f(4), f(5), Int32Array.of(0, 1), 2, 3, 2), /'x' has length 5, expected 6/);
  throwsLike(() => K().scatterColumns(f(6), f(3), Int32Array.of(0, 1), 2, 3, 2, false, 1), /'g' has length 3, expected 4/);
  throwsLike(() => K().takeColumns(f(4), f(6), Float32Array.of(0, 1), 2, 3, 2), /'idx' must be an? Int32Array/);
  throwsLike(() => K().takeColumns(f(0), f(0), Int32Array.of(0), 0, 0, 1), /idx\[0\] = 0 is not a column.*d = 0/);
  // empty outputs are fine
  K().takeColumns(f(0), f(6), new Int32Array(0), 2, 3, 0);
  K().scatterColumns(f(6), f(0), new Int32Array(0), 2, 3, 0, true, 1);
});

test.run();
