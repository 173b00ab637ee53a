// Entry point of the WASM (AssemblyScript, SIMD) backend.
//   Node:    loadWasm() reads wasm/build/*.wasm with node:fs and instantiates
//            synchronously (the registry calls it on first use).
//   Browser: `await lk.ready()` (ready.ts, which calls initWasm) fetches and
//            instantiates the module from setWasmPaths()'s location or the
//            package's own URL, then re-registers the backend.
// Node-only modules are reached through process.getBuiltinModule, never a
// static import, so this file also loads in a browser.
import type { BackendKernels } from '../contract.js';
import { registerBackend, registerLongLived } from '../registry.js';
import { Arena } from './arena.js';
import { Resident } from './resident.js';
import { makeKernels, type Parallel } from './kernels.js';
import { hasWasmLocation, loadBestFromDisk, loadFromUrl, nodeProcess, type Loaded, type WasmExports } from './module.js';
import { PAR_FNS, RANGE_KERNELS, extraBytesFor, plan, splitChooser, threadsForCall } from './parallel.js';
import { CONTROL_BYTES, MAX_THREADS, Pool } from './pool.js';

let instance: WasmExports | null = null;
let table: BackendKernels | null = null;
let arena: Arena | null = null;
/** The compiled threads build (null for a one-thread build). */
let compiled: WebAssembly.Module | null = null;
let pool: Pool | null = null;
let controlAt = 0;
/** Long-lived arrays in the shared memory of a threads build (null for a one-thread build, or when switched off). */
let resident: Resident | null = null;
/**
 * At most this many bytes of resident arrays; past it, long-lived arrays are ordinary ones (and copied per
 * call). Blocks are freed only when the garbage collector drops their arrays, which it may do late (a loop
 * that builds a VAE per iteration held 1 GiB before the first collection freed any), and the memory never
 * shrinks: 512 MiB holds several copies of the course's largest model (NICE, 89 MB with its gradients and Adam
 * state; `npm run bench` builds it twice per engine) and bounds what a page or process keeps.
 */
const RESIDENT_LIMIT = 2 ** 29;

/** False when LATENTKIT_WASM_RESIDENT=0: every array is copied in and out of the module on every call. */
function residentAllowed(): boolean {
  return nodeProcess()?.env?.LATENTKIT_WASM_RESIDENT !== '0';
}

