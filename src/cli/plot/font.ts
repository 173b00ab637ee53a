// A tiny 3x5 bitmap font for tick numbers and short labels on figures.
// Each glyph is 5 rows of 3 bits (most significant bit = left column).
import type { Canvas, Rgb } from './canvas.js';

const GLYPHS: Record<string, number[]> = {
  '0': [7, 5, 5, 5, 7], '1': [2, 6, 2, 2, 7], '2': [7, 1, 7, 4, 7], '3': [7, 1, 3, 1, 7],
  '4': [5, 5, 7, 1, 1], '5': [7, 4, 7, 1, 7], '6': [7, 4, 7, 5, 7], '7': [7, 1, 1, 2, 2],
  '8': [7, 5, 7, 5, 7], '9': [7, 5, 7, 1, 7], '.': [0, 0, 0, 0, 2], '-': [0, 0, 7, 0, 0],
  '+': [0, 2, 7, 2, 0], 'e': [0, 7, 7, 4, 7], ' ': [0, 0, 0, 0, 0], '=': [0, 7, 0, 7, 0],
  'K': [5, 5, 6, 5, 5], 'k': [4, 5, 6, 5, 5], 'x': [0, 5, 2, 5, 0], 'y': [5, 5, 7, 1, 7],
  'z': [0, 7, 1, 2, 7], 'E': [7, 4, 7, 4, 7], 'p': [0, 7, 5, 7, 4], 'o': [0, 7, 5, 5, 7],
  'c': [0, 7, 4, 4, 7], 'h': [4, 4, 7, 5, 5], '/': [1, 1, 2, 4, 4], '%': [5, 1, 2, 4, 5],
  ':': [0, 2, 0, 2, 0], '(': [1, 2, 2, 2, 1], ')': [4, 2, 2, 2, 4],
};
const UNKNOWN = [7, 5, 5, 5, 7];

export const GLYPH_W = 3, GLYPH_H = 5;

export function textWidth(s: string, scale = 1): number {
  return s.length === 0 ? 0 : (s.length * (GLYPH_W + 1) - 1) * scale;
}

export function drawText(c: Canvas, s: string, x: number, y: number, colour: Rgb, scale = 1): void {
  for (let k = 0; k < s.length; k++) {
    const rows = GLYPHS[s[k]] ?? UNKNOWN;
    const gx = x + k * (GLYPH_W + 1) * scale;
    for (let r = 0; r < GLYPH_H; r++) for (let col = 0; col < GLYPH_W; col++) {
      if (rows[r] & (4 >> col)) c.fillRect(gx + col * scale, y + r * scale, scale, scale, colour);
    }
  }
}

/** A short label for a tick value: integers plain, otherwise up to 3 significant digits or 1e-3 style. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    let e = Math.floor(Math.log10(a));
    let m = Number((v / 10 ** e).toPrecision(2));
    if (Math.abs(m) >= 10) { m /= 10; e += 1; }
    return `${m === 1 ? '' : m === -1 ? '-' : m}${Math.abs(m) === 1 ? '1' : ''}e${e}`;
  }
  return String(Number(v.toPrecision(3)));
}
