// Finding, choosing and instantiating the compiled kernels (wasm/build/).
// Two builds exist: latentkit.relaxed.wasm (relaxed SIMD: fused multiply-add,
// the faster one) and latentkit.wasm (plain SIMD). The relaxed one is used when
// the runtime validates it; Node 20 (V8 11.3) has relaxed SIMD behind a flag,
// which is switched on before validating (set LATENTKIT_WASM_RELAXED=0 to
// never do that and use the plain build).
// Each also exists as a threads build (*.threads.wasm: the same kernels on an
// imported shared memory, so that worker threads can run them on the same
// data; see pool.ts). It is preferred where SharedArrayBuffer exists (Node,
// cross-origin-isolated pages); LATENTKIT_WASM_THREADS=0 or a runtime without
// shared memory gets the one-thread builds.

import { WASM_EXPORTS, type KernelName } from '../contract.js';

type Fn = (...args: number[]) => void;

/** The module's exports: its kernels (arguments flattened as in the contract) and the helpers. */
export type WasmExports = { [K in KernelName]?: Fn } & {
  memory: WebAssembly.Memory;
  heapBase(): number;
  relaxed(): number;
  gemmWorkspaceBytes(): number;
  convWorkspaceBytes(c: number, kh: number, kw: number, oh: number, ow: number): number;
};

/** A loaded module: its exports, and for a threads build the compiled module that the workers instantiate on the same memory. */
export interface Loaded {
  exports: WasmExports;
  /** Set for a threads build (shared memory), else null. */
  module: WebAssembly.Module | null;
}

/** Pages of the shared memory of a threads build: it is created at its maximum reservation (4 GiB of address space, wasm32's limit). */
const SHARED_MAX_PAGES = 65536;
const SHARED_INITIAL_PAGES = 32;


export const WASM_FILES = {
  relaxed: 'latentkit.relaxed.wasm', plain: 'latentkit.wasm',
  relaxedThreads: 'latentkit.relaxed.threads.wasm', plainThreads: 'latentkit.threads.wasm',
} as const;
type WasmFile = (typeof WASM_FILES)[keyof typeof WASM_FILES];

/** Where the build puts the modules, relative to this file (dist/backend/wasm/ or src/backend/wasm/). */
export function defaultWasmDir(): URL {
  return new URL('../../../wasm/build/', import.meta.url);
}

/**
 * The package's own module files. Each is written as `new URL('literal',
 * import.meta.url)` so that bundlers which understand that pattern (Vite,
 * webpack 5, Parcel) copy the .wasm files into the build and rewrite the URLs.
 */
function packagedUrls(): Record<WasmFile, URL> {
  return {
    'latentkit.relaxed.wasm': new URL('../../../wasm/build/latentkit.relaxed.wasm', import.meta.url),
    'latentkit.wasm': new URL('../../../wasm/build/latentkit.wasm', import.meta.url),
    'latentkit.relaxed.threads.wasm': new URL('../../../wasm/build/latentkit.relaxed.threads.wasm', import.meta.url),
    'latentkit.threads.wasm': new URL('../../../wasm/build/latentkit.threads.wasm', import.meta.url),
  };
}

let customPaths: string | URL | Partial<Record<WasmFile, string | URL>> | null = null;

/** Remember where the .wasm files are served (see setWasmPaths in index.ts); null restores the default. */
export function setWasmLocation(paths: string | URL | Partial<Record<WasmFile, string | URL>> | null): void {
  if (paths !== null && typeof paths !== 'string' && !(paths instanceof URL) && (typeof paths !== 'object' || Array.isArray(paths))) {
    throw new Error(`setWasmPaths: expected a URL prefix (string or URL) or an object {'latentkit.wasm': url, 'latentkit.relaxed.wasm': url}, got ${typeof paths}`);
  }
  if (paths && typeof paths === 'object' && !(paths instanceof URL)) {
    const bad = Object.keys(paths).filter((k) => !Object.values(WASM_FILES).includes(k as WasmFile));
    if (bad.length) throw new Error(`setWasmPaths: unknown file ${bad.join(', ')}; the files are ${WASM_FILES.relaxed} and ${WASM_FILES.plain} (and their threads builds ${WASM_FILES.relaxedThreads}, ${WASM_FILES.plainThreads})`);
  }
  customPaths = paths;
}

