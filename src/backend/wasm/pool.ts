// The worker pool of the threads build. Every worker instantiates the same
// compiled module on the same shared memory. A job is one export called on
// several argument rows (parallel.ts makes them): the caller writes the rows
// into the control block (at the bottom of the memory, below the arena), wakes
// the workers, takes rows itself like any of them (worker-source.ts: drain)
// and waits until every row is done. Rows are taken from a shared counter, so
// a worker that is late (another process has its core) costs the caller
// nothing but the rows it would have taken.
//
// Waiting: Node allows Atomics.wait on its main thread, and so does any
// worker; a page's main thread does not (Atomics.wait throws there), so it
// spins on Atomics.load instead. Spinning is acceptable there because the
// caller has already drained the queue: it spins only while the last rows
// taken by workers finish, and a one-thread call would block the page for
// longer. Every wait has a deadline, so a worker that died (or never
// started) costs a warning and a one-thread rerun of its rows, never a hang.
//
// Node: worker_threads from source text, unref'd so they never keep the
// process alive; close() tells them to quit, then terminates them. Pages: Web
// Workers from a Blob URL, only in cross-origin-isolated pages (where the
// threads build loads at all); until every worker reports ready
// (asynchronously: a page cannot block for it) calls run on one thread.
import { CONTROL_BYTES, CTL, NODE_WORKER_SOURCE, WEB_WORKER_SOURCE, drain } from './worker-source.js';
import { nodeProcess } from './module.js';

export { CONTROL_BYTES } from './worker-source.js';
/** The most threads a pool takes. */
export const MAX_THREADS = 16;
/** The most rows of one job, and the most arguments of a row. */
export const MAX_CHUNKS: number = CTL.MAX_CHUNKS;
export const MAX_ARGS: number = CTL.MAX_ARGS;

/** One job: export `fn` (an index into the pool's names) on each row of `rows`; the last argument of a row is thread 0's workspace. */
export interface Job { fn: number; rows: number[][]; threads: number; stride: number }

interface AnyWorker { terminate(): unknown; unref?(): void; postMessage?(m: unknown): void }

