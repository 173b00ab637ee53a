// The worker thread that does the work of one invocation, so that the main
// thread stays free to draw progress and to catch Ctrl-C (fit loops are
// synchronous; the stop flag lives in shared memory and is read between steps).
import { parentPort, workerData } from 'node:worker_threads';
import { Context, type Message } from './context.js';
import { execute } from './command.js';
import { findCommand } from './registry.js';
import { runReport } from './report.js';
import { UsageError } from './errors.js';
import type { CommonOptions, ReportOptions } from './options.js';

/** What one invocation runs: a model command (with its parsed options) or the report. */
export type Task =
  | { kind: 'command'; name: string; opts: CommonOptions }
  | { kind: 'report'; name: 'report'; opts: ReportOptions };

/** A task and the shared stop flag (set by Ctrl-C). */
export type Job = Task & { stop: SharedArrayBuffer };

const job = workerData as Job;
const send = (m: Message): void => parentPort!.postMessage(m);

async function main(): Promise<void> {
  const ctx = new Context(job.opts.out, send, new Int32Array(job.stop), !!job.opts.verbose);
  if (job.kind === 'report') {
    const { file, stopped } = await runReport(ctx, job.opts);
    send({ type: 'done', stopped, summary: `report: wrote ${file}` });
    return;
  }
  const cmd = findCommand(job.name);
  if (!cmd) throw new UsageError(`unknown model "${job.name}"`, 'run "latentkit --help" to list the models');
  const r = await execute(cmd, ctx, job.opts);
  const what = `${r.figures.length} figure${r.figures.length === 1 ? '' : 's'} and metrics.json`;
  send({ type: 'done', stopped: r.stopped, summary: `${cmd.name}: wrote ${what} to ${job.opts.out} (${r.seconds} s, ${r.backend} backend)` });
}

main().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  send({ type: 'error', message: err.message, stack: err.stack, exitCode: err instanceof UsageError ? 2 : 1 });
});
