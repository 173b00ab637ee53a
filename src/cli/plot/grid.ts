// Image grids: many small images (one a row of a matrix) tiled into one picture.
import { Canvas, WHITE, type Rgb } from './canvas.js';

export interface GridOptions {
  /** Images per row of the grid (default: near-square). */
  cols?: number;
  /** 1 (grey) or 3 (RGB, interleaved per pixel). */
  channels?: 1 | 3;
  /** Value range mapped to black..white; 'auto' scales each image to its own min..max. */
  range?: [number, number] | 'auto';
  /** Pixel magnification. */
  scale?: number;
  pad?: number;
  background?: Rgb;
}

/**
 * Tile n images of h x w (x channels) taken from consecutive rows of `data`
 * (length n*h*w*channels) into one canvas.
 */
export function imageGrid(data: ArrayLike<number>, n: number, h: number, w: number, opts: GridOptions = {}): Canvas {
  const ch = opts.channels ?? 1, scale = opts.scale ?? 2, pad = opts.pad ?? 2;
  if (data.length < n * h * w * ch) throw new Error(`imageGrid: ${data.length} values cannot hold ${n} images of ${h}x${w}x${ch}`);
  const cols = Math.max(1, Math.min(n, opts.cols ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.max(1, Math.ceil(n / cols));
  const cw = w * scale + pad, chh = h * scale + pad;
  const c = new Canvas(cols * cw + pad, rows * chh + pad, opts.background ?? WHITE);
  const size = h * w * ch;
  for (let k = 0; k < n; k++) {
    const off = k * size;
    let lo: number, hi: number;
    if (opts.range === 'auto') {
      lo = Infinity; hi = -Infinity;
      for (let i = 0; i < size; i++) { const v = data[off + i]; if (v < lo) lo = v; if (v > hi) hi = v; }
      if (!(hi > lo)) { hi = lo + 1; }
    } else [lo, hi] = opts.range ?? [0, 1];
    const ox = pad + (k % cols) * cw, oy = pad + Math.floor(k / cols) * chh;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const px = off + (y * w + x) * ch;
      const col: number[] = [];
      for (let j = 0; j < 3; j++) {
        const v = data[px + (ch === 3 ? j : 0)];
        col.push(Math.round(255 * Math.min(1, Math.max(0, (v - lo) / (hi - lo)))) || 0);
      }
      c.fillRect(ox + x * scale, oy + y * scale, scale, scale, col as unknown as Rgb);
    }
  }
  return c;
}

/** Place canvases side by side with a gap (e.g. original | compressed). */
export function sideBySide(parts: Canvas[], gap = 8): Canvas {
  const w = parts.reduce((s, p) => s + p.width, 0) + gap * (parts.length - 1);
  const h = Math.max(...parts.map((p) => p.height));
  const out = new Canvas(w, h);
  let x = 0;
  for (const p of parts) { out.blit(p, x, 0); x += p.width + gap; }
  return out;
}
