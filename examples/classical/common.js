// Shared bits of the classical course reproductions: output folder, timing, figures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as lk from 'latentkit';
import * as plot from '../../dist/cli/plot/index.js'; // the figures of the command line (repository only, not part of the package API)

export { lk, plot };
export const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(OUT, { recursive: true });

export function timed(label, fn) {
  const t0 = performance.now();
  const r = fn();
  const ms = performance.now() - t0;
  console.log(`${label}: ${(ms / 1000).toFixed(2)} s`);
  return [r, ms];
}

export function saveJson(name, obj) {
  writeFileSync(join(OUT, name), JSON.stringify(obj, null, 2));
  console.log(`wrote ${join(OUT, name)}`);
}

/** Pixels [H·W, 3] of an image tensor [H, W, 3]. */
export const pixels = (img) => lk.reshape(img, [img.shape[0] * img.shape[1], 3]);

/** Root-mean-square difference per pixel channel, 0..255 scale. */
export function rmse(a, b) {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += (a.data[i] - b.data[i]) ** 2;
  return Math.sqrt(s / a.size);
}

/** The image with every pixel replaced by row `labels[p]` of `palette` [K, 3]. */
export function recolour(labels, palette, h, w) {
  const out = new Float32Array(h * w * 3), p = palette.data;
  for (let i = 0; i < h * w; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] = p[labels[i] * 3 + c];
  return lk.tensor(out, [h, w, 3]);
}
