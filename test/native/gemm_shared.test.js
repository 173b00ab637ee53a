// The native GEMM's shared-pack driver (matmul_l1a.cc), which runs products of
// more than 64M multiply-adds, C wider than 256 on both sides, on several
// threads as a pipeline of steps (depth block x row block x column
// super-block), each pool call computing one step's
// tiles while packing the next step's A and B into the other of two buffers.
// Against the float64 js reference on 1, 2 and 3 threads and every transpose
// flag: balanced depth blocks (k = 1100: 368 + 368 + 364), column super-blocks
// (more than 8 MiB of packed B: n = 10600 at k = 200), several row blocks whose
// steps reuse one packed B per depth block, and the bits the same on every thread count;
// and narrower products of that size, which the threads split instead.
import * as uvu from 'uvu';
import * as assert from 'uvu/assert';
import { jsKernels as js, native, addon, unavailable, data, close } from './util.js';
import { testUnless } from '../helpers.js';

const test = testUnless(unavailable);
const FLAGS = [[false, false], [true, false], [false, true], [true, true]];

function eachThreads(fn) {
  const before = addon.info().threads;
  try {
    for (const t of [1, 2, 3]) { addon.setThreads(t); fn(t); }
  } finally { addon.setThreads(before); }
}

// C inside a NaN-filled buffer (nothing outside it may be written); returns C
function product(m, k, n, ta, tb, a, b) {
  const pad = 37, buf = new Float32Array(m * n + 2 * pad).fill(NaN);
  const got = buf.subarray(pad, pad + m * n);
  native.matmul(got, a, b, 1, m, k, n, ta, tb);
  for (let i = 0; i < pad; i++) {
    assert.ok(Number.isNaN(buf[i]) && Number.isNaN(buf[buf.length - 1 - i]), `${[m, k, n, ta, tb]}: wrote outside C`);
  }
  return got;
}

function checkShape(m, k, n, flags = FLAGS) {
  const a = data(m * k, m + 7 * k), b = data(k * n, n + 3 * k);
  for (const [ta, tb] of flags) {
    const want = new Float32Array(m * n);
    js.matmul(want, a, b, 1, m, k, n, ta, tb);
    const bits = [];
    eachThreads((t) => {
      const got = product(m, k, n, ta, tb, a, b);
      close(got, want, { atol: 8e-6 * Math.sqrt(k + 1), rtol: 1e-4, msg: `t=${t} ${[m, k, n, ta, tb]}` });
      bits.push(Buffer.from(got.slice().buffer));
    });
    // every element is one thread's sum over the same depth blocks, in order
    for (let i = 1; i < bits.length; i++) assert.equal(Buffer.compare(bits[0], bits[i]), 0, `${[m, k, n, ta, tb]}: bits differ between 1 and ${i + 1} threads`);
  }
}

test('shared packs: three balanced depth blocks, short edges on both sides, every flag', () => {
  checkShape(703, 1100, 301);
});

test('shared packs: two column super-blocks (packed B past 8 MiB), the second one narrow', () => {
  // k = 200: a super-block holds 10464 columns; m above 256, so the threads share the packs (kSplitNarrow)
  checkShape(260, 200, 10600, [[false, false], [true, true]]);
});

test('shared packs: two row blocks (packed A past 8 MiB) that share one packed B per depth block', () => {
  // k = 100: an A block holds 20958 rows (mr 14)
  checkShape(21000, 100, 260, [[false, false], [true, false]]);
});

test('narrow products past the 64M-MAC cut-off are split between the threads, each packing its own', () => {
  // m or n at most 256 (kSplitNarrow in matmul.cc): the shapes of the two tests above, narrowed
  checkShape(30, 200, 12000, [[false, false], [true, true]]);
  checkShape(10100, 600, 24, [[false, false], [true, false]]);
});

test('shared packs: a product just past the 64M-MAC cut-off, square, with one depth block', () => {
  checkShape(420, 384, 420);
});

uvu.test.run();
