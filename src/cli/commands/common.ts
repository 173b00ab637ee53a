// Helpers the model commands share: picture figures, pixel errors, curves over
// steps (for the Vega-Lite charts), stepping progress bars from iteration callbacks.
import { imageGrid, sideBySide, type Canvas } from '../plot/index.js';
import type { Curve } from '../plot/vega.js';
import type { Picture } from '../data.js';
import type { Context, Progress } from '../context.js';

/** An RGB picture (values 0..255) as a canvas, magnified. */
export function pictureCanvas(p: Picture, scale = 2): Canvas {
  return imageGrid(p.pixels, 1, p.h, p.w, { channels: 3, range: [0, 255], scale, pad: 0 });
}

/** Original and compressed pictures side by side. */
export function compareFigure(a: Picture, b: Picture, scale = 2): Canvas {
  return sideBySide([pictureCanvas(a, scale), pictureCanvas(b, scale)], 10);
}

/**
 * The course's mean pixel error (004 P1): the mean over pixels of the
 * Euclidean distance between the original and compressed RGB colours,
 * (1/N) Σ_i ‖x_i − x̂_i‖₂ on the 0..255 scale.
 */
export function meanPixelError(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = a.length / 3;
  for (let i = 0; i < n; i++) {
    const r = a[3 * i] - b[3 * i], g = a[3 * i + 1] - b[3 * i + 1], bl = a[3 * i + 2] - b[3 * i + 2];
    s += Math.sqrt(r * r + g * g + bl * bl);
  }
  return s / Math.max(1, n);
}

/**
 * Compression factor of a K-colour palette image: 24 bits per pixel before;
 * after, ⌈log₂ K⌉ bits per pixel plus the palette (K colours × 24 bits):
 *   24 N / (N ⌈log₂ K⌉ + 24 K)
 */
export function compressionFactor(pixels: number, k: number): number {
  return (24 * pixels) / (pixels * Math.max(1, Math.ceil(Math.log2(k))) + 24 * k);
}

/** Replace each pixel by its cluster's colour. */
export function recolour(labels: ArrayLike<number>, palette: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.min(255, Math.max(0, palette[labels[i] * 3 + c]));
  return out;
}

/** The colours of a palette [K,3] as a strip of swatches. */
export function paletteFigure(palette: Float32Array, k: number): Canvas {
  return imageGrid(palette, k, 1, 1, { channels: 3, range: [0, 255], scale: 24, pad: 2, cols: Math.min(k, 16) });
}

/**
 * An onIteration callback: advances the bar (with the loss lossOf gives, if
 * any) and returns false (stop) once Ctrl-C was pressed.
 */
export function stepper<I>(ctx: Context, bar: Progress, lossOf?: (info: I) => number): (info: I) => boolean {
  return (info: I) => {
    bar.tick(undefined, lossOf ? lossOf(info) : undefined);
    return !ctx.stopped;
  };
}

/** A named curve over steps 1..n (e.g. a value per EM step or epoch). */
export function perStep(y: ArrayLike<number>, name = 'value'): Curve {
  return { name, x: Array.from({ length: y.length }, (_, i) => i + 1), y };
}
