// Shared helpers of the native-backend tests: the raw addon, the kernel tables
// of both backends, seeded data and a float32-aware comparison.
import * as assert from 'uvu/assert';
import { jsKernels } from '../../dist/backend/js/index.js';
import { loadNative, nativeAddon } from '../../dist/backend/native/index.js';

let native = null, addon = null, loadError = '';
try {
  native = loadNative();
  addon = nativeAddon();
} catch (e) {
  loadError = e.message;
}
export { jsKernels, native, addon, loadError };

/** Deterministic values in [-scale, scale] (xorshift32). */
export function data(n, seed = 1, scale = 1) {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = ((s / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

/** |a − e| <= atol + rtol·|e| (NaN matches NaN, equal infinities match). */
export function close(a, e, { atol = 1e-5, rtol = 1e-4, msg = '' } = {}) {
  assert.is(a.length, e.length, `${msg}: length`);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === e[i] || (Number.isNaN(a[i]) && Number.isNaN(e[i]))) continue;
    if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i])))
      assert.unreachable(`${msg}: element ${i} is ${a[i]}, expected ${e[i]}`);
  }
}

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
