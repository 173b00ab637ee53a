// One training step of each neural model (forward, backward, one Adam update),
// latentkit's model classes against the same step written in TensorFlow.js
// from the same weights and data. Sizes are those of the MNIST examples:
//   VAE 784-500-2 (batch 100), CVAE (784+10)-400-400-20 (100), GMVAE K=10,
//   500 hidden, 2-D latent (100), NICE 4 couplings of 5 layers x 500 (100),
//   GAN the course's tables, one D then one G update (64).
// Reparameterisation and GAN noise are fixed, so every engine does the same work.
// PyTorch CPU peer (bench/peers/torch_models.py): the same model in plain torch
// from latentkit's initial weights, batch and noise; it checks its first two
// steps' losses against latentkit's (computed here) before it is timed.
import { randomData } from '../engines.js';
import { torchStepPeer, onBackend, STEP_RATIOS } from '../torch-peer.js';
import { gmvaeLoss } from '../refs/gmvae.js';

export const name = 'models';
let uid = 0;

const data = (n, binary) => {
  const x = randomData(n * 784, 7).map((v) => (v + 1) / 2);
  return binary ? x.map((v) => (v > 0.5 ? 1 : 0)) : x;
};

// ---- tfjs side: the same layers (weights [out, in] as latentkit) ----
const lin = (tf, x, V, n) => tf.add(tf.matMul(x, V[`${n}.weight`], false, true), V[`${n}.bias`]);
const bce = (tf, l, t) => tf.add(tf.sub(tf.relu(l), tf.mul(l, t)), tf.log1p(tf.exp(tf.neg(tf.abs(l)))));
const klStd = (tf, mu, lv) => tf.mul(tf.sum(tf.sub(tf.add(tf.exp(lv), tf.square(mu)), tf.add(lv, 1)), -1), 0.5);
const convT = (tf, x, V, n, pad) => tf.add(tf.conv2d(x, tf.transpose(V[`${n}.weight`], [2, 3, 1, 0]), 1, pad ? 'same' : 'valid'), V[`${n}.bias`]);
function up2(tf, h) {
  const [n, hh, w, c] = h.shape;
  const cols = tf.reshape(h, [n, hh, w, 1, c]);
  const rows = tf.reshape(tf.concat([cols, cols], 3), [n, hh, 1, 2 * w, c]);
  return tf.reshape(tf.concat([rows, rows], 2), [n, 2 * hh, 2 * w, c]);
}

const tfLoss = {
  VAE: (tf, V, { x, eps }) => {
    const h = tf.tanh(lin(tf, x, V, 'encHidden'));
    const mu = lin(tf, h, V, 'encMu'), lv = lin(tf, h, V, 'encLogVar');
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps));
    const logits = lin(tf, tf.tanh(lin(tf, z, V, 'decHidden')), V, 'decOut');
    return tf.mean(tf.add(tf.sum(bce(tf, logits, x), -1), klStd(tf, mu, lv)));
  },
  CVAE: (tf, V, { x, y, eps }) => {
    const h = tf.relu(lin(tf, tf.relu(lin(tf, tf.concat([x, y], 1), V, 'enc1')), V, 'enc2'));
    const mu = lin(tf, h, V, 'encMu'), lv = lin(tf, h, V, 'encLogVar');
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps));
    const logits = lin(tf, tf.relu(lin(tf, tf.relu(lin(tf, tf.concat([z, y], 1), V, 'dec1')), V, 'dec2')), V, 'decOut');
    return tf.mean(tf.add(tf.sum(bce(tf, logits, x), -1), klStd(tf, mu, lv)));
  },
  GMVAE: (tf, V, { x, eps }) => {
    // 001 P7 with a Bernoulli decoder: q(w|x), q(z|w,x), three-term ELBO
    const h = tf.tanh(lin(tf, x, V, 'encHidden'));
    const mu = lin(tf, h, V, 'encMu'), lv = lin(tf, h, V, 'encLogVar');
    const w = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps));
    const logits = lin(tf, tf.tanh(lin(tf, w, V, 'decHidden')), V, 'decOut');
    const recon = tf.neg(tf.sum(bce(tf, logits, x), -1));
    return gmvaeLoss(tf, V, (t, name) => lin(tf, t, V, name), { w, h, lv, recon });
  },
  NICE: (tf, V, { x }, model) => {
    const d = 784;
    let h = x;
    for (let i = 0; i < model.couplingLayers; i++) {
      const r = tf.reshape(h, [-1, d / 2, 2]);
      const e = tf.reshape(tf.slice(r, [0, 0, 0], [-1, -1, 1]), [-1, d / 2]), o = tf.reshape(tf.slice(r, [0, 0, 1], [-1, -1, 1]), [-1, d / 2]);
      const [a, b] = i % 2 === 0 ? [e, o] : [o, e];
      let m = a;
      for (let j = 0; j < model.hiddenLayers; j++) m = tf.relu(lin(tf, m, V, `couplings.${i}.layers.${2 * j}`));
      const yb = tf.add(b, lin(tf, m, V, `couplings.${i}.layers.${2 * model.hiddenLayers}`));
      h = tf.reshape(i % 2 === 0 ? tf.stack([a, yb], 2) : tf.stack([yb, a], 2), [-1, d]);
    }
    const z = tf.mul(h, tf.exp(V.logScale));
    return tf.sub(tf.mean(tf.sum(tf.add(tf.softplus(z), tf.softplus(tf.neg(z))), -1)), tf.sum(V.logScale));
  },
};

