// Course reproduction: a mixture of Bernoullis on 1,000 binarised MNIST digits,
// K = 5, 10, 20, 20 EM iterations each (one E-step then one M-step), the mean
// images (the fitted p_k) saved as PNG grids.
import { join } from 'node:path';
import { lk, plot, OUT, timed, saveJson } from './common.js';

const { images, labels } = lk.data.mnist({ limit: 1000, seed: 0, binarize: true });
console.log(`digits: ${images.shape[0]} x ${images.shape[1]}, backend ${lk.getBackend()}`);
const results = {};
for (const K of [5, 10, 20]) {
  const model = new lk.BernoulliMixture({ nComponents: K, maxIter: 20, tol: 0, seed: 1, warnings: false });
  const [, ms] = timed(`K=${K}: 20 iterations`, () => model.fit(images));
  const h = model.logLikelihoodHistory;
  // purity: share of digits whose component's majority label matches theirs
  const pred = model.predict(images), votes = Array.from({ length: K }, () => new Array(10).fill(0));
  pred.forEach((k, i) => votes[k][labels[i]]++);
  const purity = votes.reduce((s, v) => s + Math.max(...v), 0) / pred.length;
  console.log(`  log-likelihood per digit: start ${model.initialLogLikelihood.toFixed(2)}, after 20 ${h[h.length - 1].toFixed(2)} nats; purity ${purity.toFixed(3)}`);
  const order = Array.from(model.weights.data.keys()).sort((a, b) => model.weights.data[b] - model.weights.data[a]);
  const probs = model.probs.data, sorted = new Float32Array(K * 784);
  order.forEach((k, r) => sorted.set(probs.subarray(k * 784, (k + 1) * 784), r * 784));
  plot.imageGrid(sorted, K, 28, 28, { cols: Math.min(K, 10), scale: 3 }).save(join(OUT, `bernoulli-means-K${K}.png`));
  plot.linePlot([{ x: h.map((_, i) => i + 1), y: h }]).save(join(OUT, `bernoulli-loglik-K${K}.png`));
  results[K] = { seconds: ms / 1000, logLikelihood: h, final: h[h.length - 1], purity, weights: order.map((k) => model.weights.data[k]) };
}
saveJson('bernoulli-mnist.json', results);
