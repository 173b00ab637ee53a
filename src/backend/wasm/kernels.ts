// The wasm kernel table. Every kernel goes through one marshaller driven by
// the contract's argument table (KERNEL_SPECS): place each buffer and list in
// the module's memory (inputs copied in), reserve the kernel's scratch, run
// the export with the arguments flattened in the contract's order (a dims
// object becomes its fields, a list its length and offset), copy the outputs
// back. It uses the js kernel when a call cannot run in wasm: an empty
// buffer, memory past the wasm32 limit, or a case the module does not handle
// (pow exponents other than 1, 2, 3, −1).
import type { BackendKernels, KernelArg, KernelName, UnaryOp } from '../contract.js';
import { BINARY_OPS, KERNEL_NAMES, KERNEL_SPECS, REDUCE_OPS, UNARY_OPS } from '../contract.js';
import { jsKernels } from '../js/index.js';
import { Arena } from './arena.js';
import type { WasmExports } from './module.js';
import type { Resident } from './resident.js';

/** The thread pool as the marshaller sees it (index.ts): how many threads a call gets, and running it on them. */
export interface Parallel {
  /** Kernels that can be split (parallel.ts). */
  readonly kernels: ReadonlySet<string>;
  /** Threads for this call (1: run it here); flat holds the arguments before the workspace. */
  threads(name: string, flat: number[]): number;
  /** Bytes each thread needs beyond the kernel's workspace. */
  extraBytes(name: string, flat: number[]): number;
  /** Run the call on nt threads: thread t's workspace at ws + t·stride, its extra region extraAt bytes into it. */
  run(name: string, flat: number[], nt: number, stride: number, extraAt: number): void;
  /** The run time of a matmul call, run on nt threads (the measurements of parallel.ts SplitChooser). */
  record(name: string, flat: number[], nt: number, ms: number): void;
  /** A kernel call is under way (the pool's workers keep spinning); wake: sleeping workers spin again too. */
  touch(wake?: boolean): void;
}

const align64 = (n: number): number => Math.ceil(n / 64) * 64;
const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

type Fn = (...args: any[]) => void;
const POW_IN_WASM = new Set([1, 2, 3, -1]);
const I32_MAX = 0x7fffffff;
const CODES: Record<string, Map<string, number>> = {
  unary: new Map(UNARY_OPS.map((op, i) => [op, i])),
  binary: new Map(BINARY_OPS.map((op, i) => [op, i])),
  reduce: new Map(REDUCE_OPS.map((op, i) => [op, i])),
};

const f32 = new Float32Array(1);
const bits = new Int32Array(f32.buffer);
/** The float32 next to f (f itself a float32) towards +∞ (dir 1) or −∞ (dir −1). */
function nextF32(f: number, dir: 1 | -1): number {
  if (f === 0) return dir * 1.401298464324817e-45;
  f32[0] = f;
  bits[0] += (f > 0 ? dir : -dir);
  return f32[0];
}
/** Largest float32 ≤ a: for a float32 x, x > a ⟺ x > below(a). */
function below(a: number): number { const f = Math.fround(a); return f > a ? nextF32(f, -1) : f; }
/** Smallest float32 ≥ a: for a float32 x, x < a ⟺ x < above(a). */
function above(a: number): number { const f = Math.fround(a); return f < a ? nextF32(f, 1) : f; }

/** The float32 thresholds that make the module's float32 comparisons agree with the float64 reference. */
function thresholds(op: UnaryOp, alpha: number, beta: number): [number, number] {
  if (op === 'clipGrad') return [below(alpha), above(beta)]; // lo < x < hi
  if (op === 'clip') return [above(alpha), below(beta)]; // x < lo, x > hi
  return [alpha, beta];
}

/** Merge adjacent axes that are contiguous for the output and both operands; drop size-1 axes. */
export function simplifyBroadcast(shape: readonly number[], as: readonly number[], bs: readonly number[]):
  { shape: number[]; as: number[]; bs: number[] } {
  const s: number[] = [], a: number[] = [], b: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const k = s.length - 1;
    if (k >= 0 && a[k] === as[i] * shape[i] && b[k] === bs[i] * shape[i]) {
      s[k] *= shape[i]; a[k] = as[i]; b[k] = bs[i];
    } else { s.push(shape[i]); a.push(as[i]); b.push(bs[i]); }
  }
  if (s.length === 0) { s.push(1); a.push(0); b.push(0); }
  return { shape: s, as: a, bs: b };
}

const BUFFER = new Set(['out', 'inout', 'in', 'iout', 'iin', 'dout', 'dinout', 'din']);
const READS = new Set(['inout', 'in', 'iin', 'dinout', 'din']);
const WRITES = new Set(['out', 'inout', 'iout', 'dout', 'dinout']);
const isBuffer = (a: KernelArg): boolean => BUFFER.has(a.type);
type Buffer = Float32Array | Int32Array | Float64Array;

