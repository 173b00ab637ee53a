// What the browser example computes, on the public API only, so the same code
// runs in the page (wasm kernels) and in Node (test/package/browser.test.js
// compares the two): Gaussian mixture, K-means and PCA fits on seeded
// synthetic data, and one VAE epoch trained with fitAsync (the page stays
// responsive and shows progress). Returns plain numbers (JSON-safe).
import * as lk from 'latentkit';

/** Three 2-D blobs of `perBlob` points each, from lk.randn (seeded: the same numbers on every backend). */
function blobs(perBlob) {
  const centers = lk.tensor([[0, 0], [5, 5], [-5, 5]]);
  const parts = [0, 1, 2].map((k) => lk.add(lk.mul(lk.randn([perBlob, 2]), 0.8), lk.slice(centers, [k, 0], [1, 2])));
  return lk.concat(parts, 0);
}

const round = (t) => Array.from(t.dataSync ? t.dataSync() : t);

/**
 * Run every fit; `onProgress(text)` is called as the work goes on.
 * @param {(text: string) => void} [onProgress]
 */
export async function runDemo(onProgress = () => {}) {
  const times = {};
  const timed = async (name, fn) => { const t0 = performance.now(); const r = await fn(); times[name] = performance.now() - t0; onProgress(`${name}: ${times[name].toFixed(0)} ms`); return r; };
  lk.seed(0);
  const x = blobs(200);

  const gmm = await timed('GaussianMixture', () => new lk.GaussianMixture({ nComponents: 3, seed: 1 }).fit(x));
  const km = await timed('KMeans', () => new lk.KMeans({ nClusters: 3, seed: 1 }).fit(x));

  // PCA on 6-D data with a 2-D structure plus noise
  const mix = lk.tensor([[1, 2, 0, -1, 0.5, 0], [0, 1, 3, 0, -1, 2]]);
  const x6 = lk.add(lk.matmul(x, mix), lk.mul(lk.randn([600, 6]), 0.1));
  const pca = await timed('PCA', () => new lk.PCA({ nComponents: 2 }).fit(x6));

  // one VAE epoch on [0, 1] data, 64-32-2, batches of 50
  const images = lk.rand([400, 64]);
  const vae = new lk.VAE({ inputDim: 64, hiddenDim: 32, latentDim: 2 });
  await timed('VAE epoch', () => vae.fitAsync(images, {
    epochs: 1, batchSize: 50, seed: 3,
    onStep: (s) => onProgress(`VAE step ${s.batch}/${s.batches}: loss ${s.loss.toFixed(3)}`),
  }));

  return {
    backend: lk.getBackend(),
    backends: lk.backends(),
    gmm: { weights: round(gmm.weights), means: round(gmm.means), score: gmm.score(x), converged: gmm.converged },
    kmeans: { inertia: km.inertia, centroids: round(km.centroids), nIter: km.nIter },
    pca: { explainedVariance: round(pca.explainedVariance), components: round(pca.components) },
    vae: { loss: vae.history[0].loss, elbo: vae.history[0].elbo, firstWeights: round(vae.parameters()[0]).slice(0, 8) },
    ms: times,
  };
}
