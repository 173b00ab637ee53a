// The body of a wasm worker, as source text: it is started from a string
// (Node: `new Worker(src, { eval: true })`; a page: a Blob URL), so there is no
// worker file for a bundler to find, copy or rewrite.
//
// A worker instantiates the threads build on the shared memory, then serves
// jobs from its slot of the control block (layout in pool.ts) until told to
// quit (FN < 0, or GEN is no longer its pool's generation): wait until SEQ changes, call export FN with ARGC float64 arguments,
// write STATUS (0 ok, 1 the call threw) and DONE = SEQ, wake the caller.
// It never returns to its event loop, so it needs no messages after the start.

/** Int32 indices inside a slot (each on its own 64-byte line where written by different threads). */
export const SLOT = { SEQ: 0, DONE: 16, STATUS: 17, READY: 18, GEN: 19, FN: 32, ARGC: 33, ARG_BYTES: 256, MAX_ARGS: 32, BYTES: 512 } as const;

const body = `
function latentkitWasmWorker(init) {
  const S = ${JSON.stringify(SLOT)};
  const inst = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const fns = init.names.map((n) => inst.exports[n]);
  // the control block lies below every arena region, so a view made now stays valid after the memory grows
  const i32 = new Int32Array(init.memory.buffer, init.slot, S.BYTES >> 2);
  const f64 = new Float64Array(init.memory.buffer, init.slot + S.ARG_BYTES, S.MAX_ARGS);
  // read SEQ before saying ready: the first job may be posted the moment READY is seen
  let seen = Atomics.load(i32, S.SEQ);
  Atomics.store(i32, S.READY, 1);
  Atomics.notify(i32, S.READY);
  for (;;) {
    Atomics.wait(i32, S.SEQ, seen);
    const seq = Atomics.load(i32, S.SEQ);
    if (seq === seen) continue;
    seen = seq;
    const fn = i32[S.FN];
    if (fn < 0 || Atomics.load(i32, S.GEN) !== init.gen) break; // quit, or a newer pool owns this slot
    let status = 0;
    try {
      const args = [];
      for (let i = 0; i < i32[S.ARGC]; i++) args.push(f64[i]);
      fns[fn](...args);
    } catch (e) {
      status = 1;
    }
    Atomics.store(i32, S.STATUS, status);
    Atomics.store(i32, S.DONE, seq);
    Atomics.notify(i32, S.DONE);
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
