// The GM-VAE's latent part of the loss written in tfjs (001 P7's three-term
// ELBO), shared by the bench's tfjs peer (bench/suites/models.js) and the
// test that checks latentkit's loss and gradients against tfjs
// (test/neural/gmvae.test.js). With q(z|w,x) = softmax of the classifier on
// [w, h], the prior p(w|z) = N(μ_z, e^{lv_z} I) and p(z) = 1/K:
//   loss = −mean( recon + Σ_z q_z log p(w|z) + ½ Σ (lv + 1 + log 2π)   [w-term: E_q log p(w|z) + H(q(w|x))]
//                 − Σ_z q_z (log q_z + log K) )                         [z-term: −KL(q(z|w,x) ‖ p(z))]
/**
 * tf: a tfjs namespace; P: the tfjs variables by latentkit parameter name;
 * lin(x, name): x·Wᵀ + b of the layer `name`; w [n, L] the reparameterised
 * draw, h the encoder's hidden layer, lv its log-variance, recon [n] log p(x|w).
 */
export function gmvaeLoss(tf, P, lin, { w, h, lv, recon }) {
  const [n, L] = w.shape, K = P.priorMu.shape[0], c = Math.log(2 * Math.PI);
  const logQ = tf.logSoftmax(lin(tf.tanh(lin(tf.concat([w, h], 1), 'clsHidden')), 'clsOut')), q = tf.exp(logQ);
  const plv = tf.reshape(P.priorLogVar, [1, K, 1]);
  const d2 = tf.square(tf.sub(tf.reshape(w, [n, 1, L]), tf.reshape(P.priorMu, [1, K, L])));
  const logPwz = tf.mul(tf.sum(tf.add(tf.add(tf.mul(d2, tf.exp(tf.neg(plv))), plv), c), -1), -0.5);
  const wTerm = tf.add(tf.sum(tf.mul(q, logPwz), -1), tf.mul(tf.sum(tf.add(lv, 1 + c), -1), 0.5));
  const zTerm = tf.neg(tf.sum(tf.mul(q, tf.add(logQ, Math.log(K))), -1));
  return tf.neg(tf.mean(tf.add(tf.add(recon, wTerm), zTerm)));
}
