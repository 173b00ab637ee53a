// Shared helpers of the native-backend tests: the raw addon, the kernel tables
// of both backends, seeded data and a float32-aware comparison.
import { jsKernels } from '../../dist/backend/js/index.js';
import { loadNative, nativeAddon } from '../../dist/backend/native/index.js';

let native = null, addon = null, loadError = '';
try {
  native = loadNative();
  addon = nativeAddon();
} catch (e) {
  loadError = e.message;
}
export { jsKernels, native, addon };

/** Why the native tests cannot run here ('' when they can). */
export const unavailable = native && addon ? '' : `the native backend is not available: ${loadError.split('\n')[0]}`;

/** Deterministic values in [-scale, scale]: the shared seeded test data. */
export { seededData as data } from '../helpers.js';

/** |a − e| <= atol + rtol·|e| elementwise (NaN matches NaN, equal infinities match). */
export { allClose as close } from '../helpers.js';

/** Every instruction set the CPU has, best first (avx512, avx2, portable). */
export function isasAvailable() {
  const all = ['avx512', 'avx2', 'portable'];
  return all.slice(all.indexOf(addon.info().bestIsa));
}

/** Run fn under every instruction set the CPU has (AVX-512, AVX2, the portable path). */
export function eachIsa(fn) {
  const before = addon.info().isa;
  const isas = isasAvailable();
  try {
    for (const isa of isas) { addon.setIsa(isa); fn(isa); }
  } finally { addon.setIsa(before); }
}

export function convDims(n, c, h, w, o, kh, kw, stride, pad) {
  const oh = Math.floor((h + 2 * pad - kh) / stride) + 1, ow = Math.floor((w + 2 * pad - kw) / stride) + 1;
  return { n, c, h, w, o, kh, kw, stride, pad, oh, ow };
}
