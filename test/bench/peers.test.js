// The benchmark's PyTorch training-step peers (bench/peers/torch_models.py) do
// latentkit's work: from latentkit's initial weights, batch and noise, their
// first two steps' losses match latentkit's (else the peer raises "loss
// mismatch" and the row shows it missing), and the issue-13 ratio table of
// bench/report.js says met / not met / n/a from the medians of one run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { lk, testUnless } from '../helpers.js';
import { timePeer } from '../../bench/python.js';
import { peersDir } from '../../bench/torch-peer.js';
import { report } from '../../bench/report.js';
import * as models from '../../bench/suites/models.js';
import * as vae from '../../bench/suites/vae.js';

const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
const torchTest = testUnless(hasTorch ? '' : '/usr/bin/python3 has no torch (apt-get install -y python3-torch)');
const ctx = { lk };
const stepCases = () => [...models.cases(ctx), ...vae.cases(ctx)];

// One python process checks every step: the arrays of case i go under "i:<name>",
// and the timed code is empty (only the setup's loss check matters here)
const PROBE = { python: '/usr/bin/python3', have: { torch: true } };
function checkAll(cases) {
  const setup = ['import sys, torch', `sys.path.insert(0, ${JSON.stringify(peersDir)})`, 'import torch_models',
    `for i, kind in enumerate(${JSON.stringify(cases.map((c) => c.kind))}):`,
    '    torch_models.setup(kind, {k.split(":", 1)[1]: v for k, v in data.items() if k.startswith(f"{i}:")})'].join('\n');
  const arrays = (cx) => Object.assign({}, ...cases.map((c, i) => Object.fromEntries(Object.entries(c.peer.arrays(cx)).map(([k, v]) => [`${i}:${k}`, v]))));
  return timePeer(PROBE, 'torch', { arrays, setup, run: 'pass' }, ctx, { quick: true, repeat: 1 });
}
const kindOf = (c) => JSON.parse(c.peers.torch.setup.match(/setup\((".*?")/)[1]);

torchTest('every model step: the torch peer reproduces latentkit\'s first two losses (1e-3 relative)', () => {
  const cases = stepCases().map((c) => ({ kind: kindOf(c), peer: c.peers.torch }));
  assert.equal(cases.map((c) => c.kind), ['VAE', 'CVAE', 'GMVAE', 'NICE', 'GAN', 'VAE128']);
  const r = checkAll(cases);
  assert.ok(r.median !== undefined, r.missing ?? r.skipped);
});

torchTest('a torch peer whose losses differ from latentkit\'s fails loudly (loss mismatch)', () => {
  const peer = stepCases()[0].peers.torch;
  const arrays = (cx) => {
    const a = peer.arrays(cx);
    a.expected = { data: a.expected.data.map((v) => v * 1.002), shape: a.expected.shape };
    return a;
  };
  const r = checkAll([{ kind: 'VAE', peer: { arrays } }]);
  assert.is(r.median, undefined);
  assert.match(r.missing ?? '', /loss mismatch/);
});

test('the issue-13 table: ratio = peer median / latentkit median, met, short, n/a with the reason', () => {
  const t = (median, min = median) => ({ median, min });
  const results = [
    { id: 'fast', ratios: [{ ours: 'lk-native', peer: 'torch', min: 2 }], engines: { 'lk-native': t(1), torch: t(3, 2.5) } },
    { id: 'slow', ratios: [{ ours: 'lk-native', peer: 'torch', min: 2 }], engines: { 'lk-native': t(1), torch: t(1.5) } },
    { id: 'gone', ratios: [{ ours: 'lk-native', peer: 'torch', min: 2 }], engines: { 'lk-native': t(1), torch: { missing: 'loss mismatch: x' } } },
  ];
  const { markdown } = report(results, { engines: [{ name: 'lk-native' }], peerNames: ['torch'], notes: [] }, { quick: true, seconds: 1 });
  assert.match(markdown, '| fast | lk-native vs torch | ≥ 2× | 3.00× | 2.50× | yes |');
  assert.match(markdown, '| slow | lk-native vs torch | ≥ 2× | 1.50× | 1.50× | no (25% short) |');
  assert.match(markdown, '| gone | lk-native vs torch | ≥ 2× | — | — | n/a (torch missing: loss mismatch: x) |');
  assert.match(markdown, '1 of 3 ratio targets met');
});

test.run();
