// What a command sees while it runs (inside the worker thread): where to write,
// how to report progress, and whether the user asked to stop (Ctrl-C).
import * as lk from 'latentkit';
import { writeFileSync } from 'node:fs';
import { UsageError, errorMessage } from './errors.js';
import { join } from 'node:path';
import type { Canvas } from './plot/index.js';

export type Message =
  | { type: 'start'; label: string; total: number }
  | { type: 'tick'; value: number; loss?: number }
  | { type: 'end' }
  | { type: 'log'; text: string }
  | { type: 'done'; stopped: boolean; summary: string }
  | { type: 'error'; message: string; stack?: string; exitCode: number };

export interface Figure { file: string; caption: string }
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
    this.figures.push({ file, caption });
  }

  writeJson(file: string, value: unknown): void {
    writeFileSync(join(this.out, file), JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n');
  }

  /** The same channel and stop flag, writing into another folder. */
  child(out: string): Context { return new Context(out, this.send, this.stopFlag, this.verbose); }
}

/** Round a number for metrics.json and the report (4 significant digits). */
export function round(v: number, digits = 4): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}
