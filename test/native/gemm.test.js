// The native GEMM drivers against the float64 js reference: the AVX-512
// driver that packs A once per depth block and shares the packed blocks
// between threads (matmul_l1a.cc), on 1, 2 and 3 threads, with shapes that
// cross every block boundary (depth blocks of at most 512, balanced, B blocks of a few
// hundred columns, packed-A blocks of 8 MiB), thin and tall products, odd
// edges, transposes and batches; and the 6x16 kernels' column/row split.
import * as uvu from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { jsKernels as js, native, addon, unavailable, data, close, eachIsa } from './util.js';
import { testUnless } from '../helpers.js';

const test = testUnless(unavailable);

const refs = new Map();
// the float64 reference once per case, however many ISAs and thread counts check it
function reference(batch, m, k, n, ta, tb, a, b) {
  const key = [batch, m, k, n, ta, tb].join();
  if (!refs.has(key)) {
    const want = new Float32Array(batch * m * n);
    js.matmul(want, a, b, batch, m, k, n, ta, tb);
    refs.set(key, want);
  }
  return refs.get(key);
}

function check(batch, m, k, n, ta, tb, msg) {
  const a = data(batch * m * k, m * 31 + k), b = data(batch * k * n, n * 17 + k + 1);
  // C lives inside a larger buffer filled with NaN: nothing outside it may be written
  const pad = 37, buf = new Float32Array(batch * m * n + 2 * pad).fill(NaN);
  const got = buf.subarray(pad, pad + batch * m * n);
  native.matmul(got, a, b, batch, m, k, n, ta, tb);
  const want = reference(batch, m, k, n, ta, tb, a, b);
  // float32 sums of k products of values in [-1, 1]: error grows like sqrt(k)·eps
  close(got, want, { atol: 8e-6 * Math.sqrt(k + 1), rtol: 1e-4, msg: `${msg} ${[batch, m, k, n, ta, tb]}` });
  for (let i = 0; i < pad; i++) {
    assert.ok(Number.isNaN(buf[i]) && Number.isNaN(buf[buf.length - 1 - i]), `${msg} ${[batch, m, k, n, ta, tb]}: wrote outside C`);
  }
}

function eachThreads(fn) {
  const before = addon.info().threads;
  try {
    for (const t of [1, 2, 3]) { addon.setThreads(t); fn(t); }
  } finally { addon.setThreads(before); }
}

const FLAGS = [[false, false], [true, false], [false, true], [true, true]];

test('matmul across block boundaries on 1, 2 and 3 threads, every transpose flag', () => {
  // [batch, m, k, n]: several depth blocks (k > 512: 800 = 400 + 400, 530, 1030 = 3 blocks), several B blocks (n > 320),
  // one row panel (m < 14), a short last panel everywhere, a single column, k = 1
  const shapes = [[1, 150, 800, 400], [1, 13, 530, 1000], [1, 1, 50, 2049], [1, 500, 129, 1], [1, 143, 1, 333],
    [1, 29, 384, 31], [2, 64, 64, 64], [1, 300, 17, 300], [1, 40, 1030, 333]];
  eachIsa((isa) => eachThreads((t) => {
    for (const [batch, m, k, n] of shapes) for (const [ta, tb] of FLAGS) check(batch, m, k, n, ta, tb, `${isa} t=${t}`);
  }));
});

test('matmul with more rows than one packed-A block (8 MiB) holds', () => {
  // k = 400: one depth block; at 400 deep a packed-A block (8 MiB) holds 5242 rows, so 6000 take two
  eachThreads((t) => {
    for (const [ta, tb] of [[false, false], [true, true]]) check(1, 6000, 400, 40, ta, tb, `t=${t}`);
  });
});

