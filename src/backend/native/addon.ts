// Locating and loading the compiled addon (build/Release/latentkit_native.node).
// The path is resolved from the package root, which is three levels above
// dist/backend/native/ (and above src/backend/native/ when run from source).
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

export function packageRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

let cached: NativeAddon | undefined;
let failure: string | undefined;

/** Load the addon once; throws an Error with the reason (and the recorded build error, if any). */
export function loadAddon(): NativeAddon {
  if (cached) return cached;
  if (failure) throw new Error(failure);
  const root = packageRoot();
  // LATENTKIT_NATIVE_ADDON names another build (npm run test:sanitize uses it)
  const override = process.env.LATENTKIT_NATIVE_ADDON;
  const candidates = override ? [override] : [join(root, 'build', 'Release', ADDON_FILE), join(root, 'build', 'Debug', ADDON_FILE)];
  const found = candidates.find((p) => existsSync(p));
  const req = createRequire(import.meta.url);
  try {
    if (process.env.LATENTKIT_SKIP_NATIVE) throw new Error('LATENTKIT_SKIP_NATIVE is set');
    if (!found) throw new Error(`${candidates[0]} does not exist`);
    cached = req(found) as NativeAddon;
    return cached;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    let msg = `the native addon could not be loaded (${why})`;
    const errorFile = join(root, 'build', 'native-build-error.txt');
    if (existsSync(errorFile)) {
      msg += `.\nThe last native build failed:\n${readFileSync(errorFile, 'utf8').trim()}`;
    }
    failure = msg;
    throw new Error(msg);
  }
}
