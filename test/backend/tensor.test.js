import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, throwsMatch } from '../helpers.js';

test('tensor from nested arrays, numbers and typed arrays', () => {
  const t = lk.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.equal(t.shape, [2, 3]);
  assert.is(t.size, 6);
  assert.is(t.ndim, 2);
  assert.equal(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(Array.from(t.dataSync()), [1, 2, 3, 4, 5, 6]);
  assert.is(lk.tensor(3.5).item(), 3.5);
  assert.equal(lk.tensor(3.5).shape, []);
  assert.equal(lk.tensor(new Float32Array([1, 2, 3, 4]), [2, 2]).toArray(), [[1, 2], [3, 4]]);
  assert.equal(lk.tensor([1, 2, 3, 4], [2, 2]).shape, [2, 2]);
});

test('dataSync returns a copy', () => {
  const t = lk.tensor([1, 2]);
  t.dataSync()[0] = 99;
  assert.is(t.data[0], 1);
});

test('creation functions', () => {
  assert.equal(lk.zeros([2, 2]).toArray(), [[0, 0], [0, 0]]);
  assert.equal(lk.ones([3]).toArray(), [1, 1, 1]);
  assert.equal(lk.full([2], 7).toArray(), [7, 7]);
  assert.equal(lk.eye(2).toArray(), [[1, 0], [0, 1]]);
  assert.equal(lk.arange(4).toArray(), [0, 1, 2, 3]);
  assert.equal(lk.arange(1, 2, 0.5).toArray(), [1, 1.5]);
});

test('seed makes random draws reproducible', () => {
  lk.seed(42);
  const a = lk.randn([100]).dataSync(), u = lk.rand([50]).dataSync();
  lk.seed(42);
  const b = lk.randn([100]).dataSync(), v = lk.rand([50]).dataSync();
  assert.equal(Array.from(a), Array.from(b));
  assert.equal(Array.from(u), Array.from(v));
  lk.seed(43);
  assert.not.equal(Array.from(lk.randn([100]).dataSync()), Array.from(a));
});

test('randn has mean 0 and variance 1; rand lies in [0, 1)', () => {
  lk.seed(1);
  const x = lk.randn([20000]).data;
  let m = 0, v = 0;
  for (const e of x) m += e;
  m /= x.length;
  for (const e of x) v += (e - m) ** 2;
  v /= x.length;
  assert.ok(Math.abs(m) < 0.03, `mean ${m}`);
  assert.ok(Math.abs(v - 1) < 0.05, `variance ${v}`);
  const u = lk.rand([10000]).data;
  assert.ok(u.every((e) => e >= 0 && e < 1));
});

test('bad input gives clear errors', () => {
  throwsMatch(() => lk.tensor([[1, 2], [3]]), /ragged/);
  throwsMatch(() => lk.tensor([1, 2, 3], [2, 2]), /do not fill shape \[2,2\]/);
  throwsMatch(() => lk.zeros([2, -1]), /invalid shape/);
  throwsMatch(() => lk.zeros([1.5]), /invalid shape/);
  throwsMatch(() => lk.tensor([1, 2]).item(), /item\(\) needs exactly one/);
  throwsMatch(() => lk.reshape(lk.zeros([2, 3]), [4, 2]), /cannot reshape \[2,3\]/);
  throwsMatch(() => lk.reshape(lk.zeros([2, 3]), [-1, -1]), /only one dimension may be -1/);
  throwsMatch(() => lk.add(lk.zeros([2, 3]), lk.zeros([4])), /add: shapes \[2,3\] and \[4\] cannot be broadcast/);
  throwsMatch(() => lk.matmul(lk.zeros([3, 4]), lk.zeros([5, 2])), /matmul: shapes \[3,4\] and \[5,2\] do not align \(4 != 5\)/);
  throwsMatch(() => lk.pow(lk.ones([2]), NaN), /pow: the exponent must be a finite number/);
  throwsMatch(() => lk.leakyRelu(lk.ones([2]), Infinity), /leakyRelu: slope must be a finite number/);
  throwsMatch(() => lk.sum(lk.ones([2, 2]), 2), /axis 2 is out of range/);
  throwsMatch(() => lk.setBackend('gpu'), /unknown backend 'gpu'/);
  throwsMatch(() => lk.seed(NaN), /finite number/);
  throwsMatch(() => lk.add('a', 1), /expected a Tensor or a number/);
  throwsMatch(() => lk.conv2d(lk.zeros([1, 2, 4, 4]), lk.zeros([3, 1, 3, 3])), /has 2 channels but weights \[3,1,3,3\] expect 1/);
  throwsMatch(() => lk.conv2d(lk.zeros([1, 1, 2, 2]), lk.zeros([1, 1, 3, 3])), /larger than the padded input/);
  throwsMatch(() => lk.slice(lk.zeros([3, 3]), [2, 0], [2, 1]), /outside \[3,3\]/);
  throwsMatch(() => lk.concat([lk.zeros([2, 2]), lk.zeros([3, 3])], 0), /differ outside axis 0/);
  throwsMatch(() => lk.transpose(lk.zeros([2, 2]), [0, 0]), /not a permutation/);
});

test('reshape shares data and infers -1', () => {
  const t = lk.arange(6);
  const r = lk.reshape(t, [2, -1]);
  assert.equal(r.shape, [2, 3]);
  assert.is(r.data, t.data);
});

test('backends: js is always there and selectable', () => {
  assert.ok(lk.backends().includes('js'));
  const cur = lk.getBackend();
  lk.setBackend('js');
  assert.is(lk.getBackend(), 'js');
  lk.setBackend(cur);
  assert.is(lk.getBackend(), cur);
  if (process.env.LATENTKIT_BACKEND) assert.is(cur, process.env.LATENTKIT_BACKEND);
});

test('an unavailable backend says why and how to build it', () => {
  for (const name of ['native', 'wasm']) {
    if (lk.backends().includes(name)) continue;
    throwsMatch(() => lk.setBackend(name), new RegExp(`'${name}' backend is not available: .+\\n.*build`, 's'));
  }
});

test.run();