/** A worker may take this long beyond SLOW_FACTOR times the caller's own share before it counts as failed. */
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
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly block = canBlock();
  private readonly gen = ++generation;
  private dead = false;

  /**
   * Start `size − 1` workers (the caller is thread 0) on `memory`, whose
   * control block (CONTROL_BYTES) starts at byte `control`; `names` are the exports jobs may call.
   */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, control: number, readonly names: readonly string[],
    readonly size: number) {
    this.i32 = new Int32Array(memory.buffer, control, CONTROL_BYTES >> 2);
    this.f64 = new Float64Array(memory.buffer, control, CONTROL_BYTES >> 3);
    const s = this.i32;
    // SEQ only ever increases (a worker of an older pool may still wait on it); GEN tells that worker to quit
    Atomics.store(s, CTL.GEN, this.gen);
    Atomics.store(s, CTL.FN, 0);
    for (let w = 0; w < MAX_THREADS; w++) Atomics.store(s, CTL.READY + w, 0);
    const proc = nodeProcess();
    const wt = proc?.getBuiltinModule?.('node:worker_threads') as
      { Worker: new (src: string, o: object) => AnyWorker & { on(ev: string, f: (e: unknown) => void): void } } | undefined;
    for (let w = 0; w < size - 1; w++) {
      const init = { module, memory, control, names, gen: this.gen, index: w };
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
    // Node workers start on their own threads: wait for them here, so that the first call is already parallel
    if (wt && this.block) {
      const deadline = now() + START_MS;
      for (let w = 0; w < size - 1; w++) {
        while (Atomics.load(s, CTL.READY + w) !== 1 && !this.dead && now() < deadline) Atomics.wait(s, CTL.READY + w, 0, 50);
      }
      if (!this.ready()) this.fail(`the workers did not start within ${START_MS / 1000} s`);
    }
  }

  /** True while every worker has started and none has failed. */
  ready(): boolean {
    if (this.dead) return false;
    for (let w = 0; w < this.size - 1; w++) if (Atomics.load(this.i32, CTL.READY + w) !== 1) return false;
    return true;
  }

  /**
   * A sign of activity (a kernel call): spinning workers spin SPIN_MS longer; with wake, sleeping ones are
   * woken to spin too (a split call about to copy its arrays in: the wake-up overlaps the copies).
   */
  touch(wake = false): void {
    if (this.dead) return;
    Atomics.add(this.i32, CTL.CALLS, 1);
    if (wake) Atomics.notify(this.i32, CTL.SEQ); // SEQ unchanged: a woken worker goes back to spinning
  }

  /** True once the pool failed or was closed: it never runs a job again. */
  get closed(): boolean {
    return this.dead;
  }

  /**
   * Run a job on up to job.threads threads (this one included), returning when every row is done. `fns` are
   * this thread's exports by index. Rows a worker failed on, or did not finish by the deadline, are rerun
   * here, and the pool closes with a warning.
   */
  run(job: Job, fns: ((...a: number[]) => void)[]): void {
    const s = this.i32, f = this.f64, n = job.rows.length;
    if (n > MAX_CHUNKS) throw new Error(`pool: a job has ${n} rows, more than ${MAX_CHUNKS}`);
    const argc = job.rows[0].length;
    for (let i = 0; i < n; i++) {
      if (job.rows[i].length !== argc || argc > MAX_ARGS) throw new Error(`pool: rows of ${job.rows[i].length} arguments (expected ${argc}, at most ${MAX_ARGS})`);
      f.set(job.rows[i], (CTL.ARGS_AT >> 3) + i * MAX_ARGS);
      s[(CTL.STATUS_AT >> 2) + i] = 0;
    }
    f[CTL.STRIDE_F64] = job.stride;
    s[CTL.FN] = job.fn;
    s[CTL.ARGC] = argc;
    s[CTL.ACTIVE] = Math.min(job.threads, this.size);
    Atomics.store(s, CTL.NCHUNKS, n);
    const seq = (Atomics.load(s, CTL.SEQ) + 1) & CTL.TAG_MASK;
    const tag0 = seq << CTL.COUNT_BITS;
    Atomics.store(s, CTL.COMPLETED, tag0);
    Atomics.store(s, CTL.NEXT, tag0); // from here on any thread may take rows
    Atomics.store(s, CTL.SEQ, seq);
    Atomics.notify(s, CTL.SEQ, Math.min(job.threads, this.size, n) - 1);
    const t0 = now();
    drain(s, f, fns, seq, 0, CTL);
    const deadline = now() + GRACE_MS + SLOW_FACTOR * (now() - t0);
    let c: number;
    // the last rows usually end soon after ours: spin for them a while, as waking this thread again costs
    // more (hundreds of microseconds on a VM's idle vCPU, in which time the workers' own spin runs out)
    const spinUntil = now() + CTL.WAIT_SPIN_MS;
    while ((c = Atomics.load(s, CTL.COMPLETED)) !== tag0 + n && now() < spinUntil);
    while ((c = Atomics.load(s, CTL.COMPLETED)) !== tag0 + n && now() < deadline) {
      if (this.block) Atomics.wait(s, CTL.COMPLETED, c, 20);
    }
    const late = c !== tag0 + n;
    // close the job: a row not yet taken can no longer be (a stuck worker's late write gives the same bytes anyway)
    Atomics.store(s, CTL.NEXT, ((seq + 1) & CTL.TAG_MASK) << CTL.COUNT_BITS);
    let threw = false;
    for (let i = 0; i < n; i++) {
      const st = s[(CTL.STATUS_AT >> 2) + i];
      if (st === 1) continue;
      threw ||= st === 2;
      fns[job.fn](...job.rows[i]); // rerun here, with this thread's workspace (thread 0's)
    }
    if (late) this.fail(`a worker did not finish its rows within ${Math.round(deadline - t0)} ms`);
    else if (threw) this.fail(`a worker's call to ${this.names[job.fn]} threw`);
  }

  private fail(why: string): void {
    if (this.dead) return;
    console.warn(`latentkit: wasm threads disabled: ${why}; the wasm kernels continue on one thread (lk.setThreads(n) starts a new pool).`);
    this.close();
  }

  /** Stop every worker (a quit job, then terminate); idempotent. */
  close(): void {
    if (!this.dead && Atomics.load(this.i32, CTL.GEN) === this.gen) {
      Atomics.store(this.i32, CTL.FN, -1);
      Atomics.store(this.i32, CTL.SEQ, (Atomics.load(this.i32, CTL.SEQ) + 1) & CTL.TAG_MASK);
      Atomics.notify(this.i32, CTL.SEQ);
    }
    this.dead = true;
    for (const w of this.workers) {
      try { const p = w.terminate() as Promise<unknown> | undefined; p?.catch?.(() => {}); } catch { /* already gone */ }
    }
    this.workers.length = 0;
  }
}
