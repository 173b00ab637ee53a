// `latentkit report`: run every model with quick settings, each into its own
// folder, and write index.html after each one (so a stopped or failed run
// still leaves a page showing what finished).
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus } from 'node:os';
import { COMMANDS, findCommand } from './registry.js';
import { execute, defaultsOf, breathe, type Command, type CommandResult } from './command.js';
import { renderPage } from './html.js';
import { generatorRows, comparisonChart } from './generators.js';
import { renderSvg } from './plot/vega.js';
import { digitJudge } from './commands/judge.js';
import { bundledDigits } from './data.js';
import type { Context } from './context.js';
import type { CommonOptions, ReportOptions } from './options.js';
import { errorMessage } from './errors.js';
import * as lk from 'latentkit';

export async function runReport(ctx: Context, opts: ReportOptions): Promise<{ file: string; stopped: boolean }> {
  const commands = opts.only?.map((n) => findCommand(n)).filter((c): c is Command => !!c) ?? COMMANDS;
  const results: CommandResult[] = [];
  const file = join(ctx.out, 'index.html');
  const t0 = performance.now();
  const machine = `${cpus().length} CPU core${cpus().length === 1 ? '' : 's'}, Node ${process.version}, backends available: ${lk.backends().join(', ')}`;
  // the digit classifier on real held-out digits: the ceiling the generators' scores are read against
  const real = bundledDigits().models, nReal = Math.min(1000, real.n);
  const verdict = digitJudge().classify(real.images.subarray(0, nReal * 784), nReal);
  const judge = { accuracy: digitJudge().accuracy(real.images.subarray(0, nReal * 784), real.labels!.subarray(0, nReal)), confident: verdict.confident };
  const write = async (pending: string[]): Promise<void> => {
    const chart = comparisonChart(generatorRows(new Map(results.map((r) => [r.model, r]))));
    const comparisonSvg = chart ? await renderSvg(chart) : undefined;
    writeFileSync(file, renderPage({
      dir: ctx.out, comparisonSvg, judge,
      commands, results, pending, machine,
      totalSeconds: (performance.now() - t0) / 1000,
      settings: opts.tiny ? 'tiny smoke-test settings' : 'the report settings of each command',
      stopped: ctx.stopped,
    }));
  };
  for (let i = 0; i < commands.length; i++) {
    const cmd = commands[i];
    if (ctx.stopped) break;
    await breathe();
    const settings: CommonOptions = {
      ...defaultsOf(cmd), ...(opts.tiny ? cmd.tiny : cmd.quick),
      seed: opts.seed ?? 1, backend: opts.backend, verbose: opts.verbose, out: join(ctx.out, cmd.name),
    };
    ctx.log(`report: ${cmd.name} (${i + 1}/${commands.length})`);
    const child = ctx.child(settings.out);
    try {
      results.push(await execute(cmd, child, settings));
    } catch (e) {
      if (opts.verbose && e instanceof Error) ctx.log(e.stack ?? e.message);
      results.push({ model: cmd.name, backend: lk.getBackend(), seconds: 0, stopped: false, metrics: {}, figures: child.figures, error: errorMessage(e) });
    }
    await write(commands.slice(i + 1).map((c) => c.name));
  }
  await write(commands.filter((c) => !results.some((r) => r.model === c.name)).map((c) => c.name));
  const failed = results.filter((r) => r.error);
  if (failed.length) {
    throw new Error(`wrote ${resolve(file)}, but ${failed.length} model(s) failed: ${failed.map((r) => `${r.model} (${r.error})`).join('; ')}`);
  }
  return { file: resolve(file), stopped: ctx.stopped };
}