test('property: matmul equals the reference on random shapes, flags, batches and thread counts', () => {
  const before = addon.info().threads;
  try {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 90 }), fc.integer({ min: 0, max: 420 }),
      fc.integer({ min: 1, max: 120 }), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 3 }),
      (batch, m, k, n, ta, tb, t) => {
        addon.setThreads(t);
        if (k === 0) {
          const out = new Float32Array(batch * m * n).fill(5);
          native.matmul(out, new Float32Array(0), new Float32Array(0), batch, m, 0, n, ta, tb);
          close(out, new Float32Array(batch * m * n));
          return;
        }
        check(batch, m, k, n, ta, tb, `t=${t}`);
      }), { numRuns: 150 });
  } finally { addon.setThreads(before); }
});

test('narrow products (n <= 8 columns or m <= 4 rows) on 1, 2 and 3 threads, every transpose flag', () => {
  // the AVX-512 narrow path: every n from 1 to 8 and m from 1 to 4, depths that
  // leave a partial 16-wide chunk (k % 16 != 0), row blocks of 16·U with a short
  // last one, one depth step, and shapes around the cut-offs (n = 9, m = 5)
  const shapes = [[1, 100, 500, 2], [1, 500, 100, 2], [1, 2, 100, 500], [1, 1, 1024, 1024], [1, 4, 400, 300],
    [1, 97, 37, 1], [1, 131, 17, 3], [1, 33, 100, 5], [1, 70, 129, 7], [1, 65, 64, 8], [1, 3, 1, 9], [1, 1, 33, 1],
    [1, 50, 20, 9], [1, 5, 77, 40], [1, 3, 250, 33], [3, 17, 41, 4], [2, 4, 30, 31], [1, 1000, 300, 6]];
  for (let n = 1; n <= 8; n++) shapes.push([1, 29, 19 + n, n]);
  for (let m = 1; m <= 4; m++) shapes.push([1, m, 23 + m, 45]);
  eachIsa((isa) => eachThreads((t) => {
    for (const [batch, m, k, n] of shapes) for (const [ta, tb] of FLAGS) check(batch, m, k, n, ta, tb, `${isa} t=${t}`);
  }));
});

test('the training steps\' shapes (split between threads by rows or columns) on 1, 2 and 3 threads', () => {
  // y = x Wᵀ, dx = d W, dW = dᵀ x of 392/500/784-wide layers at batch 100 and 128
  const shapes = [[100, 392, 500, false, true], [100, 500, 392, false, false], [500, 100, 392, true, false],
    [128, 784, 500, false, true], [500, 128, 784, true, false], [100, 500, 784, false, false], [256, 256, 256, false, false]];
  eachThreads((t) => {
    for (const [m, k, n, ta, tb] of shapes) check(1, m, k, n, ta, tb, `t=${t}`);
  });
});

test('property: narrow products equal the reference', () => {
  const before = addon.info().threads;
  try {
    fc.assert(fc.property(
      fc.boolean(), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 200 }),
      fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 3 }),
      (narrowCols, small, k, other, ta, tb, t) => {
        addon.setThreads(t);
        // narrowCols: n = small (<= 8); else m = small clipped to 4
        const [m, n] = narrowCols ? [other, small] : [Math.min(small, 4), other];
        check(1, m, k, n, ta, tb, `t=${t}`);
      }), { numRuns: 150 });
  } finally { addon.setThreads(before); }
});

test('matmul gives the same bits on 1 and 2 threads', () => {
  // every element is one thread's sum in the same order, whatever the split
  const before = addon.info().threads;
  try {
    for (const [m, k, n] of [[300, 500, 410], [64, 1000, 64], [100, 500, 500], [500, 100, 500], [1000, 300, 6], [3, 400, 900], [29, 300, 400]]) {
      const a = data(m * k, 3), b = data(k * n, 4);
      const one = new Float32Array(m * n), two = new Float32Array(m * n);
      addon.setThreads(1); native.matmul(one, a, b, 1, m, k, n, false, true);
      addon.setThreads(2); native.matmul(two, a, b, 1, m, k, n, false, true);
      assert.equal(Buffer.compare(Buffer.from(one.buffer), Buffer.from(two.buffer)), 0, `${[m, k, n]}`);
    }
  } finally { addon.setThreads(before); }
});

uvu.test.run();
