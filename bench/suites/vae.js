// One VAE training step on a batch of 128 (784-500-2, as the MNIST VAE):
//   encoder  h = tanh(x W1 + b1) [128,500];  μ = h Wμ + bμ,  log σ² = h Wv + bv  [128,2]
//   sample   z = μ + exp(½ log σ²) ⊙ ε   (ε fixed, so every engine does the same work)
//   decoder  g = tanh(z W3 + b3) [128,500];  logits = g W4 + b4 [128,784]
//   loss     ( Σ BCE-with-logits(logits, x) + KL ) / 128,
//            BCE-with-logits(l, x) = softplus(l) − x·l,  KL = −½ Σ (1 + log σ² − μ² − σ²)
// then forward + backward + one Adam update. latentkit is written with its
// engine ops; tfjs with tf.variableGrads through its Adam optimizer; PyTorch
// CPU with the same ops on the same [in, out] weights (bench/peers/torch_models.py,
// checked against latentkit's losses of the first two steps before it is timed).
import { randomData } from '../engines.js';
import { torchStepPeer, onBackend, STEP_RATIOS } from '../torch-peer.js';

export const name = 'vae';

const B = 128, D = 784, H = 500, Z = 2;
const SHAPES = { W1: [D, H], b1: [H], Wm: [H, Z], bm: [Z], Wv: [H, Z], bv: [Z], W3: [Z, H], b3: [H], W4: [H, D], b4: [D] };
// multiply-adds of the matmuls, forward (×2 flops) and backward (×2 more for dX and dW)
const FLOPS = 6 * B * (D * H + 2 * H * Z + Z * H + H * D);

function initial() {
  const p = {};
  let seed = 10;
  for (const [k, shape] of Object.entries(SHAPES)) {
    const size = shape.reduce((a, b) => a * b, 1);
    p[k] = k.startsWith('b') ? new Float32Array(size) : randomData(size, seed++, 1 / Math.sqrt(shape[0]));
  }
  const x = randomData(B * D, 99).map((v) => (v > 0 ? 1 : 0)); // binary pixels
  const eps = randomData(B * Z, 98, 1.7);
  return { p, x, eps };
}

// onLoss (the torch peer's reference losses only) receives each step's loss value
function lkStep(ctx, onLoss) {
  const { lk } = ctx;
  const { p, x, eps } = initial();
  const P = {};
  for (const [k, v] of Object.entries(p)) {
    P[k] = lk.tensor(v, SHAPES[k]);
    P[k].requiresGrad = true;
  }
  const X = lk.tensor(x, [B, D]), E = lk.tensor(eps, [B, Z]);
  const opt = new lk.optim.Adam(Object.values(P), { lr: 1e-3 });
  return () => {
    opt.zeroGrad();
    const h = lk.tanh(lk.add(lk.matmul(X, P.W1), P.b1));
    const mu = lk.add(lk.matmul(h, P.Wm), P.bm);
    const logvar = lk.add(lk.matmul(h, P.Wv), P.bv);
    const z = lk.add(mu, lk.mul(lk.exp(lk.mul(logvar, 0.5)), E));
    const g = lk.tanh(lk.add(lk.matmul(z, P.W3), P.b3));
    const logits = lk.add(lk.matmul(g, P.W4), P.b4);
    const rec = lk.sum(lk.sub(lk.softplus(logits), lk.mul(X, logits)));
    const kl = lk.mul(lk.sum(lk.sub(lk.sub(lk.add(logvar, 1), lk.mul(mu, mu)), lk.exp(logvar))), -0.5);
    const loss = lk.div(lk.add(rec, kl), B);
    if (onLoss) onLoss(loss.item());
    loss.backward();
    opt.step();
  };
}

function tfStep(ctx) {
  const { tf } = ctx;
  const { p, x, eps } = initial();
  const V = {};
  for (const [k, v] of Object.entries(p)) V[k] = tf.variable(tf.tensor(v, SHAPES[k]), true, `vae_${k}_${Math.random()}`);
  const X = tf.tensor2d(x, [B, D]), E = tf.tensor2d(eps, [B, Z]);
  const opt = tf.train.adam(1e-3);
  const loss = () => {
    const h = tf.tanh(tf.add(tf.matMul(X, V.W1), V.b1));
    const mu = tf.add(tf.matMul(h, V.Wm), V.bm);
    const logvar = tf.add(tf.matMul(h, V.Wv), V.bv);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), E));
    const g = tf.tanh(tf.add(tf.matMul(z, V.W3), V.b3));
    const logits = tf.add(tf.matMul(g, V.W4), V.b4);
    const rec = tf.sum(tf.sub(tf.softplus(logits), tf.mul(X, logits)));
    const kl = tf.mul(tf.sum(tf.sub(tf.sub(tf.add(logvar, 1), tf.mul(mu, mu)), tf.exp(logvar))), -0.5);
    return tf.div(tf.add(rec, kl), B);
  };
  return () => {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(loss, Object.values(V));
      opt.applyGradients(Object.fromEntries(Object.values(V).map((v) => [v.name, grads[v.name]])));
    });
  };
}

function peerArrays(ctx) {
  const { p, x, eps } = initial();
  const expected = [];
  onBackend(ctx.lk, () => { const step = lkStep(ctx, (v) => expected.push(v)); step(); step(); });
  return { params: Object.entries(p).map(([k, v]) => [k, v, SHAPES[k]]), inputs: { x: [x, [B, D]], eps: [eps, [B, Z]] }, expected };
}

export function cases() {
  return [{
    id: 'VAE step 784-500-2, batch 128 (Adam)',
    flops: FLOPS,
    target: { ms: 15 },
    ratios: STEP_RATIOS,
    peers: { torch: torchStepPeer('VAE128', peerArrays) },
    make: (ctx, e) => (e.kind === 'lk' ? lkStep(ctx) : tfStep(ctx)),
  }];
}
