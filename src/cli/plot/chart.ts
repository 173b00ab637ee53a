// Line and scatter plots with axes, ticks and tick numbers (titles and
// captions belong to the HTML page around the figure).
import { Canvas, BLACK, GREY, LIGHT, type Rgb } from './canvas.js';
import { formatTick } from './font.js';
import { category } from './colors.js';

export interface Series {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: Rgb;
  width?: number;
  /** Fill the area between the curve and y = 0 with this opacity. */
  fill?: number;
  dashed?: boolean;
}

export interface AxesOptions {
  width?: number;
  height?: number;
  logY?: boolean;
  xRange?: [number, number];
  yRange?: [number, number];
}

const M = { left: 58, right: 14, top: 10, bottom: 28 };
const FONT = 2; // tick-number scale (glyphs 6x10 px)

/** About n "nice" tick values (1, 2, 5 times a power of ten) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n, p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function extent(values: ArrayLike<number>[], positiveOnly: boolean): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const vs of values) for (let i = 0; i < vs.length; i++) {
    const v = vs[i];
    if (!Number.isFinite(v) || (positiveOnly && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return positiveOnly ? [1, 10] : [0, 1];
  if (lo === hi) return positiveOnly ? [lo / 2, hi * 2] : [lo - 1, hi + 1];
  return [lo, hi];
}

/** Plot axes: maps data to pixels and draws the frame, grid and tick numbers. */
export class Axes {
  readonly canvas: Canvas;
  readonly x0: number; readonly x1: number; readonly y0: number; readonly y1: number;

  constructor(readonly xr: [number, number], readonly yr: [number, number], readonly opts: AxesOptions = {}) {
    this.canvas = new Canvas(opts.width ?? 480, opts.height ?? 320);
    this.x0 = M.left; this.x1 = this.canvas.width - M.right;
    this.y0 = this.canvas.height - M.bottom; this.y1 = M.top;
    this.drawFrame();
  }

  px(x: number): number { return this.x0 + ((x - this.xr[0]) / (this.xr[1] - this.xr[0])) * (this.x1 - this.x0); }
  py(y: number): number {
    const [lo, hi] = this.yr;
    const t = this.opts.logY ? (Math.log10(y) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (y - lo) / (hi - lo);
    return this.y0 - t * (this.y0 - this.y1);
  }

  private drawFrame(): void {
    const c = this.canvas;
    const xt = niceTicks(this.xr[0], this.xr[1], Math.max(2, Math.floor((this.x1 - this.x0) / 70)));
    for (const v of xt) {
      const x = this.px(v);
      c.line(x, this.y1, x, this.y0, LIGHT);
      c.line(x, this.y0, x, this.y0 + 3, BLACK);
      c.text(formatTick(v), x, this.y0 + 7, BLACK, 'center', FONT);
    }
    let yt: number[];
    if (this.opts.logY) {
      const a = Math.ceil(Math.log10(this.yr[0]) - 1e-9), b = Math.floor(Math.log10(this.yr[1]) + 1e-9);
      const every = Math.max(1, Math.ceil((b - a + 1) / 8));
      yt = [];
      for (let e = a; e <= b; e += every) yt.push(10 ** e);
    } else yt = niceTicks(this.yr[0], this.yr[1], Math.max(2, Math.floor((this.y0 - this.y1) / 50)));
    for (const v of yt) {
      const y = this.py(v);
      c.line(this.x0, y, this.x1, y, LIGHT);
      c.line(this.x0 - 3, y, this.x0, y, BLACK);
      c.text(formatTick(v), this.x0 - 6, y - 5, BLACK, 'right', FONT);
    }
    c.strokeRect(this.x0, this.y1, this.x1 - this.x0, this.y0 - this.y1, GREY);
  }

  inside(x: number, y: number): boolean {
    return x >= this.x0 - 0.5 && x <= this.x1 + 0.5 && y >= this.y1 - 0.5 && y <= this.y0 + 0.5;
  }

  /** A polyline through the points (skips non-finite and out-of-range points). */
  polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, color: Rgb, width = 2, dashed = false): void {
    let prev: [number, number] | null = null;
    for (let i = 0; i < xs.length; i++) {
      const ok = Number.isFinite(xs[i]) && Number.isFinite(ys[i]) && (!this.opts.logY || ys[i] > 0);
      if (!ok) { prev = null; continue; }
      const p: [number, number] = [this.px(xs[i]), Math.min(Math.max(this.py(ys[i]), this.y1), this.y0)];
      if (prev && (!dashed || Math.floor(i / 4) % 2 === 0)) this.canvas.line(prev[0], prev[1], p[0], p[1], color, width);
      prev = p;
    }
  }

