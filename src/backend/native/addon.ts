// Locating and loading the compiled addon (build/Release/latentkit_native.node).
// The path is resolved from the package root, which is three levels above
// dist/backend/native/ (and above src/backend/native/ when run from source).
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Conv2dDims, Pool2dDims } from '../contract.js';

/** Instruction sets of the native kernels, best last. */
export type NativeIsa = 'portable' | 'avx2' | 'avx512';

/** The functions the addon exports (see native/src/binding*.cc). */
export interface NativeAddon {
  matmul(out: Float32Array, a: Float32Array, b: Float32Array, batch: number, m: number, k: number, n: number,
    transA: boolean, transB: boolean): void;
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number, beta: number): void;
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, outShape: readonly number[],
    aStrides: readonly number[], bStrides: readonly number[]): void;
  reduce(op: 'sum' | 'max', x: Float32Array, out: Float32Array, outer: number, n: number, inner: number): void;
  adam(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lr: number, beta1: number,
    beta2: number, eps: number, step: number, weightDecay: number): void;
  logsumexp(x: Float32Array, out: Float32Array, outer: number, n: number, inner: number): void;
  softmax(x: Float32Array, out: Float32Array, outer: number, n: number, inner: number, log: boolean): void;
  conv2d(out: Float32Array, x: Float32Array, w: Float32Array, d: Conv2dDims): void;
  conv2dBackwardInput(dx: Float32Array, dy: Float32Array, w: Float32Array, d: Conv2dDims): void;
  conv2dBackwardWeight(dw: Float32Array, x: Float32Array, dy: Float32Array, d: Conv2dDims): void;
  maxPool2d(out: Float32Array, argmax: Int32Array, x: Float32Array, d: Pool2dDims): void;
  maxPool2dBackward(dx: Float32Array, dy: Float32Array, argmax: Int32Array, d: Pool2dDims): void;
  upsample2d(out: Float32Array, x: Float32Array, n: number, c: number, h: number, w: number, scale: number): void;
  upsample2dBackward(dx: Float32Array, dy: Float32Array, n: number, c: number, h: number, w: number, scale: number): void;
  transpose(x: Float32Array, out: Float32Array, shape: readonly number[], perm: readonly number[]): void;
  /** Pool size including the calling thread; returns the size in effect. */
  setThreads(n: number): number;
  /** 'avx512', 'avx2' or 'portable' (never above what the CPU supports); returns the one in effect. */
  setIsa(isa: NativeIsa): NativeIsa;
  info(): { threads: number; isa: NativeIsa; bestIsa: NativeIsa };
}

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
  const candidates = [join(root, 'build', 'Release', ADDON_FILE), join(root, 'build', 'Debug', ADDON_FILE)];
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
