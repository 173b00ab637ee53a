// Backend registry: native > wasm > js by priority, fallback to the js kernel
// for anything a backend omits, and every load error kept for the user.
import type { BackendKernels, BackendName, Kernels, KernelName } from './contract.js';
import { KERNEL_NAMES } from './contract.js';
import { jsKernels } from './js/index.js';
import { guarded } from './checks.js';

interface Entry {
  name: BackendName;
  priority: number;
  load: () => BackendKernels;
  howToFix: string;
  kernels?: BackendKernels;
  error?: string;
  tried: boolean;
}

const entries: Entry[] = [];
let current: Entry | null = null;
/** True when `current` was named (setBackend, LATENTKIT_BACKEND), false when it is the default pick. */
let chosen = false;
/** The resolved kernel table of the current backend (its kernels, js for the rest). */
let table: Kernels = jsKernels; // replaced by the guarded table on first use

export function registerBackend(name: BackendName, priority: number, load: () => BackendKernels, howToFix: string): void {
  const old = entries.findIndex((e) => e.name === name);
  if (old >= 0) entries.splice(old, 1);
  entries.push({ name, priority, load, howToFix, tried: false });
  entries.sort((a, b) => b.priority - a.priority);
  if (current?.name === name) current = null;
}

function tryLoad(e: Entry): boolean {
  if (!e.tried) {
    e.tried = true;
    try {
      e.kernels = e.load();
    } catch (err) {
      e.error = err instanceof Error ? err.message : String(err);
    }
  }
  return e.kernels !== undefined;
}

/** Names of the backends that load in this install, fastest first. */
export function backends(): BackendName[] {
  return entries.filter(tryLoad).map((e) => e.name);
}

/** The load error of a backend that failed, or undefined. */
export function backendError(name: BackendName): string | undefined {
  const e = entries.find((x) => x.name === name);
  if (e) tryLoad(e);
  return e?.error;
}

// js and wasm kernels run behind the contract's checks (checks.ts); the native
// binding checks its own arguments.
function activate(e: Entry): void {
  current = e;
  const t: Record<string, unknown> = {};
  for (const k of KERNEL_NAMES) {
    const own = e.kernels![k];
    t[k] = own && e.name === 'native' ? own : guarded(k, (own ?? jsKernels[k]) as never);
  }
  table = t as unknown as Kernels;
}

/** Use the named backend for every op from now on; throws, saying why and how to fix it, when it is not available. */
export function setBackend(name: string): void {
  const e = entries.find((x) => x.name === name);
  if (!e) {
    throw new Error(`setBackend: unknown backend '${name}'. Choose one of: ${entries.map((x) => x.name).join(', ')}.`);
  }
  if (!tryLoad(e)) {
    throw new Error(`setBackend: the '${name}' backend is not available: ${e.error}\n${e.howToFix}`);
  }
  activate(e);
  chosen = true;
}

/**
 * Forget a default pick so that the next op picks the fastest backend again
 * (after lk.ready() made wasm available in a page); a named one is kept.
 */
export function useBestUnlessChosen(): void {
  if (!chosen) current = null;
}

/** The backend in use (the fastest available unless setBackend or LATENTKIT_BACKEND chose one). */
export function getBackend(): BackendName {
  return ensure().name;
}

function ensure(): Entry {
  if (current) return current;
  const fromEnv = typeof process !== 'undefined' ? process.env?.LATENTKIT_BACKEND : undefined;
  if (fromEnv) {
    try { setBackend(fromEnv); } catch (e) {
      throw new Error(`the environment variable LATENTKIT_BACKEND=${fromEnv} names no usable backend: ${(e as Error).message} Unset it or set it to one of: ${entries.filter(tryLoad).map((x) => x.name).join(', ')}.`);
    }
    return current!;
  }
  const best = entries.find(tryLoad);
  if (!best) throw new Error('latentkit: no backend could be loaded (not even js); the install is broken.');
  activate(best);
  return current!;
}

/** The kernel table used by every op. */
export function kernels(): Kernels {
  if (!current) ensure();
  return table;
}

/** Which backend implements a kernel right now ('js' when it falls back). */
export function kernelSource(name: KernelName): BackendName {
  const e = ensure();
  return e.kernels![name] ? e.name : 'js';
}

/** Allocators of backends that keep long-lived arrays where their kernels use them in place (wasm: its shared memory). */
const longLivedAllocators = new Map<BackendName, (n: number) => Float32Array | null>();
/** Arrays from longLivedArray that share one buffer with others: each is its own storage (see storageKey). */
const ownStorage = new WeakSet<Float32Array>();

/** For a backend: the allocator that longLivedArray uses while this backend is the current one (null: no such allocator). */
export function registerLongLived(name: BackendName, alloc: ((n: number) => Float32Array | null) | null): void {
  if (alloc) longLivedAllocators.set(name, alloc);
  else longLivedAllocators.delete(name);
}

/**
 * A zeroed Float32Array of n elements for data that lives across many kernel
 * calls (parameters, their gradient buffers, an optimiser's state): where the
 * current backend's kernels read and write it without a copy when the backend
 * can do that (wasm with shared memory), else an ordinary one.
 */
export function longLivedArray(n: number): Float32Array {
  return residentArray(n) ?? new Float32Array(n);
}

/** As longLivedArray where the current backend keeps such arrays itself (wasm with shared memory), else null. */
export function residentArray(n: number): Float32Array | null {
  const a = longLivedAllocators.get(ensure().name)?.(n);
  if (!a) return null;
  ownStorage.add(a);
  return a;
}

/**
 * What a tensor's data shares memory with, for the autograd engine's checks
 * of which buffers are in use: its ArrayBuffer, except for a long-lived array
 * that shares one buffer with many (a block of wasm memory), which is its own.
 */
export function storageKey(a: Float32Array): object {
  return ownStorage.has(a) ? a : a.buffer;
}

registerBackend('js', 0, () => jsKernels, '');