/** True once setWasmPaths() named a location. */
export function hasWasmLocation(): boolean {
  return customPaths !== null;
}

function baseHref(): string | undefined {
  return (globalThis as { location?: { href: string } }).location?.href;
}

/** The URL of one module file: from setWasmPaths() when given (a prefix gets the file name appended), else the packaged one. */
export function wasmUrl(file: WasmFile): URL | null {
  if (customPaths === null) return packagedUrls()[file];
  if (typeof customPaths === 'string' || customPaths instanceof URL) return new URL(file, new URL(String(customPaths), baseHref()));
  const one = customPaths[file];
  return one === undefined ? null : new URL(String(one), baseHref());
}

interface NodeProcess {
  env?: Record<string, string | undefined>;
  versions?: { node?: string };
  getBuiltinModule?: (name: string) => unknown;
}

/** The Node process object, or undefined in a browser. */
export function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  return p?.versions?.node ? p : undefined;
}

function relaxedAllowed(): boolean {
  return nodeProcess()?.env?.LATENTKIT_WASM_RELAXED !== '0';
}

/**
 * True when a threads build can run here: shared memory and Atomics exist (in a
 * page only when cross-origin isolated) and LATENTKIT_WASM_THREADS is not '0'.
 */
export function threadsAllowed(): boolean {
  const g = globalThis as { SharedArrayBuffer?: unknown; Atomics?: unknown; crossOriginIsolated?: boolean };
  if (nodeProcess()?.env?.LATENTKIT_WASM_THREADS === '0') return false;
  if (typeof g.SharedArrayBuffer !== 'function' || typeof g.Atomics !== 'object') return false;
  return nodeProcess() !== undefined || g.crossOriginIsolated === true;
}

/** True when the runtime accepts the relaxed-SIMD module (enabling V8's flag in Node if needed). */
export function acceptsRelaxed(bytes: BufferSource): boolean {
  if (!relaxedAllowed()) return false;
  if (WebAssembly.validate(bytes)) return true;
  const v8 = nodeProcess()?.getBuiltinModule?.('node:v8') as { setFlagsFromString?(f: string): void } | undefined;
  if (!v8?.setFlagsFromString) return false;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(bytes);
}

/** The exports, after checking that the module is the one this code expects (not a stale build). */
function checked(exports: WebAssembly.Exports): WasmExports {
  const missing = WASM_EXPORTS.filter((name) => !(name in exports));
  if (missing.length) throw new Error(`the compiled module is out of date (it lacks ${missing.join(', ')}); rebuild it.`);
  return exports as unknown as WasmExports;
}

/** Instantiate synchronously (Node, or any bytes already in hand). */
export function instantiateSync(bytes: BufferSource): WasmExports {
  const mod = new WebAssembly.Module(bytes);
  return checked(new WebAssembly.Instance(mod, {}).exports);
}

/** A new shared memory for a threads build. */
export function sharedMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: SHARED_INITIAL_PAGES, maximum: SHARED_MAX_PAGES, shared: true });
}

/** Instantiate a compiled threads build on `memory` (a shared memory: the main thread's new one, or a worker's copy of it). */
export function instantiateShared(mod: WebAssembly.Module, memory: WebAssembly.Memory): WasmExports {
  const exports = new WebAssembly.Instance(mod, { env: { memory } }).exports;
  return checked({ ...exports, memory });
}

/** Compile and instantiate a threads build; null when this runtime refuses it (no shared memory, or not enough address space). */
function tryShared(bytes: BufferSource): Loaded | null {
  try {
    const mod = new WebAssembly.Module(bytes);
    return { exports: instantiateShared(mod, sharedMemory()), module: mod };
  } catch {
    return null;
  }
}

/** The candidate files, best first: threads builds (when allowed) before one-thread ones, relaxed before plain (when accepted). */
function candidates(): WasmFile[] {
  const threads = threadsAllowed();
  const files: WasmFile[] = [];
  if (relaxedAllowed()) { if (threads) files.push(WASM_FILES.relaxedThreads); files.push(WASM_FILES.relaxed); }
  if (threads) files.push(WASM_FILES.plainThreads);
  files.push(WASM_FILES.plain);
  return files;
}

