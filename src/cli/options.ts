// Option definitions shared by the commands: parsers that check ranges and
// say how to fix a bad value, and the options every command takes.
import { InvalidArgumentError } from 'commander';

export interface OptionSpec {
  /** Commander flags, e.g. '--k <n>'. */
  flags: string;
  description: string;
  /** Turns the text into a value, throwing InvalidArgumentError when out of range. */
  parse?: (text: string) => unknown;
  default?: unknown;
}

export type Opts = Record<string, any>;

export function int(name: string, min: number, max: number): (text: string) => number {
  return (text: string) => {
    const v = Number(text);
    if (!/^[-+]?\d+$/.test(text.trim()) || !Number.isSafeInteger(v) || v < min || v > max) {
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max} (got "${text}")`);
    }
    return v;
  };
}

export function num(name: string, min: number, max: number, exclusiveMin = false): (text: string) => number {
  return (text: string) => {
    const v = Number(text);
    const low = exclusiveMin ? v > min : v >= min;
    if (text.trim() === '' || !Number.isFinite(v) || !low || v > max) {
      throw new InvalidArgumentError(`${name} must be a number ${exclusiveMin ? 'above' : 'from'} ${min}${exclusiveMin ? ' and at most' : ' to'} ${max} (got "${text}")`);
    }
    return v;
  };
}

export function choice(name: string, values: string[]): (text: string) => string {
  return (text: string) => {
    if (!values.includes(text)) throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')} (got "${text}")`);
    return text;
  };
}

export function intList(name: string, min: number, max: number): (text: string) => number[] {
  const one = int(name, min, max);
  return (text: string) => text.split(',').map((s) => one(s.trim()));
}

export const BACKENDS = ['native', 'wasm', 'js'];

/** Options every model command takes (besides its own). */
export function commonOptions(defaultOut: string): OptionSpec[] {
  return [
    { flags: '--out <dir>', description: 'folder for the figures and metrics.json', default: defaultOut },
    { flags: '--seed <n>', description: 'random seed (same seed, same numbers)', parse: int('--seed', 0, 2 ** 31 - 1), default: 1 },
    { flags: '--backend <name>', description: `kernel backend: ${BACKENDS.join(', ')} (default: the fastest available)`, parse: choice('--backend', BACKENDS) },
    { flags: '--verbose', description: 'print stack traces and more detail' },
  ];
}

export const epochsOption = (d: number): OptionSpec => ({ flags: '--epochs <n>', description: 'passes over the training data', parse: int('--epochs', 1, 10000), default: d });
export const batchOption = (d: number): OptionSpec => ({ flags: '--batch-size <n>', description: 'rows per optimiser step', parse: int('--batch-size', 1, 65536), default: d });
export const lrOption = (d: number): OptionSpec => ({ flags: '--learning-rate <x>', description: 'optimiser step size', parse: num('--learning-rate', 0, 10, true), default: d });
export const limitOption = (d: number): OptionSpec => ({ flags: '--limit <n>', description: 'use at most this many training rows', parse: int('--limit', 1, 10_000_000), default: d });
export const dataOption = (what: string): OptionSpec => ({ flags: '--data <path>', description: what });
export const labelsOption: OptionSpec = { flags: '--labels <path>', description: 'labels for --data: an IDX label file or a CSV with one integer a line' };
