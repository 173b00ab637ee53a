// The worker pool of the threads build. Every worker instantiates the same
// compiled module on the same shared memory; the calling thread writes one job
// per worker into the worker's slot of a control block (at the bottom of the
// memory, below the arena), runs its own share, then waits for the others.
//
// Waiting: Node allows Atomics.wait on its main thread, and so does any
// worker; a page's main thread does not (Atomics.wait throws there), so it
// spins on Atomics.load instead. Spinning is acceptable there because the
// caller has already done its own, equal share: it spins only for the
// difference between the shares, and a one-thread call would block the page
// for longer. Every wait has a deadline, so a worker that died (or never
// started) costs a warning and a one-thread rerun of its share, never a hang.
//
// Node: worker_threads from source text (worker-source.ts), unref'd so they
// never keep the process alive; setThreads() tears them down (quit job, then
// terminate). Pages: Web Workers from a Blob URL, only in cross-origin-isolated
// pages (where the threads build loads at all); until every worker reports
// ready (asynchronously: a page cannot block for it) calls run on one thread.
import { NODE_WORKER_SOURCE, SLOT, WEB_WORKER_SOURCE } from './worker-source.js';
import { nodeProcess } from './module.js';

/** The most threads a pool takes (the control block has one slot per worker). */
export const MAX_THREADS = 16;
/** Bytes reserved at the bottom of the arena for the control block. */
export const CONTROL_BYTES = MAX_THREADS * SLOT.BYTES;

/** One export call: an index into the pool's function names and its arguments. */
export interface Job { fn: number; args: number[] }

interface AnyWorker { terminate(): unknown; unref?(): void; postMessage?(m: unknown): void }

/** Milliseconds a worker may take beyond `factor` times the caller's own share before it counts as failed. */
const GRACE_MS = 10000;
const SLOW_FACTOR = 100;
const START_MS = 10000;

let generation = 0;

