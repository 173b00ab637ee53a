// The main-thread side of a run: start the worker, draw its progress, turn
// Ctrl-C into a stop request (a second Ctrl-C quits at once), and print the
// outcome as one line. Resolves to the process exit code.
import { Worker } from 'node:worker_threads';
import type { Message } from './context.js';
import type { Job, Task } from './worker.js';
import { ProgressView } from './progress.js';
import { oneLine } from './errors.js';

export function launch(task: Task): Promise<number> {
  const { kind, name, opts } = task;
  const stop = new SharedArrayBuffer(4);
  const flag = new Int32Array(stop);
  const view = new ProgressView();
  const prefix = kind === 'report' ? 'latentkit report' : `latentkit ${name}`;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (code: number): void => {
      if (settled) return;
      settled = true;
      view.end();
      process.off('SIGINT', onSigint);
      resolve(code);
    };
    const onSigint = (): void => {
      if (Atomics.load(flag, 0)) { view.end(); process.stderr.write(`${prefix}: stopped\n`); process.exit(130); }
      Atomics.store(flag, 0, 1);
      view.end();
      process.stderr.write(`${prefix}: stopping after the current step and keeping what was written (Ctrl-C again to quit now)\n`);
    };
    process.on('SIGINT', onSigint);

    const job: Job = { ...task, stop };
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: job });
    worker.on('message', (m: Message) => {
      switch (m.type) {
        case 'start': view.start(m.label, m.total); break;
        case 'tick': view.tick(m.value, m.loss); break;
        case 'end': view.end(); break;
        case 'log': view.end(); console.log(m.text); break;
        case 'done':
          view.end();
          void worker.terminate();
          console.log(m.summary + (m.stopped ? ' (stopped early by Ctrl-C)' : ''));
          finish(m.stopped ? 130 : 0);
          break;
        case 'error':
          view.end();
          process.stderr.write(`${prefix}: ${oneLine(m.message)}\n`);
          if (opts.verbose && m.stack) process.stderr.write(m.stack + '\n');
          void worker.terminate();
          finish(m.exitCode);
          break;
      }
    });
    worker.on('error', (e) => {
      view.end();
      process.stderr.write(`${prefix}: ${oneLine(e.message)}\n`);
      if (opts.verbose && e.stack) process.stderr.write(e.stack + '\n');
      finish(1);
    });
    worker.on('exit', (code) => finish(code === 0 ? 1 : code));
  });
}
