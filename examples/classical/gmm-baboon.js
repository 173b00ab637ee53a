// Course reproduction: a Gaussian mixture with K = 5, 50 EM steps on the
// 128x128 baboon, means from the K-means centroids and Σ = 1000·I, applied to
// the 512x512 one by MAP assignment (each pixel coloured by its component's
// mean); final log-likelihood and RMSE reported. Timed too: 50 EM steps on all
// 262,144 pixels of the 512x512 image.
import { join } from 'node:path';
import { lk, OUT, timed, saveJson, pixels, rmse, recolour } from './common.js';

const small = lk.data.baboon(128), large = lk.data.baboon(512);
const K = 5;
console.log(`backend ${lk.getBackend()}`);
const km = new lk.KMeans({ nClusters: K, seed: 0 }).fit(pixels(small));
const init = { weights: new Array(K).fill(1 / K), means: km.centroids, covariances: 1000 };
const gmm = new lk.GaussianMixture({ nComponents: K, maxIter: 50, tol: 0, init, warnings: false });
const [, fitMs] = timed('GMM K=5, 50 EM steps on 128x128', () => gmm.fit(pixels(small)));
const h = gmm.logLikelihoodHistory;
const [labels, mapMs] = timed('MAP assignment of the 512x512 pixels', () => gmm.predict(pixels(large)));
const ll512 = gmm.score(pixels(large));
const out = recolour(labels, gmm.means, 512, 512), err = rmse(out, large);
console.log(`log-likelihood per pixel: initial ${gmm.initialLogLikelihood.toFixed(4)}, after 50 steps ${h[49].toFixed(4)} (128x128), on 512x512 ${ll512.toFixed(4)} nats`);
console.log(`RMSE of the MAP-coloured 512x512 image: ${err.toFixed(2)} (0..255 scale)`);
lk.data.writeImage(join(OUT, 'gmm-baboon-512.png'), out);
lk.data.writeImage(join(OUT, 'gmm-baboon-128.png'), recolour(gmm.predict(pixels(small)), gmm.means, 128, 128));
const big = new lk.GaussianMixture({ nComponents: K, maxIter: 50, tol: 0, init, warnings: false });
const [, bigMs] = timed('GMM K=5, 50 EM steps on all 262,144 pixels of 512x512', () => big.fit(pixels(large)));
console.log(`  final log-likelihood per pixel ${big.logLikelihoodHistory[49].toFixed(4)}`);
saveJson('gmm-baboon.json', {
  backend: lk.getBackend(), fitSeconds128: fitMs / 1000, mapSeconds512: mapMs / 1000, initialLogLikelihood: gmm.initialLogLikelihood,
  logLikelihood: h, final128: h[49], logLikelihood512: ll512, rmse512: err,
  weights: Array.from(gmm.weights.data), means: gmm.means.toArray(),
  fullImage: { seconds: bigMs / 1000, final: big.logLikelihoodHistory[49] },
});
