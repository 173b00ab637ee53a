// Course reproduction: K-means with 16 colours trained on the 128x128 baboon,
// applied to the 512x512 one; RMSE pixel error and both quantised images saved.
// Also timed: K-means trained on all 262,144 pixels of the 512x512 image.
import { join } from 'node:path';
import { lk, OUT, timed, saveJson, pixels, rmse, recolour } from './common.js';

const small = lk.data.baboon(128), large = lk.data.baboon(512);
console.log(`backend ${lk.getBackend()}`);
const km = new lk.KMeans({ nClusters: 16, seed: 0 });
const [, fitMs] = timed('K-means (16 colours) on 128x128', () => km.fit(pixels(small)));
const [labels, applyMs] = timed('assign 512x512 pixels', () => km.predict(pixels(large)));
const quantSmall = recolour(km.labels, km.centroids, 128, 128), quantLarge = recolour(labels, km.centroids, 512, 512);
const errSmall = rmse(quantSmall, small), errLarge = rmse(quantLarge, large);
console.log(`iterations ${km.nIter}, RMSE 128x128 ${errSmall.toFixed(2)}, RMSE 512x512 ${errLarge.toFixed(2)} (0..255 scale)`);
lk.data.writeImage(join(OUT, 'kmeans-baboon-128.png'), quantSmall);
lk.data.writeImage(join(OUT, 'kmeans-baboon-512.png'), quantLarge);
lk.data.writeImage(join(OUT, 'baboon-512-original.png'), large);
const full = new lk.KMeans({ nClusters: 16, seed: 0 });
const [, fullMs] = timed('K-means (16 colours) on all 262,144 pixels of 512x512', () => full.fit(pixels(large)));
const errFull = rmse(recolour(full.labels, full.centroids, 512, 512), large);
console.log(`  ${full.nIter} iterations, RMSE ${errFull.toFixed(2)}`);
saveJson('kmeans-baboon.json', {
  backend: lk.getBackend(), iterations: km.nIter, fitSeconds128: fitMs / 1000, applySeconds512: applyMs / 1000,
  rmse128: errSmall, rmse512: errLarge, centroids: km.centroids.toArray(),
  fullImage: { seconds: fullMs / 1000, iterations: full.nIter, rmse: errFull },
});