function now(): number {
  return (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();
}

/** True when this thread may block in Atomics.wait (not a page's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

export class Pool {
  private readonly workers: AnyWorker[] = [];
  private readonly slots: Int32Array[] = [];
  private readonly args: Float64Array[] = [];
  private readonly block = canBlock();
  private dead = false;

  /**
   * Start `size − 1` workers (the caller is the first thread) on `memory`,
   * whose control block starts at byte `control`; `names` are the exports jobs may call.
   */
  constructor(private readonly module: WebAssembly.Module, private readonly memory: WebAssembly.Memory,
    control: number, readonly names: readonly string[], readonly size: number) {
    const gen = ++generation;
    const proc = nodeProcess();
    const wt = proc?.getBuiltinModule?.('node:worker_threads') as
      { Worker: new (src: string, o: object) => AnyWorker & { on(ev: string, f: (e: unknown) => void): void } } | undefined;
    for (let w = 0; w < size - 1; w++) {
      const slot = control + w * SLOT.BYTES;
      const i32 = new Int32Array(memory.buffer, slot, SLOT.BYTES >> 2);
      // SEQ only ever increases (a worker of an older pool may still wait on it); GEN tells that worker to quit
      Atomics.store(i32, SLOT.GEN, gen);
      Atomics.store(i32, SLOT.READY, 0);
      this.slots.push(i32);
      this.args.push(new Float64Array(memory.buffer, slot + SLOT.ARG_BYTES, SLOT.MAX_ARGS));
      const init = { module, memory, slot, names, gen };
      if (wt) {
        const worker = new wt.Worker(NODE_WORKER_SOURCE, { eval: true, workerData: init });
        worker.on('error', (e) => this.fail(`a worker failed (${e instanceof Error ? e.message : String(e)})`));
        worker.unref?.();
        this.workers.push(worker);
      } else {
        const g = globalThis as { Worker?: new (url: string) => AnyWorker; Blob?: typeof Blob; URL: typeof URL };
        if (!g.Worker || !g.Blob) throw new Error('this runtime has no Worker');
        const url = g.URL.createObjectURL(new g.Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
        const worker = new g.Worker(url);
        worker.postMessage!(init);
        this.workers.push(worker);
      }
    }
    // Node workers start on their own threads: wait for them here, so the first call is already parallel
    if (wt && this.block) {
      const deadline = now() + START_MS;
      for (const s of this.slots) {
        while (Atomics.load(s, SLOT.READY) !== 1 && !this.dead && now() < deadline) Atomics.wait(s, SLOT.READY, 0, 50);
      }
      if (!this.ready()) this.fail(`the workers did not start within ${START_MS / 1000} s`);
    }
  }

  /** True while every worker has started and none has failed. */
  ready(): boolean {
    return !this.dead && this.slots.every((s) => Atomics.load(s, SLOT.READY) === 1);
  }

  /** True once the pool failed or was closed: it never runs a job again. */
  get closed(): boolean {
    return this.dead;
  }

  /**
   * Run jobs[0] on this thread and jobs[i] on worker i − 1 (jobs.length ≤ size), and return when all are done.
   * `local` runs one job on this thread (the caller's own instance). A worker that fails or exceeds its
   * deadline has its job rerun here, and the pool closes with a warning.
   */
  run(jobs: Job[], local: (j: Job) => void): void {
    const seqs: number[] = [];
    for (let i = 1; i < jobs.length; i++) {
      const s = this.slots[i - 1], a = this.args[i - 1], j = jobs[i];
      if (j.args.length > SLOT.MAX_ARGS) throw new Error(`pool: a job has ${j.args.length} arguments, more than ${SLOT.MAX_ARGS}`);
      a.set(j.args);
      s[SLOT.FN] = j.fn;
      s[SLOT.ARGC] = j.args.length;
      const seq = (Atomics.load(s, SLOT.SEQ) + 1) | 0;
      seqs.push(seq);
      Atomics.store(s, SLOT.SEQ, seq);
      Atomics.notify(s, SLOT.SEQ);
    }
    const t0 = now();
    local(jobs[0]);
    const deadline = now() + GRACE_MS + SLOW_FACTOR * (now() - t0);
    const rerun: Job[] = [];
    for (let i = 1; i < jobs.length; i++) {
      const s = this.slots[i - 1], seq = seqs[i - 1];
      let done: number;
      while ((done = Atomics.load(s, SLOT.DONE)) !== seq && now() < deadline) {
        if (this.block) Atomics.wait(s, SLOT.DONE, done, 20);
      }
      if (done !== seq) {
        this.fail(`a worker did not finish its share within ${Math.round(deadline - t0)} ms`);
        rerun.push(jobs[i]);
      } else if (Atomics.load(s, SLOT.STATUS) !== 0) {
        this.fail(`a worker's call to ${this.names[jobs[i].fn]} threw`);
        rerun.push(jobs[i]);
      }
    }
    // the same job on the same inputs gives the same bytes, so a late write from a stuck worker changes nothing
    for (const j of rerun) local(j);
  }

  private fail(why: string): void {
    if (this.dead) return;
    console.warn(`latentkit: wasm threads disabled: ${why}; the wasm kernels continue on one thread (lk.setThreads(n) starts a new pool).`);
    this.close();
  }

  /** Stop every worker (a quit job, then terminate); idempotent. */
  close(): void {
    this.dead = true;
    for (const s of this.slots) {
      s[SLOT.FN] = -1;
      Atomics.store(s, SLOT.SEQ, (Atomics.load(s, SLOT.SEQ) + 1) | 0);
      Atomics.notify(s, SLOT.SEQ);
    }
    for (const w of this.workers) {
      try { const p = w.terminate() as Promise<unknown> | undefined; p?.catch?.(() => {}); } catch { /* already gone */ }
    }
    this.workers.length = 0;
  }
}