function tfGan(tf, V, z) {
  let h = tf.leakyRelu(lin(tf, z, V, 'generator.layers.0'), 0.2);
  h = up2(tf, tf.transpose(tf.reshape(h, [z.shape[0], 32, 7, 7]), [0, 2, 3, 1]));
  h = up2(tf, tf.leakyRelu(convT(tf, h, V, 'generator.layers.4', 1), 0.2));
  h = tf.leakyRelu(convT(tf, h, V, 'generator.layers.7', 1), 0.2);
  return tf.sigmoid(convT(tf, h, V, 'generator.layers.9', 1));
}
function tfDisc(tf, V, x) {
  let h = tf.maxPool(tf.relu(convT(tf, x, V, 'discriminator.layers.0', 1)), 2, 2, 'valid');
  h = tf.maxPool(tf.relu(convT(tf, h, V, 'discriminator.layers.3', 1)), 2, 2, 'valid');
  h = tf.relu(convT(tf, h, V, 'discriminator.layers.6', 0));
  return lin(tf, tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [h.shape[0], 200]), V, 'discriminator.layers.9');
}

function tfVars(tf, model) {
  const u = uid++;
  return Object.fromEntries(model.namedParameters().map(([k, p]) => [k, tf.variable(tf.tensor(p.dataSync(), [...p.shape]), true, `m${u}_${k}`)]));
}

function tfStep(ctx, kind, model, inputs) {
  const { tf } = ctx;
  const V = tfVars(tf, model);
  const I = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, tf.tensor(t.dataSync(), [...t.shape])]));
  const opt = tf.train.adam(1e-3);
  if (kind !== 'GAN') {
    return () => tf.tidy(() => opt.applyGradients(tf.variableGrads(() => tfLoss[kind](tf, V, I, model), Object.values(V)).grads));
  }
  const optG = tf.train.adam(2e-4, 0.5);
  const dVars = Object.keys(V).filter((k) => k.startsWith('disc')).map((k) => V[k]);
  const gVars = Object.keys(V).filter((k) => k.startsWith('gen')).map((k) => V[k]);
  const x = tf.transpose(tf.reshape(I.x, [-1, 1, 28, 28]), [0, 2, 3, 1]);
  const mean = (l, t) => tf.mean(bce(tf, l, tf.fill(l.shape, t)));
  return () => tf.tidy(() => {
    const fake = tfGan(tf, V, I.z);
    opt.applyGradients(tf.variableGrads(() => tf.add(mean(tfDisc(tf, V, x), 1), mean(tfDisc(tf, V, fake), 0)), dVars).grads);
    optG.applyGradients(tf.variableGrads(() => mean(tfDisc(tf, V, tfGan(tf, V, I.z2)), 1), gVars).grads);
  });
}

