// Locating and loading the compiled addon, in node-gyp-build's order: a
// from-source build (build/Release, build/Debug: `npm rebuild latentkit`
// writes there), then the prebuilt binary for this platform and architecture
// (prebuilds/<platform>-<arch>/latentkit_native[.glibc|.musl].node, shipped
// in the package). Paths are resolved from the package root, three levels
// above dist/backend/native/ (and above src/backend/native/ from source).
// Node's modules come through process.getBuiltinModule, so this file also
// bundles for a browser, where the native backend is simply unavailable.
import type { KernelName } from '../contract.js';

/** Instruction sets of the native kernels, best last. */
export type NativeIsa = 'portable' | 'avx2' | 'avx512';

/**
 * What the addon exports: every kernel of the contract under its name, with the
 * contract's arguments except that an op is its integer code (the order of
 * UNARY_OPS / BINARY_OPS / REDUCE_OPS), and the controls.
 */
export type NativeAddon = { [K in KernelName]: (...args: any[]) => void } & {
  /** Pool size including the calling thread; returns the size in effect. */
  setThreads(n: number): number;
  /** 'avx512', 'avx2' or 'portable' (never above what the CPU supports); returns the one in effect. */
  setIsa(isa: NativeIsa): NativeIsa;
  info(): { threads: number; isa: NativeIsa; bestIsa: NativeIsa };
};

export const ADDON_FILE = 'latentkit_native.node';
/** The one command that builds the addon in a consumer's project. */
export const REBUILD_COMMAND = 'npm rebuild latentkit';

interface NodeSide {
  fs: { existsSync(p: string): boolean; readFileSync(p: string, enc: 'utf8'): string; readdirSync(p: string): string[] };
  path: { join(...p: string[]): string; dirname(p: string): string };
  url: { fileURLToPath(u: string): string };
  module: { createRequire(u: string): (id: string) => unknown };
  proc: { env: Record<string, string | undefined>; platform: string; arch: string; report?: { getReport(): any } };
}

function nodeSide(): NodeSide | undefined {
  const proc = (globalThis as { process?: any }).process;
  const get = proc?.getBuiltinModule as ((m: string) => any) | undefined;
  if (!get) return undefined;
  return { fs: get('node:fs'), path: get('node:path'), url: get('node:url'), module: get('node:module'), proc };
}

export function packageRoot(): string {
  const n = nodeSide();
  if (!n) throw new Error('the native backend needs Node (>= 20.16)');
  return n.path.join(n.path.dirname(n.url.fileURLToPath(import.meta.url)), '..', '..', '..');
}

/** 'glibc' or 'musl' on Linux (the C library the binary must match), else ''. */
function libc(n: NodeSide): string {
  if (n.proc.platform !== 'linux') return '';
  try { return n.proc.report?.getReport()?.header?.glibcVersionRuntime ? 'glibc' : 'musl'; } catch { return 'glibc'; }
}

/** The addon files to try, in order: from-source builds, then this platform's prebuild. */
export function addonCandidates(): string[] {
  const n = nodeSide();
  if (!n) return [];
  const root = packageRoot(), { join } = n.path;
  const override = n.proc.env.LATENTKIT_NATIVE_ADDON; // npm run test:sanitize names another build
  if (override) return [override];
  const dir = join(root, 'prebuilds', `${n.proc.platform}-${n.proc.arch}`);
  const c = libc(n);
  const pre = c ? [join(dir, `latentkit_native.${c}.node`), join(dir, ADDON_FILE)] : [join(dir, ADDON_FILE)];
  return [join(root, 'build', 'Release', ADDON_FILE), join(root, 'build', 'Debug', ADDON_FILE), ...pre];
}

let cached: NativeAddon | undefined;
let failure: string | undefined;

/** Load the addon once; throws an Error with the reason (and the recorded build error, if any). */
export function loadAddon(): NativeAddon {
  if (cached) return cached;
  if (failure) throw new Error(failure);
  const n = nodeSide();
  if (!n) {
    failure = 'the native backend needs Node (>= 20.16, for process.getBuiltinModule); in a browser use wasm';
    throw new Error(failure);
  }
  const where = `${n.proc.platform}-${n.proc.arch}${libc(n) ? ` (${libc(n)})` : ''}`;
  const candidates = addonCandidates();
  const found = candidates.find((p) => n.fs.existsSync(p));
  const req = n.module.createRequire(import.meta.url);
  try {
    if (n.proc.env.LATENTKIT_SKIP_NATIVE) throw new Error('LATENTKIT_SKIP_NATIVE is set');
    if (!found) throw new Error(`no prebuilt binary for ${where} and no build from source (looked for ${candidates.join(', ')})`);
    cached = req(found) as NativeAddon;
    return cached;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    let msg = `the native addon for ${where} could not be loaded (${why}). Build it from source with: ${REBUILD_COMMAND} (needs cmake and a C++17 compiler)`;
    const errorFile = n.path.join(packageRoot(), 'build', 'native-build-error.txt');
    if (n.fs.existsSync(errorFile)) {
      msg += `.\nThe last native build failed:\n${n.fs.readFileSync(errorFile, 'utf8').trim()}`;
    }
    failure = msg;
    throw new Error(msg);
  }
}
