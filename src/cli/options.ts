// Option definitions shared by the commands: parsers that check ranges and
// say how to fix a bad value, the typed options every command takes, and the
// option groups several commands share.
import { InvalidArgumentError } from 'commander';

export interface OptionSpec<T = unknown> {
  /** Commander flags, e.g. '--k <n>'; the long flag in camelCase is the option's key. */
  flags: string;
  description: string;
  /** Turns the text into a value, throwing InvalidArgumentError when out of range. */
  parse?: (text: string) => T;
  default?: T;
}

/** One spec for each option of O, keyed as commander keys the parsed value. */
export type Specs<O> = { [K in keyof O]-?: OptionSpec<O[K]> };

/** The [key, spec] pairs of a Specs object, in order. */
export const specList = (specs: object): [string, OptionSpec][] => Object.entries(specs);

export const BACKENDS = ['native', 'wasm', 'js'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The options every model command takes (besides its own). */
export interface CommonOptions {
  out: string;
  seed: number;
  backend?: BackendName;
  verbose?: boolean;
}

/** `latentkit report`'s options. */
export interface ReportOptions extends CommonOptions {
  only?: string[];
  tiny?: boolean;
}

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

export function choice<T extends string>(name: string, values: readonly T[]): (text: string) => T {
  return (text: string) => {
    if (!values.includes(text as T)) throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')} (got "${text}")`);
    return text as T;
  };
}

export function intList(name: string, min: number, max: number): (text: string) => number[] {
  const one = int(name, min, max);
  return (text: string) => text.split(',').map((s) => one(s.trim()));
}

/** Comma-separated numbers, each in [min, max]; a fraction a/b is allowed (e.g. 1/3). */
export function numList(name: string, min: number, max: number): (text: string) => number[] {
  return (text: string) => text.split(',').map((part) => {
    const s = part.trim(), m = /^([-+]?[\d.]+)\s*\/\s*([\d.]+)$/.exec(s);
    const v = m ? Number(m[1]) / Number(m[2]) : Number(s);
    if (s === '' || !Number.isFinite(v) || v < min || v > max) throw new InvalidArgumentError(`${name} must be numbers from ${min} to ${max}, comma-separated (got "${text}")`);
    return v;
  });
}

/** The long flag of a spec: '--batch-size <n>' -> '--batch-size'. */
const flagOf = (flags: string): string => /--[a-z0-9-]+/.exec(flags)?.[0] ?? flags;

/** An integer option in [min, max]. */
export function intOption(flags: string, description: string, min: number, max: number, def: number): OptionSpec<number> {
  return { flags, description, parse: int(flagOf(flags), min, max), default: def };
}

/** A number option in [min, max] (above min when exclusiveMin). */
export function numOption(flags: string, description: string, min: number, max: number, def: number, exclusiveMin = false): OptionSpec<number> {
  return { flags, description, parse: num(flagOf(flags), min, max, exclusiveMin), default: def };
}

/** An option that takes one of a few words. */
export function choiceOption<T extends string>(flags: string, description: string, values: readonly T[], def: T): OptionSpec<T> {
  return { flags, description, parse: choice(flagOf(flags), values), default: def };
}

export const seedOption = (description: string): OptionSpec<number> => intOption('--seed <n>', description, 0, 2 ** 31 - 1, 1);
export const backendOption = (description: string): OptionSpec<BackendName | undefined> => ({ flags: '--backend <name>', description, parse: choice('--backend', BACKENDS) });
export const verboseOption: OptionSpec<boolean | undefined> = { flags: '--verbose', description: 'print stack traces and more detail' };

export function commonOptions(defaultOut: string): Specs<CommonOptions> {
  return {
    out: { flags: '--out <dir>', description: 'folder for the figures and metrics.json', default: defaultOut },
    seed: seedOption('random seed (same seed, same numbers)'),
    backend: backendOption(`kernel backend: ${BACKENDS.join(', ')} (default: the fastest available)`),
    verbose: verboseOption,
  };
}

/** --data for a command, described for that command. */
export const dataOption = (what: string): OptionSpec<string | undefined> => ({ flags: '--data <path>', description: what });

/** Images to train on: the bundled digits, or --data with optional --labels. */
export interface ImageOptions { limit: number; data?: string; labels?: string }

export function imageOptions(limit: number, data: string): Specs<ImageOptions> {
  return {
    limit: intOption('--limit <n>', 'use at most this many training rows', 1, 10_000_000, limit),
    data: dataOption(data),
    labels: { flags: '--labels <path>', description: 'labels for --data: an IDX label file or a CSV with one integer a line' },
  };
}

/** The optimiser settings of a neural model's fit(). */
export interface TrainOptions { epochs: number; batchSize: number; learningRate: number }

export function trainOptions(epochs: number, batchSize: number, learningRate: number): Specs<TrainOptions> {
  return {
    epochs: intOption('--epochs <n>', 'passes over the training data', 1, 10000, epochs),
    batchSize: intOption('--batch-size <n>', 'rows per optimiser step', 1, 65536, batchSize),
    learningRate: numOption('--learning-rate <x>', 'optimiser step size', 0, 10, learningRate, true),
  };
}

/** Width and size of the code of a VAE-like model. */
export interface LayerOptions { hiddenDim: number; latentDim: number }

export function layerOptions(hiddenDim: number, latentDim: number): Specs<LayerOptions> {
  return {
    hiddenDim: intOption('--hidden-dim <n>', 'hidden units', 1, 4096, hiddenDim),
    latentDim: intOption('--latent-dim <n>', 'latent dimensions', 1, 256, latentDim),
  };
}
