import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, allClose, throwsMatch } from '../helpers.js';

const opts = { eps: 1e-2, atol: 2e-3, rtol: 2e-2 };
function check(name, f, inputs) {
  const r = lk.gradcheck(f, inputs, opts);
  assert.ok(r.ok, `${name}: gradcheck failed (max abs err ${r.maxAbsErr}, rel ${r.maxRelErr})`);
}

test('bceWithLogits: equals the textbook formula and stays finite for huge logits', () => {
  const x = lk.tensor([-3, -0.5, 0, 0.5, 3]), t = lk.tensor([0, 1, 0.3, 1, 0]);
  const expect = x.data.map((v, i) => {
    const p = 1 / (1 + Math.exp(-v)), y = t.data[i];
    return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
  });
  allClose(lk.losses.bceWithLogits(x, t, { reduction: 'none' }), expect, { atol: 1e-6 });
  allClose([lk.losses.bceWithLogits(x, t).item()], [expect.reduce((a, b) => a + b) / 5], { atol: 1e-6 });
  allClose([lk.losses.bceWithLogits(x, t, { reduction: 'sum' }).item()], [expect.reduce((a, b) => a + b)], { atol: 1e-5 });
  const big = lk.losses.bceWithLogits(lk.tensor([1000, -1000, 1000]), lk.tensor([1, 0, 0]), { reduction: 'none' });
  allClose(big, [0, 0, 1000], { atol: 1e-6 });
  // the gradient is σ(x) − t, exact at 0 too
  const [g] = lk.grad((z) => lk.losses.bceWithLogits(z, t, { reduction: 'sum' }))(x);
  allClose(g, x.data.map((v, i) => 1 / (1 + Math.exp(-v)) - t.data[i]), { atol: 1e-6 });
  throwsMatch(() => lk.losses.bceWithLogits(x, lk.tensor([1, 0])), /same shape/);
  throwsMatch(() => lk.losses.bceWithLogits(x, t, { reduction: 'avg' }), /reduction/);
});

test('losses: gradcheck of bceWithLogits, binaryCrossEntropy and mse (both arguments)', () => {
  lk.seed(1);
  const x = lk.randn([3, 4]), t = lk.rand([3, 4]);
  const p = lk.add(lk.mul(lk.rand([3, 4]), 0.8), 0.1);
  check('bceWithLogits', (a, b) => lk.losses.bceWithLogits(a, b), [x, t]);
  check('bceWithLogits sum', (a) => lk.losses.bceWithLogits(a, t, { reduction: 'sum' }), [x]);
  check('binaryCrossEntropy', (a, b) => lk.losses.binaryCrossEntropy(a, b), [p, t]);
  check('mse', (a, b) => lk.losses.mse(a, b), [x, t]);
  check('mse sum', (a) => lk.losses.mse(a, 0.5, { reduction: 'sum' }), [x]);
});

test('binaryCrossEntropy matches bceWithLogits on σ(x); mse values', () => {
  const x = lk.tensor([-2, 0.1, 1.5]), t = lk.tensor([1, 0, 1]);
  allClose([lk.losses.binaryCrossEntropy(lk.sigmoid(x), t).item()], [lk.losses.bceWithLogits(x, t).item()], { atol: 1e-5 });
  assert.ok(Number.isFinite(lk.losses.binaryCrossEntropy(lk.tensor([0, 1]), lk.tensor([1, 0])).item()));
  allClose([lk.losses.mse(lk.tensor([1, 2]), lk.tensor([0, 4])).item()], [2.5]);
});

test.run();
