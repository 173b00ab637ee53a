// The wasm threads build's choice between splitting a matmul over the pool
// and running it on one thread (parallel.ts SplitChooser): per size class the
// faster of the two measured times, the other tried every 32nd call, robust to
// a woken worker's first call and to single outliers; never for other kernels,
// a threshold set by hand or a disabled chooser. Pure logic: the times are given.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PAR_MIN_FLOPS, SplitChooser, setParallelThreshold } from '../../dist/backend/wasm/parallel.js';

test(`SplitChooser: the faster of split and one thread per size class, the other tried every 32nd call`, () => {
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
