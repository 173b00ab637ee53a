// Finding, choosing and instantiating the compiled kernels (wasm/build/).
// Two builds exist: latentkit.relaxed.wasm (relaxed SIMD: fused multiply-add,
// the faster one) and latentkit.wasm (plain SIMD). The relaxed one is used when
// the runtime validates it; Node 20 (V8 11.3) has relaxed SIMD behind a flag,
// which is switched on before validating (set LATENTKIT_WASM_RELAXED=0 to
// never do that and use the plain build).

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

export const WASM_FILES = { relaxed: 'latentkit.relaxed.wasm', plain: 'latentkit.wasm' } as const;

/** Where the build puts the modules, relative to this file (dist/backend/wasm/ or src/backend/wasm/). */
export function defaultWasmDir(): URL {
  return new URL('../../../wasm/build/', import.meta.url);
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

/** Read and instantiate the best module with node:fs, synchronously. */
export function loadFromDisk(dir: URL = defaultWasmDir()): WasmExports {
  const proc = nodeProcess();
  if (!proc) throw new Error('no synchronous loader in this runtime: call `await initWasm()` first.');
  const fs = proc.getBuiltinModule?.('node:fs') as { readFileSync(p: URL): Uint8Array<ArrayBuffer>; existsSync(p: URL): boolean } | undefined;
  if (!fs) throw new Error(`Node ${proc.versions?.node} lacks process.getBuiltinModule (needs Node >= 20.16); call \`await initWasm()\` instead.`);
  const plainUrl = new URL(WASM_FILES.plain, dir);
  const relaxedUrl = new URL(WASM_FILES.relaxed, dir);
  if (fs.existsSync(relaxedUrl)) {
    const bytes = fs.readFileSync(relaxedUrl);
    if (acceptsRelaxed(bytes)) return instantiateSync(bytes);
  }
  if (!fs.existsSync(plainUrl)) throw new Error(`the compiled module ${plainUrl.pathname} does not exist.`);
  return instantiateSync(fs.readFileSync(plainUrl));
}

/** Fetch and instantiate the best module asynchronously (browsers; also works in Node with file URLs absent). */
export async function loadFromUrl(dir: URL | string): Promise<WasmExports> {
  const base = typeof dir === 'string' ? new URL(dir, (globalThis as { location?: { href: string } }).location?.href) : dir;
  const fetchBytes = async (name: string): Promise<ArrayBuffer | null> => {
    const res = await fetch(new URL(name, base));
    return res.ok ? res.arrayBuffer() : null;
  };
  const relaxed = relaxedAllowed() ? await fetchBytes(WASM_FILES.relaxed) : null;
  let bytes: ArrayBuffer | null = relaxed && WebAssembly.validate(relaxed) ? relaxed : null;
  if (!bytes) bytes = await fetchBytes(WASM_FILES.plain);
  if (!bytes) throw new Error(`could not fetch ${WASM_FILES.plain} from ${base.href}`);
  const { instance } = await WebAssembly.instantiate(bytes, {});
  return checked(instance.exports);
}
