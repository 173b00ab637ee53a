// The `latentkit` command: one subcommand per model plus `report`. Parsing and
// checking happen here; the work runs in a worker thread (see runner.ts).
import { readFileSync } from 'node:fs';
import { Command as Program, CommanderError, Option } from 'commander';
import { COMMANDS } from './registry.js';
import { commonOptions, int, choice, BACKENDS, type OptionSpec } from './options.js';
import { launch } from './runner.js';
import { oneLine, errorMessage } from './errors.js';

function version(): string {
  try { return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version; } catch { return '0.0.0'; }
}

function addOptions(cmd: Program, specs: OptionSpec[]): void {
  for (const o of specs) {
    const opt = new Option(o.flags, o.description);
    if (o.parse) opt.argParser(o.parse as (v: string) => unknown);
    if (o.default !== undefined) opt.default(o.default);
    cmd.addOption(opt);
  }
}

/** Build the program; `run` receives what to launch once parsing succeeded. */
export function buildProgram(run: (kind: 'command' | 'report', name: string, opts: Record<string, any>) => void): Program {
  const program = new Program('latentkit')
    .description('Train latent-variable and generative models from the command line and write their figures (PNG) and metrics.json.')
    .version(version())
    .usage('<model> [options]   (latentkit <model> --help for its options)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  program.addHelpText('after', `\nExamples:\n  latentkit kmeans --k 16 --out out/kmeans\n  latentkit vae --epochs 20 --batch-size 128\n  latentkit report            # every model with quick settings -> report/index.html`);

  for (const c of COMMANDS) {
    const sub = program.command(c.name).description(c.summary).exitOverride().configureOutput({ outputError: () => {} });
    addOptions(sub, [...c.options, ...commonOptions(`out/${c.name}`)]);
    sub.action((opts: Record<string, any>) => run('command', c.name, opts));
  }

  const report = program.command('report')
    .description('run every model with quick settings and write an HTML page of their figures and numbers')
    .exitOverride().configureOutput({ outputError: () => {} });
  addOptions(report, [
    { flags: '--out <dir>', description: 'folder for index.html and the figures', default: 'report' },
    { flags: '--only <models>', description: `comma-separated models to include (default: all: ${COMMANDS.map((c) => c.name).join(',')})`, parse: onlyList },
    { flags: '--tiny', description: 'seconds-long settings for a smoke test (numbers will be poor)' },
    { flags: '--seed <n>', description: 'random seed', parse: int('--seed', 0, 2 ** 31 - 1), default: 1 },
    { flags: '--backend <name>', description: `kernel backend: ${BACKENDS.join(', ')}`, parse: choice('--backend', BACKENDS) },
    { flags: '--verbose', description: 'print stack traces and more detail' },
  ]);
  report.action((opts: Record<string, any>) => run('report', 'report', opts));
  return program;
}

function onlyList(text: string): string[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!COMMANDS.some((c) => c.name === n)) {
      throw new CommanderError(2, 'latentkit.only', `--only: unknown model "${n}"; choose from ${COMMANDS.map((c) => c.name).join(', ')}`);
    }
  }
  return names;
}

/** Turn a commander error into the one line we print (problem; fix). */
function describe(e: CommanderError, argv: string[]): string {
  const model = argv.find((a) => !a.startsWith('-'));
  const where = model && (COMMANDS.some((c) => c.name === model) || model === 'report') ? `latentkit ${model}` : 'latentkit';
  const msg = oneLine(e.message.replace(/^error:\s*/, ''));
  const help = `see "${where} --help"`;
  switch (e.code) {
    case 'commander.unknownCommand':
      return `latentkit: unknown model "${model}"; choose one of ${COMMANDS.map((c) => c.name).join(', ')} or report (see "latentkit --help")`;
    case 'commander.invalidArgument': {
      const m = /is invalid\.\s*(.*)$/.exec(msg);
      return `${where}: ${m ? m[1] : msg}; ${help}`;
    }
    default:
      return `${where}: ${msg}; ${help}`;
  }
}

/** Run the command line; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let launched: Promise<number> | null = null;
  const program = buildProgram((kind, name, opts) => { launched = launch(kind, name, opts); });
  if (argv.length === 0) {
    process.stdout.write(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return e.exitCode === 0 ? 0 : 2;
      process.stderr.write(describe(e, argv) + '\n');
      return 2;
    }
    process.stderr.write(`latentkit: ${errorMessage(e)}\n`);
    if (argv.includes('--verbose') && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
    return 1;
  }
  return launched ? await launched : 0;
}
