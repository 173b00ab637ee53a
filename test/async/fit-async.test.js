// model.fitAsync(): fit()'s arguments and results, with a turn of the event
// loop between steps, so that AbortSignal.timeout(), timers, progress and a
// Ctrl-C (SIGINT) handler run while a model trains; fit() stays synchronous.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { lk } from '../helpers.js';

const weights = (m) => m.parameters().map((p) => Array.from(p.data));

test('fitAsync gives the same weights and history as fit (VAE, CVAE with labels, GAN, NICE)', async () => {
  lk.seed(4);
  const x = lk.rand([120, 16]);
  const labels = Int32Array.from({ length: 120 }, (_, i) => i % 3);
  const cases = [
    [() => new lk.VAE({ inputDim: 16, hiddenDim: 8, latentDim: 2 }), [x, { epochs: 2, batchSize: 30, seed: 1 }]],
    [() => new lk.CVAE({ inputDim: 16, hiddenDim: 8, latentDim: 2, numClasses: 3 }), [x, labels, { epochs: 2, batchSize: 40, seed: 2 }]],
    [() => new lk.NICE({ inputDim: 16, couplingLayers: 2, hiddenDim: 8, hiddenLayers: 1 }), [x, { epochs: 1, batchSize: 60, seed: 3 }]],
  ];
  for (const [make, args] of cases) {
    lk.seed(9); const a = make(); lk.seed(10); a.fit(...args);
    lk.seed(9); const b = make(); lk.seed(10);
    const p = b.fitAsync(...args);
    assert.instance(p, Promise);
    assert.is(await p, b);
    assert.equal(weights(b), weights(a), `${a.kind}: weights`);
    assert.equal(b.history.map((h) => h.loss), a.history.map((h) => h.loss), `${a.kind}: history`);
  }
  const imgs = lk.rand([16, 784]);
  lk.seed(9); const g = new lk.GAN({ latentDim: 4 }); lk.seed(10);
  g.fit(imgs, { epochs: 1, batchSize: 8, seed: 5 });
  lk.seed(9); const h = new lk.GAN({ latentDim: 4 }); lk.seed(10);
  await h.fitAsync(imgs, { epochs: 1, batchSize: 8, seed: 5 });
  assert.equal(weights(h), weights(g), 'GAN: weights');
});

test('AbortSignal.timeout() stops fitAsync between steps; timers run while it trains', async () => {
  lk.seed(1);
  const x = lk.rand([4000, 64]);
  const vae = new lk.VAE({ inputDim: 64, hiddenDim: 64, latentDim: 2 });
  let ticks = 0, steps = 0;
  const iv = setInterval(() => { ticks++; }, 1);
  const t0 = performance.now();
  await vae.fitAsync(x, { epochs: 100, batchSize: 20, signal: AbortSignal.timeout(150), onStep: () => { steps++; } });
  const ms = performance.now() - t0;
  clearInterval(iv);
  assert.ok(vae.stopped, 'not stopped');
  assert.ok(ms < 5000, `took ${ms} ms after a 150 ms timeout`);
  assert.ok(steps > 0 && steps < 100 * 200, `steps ${steps}`);
  assert.ok(ticks > 0, 'no timer ran during fitAsync');
  // fit() is synchronous: nothing else runs until it returns
  let during = 0;
  const iv2 = setInterval(() => { during++; }, 0);
  vae.fit(lk.rand([200, 64]), { epochs: 2, batchSize: 20 });
  const seen = during;
  clearInterval(iv2);
  assert.is(seen, 0);
});

test('fitAsync rejects where fit throws, leaving the model as it was; one fit at a time', async () => {
  lk.seed(2);
  const x = lk.rand([100, 8]);
  const vae = new lk.VAE({ inputDim: 8, hiddenDim: 4, latentDim: 2 });
  const before = weights(vae);
  const bad = vae.fitAsync(x, { epochs: -1 });
  assert.instance(bad, Promise);
  await bad.then(() => assert.unreachable('resolved'), (e) => assert.match(e.message, /epochs/));
  await vae.fitAsync(x, { epochs: 3, batchSize: 10, onStep: (s) => { if (s.step === 5) throw new Error('boom at step 5'); } })
    .then(() => assert.unreachable('resolved'), (e) => assert.match(e.message, /boom at step 5/));
  assert.equal(weights(vae), before, 'weights changed by a failed fitAsync');
  await vae.fitAsync(lk.tensor([[1, 2]]), {}).then(() => assert.unreachable('resolved'), (e) => assert.match(e.message, /VAE\.fit/));
  const running = vae.fitAsync(x, { epochs: 2, batchSize: 10 });
  assert.throws(() => vae.fit(x, { epochs: 1 }), /still running/);
  await vae.fitAsync(x, { epochs: 1 }).then(() => assert.unreachable('resolved'), (e) => assert.match(e.message, /already running/));
  await running;
  assert.is(vae.stopped, false);
  vae.fit(x, { epochs: 1, batchSize: 50 }); // free again
});

test('Ctrl-C (SIGINT) reaches a handler during fitAsync, which aborts the fit', async () => {
  const code = `
    import * as lk from './dist/index.js';
    const ac = new AbortController();
    process.on('SIGINT', () => ac.abort());
    const x = lk.rand([4000, 64]);
    const vae = new lk.VAE({ inputDim: 64, hiddenDim: 64, latentDim: 2 });
    let announced = false;
    await vae.fitAsync(x, { epochs: 1000, batchSize: 20, signal: ac.signal, onStep: () => { if (!announced) { announced = true; console.log('training'); } } });
    console.log(JSON.stringify({ stopped: vae.stopped, epochs: vae.history.length }));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: new URL('../..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stderr.on('data', (d) => { err += d; });
  const killer = setTimeout(() => child.kill('SIGKILL'), 30000);
  const status = await new Promise((resolve) => {
    child.stdout.on('data', (d) => { out += d; if (out.includes('training') && !child.sent) { child.sent = true; setTimeout(() => child.kill('SIGINT'), 100); } });
    child.on('close', (c) => resolve(c));
  });
  clearTimeout(killer);
  assert.is(status, 0, `child exit ${status}: ${err}`);
  const got = JSON.parse(out.trim().split('\n').pop());
  assert.is(got.stopped, true);
  assert.ok(got.epochs < 1000);
});

test.run();
