// Shared by the neural examples: the bundled MNIST digits split 9,000 / 1,000,
// PNG output (pngjs), a results file, and a tiny progress printer.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as lk from 'latentkit';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs');
export const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(OUT, { recursive: true });

/** Command-line flags --name=value as numbers (with defaults). */
export function flags(defaults) {
  const out = { ...defaults };
  for (const a of process.argv.slice(2)) {
    const m = a.match(/^--([\w-]+)=(.*)$/);
    if (m) out[m[1]] = Number.isNaN(Number(m[2])) ? m[2] : Number(m[2]);
  }
  return out;
}

/** The 10,000 bundled digits in a seeded order, split 9,000 train / 1,000 held out. */
export function mnistSplit({ binary = false, seed = 0 } = {}) {
  const { images, labels } = lk.data.mnist({ seed, binarize: binary });
  const n = labels.length, nTrain = 9000;
  return {
    train: lk.slice(images, [0, 0], [nTrain, 784]), trainLabels: labels.slice(0, nTrain),
    test: lk.slice(images, [nTrain, 0], [n - nTrain, 784]), testLabels: labels.slice(nTrain),
  };
}

/** Write rows of 28x28 images in [0, 1] as a grid PNG with `cols` columns. */
export function saveGrid(name, images, cols) {
  const t = images.data, n = images.shape[0], rows = Math.ceil(n / cols), s = 28, pad = 2;
  const W = cols * (s + pad) + pad, H = rows * (s + pad) + pad;
  const png = new PNG({ width: W, height: H });
  png.data.fill(255);
  for (let k = 0; k < n; k++) {
    const r = Math.floor(k / cols), c = k % cols;
    for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) {
      const v = Math.round(255 * (1 - Math.min(1, Math.max(0, t[k * 784 + i * s + j]))));
      const o = ((pad + r * (s + pad) + i) * W + pad + c * (s + pad) + j) * 4;
      png.data[o] = png.data[o + 1] = png.data[o + 2] = v; png.data[o + 3] = 255;
    }
  }
  writeFileSync(join(OUT, name), PNG.sync.write(png));
  return join(OUT, name);
}

const COLORS = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189], [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207]];

/** A scatter plot PNG of 2-D points coloured by label. */
export function saveScatter(name, points, labels, size = 600) {
  const p = points.data, n = points.shape[0];
  let lo = Infinity, hi = -Infinity;
  for (const v of p) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const png = new PNG({ width: size, height: size });
  png.data.fill(255);
  for (let k = 0; k < n; k++) {
    const x = Math.round(((p[2 * k] - lo) / (hi - lo)) * (size - 7)) + 3, y = Math.round(((hi - p[2 * k + 1]) / (hi - lo)) * (size - 7)) + 3;
    const [r, g, b] = COLORS[labels[k] % 10];
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const o = ((y + dy) * size + x + dx) * 4;
      png.data[o] = r; png.data[o + 1] = g; png.data[o + 2] = b;
    }
  }
  writeFileSync(join(OUT, name), PNG.sync.write(png));
  return join(OUT, name);
}

/** Merge `entry` into out/results.json under `key`. */
export function record(key, entry) {
  const path = join(OUT, 'results.json');
  const all = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  all[key] = { ...entry, backend: lk.getBackend(), date: new Date().toISOString() };
  writeFileSync(path, JSON.stringify(all, null, 2));
  console.log(`${key}:`, JSON.stringify(all[key]));
}

/** onEpoch/onStep callbacks that print one line per epoch and a step counter. */
export function progress(label, extra = () => '') {
  return {
    onStep: (s) => { if (s.batch % 10 === 0 || s.batch === s.batches) process.stdout.write(`\r${label} epoch ${s.epoch + 1} step ${s.batch}/${s.batches} loss ${s.runningLoss.toFixed(2)}   `); },
    onEpoch: (e) => { process.stdout.write(`\r${label} epoch ${e.epoch + 1}/${e.epochs} loss ${e.loss.toFixed(3)} (${e.seconds.toFixed(1)} s) ${extra(e)}\n`); },
  };
}

export { lk };
