// What a command sees while it runs (inside the worker thread): where to write,
// how to report progress, and whether the user asked to stop (Ctrl-C).
import * as lk from 'latentkit';
import { writeFileSync } from 'node:fs';
import { UsageError, errorMessage } from './errors.js';
import { join } from 'node:path';
import type { Canvas } from './plot/index.js';
import { renderSvg, type ChartSpec } from './plot/vega.js';

export type Message =
  | { type: 'start'; label: string; total: number }
  | { type: 'tick'; value: number; loss?: number }
  | { type: 'end' }
  | { type: 'log'; text: string }
  | { type: 'done'; stopped: boolean; summary: string }
  | { type: 'error'; message: string; stack?: string; exitCode: number };

/**
 * One item of a command's output for the page: a PNG image, an SVG chart
 * (inlined into the page), a WAV track (an <audio> element) or a table.
 */
export interface Figure {
  kind: 'image' | 'svg' | 'audio' | 'table';
  caption: string;
  /** The file in the command's folder (image, svg, audio). */
  file?: string;
  table?: { head: string[]; rows: string[][] };
}
export type Metrics = Record<string, unknown>;

/** A progress bar over `total` steps, drawn by the main thread. */
export class Progress {
  private last = 0;
  private value = 0;
  constructor(private readonly send: (m: Message) => void, label: string, total: number) {
    send({ type: 'start', label, total: Math.max(1, total) });
  }
  /** Advance to `value` (default: one more step), with the running loss if there is one. */
  tick(value?: number, loss?: number): void {
    this.value = value ?? this.value + 1;
    const now = performance.now();
    if (now - this.last < 50) return; // at most 20 updates a second
    this.last = now;
    this.send({ type: 'tick', value: this.value, loss: Number.isFinite(loss) ? loss : undefined });
  }
  end(loss?: number): void {
    this.send({ type: 'tick', value: this.value, loss: Number.isFinite(loss) ? loss : undefined });
    this.send({ type: 'end' });
  }
}

export class Context {
  readonly figures: Figure[] = [];

  constructor(
    readonly out: string,
    readonly send: (m: Message) => void,
    private readonly stopFlag: Int32Array,
    readonly verbose = false,
  ) {
    try { lk.data.ensureDir(out, '--out'); } catch (e) {
      throw new UsageError(errorMessage(e));
    }
  }

  /** True once the user pressed Ctrl-C: finish the current step, then wrap up. */
  get stopped(): boolean { return Atomics.load(this.stopFlag, 0) !== 0; }

  progress(label: string, total: number): Progress { return new Progress(this.send, label, total); }

  log(text: string): void { this.send({ type: 'log', text }); }

  /** Save a figure into the output folder and remember it (with its caption) for the report. */
  figure(file: string, canvas: Canvas, caption: string): void {
    canvas.save(join(this.out, file));
    this.figures.push({ kind: 'image', file, caption });
  }

  /** Render a Vega-Lite chart to an SVG file and remember it for the report (inlined there). */
  async chart(file: string, spec: ChartSpec, caption: string): Promise<void> {
    writeFileSync(join(this.out, file), await renderSvg(spec));
    this.figures.push({ kind: 'svg', file, caption });
  }

  /** A sound file already written into the output folder (an <audio> element in the report). */
  audio(file: string, caption: string): void {
    this.figures.push({ kind: 'audio', file, caption });
  }

  /** A small table of numbers for the report (e.g. a mixture's weights and means). */
  table(caption: string, head: string[], rows: (string | number)[][]): void {
    this.figures.push({ kind: 'table', caption, table: { head, rows: rows.map((r) => r.map((v) => (typeof v === 'number' ? fmtNum(v) : v))) } });
  }

  writeJson(file: string, value: unknown): void {
    writeFileSync(join(this.out, file), JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n');
  }

  /** The same channel and stop flag, writing into another folder. */
  child(out: string): Context { return new Context(out, this.send, this.stopFlag, this.verbose); }
}

/** A number for a table: 4 significant digits, integers as they are. */
export function fmtNum(v: number): string {
  return Number.isInteger(v) ? String(v) : Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/** Round a number for metrics.json and the report (4 significant digits). */
export function round(v: number, digits = 4): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}