/** The marshaller of one kernel: returns false when the call must go to js instead. */
function marshaller(name: KernelName, e: WasmExports, arena: Arena, par?: Parallel, resident?: Resident): (args: any[]) => boolean {
  const spec = KERNEL_SPECS[name];
  const ws = spec.wasm?.ws;
  const run = (e as unknown as Record<string, Fn>)[name];
  const args = spec.args;
  const buffers = args.filter(isBuffer);
  const enumCodes = args[0]?.type === 'enum' ? CODES[name] : undefined;
  const splittable = par?.kernels.has(name) ?? false;
  return (vals) => {
    let nt = 1, stride = 0, extraAt = 0, timed = false;
    for (const b of buffers) if ((vals[b.at] as ArrayLike<number>).length === 0) return false;
    par?.touch();
    arena.reset();
    const flat: number[] = [];
    const copyIn: [number, Buffer | readonly number[]][] = [];
    const copyOut: [number, Buffer][] = [];
    try {
      for (const a of args) {
        const v = a.at >= 0 ? vals[a.at] : undefined;
        switch (a.type) {
          case 'enum': {
            const c = enumCodes!.get(v);
            if (c === undefined) throw new Error(`${name}: unknown op '${String(v)}'; expected one of ${[...enumCodes!.keys()].join(', ')}`);
            flat.push(c);
            break;
          }
          case 'int':
            if (v > I32_MAX) return false; // wasm indexes with i32: a larger size or stride goes to js
            flat.push(v);
            break;
          case 'num': case 'f64': flat.push(v); break;
          case 'bool': flat.push(v ? 1 : 0); break;
          case 'len': flat.push((vals[a.of!] as ArrayLike<number>).length); break;
          case 'dims':
            for (const f of a.fields!) { if (v[f] > I32_MAX) return false; flat.push(v[f]); }
            break;
          case 'ints': {
            if (a.of === undefined) flat.push(v.length);
            const off = arena.alloc(4 * v.length);
            flat.push(off); copyIn.push([off, v]);
            break;
          }
          default: {
            // a resident array (resident.ts) is already in the memory: pass its address, copy nothing
            if (resident?.owns(v)) { flat.push(v.byteOffset); break; }
            const off = arena.alloc(v.BYTES_PER_ELEMENT * v.length);
            flat.push(off);
            if (READS.has(a.type)) copyIn.push([off, v]);
            if (WRITES.has(a.type)) copyOut.push([off, v]);
          }
        }
      }
      if (ws) {
        const bytes = ws(namedArgs(args, vals), e);
        if (!(bytes >= 0 && bytes <= 2 ** 32)) return false; // past the wasm32 address space: js
        nt = splittable ? par!.threads(name, flat) : 1;
        timed = splittable && name === 'matmul';
        if (nt > 1) {
          // one workspace (and extra region) per thread, each on its own cache lines
          extraAt = align64(bytes);
          stride = align64(extraAt + par!.extraBytes(name, flat));
          flat.push(arena.alloc(nt * stride));
        } else {
          flat.push(arena.alloc(bytes));
        }
      } else if (splittable) {
        nt = par!.threads(name, flat); // a range split (parallel.ts): no workspace, so no per-thread region
      }
      arena.commit();
      if (nt > 1) par!.touch(true); // the workers wake up while the arrays are copied in
    } catch (err) {
      if (err instanceof RangeError) return false; // memory.grow failed: too big for wasm32
      throw err;
    }
    for (const [off, v] of copyIn) {
      if (v instanceof Float32Array) arena.put(off, v);
      else if (v instanceof Float64Array) arena.putF64(off, v);
      else arena.putI32(off, v); // Int32Array, or an integer list
    }
    if (copyIn.length) par?.touch();
    const t0 = timed ? now() : 0;
    if (nt > 1) par!.run(name, flat, nt, stride, extraAt);
    else run(...flat);
    if (timed) par!.record(name, flat, nt, now() - t0);
    for (const [off, v] of copyOut) {
      if (v instanceof Float32Array) arena.get(off, v);
      else if (v instanceof Float64Array) arena.getF64(off, v);
      else arena.getI32(off, v);
    }
    par?.touch();
    return true;
  };
}

function namedArgs(args: readonly KernelArg[], vals: any[]): Record<string, any> {
  const r: Record<string, any> = {};
  for (const a of args) if (a.at >= 0) r[a.name] = vals[a.at];
  return r;
}

/**
 * The kernel table of instance `e` on `arena`; with `par`, large matmul and conv calls run on its threads;
 * with `resident`, arrays it allocated are used in place.
 */
export function makeKernels(e: WasmExports, arena: Arena, par?: Parallel, resident?: Resident): BackendKernels {
  const table: Record<string, Fn> = {};
  for (const name of KERNEL_NAMES) {
    if (!KERNEL_SPECS[name].wasm || typeof (e as unknown as Record<string, unknown>)[name] !== 'function') continue;
    const m = marshaller(name, e, arena, par, resident);
    const js = jsKernels[name] as Fn;
    table[name] = (...vals: any[]) => { if (!m(vals)) js(...vals); };
  }
  // unary: float32 thresholds for the comparisons; pow only at the exponents the module special-cases
  const unary = marshaller('unary', e, arena, par, resident);
  table.unary = (op: UnaryOp, out: Float32Array, x: Float32Array, alpha: number, beta: number) => {
    if (op === 'pow' && !POW_IN_WASM.has(alpha)) return jsKernels.unary(op, out, x, alpha, beta);
    const [lo, hi] = thresholds(op, alpha, beta);
    if (!unary([op, out, x, lo, hi])) jsKernels.unary(op, out, x, alpha, beta);
  };
  // binary: fewer, longer axes first
  const binary = marshaller('binary', e, arena, par, resident);
  table.binary = (op, out: Float32Array, a: Float32Array, b: Float32Array, shape: number[], as: number[], bs: number[]) => {
    const s = simplifyBroadcast(shape, as, bs);
    if (!binary([op, out, a, b, s.shape, s.as, s.bs])) jsKernels.binary(op, out, a, b, shape, as, bs);
  };
  return table as BackendKernels;
}
