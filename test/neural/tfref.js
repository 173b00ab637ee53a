// TensorFlow.js (cpu backend) as the outside reference: the same layers
// written in tfjs, fed the weights of a latentkit model, and helpers to compare
// a loss and every parameter gradient.
import * as tf from '@tensorflow/tfjs';
tf.env().set('IS_TEST', true); // tfjs's "running TensorFlow.js in Node.js" banner stays out of the test output
import * as assert from 'uvu/assert';
import { lk, allClose } from '../helpers.js';

let ready = null;
/** tfjs on its cpu backend (float32). */
export async function tfCpu() {
  ready ??= tf.setBackend('cpu').then(() => tf.ready());
  await ready;
  return tf;
}

export const toTf = (t) => tf.tensor(t.dataSync(), [...t.shape]);

/** y = x Wᵀ + b with latentkit's W [out, in]. */
export const linear = (x, P, name) => tf.add(tf.matMul(x, P[`${name}.weight`], false, true), P[`${name}.bias`]);

/** NHWC convolution with latentkit weights [O, I, kh, kw] (transposed to HWIO) and padding 0 or 'same'. */
export function conv(x, P, name, padding) {
  const f = tf.transpose(P[`${name}.weight`], [2, 3, 1, 0]);
  return tf.add(tf.conv2d(x, f, 1, padding === 0 ? 'valid' : 'same'), P[`${name}.bias`]);
}

/** max(x, 0) − x t + log(1 + e^−|x|), elementwise. */
export const bceLogits = (x, t) => tf.add(tf.sub(tf.relu(x), tf.mul(x, t)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));

/** The model's parameters as tf tensors, keyed by name. */
export function tfParams(model) {
  return model.namedParameters().map(([k, p]) => [k, toTf(p)]);
}

/**
 * Compare latentkit's loss (a scalar Tensor, not yet backpropagated) and
 * parameter gradients with tfjs's value and gradients of `tfLoss(P)`.
 */
export function compareStep(model, lkLoss, tfLoss, { rtol = 2e-3, atolFrac = 2e-4, names } = {}) {
  const named = model.namedParameters().filter(([k]) => !names || names.includes(k));
  named.forEach(([, p]) => p.zeroGrad());
  lkLoss.backward();
  const keys = named.map(([k]) => k);
  const tfVals = named.map(([, p]) => toTf(p));
  const f = (...vals) => {
    const P = Object.fromEntries(model.namedParameters().map(([k, p]) => [k, toTf(p)]));
    keys.forEach((k, i) => { P[k] = vals[i]; });
    return tfLoss(P);
  };
  const { value, grads } = tf.valueAndGrads(f)(tfVals);
  const v = value.dataSync()[0];
  allClose([lkLoss.item()], [v], { atol: 1e-4, rtol: 1e-4, msg: 'loss' });
  named.forEach(([k, p], i) => {
    const g = grads[i].dataSync();
    let scale = 0;
    for (const x of g) scale = Math.max(scale, Math.abs(x));
    assert.ok(p.grad, `${k} has a gradient`);
    allClose(p.grad.data, g, { atol: atolFrac * scale + 1e-7, rtol, msg: `d loss / d ${k}` });
  });
  return v;
}

export { tf };
