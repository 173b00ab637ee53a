// Colour palettes for figures: ten distinct categorical colours (one per digit)
// and a grey ramp for images.
import type { Rgb } from './canvas.js';

export const PALETTE: Rgb[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];

export function category(i: number): Rgb {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}
