// The benchmark's host probe (bench/host.js, bench/host/fma_probe.cc): it compiles,
// reports one- and two-thread FMA rates per round, and its summary computes the
// cores' worth per round, the shared-core and full-core shares, and the report's line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { probeHost, hostSummary, hostLine, probeBinary } from '../../bench/host.js';
import { report } from '../../bench/report.js';
import { testUnless } from '../helpers.js';

const bin = probeBinary();
const probeTest = testUnless(bin.path ? '' : bin.why);

probeTest('the probe times rounds of one thread, then two, with finite positive rates', () => {
  const p = probeHost(3, 20);
  assert.ok(!p.why, p.why);
  assert.is(p.one.length, 3);
  assert.is(p.two.length, 3);
  assert.is(p.windowMs, 20);
  for (const g of [...p.one, ...p.two]) assert.ok(Number.isFinite(g) && g > 0, `rate ${g}`);
});

test('hostSummary: medians, cores per round as two / one, and the shares of shared- and full-core rounds', () => {
  const s = hostSummary({ one: [100, 100, 50, 100, 110], two: [200, 110, 100, 150, 220], windowMs: 100 });
  // cores: 2, 1.1, 2, 1.5, 2
  assert.is(s.rounds, 5);
  assert.is(s.oneGflops, 100);
  assert.is(s.twoGflops, 150);
  assert.is(s.cores, 2);
  assert.is(s.sharedShare, 1 / 5);
  assert.is(s.fullShare, 3 / 5);
  assert.match(hostLine(s), /2\.00 cores' worth; two threads got at most 1\.3 cores in 20% of the rounds and 1\.8 or more in 60%/);
});

test('hostSummary names its input when the rounds are missing or uneven', () => {
  assert.throws(() => hostSummary({ one: [], two: [] }), /expected \{ one, two \} arrays/);
  assert.throws(() => hostSummary({ one: [1, 2], two: [1] }), /same, non-zero length/);
});

test('the report carries the host line and the summary in its JSON', () => {
  const ctx = { engines: [{ name: 'lk-native' }], notes: [], host: { one: [100, 100], two: [120, 200], windowMs: 100 } };
  const { markdown, json } = report([], ctx, { quick: true, seconds: 1 });
  assert.match(markdown, /Host, probed between the suites \(2 rounds of 100 ms FMA windows/);
  assert.is(json.host.rounds, 2);
  assert.is(json.host.sharedShare, 0.5);
});

test.run();
