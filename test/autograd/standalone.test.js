// The Tensor is whole: a module imported on its own (not through the index)
// has every method and can train, whichever module loads first; and two
// leaves never share a gradient.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import * as lk from '../../dist/index.js';

/** Run an ES module snippet in a fresh Node process (nothing else imported). */
function fresh(code) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname });
  return { status: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

test('a model module imported directly trains (no side-effect import needed)', () => {
  const r = fresh(`
    import { VAE } from './dist/models/vae.js';
    import { rand } from './dist/autograd/creation.js';
    const x = rand([64, 16]);
    const vae = new VAE({ inputDim: 16, hiddenDim: 8, latentDim: 2, seed: 1 });
    const before = vae.elbo(x);
    vae.fit(x, { epochs: 5, batchSize: 16, learningRate: 1e-2 });
    console.log(JSON.stringify({ before, after: vae.elbo(x) }));`);
  assert.is(r.status, 0, r.err);
  const { before, after } = JSON.parse(r.out);
  assert.ok(Number.isFinite(before) && Number.isFinite(after));
  assert.ok(after > before, `ELBO should rise with training: ${before} -> ${after}`);
});

for (const first of ['./dist/autograd/ops/elementwise.js', './dist/autograd/engine.js', './dist/autograd/tensor.js', './dist/autograd/creation.js']) {
  test(`loading ${first} first: methods and backward work`, () => {
    const r = fresh(`
      await import('${first}');
      const { variable, tensor } = await import('./dist/autograd/creation.js');
      const w = variable(tensor([1, 2, 3]));
      w.mul(2).square().sum().backward();
      console.log(JSON.stringify(Array.from(w.grad.data)));`);
    assert.is(r.status, 0, r.err);
    assert.equal(JSON.parse(r.out), [8, 16, 24]);
  });
}

test('two leaves never share a gradient object or buffer', () => {
  const a = lk.variable(lk.tensor([1, 2])), c = lk.variable(lk.tensor([3, 4]));
  a.add(c).sum().backward();
  assert.ok(a.grad !== c.grad);
  assert.ok(a.grad.data !== c.grad.data);
  a.grad.data[0] = 100;
  assert.is(c.grad.data[0], 1);
  // through a reshape (shared data) and with the caller's own gradient
  const p = lk.variable(lk.tensor([[1, 2]])), q = lk.variable(lk.tensor([1, 2]));
  const g = lk.tensor([5, 6]);
  p.reshape([2]).add(q).backward(g);
  assert.ok(p.grad.data !== q.grad.data && q.grad.data !== g.data && p.grad.data !== g.data);
  assert.equal(Array.from(q.grad.data), [5, 6]);
});

test('backward options as the first argument, and bad gradients named', () => {
  const w = lk.variable(lk.tensor([1, 2]));
  const loss = w.square().sum();
  loss.backward({ retainGraph: true });
  loss.backward();
  assert.equal(Array.from(w.grad.data), [4, 8]); // accumulated twice
  assert.throws(() => w.square().sum().backward(5), /gradient must be a Tensor/);
});

test('a backward that fails writes no gradient', () => {
  const w = lk.variable(lk.tensor([1, 2]));
  const h = w.mul(3);
  h.sum().backward(); // frees h's graph
  const bad = w.add(h).sum(); // reaches the freed part through h
  const before = Array.from(w.grad.data);
  assert.throws(() => bad.backward(), /already freed/);
  assert.equal(Array.from(w.grad.data), before);
});

test.run();
