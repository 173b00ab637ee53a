// Helpers the model commands share: picture figures, pixel errors, curves over
// steps, stepping progress bars from iteration callbacks.
import { imageGrid, sideBySide, type Canvas, type Series } from '../plot/index.js';
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

/** Mean squared and mean absolute error per channel value (0..255 scale), and PSNR in dB. */
export function pixelError(a: Float32Array, b: Float32Array): { mse: number; mae: number; psnr: number } {
  let se = 0, ae = 0;
  for (let i = 0; i < a.length; i++) { const d = a[i] - b[i]; se += d * d; ae += Math.abs(d); }
  const mse = se / a.length;
  return { mse, mae: ae / a.length, psnr: 10 * Math.log10((255 * 255) / Math.max(mse, 1e-12)) };
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

/** A curve over steps 1..n (e.g. a value per EM step or epoch). */
export function perStep(y: ArrayLike<number>): Series {
  return { x: Array.from({ length: y.length }, (_, i) => i + 1), y };
}