/** As tryFile, compiling asynchronously (a page's main thread may refuse to compile a large module synchronously). */
async function tryFileAsync(file: WasmFile, bytes: ArrayBuffer): Promise<Loaded | null> {
  if (file.includes('relaxed') && !acceptsRelaxed(bytes)) return null;
  try {
    const mod = await WebAssembly.compile(bytes);
    if (!file.includes('threads')) return { exports: checked((await WebAssembly.instantiate(mod, {})).exports), module: null };
    const memory = sharedMemory();
    const inst = await WebAssembly.instantiate(mod, { env: { memory } });
    return { exports: checked({ ...inst.exports, memory }), module: mod };
  } catch (e) {
    if (e instanceof Error && e.message.includes('out of date')) throw e;
    return null;
  }
}

/** Instantiate `bytes` of `file` if this runtime takes it, else null. */
function tryFile(file: WasmFile, bytes: BufferSource): Loaded | null {
  if (file.includes('relaxed') && !acceptsRelaxed(bytes)) return null;
  if (file.includes('threads')) return tryShared(bytes);
  return { exports: instantiateSync(bytes), module: null };
}

/** Read and instantiate the best module with node:fs, synchronously. */
export function loadFromDisk(dir: URL = defaultWasmDir()): WasmExports {
  return loadBestFromDisk(dir).exports;
}

/** As loadFromDisk, with the compiled module when a threads build was chosen. */
export function loadBestFromDisk(dir: URL = defaultWasmDir()): Loaded {
  const proc = nodeProcess();
  if (!proc) throw new Error('no synchronous loader in this runtime (no node:fs): call `await lk.ready()` first.');
  const fs = proc.getBuiltinModule?.('node:fs') as { readFileSync(p: URL): Uint8Array<ArrayBuffer>; existsSync(p: URL): boolean } | undefined;
  if (!fs) throw new Error(`Node ${proc.versions?.node} lacks process.getBuiltinModule (needs Node >= 20.16); call \`await lk.ready()\` instead.`);
  for (const file of candidates()) {
    const url = new URL(file, dir);
    if (file === WASM_FILES.plain) {
      if (!fs.existsSync(url)) throw new Error(`the compiled module ${url.pathname} does not exist.`);
      return { exports: instantiateSync(fs.readFileSync(url)), module: null };
    }
    if (!fs.existsSync(url)) continue;
    const got = tryFile(file, fs.readFileSync(url));
    if (got) return got;
  }
  throw new Error('unreachable: the plain build is always a candidate');
}

/**
 * Fetch and instantiate the best module asynchronously (browsers, workers,
 * Deno): from the directory `dir` when given, else from setWasmPaths() or the
 * package's own files. file: URLs are read with node:fs (fetch cannot in Node).
 */
export async function loadFromUrl(dir?: URL | string): Promise<Loaded> {
  const base = dir === undefined ? undefined : typeof dir === 'string' ? new URL(dir, baseHref()) : dir;
  const urlOf = (name: WasmFile): URL | null => (base ? new URL(name, base) : wasmUrl(name));
  const fetchBytes = async (name: WasmFile): Promise<ArrayBuffer | null> => {
    const url = urlOf(name);
    if (!url) return null;
    const fs = url.protocol === 'file:' ? nodeProcess()?.getBuiltinModule?.('node:fs') as { readFileSync(p: URL): Uint8Array; existsSync(p: URL): boolean } | undefined : undefined;
    if (fs) return fs.existsSync(url) ? (fs.readFileSync(url).slice().buffer as ArrayBuffer) : null;
    try {
      const res = await fetch(url);
      return res.ok ? await res.arrayBuffer() : null;
    } catch {
      return null;
    }
  };
  for (const file of candidates()) {
    if (file === WASM_FILES.plain) break;
    const bytes = await fetchBytes(file);
    const got = bytes ? await tryFileAsync(file, bytes) : null;
    if (got) return got;
  }
  const bytes = await fetchBytes(WASM_FILES.plain);
  if (!bytes) {
    throw new Error(`could not fetch ${WASM_FILES.plain} from ${urlOf(WASM_FILES.plain)?.href ?? '(no URL given for it)'}; serve the package's wasm/build/*.wasm files `
      + 'and call lk.setWasmPaths(\'/url/of/that/folder/\') before await lk.ready()');
  }
  const { instance } = await WebAssembly.instantiate(bytes, {});
  return { exports: checked(instance.exports), module: null };
}
