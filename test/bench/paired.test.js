// The benchmark's paired rounds (bench/paired.js): a python peer kept running
// (driver.py's serve mode, bench/python.js openPeer) times n runs per request,
// the rounds alternate ours and the peer, the environment in which the peer was
// fastest is kept, a failing peer rejects with its own error, and the issue-13
// table reports the median of the per-round ratios.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { lk, testUnless } from '../helpers.js';
import { openPeer } from '../../bench/python.js';
import { pairedRounds } from '../../bench/paired.js';
import { report } from '../../bench/report.js';

const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const numpyTest = testUnless(hasNumpy ? '' : '/usr/bin/python3 has no numpy (apt-get install -y python3-numpy)');
const PROBE = { python: '/usr/bin/python3', have: { numpy: true } };
const ctx = { lk };
const arrays = () => ({ a: { data: Float32Array.from([1, 2, 3, 4]), shape: [2, 2] } });

numpyTest('a served peer: setup once, then n timed runs per request, its state kept between requests', async () => {
  const h = await openPeer(PROBE, { arrays, setup: 'calls = [0]\ntotal = float(data["a"].sum())', run: 'calls[0] += 1\nassert total == 10.0' }, ctx);
  try {
    assert.ok(typeof h.info.numpy === 'string');
    const a = await h.run(3), b = await h.run(5);
    assert.is(a.length, 3);
    assert.is(b.length, 5);
    assert.ok([...a, ...b].every((ms) => ms >= 0 && Number.isFinite(ms)));
  } finally { h.close(); }
});

numpyTest('a served peer whose setup raises rejects with the python error', async () => {
  let err = null;
  try { await openPeer(PROBE, { arrays, setup: 'raise RuntimeError("loss mismatch: 1 vs 2")', run: 'pass' }, ctx); } catch (e) { err = e; }
  assert.ok(err, 'openPeer resolved');
  assert.match(err.message, /loss mismatch: 1 vs 2/);
});

numpyTest('paired rounds: one ratio per round for each of ours, the peer kept in its faster environment', async () => {
  // ours: about 2 ms of work per call; the peer sleeps 4 ms, or 12 ms where SLOW is set
  const c = { make: () => () => { const t = performance.now(); while (performance.now() - t < 2); } };
  const peer = {
    arrays, setup: 'import os, time\nd = 0.012 if os.environ.get("SLOW") else 0.004', run: 'time.sleep(d)',
    envs: [{ SLOW: '1' }, {}],
  };
  const p = await pairedRounds(ctx, c, [{ name: 'lk-js', kind: 'lk', backend: 'js' }], PROBE, peer, { rounds: 2 });
  assert.is(p.rounds['lk-js'].length, 2);
  assert.is(p.peer.info.env, 'default env');
  assert.is(p.peer.info.tried.length, 2);
  assert.ok(p.peer.median >= 4 && p.peer.median < 12, `peer median ${p.peer.median}`);
  assert.ok(p.ours['lk-js'].median >= 2, `ours ${p.ours['lk-js'].median}`);
  const r = p.ratio['lk-js'];
  assert.ok(r > 0 && Number.isFinite(r));
  // the ratio is the median of the rounds' ratios (two rounds: their mean)
  assert.ok(Math.abs(r - (p.rounds['lk-js'][0] + p.rounds['lk-js'][1]) / 2) < 2e-3, `${r} vs ${p.rounds['lk-js']}`);
});

test('the issue-13 table takes a paired ratio from its rounds, not from the two medians', () => {
  const t = (median, min = median) => ({ median, min });
  const results = [{
    id: 'step', ratios: [{ ours: 'lk-native', peer: 'torch', min: 2 }], engines: { 'lk-native': t(1), torch: t(3, 2) },
    paired: { torch: { 'lk-native': { ratio: 1.9, rounds: [1.8, 1.9, 2.4], ours: t(1.1, 0.9) } } },
  }];
  const { markdown } = report(results, { engines: [{ name: 'lk-native' }], peerNames: ['torch'], notes: [] }, { quick: true, seconds: 1 });
  assert.match(markdown, '| step | lk-native vs torch | ≥ 2× | 1.90× (paired, 3 rounds) | 2.22× | no (5% short) |');
  assert.match(markdown, '| step | 1.00 | 3.00 | 1.9× |'); // the main table's speed-up too
});

test.run();
