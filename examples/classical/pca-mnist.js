// Course reproduction: PCA eigen-digits on the 10,000 bundled MNIST digits:
// the first 10 components as images, the eigenvalue spectrum, the number of
// components for 95% and 99% of the variance, and reconstructions.
import { join } from 'node:path';
import { lk, plot, OUT, timed, saveJson } from './common.js';

const { images } = lk.data.mnist();
console.log(`digits: ${images.shape[0]} x ${images.shape[1]}`);
const pca = new lk.PCA();
const [, ms] = timed('PCA (covariance + eigh of 784x784)', () => pca.fit(images));
const k95 = pca.nComponentsFor(0.95), k99 = pca.nComponentsFor(0.99);
const ev = pca.eigenvalues.data, total = ev.reduce((a, b) => a + b, 0);
console.log(`components for 95% variance: ${k95}, for 99%: ${k99}; top-10 explain ${(ev.slice(0, 10).reduce((a, b) => a + b, 0) / total * 100).toFixed(1)}%`);
plot.imageGrid(pca.components.data.subarray(0, 10 * 784), 10, 28, 28, { cols: 10, scale: 3, range: 'auto' }).save(join(OUT, 'pca-eigendigits.png'));
plot.imageGrid(pca.mean.data, 1, 28, 28, { scale: 3 }).save(join(OUT, 'pca-mean-digit.png'));
const idx = Array.from({ length: 200 }, (_, i) => i + 1);
plot.linePlot([{ x: idx, y: Array.from(ev.slice(0, 200)) }], { logY: true }).save(join(OUT, 'pca-spectrum.png'));
// reconstructions of 10 digits with 10, 50, k95 components
const some = lk.slice(images, [0, 0], [10, 784]);
const rows = [some.data];
for (const k of [10, 50, k95]) {
  const p = new lk.PCA({ nComponents: k }).fit(images);
  rows.push(p.inverseTransform(p.transform(some)).data);
}
const grid = new Float32Array(40 * 784);
rows.forEach((r, i) => grid.set(r, i * 10 * 784));
plot.imageGrid(grid, 40, 28, 28, { cols: 10, scale: 2 }).save(join(OUT, 'pca-reconstructions.png'));
saveJson('pca-mnist.json', { seconds: ms / 1000, components95: k95, components99: k99, eigenvalues: Array.from(ev.slice(0, 50)), totalVariance: total });
