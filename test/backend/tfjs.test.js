// TensorFlow.js (cpu backend) as the outside reference on random inputs.
import { test } from 'uvu';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
tf.env().set('IS_TEST', true); // tfjs's "running TensorFlow.js in Node.js" banner stays out of the test output
import { lk, allClose, RUNS, seededData } from '../helpers.js';

await tf.setBackend('cpu');
const toNHWC = (t) => tf.transpose(t, [0, 2, 3, 1]);
const toNCHW = (t) => tf.transpose(t, [0, 3, 1, 2]);
const toHWIO = (t) => tf.transpose(t, [2, 3, 1, 0]); // [o,c,kh,kw] -> [kh,kw,c,o]
const runs = Math.max(5, Math.floor(RUNS / 2));

test('matmul and its gradients match tfjs for every transpose flag', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }),
    fc.boolean(), fc.boolean(), fc.integer(), (m, k, n, ta, tb, seed) => {
      const aS = ta ? [k, m] : [m, k], bS = tb ? [n, k] : [k, n];
      const ad = seededData(m * k, seed), bd = seededData(k * n, seed + 1), gd = seededData(m * n, seed + 2);
      const A = lk.variable(lk.tensor(ad, aS)), B = lk.variable(lk.tensor(bd, bS));
      const y = lk.matmul(A, B, { transposeA: ta, transposeB: tb });
      lk.sum(lk.mul(y, lk.tensor(gd, [m, n]))).backward();
      tf.tidy(() => {
        const ta_ = tf.tensor(ad, aS), tb_ = tf.tensor(bd, bS), g = tf.tensor(gd, [m, n]);
        const ty = tf.matMul(ta_, tb_, ta, tb);
        const [dA, dB] = tf.grads((a, b) => tf.sum(tf.mul(tf.matMul(a, b, ta, tb), g)))([ta_, tb_]);
        const tol = { atol: 2e-5 * Math.sqrt(k), rtol: 1e-4 };
        allClose(y, ty.dataSync(), { ...tol, msg: 'matmul' });
        allClose(A.grad, dA.dataSync(), { atol: 2e-5 * Math.sqrt(n), rtol: 1e-4, msg: 'dA' });
        allClose(B.grad, dB.dataSync(), { atol: 2e-5 * Math.sqrt(m), rtol: 1e-4, msg: 'dB' });
      });
    }), { numRuns: runs });
});

test('conv2d (NCHW) and its input and weight gradients match tfjs (NHWC via transposes)', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 4, max: 10 }), fc.constantFrom(1, 3, 5), fc.constantFrom(1, 2), fc.constantFrom(0, 1, 2), fc.integer(),
    (n, c, o, h, k, stride, pad, seed) => {
      if (h + 2 * pad < k) return;
      const xd = seededData(n * c * h * h, seed), wd = seededData(o * c * k * k, seed + 1);
      const x = lk.variable(lk.tensor(xd, [n, c, h, h])), w = lk.variable(lk.tensor(wd, [o, c, k, k]));
      const y = lk.conv2d(x, w, null, { stride, padding: pad });
      const gd = seededData(y.size, seed + 2);
      lk.sum(lk.mul(y, lk.tensor(gd, y.shape))).backward();
      tf.tidy(() => {
        const tx = tf.tensor(xd, [n, c, h, h]), tw = tf.tensor(wd, [o, c, k, k]), g = tf.tensor(gd, y.shape);
        const conv = (a, b) => toNCHW(tf.conv2d(toNHWC(a), toHWIO(b), stride, pad));
        const [dx, dw] = tf.grads((a, b) => tf.sum(tf.mul(conv(a, b), g)))([tx, tw]);
        const tol = { atol: 1e-4 * Math.sqrt(c * k * k), rtol: 1e-4 };
        allClose(y, conv(tx, tw).dataSync(), { ...tol, msg: 'conv2d' });
        allClose(x.grad, dx.dataSync(), { ...tol, msg: 'dx' });
        allClose(w.grad, dw.dataSync(), { atol: 1e-4 * Math.sqrt(n * h * h), rtol: 1e-4, msg: 'dw' });
      });
    }), { numRuns: runs });
});

test('maxPool2d and its gradient match tfjs', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 12 }), fc.constantFrom(2, 3), fc.integer(), (c, h, k, seed) => {
    if (h < k) return;
    const xd = seededData(2 * c * h * h, seed);
    const x = lk.variable(lk.tensor(xd, [2, c, h, h]));
    const y = lk.maxPool2d(x, { kernel: k });
    const gd = seededData(y.size, seed + 1);
    lk.sum(lk.mul(y, lk.tensor(gd, y.shape))).backward();
    tf.tidy(() => {
      const tx = tf.tensor(xd, [2, c, h, h]), g = tf.tensor(gd, y.shape);
      const pool = (a) => toNCHW(tf.maxPool(toNHWC(a), k, k, 'valid'));
      allClose(y, pool(tx).dataSync(), { atol: 0, rtol: 0, msg: 'maxPool' });
      const [dx] = tf.grads((a) => tf.sum(tf.mul(pool(a), g)))([tx]);
      allClose(x.grad, dx.dataSync(), { atol: 1e-6, msg: 'maxPool grad' });
    });
  }), { numRuns: runs });
});

test('logsumexp and softmax match tfjs', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 500 }), fc.constantFrom(1, 50, 1e3), fc.integer(), (r, c, scale, seed) => {
    const d = seededData(r * c, seed, scale);
    const x = lk.tensor(d, [r, c]);
    tf.tidy(() => {
      const t = tf.tensor(d, [r, c]);
      allClose(lk.logsumexp(x, 1), tf.logSumExp(t, 1).dataSync(), { atol: 1e-5 * scale, rtol: 1e-5, msg: 'logsumexp' });
      allClose(lk.logsumexp(x, 0), tf.logSumExp(t, 0).dataSync(), { atol: 1e-5 * scale, rtol: 1e-5, msg: 'logsumexp axis 0' });
      allClose(lk.softmax(x, 1), tf.softmax(t).dataSync(), { atol: 1e-6, rtol: 1e-4, msg: 'softmax' });
      allClose(lk.logSoftmax(x, 1), tf.logSoftmax(t).dataSync(), { atol: 1e-5 * scale, rtol: 1e-5, msg: 'logSoftmax' });
    });
  }), { numRuns: runs });
});

test.run();
