// Issue 14 item 6: nn.Linear and nn.Conv2d initialise as PyTorch's reset_parameters:
// weights kaiming_uniform(a = √5) = U(±1/√fanIn), biases U(±1/√fanIn); 'legacy' keeps the old ones.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, throwsMatch } from '../helpers.js';

function maxAbs(t) { let m = 0; for (const v of t.data) m = Math.max(m, Math.abs(v)); return m; }
function rms(t) { let s = 0; for (const v of t.data) s += v * v; return Math.sqrt(s / t.size); }

test('Linear default: weights and biases U(±1/√fanIn), as PyTorch', () => {
  lk.seed(11);
  const lin = new lk.nn.Linear(400, 300);
  const b = 1 / Math.sqrt(400);
  assert.ok(maxAbs(lin.weight) <= b && maxAbs(lin.weight) > 0.99 * b, `weight max ${maxAbs(lin.weight)} vs bound ${b}`);
  assert.ok(Math.abs(rms(lin.weight) - b / Math.sqrt(3)) < 0.01 * b, 'weight std = bound/√3');
  assert.ok(maxAbs(lin.bias) <= b && maxAbs(lin.bias) > 0.9 * b, `bias max ${maxAbs(lin.bias)} vs bound ${b}`);
  assert.ok(Math.abs(rms(lin.bias) - b / Math.sqrt(3)) < 0.1 * b, 'bias std = bound/√3');
});

test('Conv2d default: fanIn = in·k·k for weights and biases', () => {
  lk.seed(12);
  const conv = new lk.nn.Conv2d(16, 64, 3);
  const b = 1 / Math.sqrt(16 * 9);
  assert.ok(maxAbs(conv.weight) <= b && maxAbs(conv.weight) > 0.99 * b);
  assert.ok(maxAbs(conv.bias) <= b && maxAbs(conv.bias) > 0.8 * b);
});

test('explicit init keeps zero biases; legacy restores the old defaults; setDefaultLayerInit switches', () => {
  lk.seed(13);
  const k = new lk.nn.Linear(50, 40, { init: 'kaiming' });
  assert.ok(k.bias.data.every((v) => v === 0));
  assert.ok(maxAbs(k.weight) <= Math.sqrt(6 / 50) && maxAbs(k.weight) > 0.95 * Math.sqrt(6 / 50));
  const legacy = new lk.nn.Linear(100, 50, { init: 'legacy' });
  assert.ok(legacy.bias.data.every((v) => v === 0));
  assert.ok(maxAbs(legacy.weight) <= Math.sqrt(6 / 150) && maxAbs(legacy.weight) > 0.95 * Math.sqrt(6 / 150), 'legacy Linear = xavier');
  const lc = new lk.nn.Conv2d(8, 32, 3, { init: 'legacy' });
  assert.ok(maxAbs(lc.weight) > 1.5 / Math.sqrt(72) && lc.bias.data.every((v) => v === 0), 'legacy Conv2d = kaiming, zero bias');
  const withBias = new lk.nn.Linear(50, 40, { init: 'xavier', biasInit: 'uniform' });
  assert.ok(maxAbs(withBias.bias) > 0 && maxAbs(withBias.bias) <= 1 / Math.sqrt(50));
  const prev = lk.nn.init.setDefaultLayerInit('legacy');
  try {
    assert.is(prev, 'pytorch');
    assert.ok(new lk.nn.Linear(10, 10).bias.data.every((v) => v === 0));
  } finally { lk.nn.init.setDefaultLayerInit(prev); }
  assert.is(lk.nn.init.getDefaultLayerInit(), 'pytorch');
  throwsMatch(() => lk.nn.init.setDefaultLayerInit('he'), /'pytorch' or 'legacy'/);
  throwsMatch(() => new lk.nn.Linear(3, 3, { init: 'bogus' }), /unknown initialiser/);
  lk.seed(14); const a = new lk.nn.Linear(5, 4);
  lk.seed(14); const c = new lk.nn.Linear(5, 4);
  assert.equal([...a.weight.data, ...a.bias.data], [...c.weight.data, ...c.bias.data]);
});

test.run();
