// Entry point of the native (C++ / Node-API) backend. The addon exports every
// kernel of the contract under its own name with the contract's arguments
// (native/src/binding.gen.cc is generated from the same table); only the op
// names of the enum kernels become their integer codes here.
import type { BackendKernels, KernelName } from '../contract.js';
import { BINARY_OPS, KERNEL_NAMES, KERNEL_SPECS, REDUCE_OPS, UNARY_OPS } from '../contract.js';
import { loadAddon, type NativeAddon } from './addon.js';

export type { NativeAddon, NativeIsa } from './addon.js';

const CODES: Record<string, Map<string, number>> = {
  unary: new Map(UNARY_OPS.map((op, i) => [op, i])),
  binary: new Map(BINARY_OPS.map((op, i) => [op, i])),
  reduce: new Map(REDUCE_OPS.map((op, i) => [op, i])),
};

type Fn = (...args: unknown[]) => void;

/** The kernel `name` of the addon, with an op name in front turned into its code. */
function bind(addon: NativeAddon, name: KernelName): Fn {
  const f = addon[name] as unknown as Fn;
  if (KERNEL_SPECS[name].args[0]?.type !== 'enum') return f;
  const codes = CODES[name];
  // fixed arity (the enum kernels take at most 7 arguments): no rest/spread on the hot path;
  // the binding reads only the positions its kernel declares
  return (op, a, b, c, d, e, g) => {
    const code = codes.get(op as string);
    if (code === undefined) throw new Error(`${name}: unknown op '${String(op)}'; expected one of ${[...codes.keys()].join(', ')}`);
    f(code, a, b, c, d, e, g);
  };
}

export function loadNative(): BackendKernels {
  const a = loadAddon();
  const table: Record<string, Fn> = {};
  for (const name of KERNEL_NAMES) if (typeof a[name] === 'function') table[name] = bind(a, name);
  return table as BackendKernels;
}

/** The raw addon (thread count, instruction set, info) for tests and benchmarks; throws if not built. */
export function nativeAddon(): NativeAddon {
  return loadAddon();
}

export const nativeHowToFix = 'Build it from source with: npm rebuild latentkit (in this repository: npm run build:native); needs cmake and a C++17 compiler.';
