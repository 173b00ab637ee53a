// The body of a wasm worker, as source text: it is started from a string
// (Node: `new Worker(src, { eval: true })`; a page: a Blob URL), so there is no
// worker file for a bundler to find, copy or rewrite.
//
// A worker instantiates the threads build on the shared memory, then serves
// jobs until told to quit (FN < 0, or GEN no longer its pool's generation).
// A job is one export FN called on NCHUNKS argument rows (layout in pool.ts);
// every thread, the caller included, takes the next row from the shared
// counter NEXT until none is left, so a thread that starts late (or is
// descheduled) simply takes fewer rows. NEXT and COMPLETED carry the job's tag
// in their high bits: tag << 12 | count, so a thread that wakes after its job
// ended cannot take or count a row of the next one.
// It never returns to its event loop, so it needs no messages after the start.

/** Int32 indices of the control block's header, the row limits and the byte offsets of its tables. */
export const CTL = {
  SEQ: 0, NEXT: 16, COMPLETED: 32, NCHUNKS: 48, FN: 49, ARGC: 50, GEN: 51, ACTIVE: 52, READY: 64, STRIDE_F64: 48, CALLS: 112,
  STATUS_AT: 512, MAX_CHUNKS: 256, ARGS_AT: 2048, MAX_ARGS: 16, COUNT_BITS: 12, TAG_MASK: 0x7ffff, SPIN_MS: 0.5, WAIT_SPIN_MS: 2,
} as const;
/** Bytes of the control block (header, per-row status, argument rows). */
export const CONTROL_BYTES = CTL.ARGS_AT + CTL.MAX_CHUNKS * CTL.MAX_ARGS * 8;

/**
 * One thread's share of the current job: take rows until none is left. Row i
 * calls fns[FN] with its arguments, the last (a workspace offset) moved by
 * `thread`·STRIDE bytes so that each thread has its own scratch; STATUS[i] = 1
 * (done) or 2 (threw). Also used by the calling thread (pool.ts); its only
 * free name is Atomics (the layout comes in as S), so that its source can be
 * embedded in the workers as it is, even after a bundler renamed things.
 */
export function drain(i32: Int32Array, f64: Float64Array, fns: ((...a: number[]) => void)[], tag: number, thread: number,
  S: typeof CTL): void {
  for (;;) {
    const v = Atomics.load(i32, S.NEXT);
    if (v >>> S.COUNT_BITS !== tag) return;
    const i = v & ((1 << S.COUNT_BITS) - 1);
    if (i >= Atomics.load(i32, S.NCHUNKS)) return;
    if (Atomics.compareExchange(i32, S.NEXT, v, v + 1) !== v) continue;
    const argc = i32[S.ARGC], row = (S.ARGS_AT >> 3) + i * S.MAX_ARGS, args = [];
    for (let a = 0; a < argc; a++) args.push(f64[row + a]);
    args[argc - 1] += thread * f64[S.STRIDE_F64];
    let status = 1;
    try { fns[i32[S.FN]](...args); } catch { status = 2; }
    Atomics.store(i32, (S.STATUS_AT >> 2) + i, status);
    for (;;) { // COMPLETED += 1, unless it already belongs to another job
      const c = Atomics.load(i32, S.COMPLETED);
      if (c >>> S.COUNT_BITS !== tag || Atomics.compareExchange(i32, S.COMPLETED, c, c + 1) === c) break;
    }
    Atomics.notify(i32, S.COMPLETED);
  }
}

const body = `
const CTL = ${JSON.stringify(CTL)};
const drain = ${drain.toString()};
function latentkitWasmWorker(init) {
  const inst = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const fns = init.names.map((n) => inst.exports[n]);
  // the control block lies below every arena region, so views made now stay valid after the memory grows
  const i32 = new Int32Array(init.memory.buffer, init.control, ${CONTROL_BYTES} >> 2);
  const f64 = new Float64Array(init.memory.buffer, init.control, ${CONTROL_BYTES} >> 3);
  // read SEQ before saying ready: the first job may be posted the moment READY is seen
  let seen = Atomics.load(i32, CTL.SEQ);
  Atomics.store(i32, CTL.READY + init.index, 1);
  Atomics.notify(i32, CTL.READY + init.index);
  for (;;) {
    // spin before sleeping: waking a sleeping thread (on a VM, an idle vCPU) costs tens of
    // microseconds or more, as much as a 256³ product's share, and calls often come back to back.
    // The spin lasts SPIN_MS past the caller's last sign of activity (CALLS, bumped by every kernel
    // call, see pool.ts touch), so the workers stay awake through a step's one-thread kernels and JS.
    let calls = Atomics.load(i32, CTL.CALLS), until = performance.now() + CTL.SPIN_MS;
    for (;;) {
      if (Atomics.load(i32, CTL.SEQ) !== seen) break;
      const t = performance.now(), c = Atomics.load(i32, CTL.CALLS);
      if (c !== calls) { calls = c; until = t + CTL.SPIN_MS; } else if (t >= until) break;
    }
    Atomics.wait(i32, CTL.SEQ, seen);
    const seq = Atomics.load(i32, CTL.SEQ);
    if (seq === seen) continue;
    seen = seq;
    if (Atomics.load(i32, CTL.GEN) !== init.gen || Atomics.load(i32, CTL.FN) < 0) break;
    if (init.index + 1 < Atomics.load(i32, CTL.ACTIVE)) drain(i32, f64, fns, seq & CTL.TAG_MASK, init.index + 1, CTL);
  }
}
`;

/** Source of a Node worker (worker_threads, eval: true): the init object comes as workerData. */
export const NODE_WORKER_SOURCE = `${body}
latentkitWasmWorker(process.getBuiltinModule('node:worker_threads').workerData);
`;

/** Source of a Web Worker: the init object comes as the first message. */
export const WEB_WORKER_SOURCE = `${body}
self.onmessage = (ev) => { self.onmessage = null; latentkitWasmWorker(ev.data); };
`;
