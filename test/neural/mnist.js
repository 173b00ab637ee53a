// The bundled MNIST digits for tests: lk.data.mnist() when it exists, else
// read straight from the `mnist` package (10 JSON files, one per digit).
import { createRequire } from 'node:module';
import { lk } from '../helpers.js';

const require = createRequire(import.meta.url);

/** All 10,000 digits in a seeded random order: {images: Float32Array N*784 in [0,1], labels: Int32Array}. */
export function loadMnist(seed = 0) {
  let images, labels;
  if (lk.data?.mnist) {
    const m = lk.data.mnist();
    images = m.images.dataSync ? m.images.dataSync() : Float32Array.from(m.images);
    labels = Int32Array.from(m.labels.dataSync ? m.labels.dataSync() : m.labels);
  } else {
    const parts = [];
    for (let d = 0; d < 10; d++) parts.push(require(`mnist/src/digits/${d}.json`).data);
    const n = parts.reduce((a, p) => a + p.length / 784, 0);
    images = new Float32Array(n * 784);
    labels = new Int32Array(n);
    let off = 0;
    parts.forEach((p, d) => {
      images.set(p, off * 784);
      labels.fill(d, off, off + p.length / 784);
      off += p.length / 784;
    });
  }
  const n = labels.length;
  const perm = new lk.Rng(seed).permutation(n);
  const img = new Float32Array(n * 784), lab = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    img.set(images.subarray(perm[i] * 784, perm[i] * 784 + 784), i * 784);
    lab[i] = labels[perm[i]];
  }
  return { images: img, labels: lab };
}

/** The first n digits (seeded order), binarised at 0.5 when `binary`. */
export function mnistSubset(n, { binary = false, seed = 0 } = {}) {
  const { images, labels } = loadMnist(seed);
  const x = images.slice(0, n * 784);
  if (binary) for (let i = 0; i < x.length; i++) x[i] = x[i] > 0.5 ? 1 : 0;
  return { x: lk.tensor(x, [n, 784]), labels: labels.slice(0, n) };
}