/** The default thread count: the cores this process may use, at most 8 (and at most MAX_THREADS). */
function defaultThreads(): number {
  const os = nodeProcess()?.getBuiltinModule?.('node:os') as { availableParallelism?(): number; cpus(): unknown[] } | undefined;
  const cores = os ? (os.availableParallelism?.() ?? os.cpus().length)
    : ((globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
  return Math.max(1, Math.min(8, MAX_THREADS, cores || 1));
}

let wanted = defaultThreads();

/**
 * Set the wasm pool's size (threads including the caller); returns the count in effect. Fewer threads than
 * the running pool has leave the extra workers idle (blocked in Atomics.wait, costing nothing), so that
 * switching back and forth is cheap; more start a new pool on the next large call.
 */
export function setWasmThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setThreads: expected a whole number of threads >= 1, got ${String(n)}`);
  wanted = Math.min(n, MAX_THREADS);
  if (pool && (pool.closed || pool.size < wanted)) { pool.close(); pool = null; }
  return wanted;
}

/** The wasm pool's size as set (setWasmThreads, default: the cores, at most 8). */
export function getWasmThreads(): number {
  return wanted;
}

/** Stop the workers now (they never keep a process alive; this frees them early). The next large call starts a new pool. */
export function closeWasmThreads(): void {
  pool?.close();
  pool = null;
}

/** The threads a call may use right now: 1 without a threads build, before the workers are ready, or after a failure. */
function available(): number {
  if (wanted <= 1 || !compiled || !instance) return 1;
  if (pool?.closed) return 1; // failed: stays on one thread until setThreads() asks again
  if (!pool) {
    try {
      pool = new Pool(compiled, instance.memory, controlAt, PAR_FNS, wanted);
    } catch (err) {
      console.warn(`latentkit: wasm threads could not start (${err instanceof Error ? err.message : String(err)}); the wasm kernels run on one thread.`);
      pool = null;
      wanted = 1;
      return 1;
    }
  }
  return pool.ready() ? Math.min(wanted, pool.size) : 1;
}

function parallelOf(e: WasmExports, a: Arena): Parallel {
  const fns = PAR_FNS.map((n) => (e as unknown as Record<string, (...x: number[]) => void>)[n]);
  return {
    kernels: new Set(['matmul', 'conv2d', 'conv2dBias', 'conv2dBackwardInput', 'conv2dBackwardWeight',
      'up2Conv2d', 'up2Conv2dBackwardInput', 'up2Conv2dBackwardWeight', ...RANGE_KERNELS]),
    // the pool starts on the first call that is worth splitting, not on the first matmul
    threads: (name, flat) => {
      if (wanted <= 1 || !compiled) return 1;
      const want = threadsForCall(name, flat, wanted);
      if (want <= 1) return 1;
      const nt = Math.min(want, available());
      return nt > 1 && !splitChooser.split(name, flat) ? 1 : nt;
    },
    record: (name, flat, nt, ms) => splitChooser.record(name, flat, nt, ms),
    touch: (wake) => pool?.touch(wake),
    extraBytes: extraBytesFor,
    run: (name, flat, nt, stride, extraAt) => {
      const p = plan(name, flat, nt, stride, extraAt, () => a.f32);
      pool!.run(p.job, fns);
      p.finish?.();
    },
  };
}

export const wasmHowToFix = 'In a browser (or any runtime without node:fs), serve the package\'s wasm/build/*.wasm files, call '
  + 'lk.setWasmPaths(\'/url/of/that/folder/\') and `await lk.ready()`; in this repository, build them with: npm run build:wasm.';

function kernelsOf(l: Loaded): BackendKernels {
  if (!table || instance !== l.exports) {
    closeWasmThreads();
    instance = l.exports;
    compiled = l.module;
    // the pool's control block, then the resident arrays (shared memory only), then the arena
    controlAt = Math.ceil(l.exports.heapBase() / 64) * 64;
    const r = compiled && residentAllowed() ? new Resident(l.exports.memory, controlAt + CONTROL_BYTES, RESIDENT_LIMIT) : null;
    resident = r;
    arena = new Arena(l.exports.memory, controlAt + CONTROL_BYTES, r ? () => r.top : undefined);
    table = makeKernels(l.exports, arena, compiled ? parallelOf(l.exports, arena) : undefined, r ?? undefined);
    registerLongLived('wasm', r ? (n) => r.alloc(n) : null);
  }
  return table;
}

let loaded: Loaded | null = null;

export function loadWasm(): BackendKernels {
  if (loaded) return kernelsOf(loaded);
  if (typeof WebAssembly === 'undefined') throw new Error('this runtime has no WebAssembly.');
  try {
    loaded = loadBestFromDisk();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`the wasm kernels could not be loaded: ${msg}`);
  }
  return kernelsOf(loaded);
}

/**
 * Asynchronous initialisation for browsers (and any runtime without node:fs):
 * fetches latentkit.relaxed.wasm (if the runtime accepts relaxed SIMD) or
 * latentkit.wasm from `dir` (a URL of the wasm/build/ directory; default: the
 * location given to setWasmPaths(), else the package's own), then makes the
 * backend available. Returns the kernels.
 */
export async function initWasm(dir?: URL | string): Promise<BackendKernels> {
  if (!loaded) {
    loaded = nodeProcess()?.getBuiltinModule && dir === undefined && !hasWasmLocation() ? loadBestFromDisk() : await loadFromUrl(dir);
  }
  const k = kernelsOf(loaded);
  // a page cannot wait for its workers to start: start them now, calls use them once they are ready
  if (compiled && !nodeProcess()) available();
  registerBackend('wasm', 1, loadWasm, wasmHowToFix);
  return k;
}

/**
 * What was loaded: whether the relaxed-SIMD (FMA) build runs, the linear memory size, whether it is a
 * threads build (shared memory), and the threads a large call uses right now.
 */
export function wasmInfo(): { loaded: boolean; relaxed: boolean; memoryBytes: number; shared: boolean; threads: number; residentBytes: number } {
  return {
    loaded: instance !== null, relaxed: instance ? instance.relaxed() === 1 : false, memoryBytes: arena?.size ?? 0,
    shared: compiled !== null, threads: pool && pool.ready() ? Math.min(wanted, pool.size) : 1,
    residentBytes: resident?.used ?? 0,
  };
}

/** The resident allocator (tests): null for a one-thread build or with LATENTKIT_WASM_RESIDENT=0. */
export function wasmResident(): Resident | null {
  return resident;
}
