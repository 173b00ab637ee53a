// The checks of the js and wasm kernels: the generated per-argument guards
// (KERNEL_GUARDS: types, integer sizes, lengths from the contract) plus the
// few the table cannot express, the same as native/src/binding_checks.cc.
// A call whose every output is empty returns at once.
import type { Conv2dDims, KernelName, Kernels, Pool2dDims } from './contract.js';
import { KERNEL_GUARDS } from './contract.js';

type Fn = (...args: any[]) => void;

function binary(_op: string, _out: Float32Array, a: Float32Array, b: Float32Array, shape: readonly number[],
  as: readonly number[], bs: readonly number[]): void {
  let size = 1, amax = 0, bmax = 0;
  shape.forEach((d, i) => { size *= d; amax += Math.max(d - 1, 0) * as[i]; bmax += Math.max(d - 1, 0) * bs[i]; });
  if (size > 0 && (amax >= a.length || bmax >= b.length)) throw new RangeError('binary: the strides reach past the end of an operand');
}

// oh = floor((h + 2 pad − kh) / stride) + 1, likewise ow
function conv(name: string, d: Conv2dDims): void {
  const hp = d.h + 2 * d.pad, wp = d.w + 2 * d.pad;
  const oh = hp >= d.kh ? Math.floor((hp - d.kh) / d.stride) + 1 : 0, ow = wp >= d.kw ? Math.floor((wp - d.kw) / d.stride) + 1 : 0;
  if (d.oh !== oh || d.ow !== ow) {
    throw new RangeError(`${name}: dims.oh/ow are ${d.oh}x${d.ow} but the input, kernel, stride and padding give ${oh}x${ow}`);
  }
}

function pool(name: string, d: Pool2dDims): void {
  if ((d.oh > 0 && (d.oh - 1) * d.stride + d.k > d.h) || (d.ow > 0 && (d.ow - 1) * d.stride + d.k > d.w)) {
    throw new RangeError(`${name}: dims.oh/ow are too large for the input with this kernel and stride`);
  }
}

function transpose(_out: Float32Array, _x: Float32Array, shape: readonly number[], perm: readonly number[]): void {
  const seen = new Set<number>();
  for (const p of perm) {
    if (p >= shape.length || seen.has(p)) throw new RangeError('transpose: perm is not a permutation of the axes');
    seen.add(p);
  }
}

// every column index in [0, d) (takeColumns, scatterColumns)
function columns(name: string, idx: Int32Array, d: number, m: number): void {
  if (idx.length !== m) return; // the length guard has named it
  for (let j = 0; j < m; j++) {
    if (!(idx[j] >= 0 && idx[j] < d)) throw new RangeError(`${name}: idx[${j}] = ${idx[j]} is not a column of a matrix with d = ${d} columns; every index must be in [0, d)`);
  }
}

const EXTRA: Partial<Record<KernelName, Fn>> = {
  binary: binary as Fn,
  conv2d: (_o, _x, _w, d) => conv('conv2d', d),
  conv2dBackwardInput: (_o, _x, _w, d) => conv('conv2dBackwardInput', d),
  conv2dBackwardWeight: (_o, _x, _w, d) => conv('conv2dBackwardWeight', d),
  conv2dBias: (_o, _x, _w, _b, d) => conv('conv2dBias', d),
  // the convolution runs on the 2h x 2w upsampled image
  up2Conv2d: (_o, _x, _w, _b, d) => conv('up2Conv2d', { ...d, h: 2 * d.h, w: 2 * d.w }),
  up2Conv2dBackwardInput: (_o, _x, _w, d) => conv('up2Conv2dBackwardInput', { ...d, h: 2 * d.h, w: 2 * d.w }),
  up2Conv2dBackwardWeight: (_o, _x, _w, d) => conv('up2Conv2dBackwardWeight', { ...d, h: 2 * d.h, w: 2 * d.w }),
  maxPool2d: (_o, _a, _x, d) => pool('maxPool2d', d),
  maxPool2dBackward: (_o, _y, _a, d) => pool('maxPool2dBackward', d),
  transpose: transpose as Fn,
  takeColumns: (_o, _x, idx, _n, d, m) => columns('takeColumns', idx, d, m),
  scatterColumns: (_o, _g, idx, _n, d, m) => columns('scatterColumns', idx, d, m),
};

/** `fn` behind the checks of kernel `name`. */
export function guarded<K extends KernelName>(name: K, fn: Kernels[K]): Kernels[K] {
  const guard = KERNEL_GUARDS[name], extra = EXTRA[name], run = fn as unknown as Fn;
  return ((...args: any[]) => {
    const work = guard(...args);
    if (extra) extra(...args);
    if (work) run(...args);
  }) as unknown as Kernels[K];
}
