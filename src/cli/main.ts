// The `latentkit` command: one subcommand per model plus `report`. Parsing and
// checking happen here; the work runs in a worker thread (see runner.ts).
import { readFileSync } from 'node:fs';
import { Command as Program, CommanderError, Option } from 'commander';
import { COMMANDS } from './registry.js';
import { attrName } from './command.js';
import { commonOptions, seedOption, backendOption, verboseOption, specList, BACKENDS, type Specs, type ReportOptions, type CommonOptions } from './options.js';
import { launch } from './runner.js';
import type { Task } from './worker.js';
import { oneLine, errorMessage } from './errors.js';

function version(): string {
  try { return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version; } catch { return '0.0.0'; }
}

/** Add the options of specs (each keyed as commander keys its value) to a (sub)command. */
function addOptions(cmd: Program, specs: object): void {
  for (const [key, o] of specList(specs)) {
    if (attrName(o.flags) !== key) throw new Error(`option ${o.flags} is keyed "${key}"; commander keys it "${attrName(o.flags)}"`);
    const opt = new Option(o.flags, o.description);
    if (o.parse) opt.argParser(o.parse);
    if (o.default !== undefined) opt.default(o.default);
    cmd.addOption(opt);
  }
}

/** Build the program; `run` receives what to launch once parsing succeeded. */
export function buildProgram(run: (task: Task) => void): Program {
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
    addOptions(sub, { ...c.options, ...commonOptions(`out/${c.name}`) });
    // commander has parsed and checked every value with the specs' parsers
    sub.action((opts: CommonOptions) => run({ kind: 'command', name: c.name, opts }));
  }

  const report = program.command('report')
    .description('run every model with quick settings and write an HTML page of their figures and numbers')
    .exitOverride().configureOutput({ outputError: () => {} });
  const reportOptions: Specs<ReportOptions> = {
    out: { flags: '--out <dir>', description: 'folder for index.html and the figures', default: 'report' },
    only: { flags: '--only <models>', description: `comma-separated models to include (default: all: ${COMMANDS.map((c) => c.name).join(',')})`, parse: onlyList },
    tiny: { flags: '--tiny', description: 'seconds-long settings for a smoke test (numbers will be poor)' },
    seed: seedOption('random seed'),
    backend: backendOption(`kernel backend: ${BACKENDS.join(', ')}`),
    verbose: verboseOption,
  };
  addOptions(report, reportOptions);
  report.action((opts: ReportOptions) => run({ kind: 'report', name: 'report', opts }));
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
  const program = buildProgram((task) => { launched = launch(task); });
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