// ---- latentkit side: the model classes ----
function build(lk, kind) {
  lk.seed(1);
  const n = kind === 'GAN' ? 64 : 100;
  const x = lk.tensor(data(n, kind !== 'NICE' && kind !== 'GAN'), [n, 784]);
  switch (kind) {
    case 'VAE': return { model: new lk.VAE({ inputDim: 784, seed: 1, estimator: 'analytic' }), inputs: { x, eps: lk.randn([n, 2]) } };
    case 'CVAE': return { model: new lk.CVAE({ inputDim: 784, seed: 1 }), inputs: { x, y: lk.tensor(Array.from({ length: n * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0)), [n, 10]), eps: lk.randn([n, 20]) } };
    case 'GMVAE': return { model: new lk.GMVAE({ inputDim: 784, nComponents: 10, likelihood: 'bernoulli', seed: 1 }), inputs: { x, eps: lk.randn([n, 2]) } };
    case 'NICE': return { model: new lk.NICE({ inputDim: 784, hiddenDim: 500, hiddenLayers: 5, seed: 1 }), inputs: { x } };
    default: return { model: new lk.GAN({ latentDim: 100, seed: 1 }), inputs: { x, z: lk.randn([n, 100]), z2: lk.randn([n, 100]) } };
  }
}

// onLoss (the reference losses of the torch peer only) receives each loss value
function lkStep(ctx, kind, model, I, onLoss) {
  const { lk } = ctx;
  const seen = (l) => { if (onLoss) onLoss(l.item()); return l; };
  if (kind === 'GAN') {
    const optD = new lk.optim.Adam(model.discriminator.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
    const optG = new lk.optim.Adam(model.generator.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
    const x = I.x.reshape([-1, 1, 28, 28]);
    return () => {
      optD.zeroGrad(); seen(model.discriminatorLoss(x, I.z)).backward(); optD.step();
      optG.zeroGrad(); seen(model.generatorLoss(I.z2)).backward(); optG.step();
    };
  }
  const opt = new lk.optim.Adam(model.parameters(), { lr: 1e-3 });
  const loss = {
    VAE: () => model.terms(I.x, { noise: I.eps }).loss,
    CVAE: () => model.terms(I.x, I.y, { noise: I.eps }).loss,
    GMVAE: () => model.terms(I.x, { noise: I.eps }).loss,
    NICE: () => lk.neg(lk.mean(model.logProbSamples(I.x))),
  }[kind];
  return () => { opt.zeroGrad(); seen(loss()).backward(); opt.step(); };
}

// What the torch peer gets: the initial weights, the inputs and latentkit's losses of two steps
function peerArrays(ctx, kind) {
  const { model, inputs } = build(ctx.lk, kind);
  // copies taken before the two reference steps below update the weights
  const params = model.namedParameters().map(([k, p]) => [k, p.dataSync().slice(), [...p.shape]]);
  const ins = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, [v.dataSync().slice(), [...v.shape]]]));
  const expected = [];
  onBackend(ctx.lk, () => {
    const step = lkStep(ctx, kind, model, inputs, (v) => expected.push(v));
    step();
    step();
  });
  return { params, inputs: ins, expected };
}

export function cases() {
  const rows = [
    ['VAE', 'VAE step 784-500-2, batch 100'],
    ['CVAE', 'CVAE step 794-400-400-20, batch 100'],
    ['GMVAE', 'GMVAE step K=10, batch 100'],
    ['NICE', 'NICE step 4x(392-500x5-392), batch 100'],
    ['GAN', 'GAN step (D then G), batch 64'],
  ];
  return rows.map(([kind, id]) => ({
    id,
    ratios: STEP_RATIOS,
    peers: { torch: torchStepPeer(kind, (ctx) => peerArrays(ctx, kind)) },
    skip: kind === 'GAN' ? { 'tfjs-cpu': 'tfjs-cpu conv gradients are naive: about a minute per step at batch 64', 'tfjs-wasm': "tfjs-wasm 4.22 has no Conv2DBackpropFilter kernel" } : undefined,
    make: (ctx, e) => {
      const { model, inputs } = build(ctx.lk, kind);
      return e.kind === 'lk' ? lkStep(ctx, kind, model, inputs) : tfStep(ctx, kind, model, inputs);
    },
  }));
}
