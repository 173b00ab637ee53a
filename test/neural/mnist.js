// The bundled MNIST digits for the neural tests, through lk.data.mnist.
import { lk } from '../helpers.js';

/** The first n digits of a seeded random order, binarised at 0.5 when `binary`. */
export function mnistSubset(n, { binary = false, seed = 0 } = {}) {
  const { images, labels } = lk.data.mnist({ seed, limit: n, binarize: binary });
  return { x: images, labels };
}
