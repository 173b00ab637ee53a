// The shape of one model command, and running one into an output folder.
import * as lk from 'latentkit';
import { specList, type Specs, type CommonOptions } from './options.js';
import type { Context, Metrics, Figure } from './context.js';
import { UsageError, errorMessage } from './errors.js';

/** A model command whose own options are O (the common ones are added by main.ts). */
export interface Command<O = unknown> {
  name: string;
  summary: string;
  /** Section title and a sentence or two for the report page. */
  title: string;
  about: string;
  /** One spec per option of O, in the order --help lists them. */
  options: Specs<O>;
  /** Settings the report uses (whole report well under 10 minutes on 2 cores). */
  quick: Partial<O>;
  /** Seconds-long settings for smoke tests (`report --tiny`). */
  tiny: Partial<O>;
  run(ctx: Context, opts: O & CommonOptions): Promise<Metrics> | Metrics;
}

export interface CommandResult {
  model: string;
  backend: string;
  seconds: number;
  stopped: boolean;
  metrics: Metrics;
  figures: Figure[];
  error?: string;
}

/** Pick the backend (an unavailable one is the user's to fix: exit 2 with lk's reason). */
export function useBackend(name: string | undefined): void {
  const fromEnv = typeof process !== 'undefined' ? process.env.LATENTKIT_BACKEND : undefined;
  if (!name && fromEnv) {
    try { lk.getBackend(); } catch (e) {
      throw new UsageError(errorMessage(e));
    }
  }
  if (!name) return;
  try { lk.setBackend(name); } catch (e) {
    throw new UsageError(`--backend ${name} is not available: ${errorMessage(e)}`, `choose one of ${lk.backends().join(', ')}`);
  }
}

/** Run a command with its options into ctx.out and write metrics.json there. */
export async function execute<O>(cmd: Command<O>, ctx: Context, opts: O & CommonOptions): Promise<CommandResult> {
  useBackend(opts.backend);
  lk.seed(opts.seed ?? 1);
  const t0 = performance.now();
  const metrics = await cmd.run(ctx, opts);
  const result: CommandResult = {
    model: cmd.name,
    backend: lk.getBackend(),
    seconds: Number(((performance.now() - t0) / 1000).toFixed(2)),
    stopped: ctx.stopped,
    metrics,
    figures: ctx.figures,
  };
  ctx.writeJson('metrics.json', { ...result, options: settingsOf(opts) });
  return result;
}

/** The options worth recording (no functions, no undefined). */
function settingsOf(opts: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined && typeof v !== 'function'));
}

/** The option name commander gives a flag: '--batch-size <n>' -> 'batchSize'. */
export function attrName(flags: string): string {
  const long = /--([a-z0-9-]+)/.exec(flags)?.[1] ?? flags;
  return long.replace(/-([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase());
}

/** A command's option defaults, keyed as commander keys them. */
export function defaultsOf<O>(cmd: Command<O>): Partial<O> & { seed: number } {
  const out: Record<string, unknown> = { seed: 1 };
  for (const [key, o] of specList(cmd.options)) if (o.default !== undefined) out[key] = o.default;
  return out as Partial<O> & { seed: number };
}

/** Let queued messages (progress, Ctrl-C) through between phases of a command. */
export const breathe = (): Promise<void> => new Promise((r) => setImmediate(r));
