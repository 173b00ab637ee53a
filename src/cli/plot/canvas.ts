// An RGB raster the figures are drawn on, saved as PNG through pngjs.
// Coordinates are pixels, (0,0) top-left; drawing outside the canvas is clipped.
import * as lk from 'latentkit';
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PNG } from 'pngjs';

export type Rgb = readonly [number, number, number];

export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [0, 0, 0];
export const GREY: Rgb = [150, 150, 150];
export const LIGHT: Rgb = [230, 230, 230];

export class Canvas {
  readonly data: Uint8Array; // RGBA, alpha always 255

  constructor(readonly width: number, readonly height: number, background: Rgb = WHITE) {
    if (!(width > 0 && height > 0)) throw new Error(`Canvas: size ${width}x${height} must be positive`);
    this.width = Math.round(width);
    this.height = Math.round(height);
    this.data = new Uint8Array(this.width * this.height * 4);
    this.fillRect(0, 0, this.width, this.height, background);
  }

  /** Blend colour c into pixel (x, y) with opacity a in [0, 1]. */
  setPixel(x: number, y: number, c: Rgb, a = 1): void {
    x = Math.round(x); y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4, d = this.data;
    if (a >= 1) { d[i] = c[0]; d[i + 1] = c[1]; d[i + 2] = c[2]; }
    else if (a > 0) {
      d[i] = d[i] * (1 - a) + c[0] * a;
      d[i + 1] = d[i + 1] * (1 - a) + c[1] * a;
      d[i + 2] = d[i + 2] * (1 - a) + c[2] * a;
    }
    d[i + 3] = 255;
  }

  fillRect(x: number, y: number, w: number, h: number, c: Rgb, a = 1): void {
    const x0 = Math.max(0, Math.round(x)), y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w)), y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) this.setPixel(xx, yy, c, a);
  }

  strokeRect(x: number, y: number, w: number, h: number, c: Rgb): void {
    this.line(x, y, x + w, y, c); this.line(x + w, y, x + w, y + h, c);
    this.line(x + w, y + h, x, y + h, c); this.line(x, y + h, x, y, c);
  }

  /** A line of the given width, drawn by stepping along its longer axis. */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, width = 1): void {
    if (![x0, y0, x1, y1].every(Number.isFinite)) return;
    const n = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    if (n > 100000) return; // far off-canvas; nothing sensible to draw
    const r = (width - 1) / 2;
    for (let s = 0; s <= n; s++) {
      const x = x0 + ((x1 - x0) * s) / n, y = y0 + ((y1 - y0) * s) / n;
      if (r <= 0) this.setPixel(x, y, c);
      else this.fillRect(x - r, y - r, width, width, c);
    }
  }

  /** A filled disc of radius r centred on (cx, cy). */
  disc(cx: number, cy: number, r: number, c: Rgb, a = 1): void {
    const x0 = Math.floor(cx - r), x1 = Math.ceil(cx + r), y0 = Math.floor(cy - r), y1 = Math.ceil(cy + r);
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r + 0.25) this.setPixel(x, y, c, a);
    }
  }

  /** Copy another canvas in at (x, y). */
  blit(src: Canvas, x: number, y: number): void {
    for (let yy = 0; yy < src.height; yy++) for (let xx = 0; xx < src.width; xx++) {
      const i = (yy * src.width + xx) * 4;
      this.setPixel(x + xx, y + yy, [src.data[i], src.data[i + 1], src.data[i + 2]]);
    }
  }

  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    png.data = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    return PNG.sync.write(png, { colorType: 2 });
  }

  /** Write the canvas as an 8-bit RGB PNG, creating the folder if needed. */
  save(path: string): string {
    lk.data.ensureDir(dirname(path), 'writing a figure');
    writeFileSync(path, this.toPng());
    return path;
  }
}