  fillUnder(xs: ArrayLike<number>, ys: ArrayLike<number>, color: Rgb, alpha: number): void {
    const base = this.py(this.opts.logY ? this.yr[0] : Math.max(this.yr[0], 0));
    for (let i = 0; i + 1 < xs.length; i++) {
      const xa = this.px(xs[i]), xb = this.px(xs[i + 1]);
      for (let x = Math.ceil(xa); x < xb; x++) {
        const t = (x - xa) / (xb - xa), y = this.py(ys[i] + t * (ys[i + 1] - ys[i]));
        const top = Math.max(this.y1, Math.min(y, base));
        this.canvas.fillRect(x, top, 1, base - top, color, alpha);
      }
    }
  }
}

/** Line plot of one or more series; colours default to the categorical palette. */
export function linePlot(series: Series[], opts: AxesOptions = {}): Canvas {
  const xr = opts.xRange ?? extent(series.map((s) => s.x), false);
  let yr = opts.yRange ?? extent(series.map((s) => s.y), !!opts.logY);
  if (!opts.yRange && !opts.logY) { const pad = (yr[1] - yr[0]) * 0.05; yr = [yr[0] - pad, yr[1] + pad]; }
  const ax = new Axes(xr, yr, opts);
  series.forEach((s, i) => {
    const col = s.color ?? category(i);
    if (s.fill) ax.fillUnder(s.x, s.y, col, s.fill);
    ax.polyline(s.x, s.y, col, s.width ?? 2, s.dashed);
  });
  return ax.canvas;
}

/** Scatter plot; labels[i] picks the palette colour of point i. */
export function scatterPlot(xs: ArrayLike<number>, ys: ArrayLike<number>, labels?: ArrayLike<number>, opts: AxesOptions & { radius?: number; alpha?: number } = {}): Canvas {
  const xr = opts.xRange ?? extent([xs], false), yr = opts.yRange ?? extent([ys], false);
  const padX = (xr[1] - xr[0]) * 0.04, padY = (yr[1] - yr[0]) * 0.04;
  const ax = new Axes([xr[0] - padX, xr[1] + padX], [yr[0] - padY, yr[1] + padY], opts);
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
    const x = ax.px(xs[i]), y = ax.py(ys[i]);
    if (ax.inside(x, y)) ax.canvas.disc(x, y, opts.radius ?? 2, category(labels ? labels[i] : 0), opts.alpha ?? 0.8);
  }
  return ax.canvas;
}

/** A row of small line plots stacked vertically sharing one x axis (e.g. signals). */
export function stackedSignals(signals: ArrayLike<number>[], opts: { width?: number; rowHeight?: number } = {}): Canvas {
  const w = opts.width ?? 480, h = opts.rowHeight ?? 90;
  const out = new Canvas(w, h * signals.length);
  signals.forEach((sig, i) => {
    const xs = Array.from({ length: sig.length }, (_, k) => k);
    out.blit(linePlot([{ x: xs, y: sig, color: category(i), width: 1 }], { width: w, height: h }), 0, i * h);
  });
  return out;
}
