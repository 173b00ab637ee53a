// How a large matmul or conv call is split across the pool's threads.
// A split is a list of rows that any thread may take (pool.ts), each one call
// of an existing export on offsets into the same memory, with the taking
// thread's own scratch (the marshaller reserves one workspace per thread):
//   matmul, batch ≥ 2: batch ranges b0..b1 (the same calls as on one thread).
//   matmul, batch 1:   C = op(A)·op(B) by column panels C[:, j0:j1] = op(A)·op(B)[:, j0:j1]
//                      (or, when m > n, by row panels C[i0:i1, :] = op(A)[i0:i1, :]·op(B)),
//                      each a gemm on shifted pointers, panels a multiple of the 4×8 tile.
//   conv2d, conv2dBias, conv2dBackwardInput: image ranges b0..b1 (and their up2Conv2d
//                      counterparts, whose images are the low-resolution inputs).
//   conv2dBackwardWeight: dW = Σ_b dy_b·col_bᵀ, so each row sums its images into
//                      its own partial dW (row 0 into dw itself), then dw += Σ partials.
//   bceLogits, bceLogitsGrad: row ranges (each row is computed on its own); no
//                      workspace, so a row's last argument gets + thread·0.
//   unary, the transcendental ops only (SPLIT_UNARY) and only when out is not x:
//                      element ranges on multiples of 4 (the f32x4 loop's lanes).
// Only kernels that overwrite their outputs are split: the pool reruns on this
// thread a row that a worker did not finish, which is harmless only when the row
// does not read what it writes (so not adam or biasAct, which update in place).
// Every output element except conv2dBackwardWeight's is computed by the same
// operations in the same order as on one thread, so those results are
// bit-for-bit equal to the one-thread ones; dW differs only by the order of the
// per-image sums.
import type { Job } from './pool.js';
import { UNARY_OPS } from '../contract.gen.js';

/** The exports jobs call, by index. */
export const PAR_FNS = ['matmul', 'gemm', 'conv2d', 'conv2dBackwardInput', 'conv2dBackwardWeight', 'conv2dBias',
  'up2Conv2d', 'up2Conv2dBackwardInput', 'up2Conv2dBackwardWeight', 'bceLogits', 'bceLogitsGrad', 'unary'] as const;

/**
 * Kernels split by row ranges, and the elements from which a split pays (transcendental rows). A VAE step's
 * softplus over [128, 784] took 650 us on one thread (an exp, a log and a division per element), about a
 * twentieth of the step.
 */
const RANGE_MIN: Record<string, number> = { bceLogits: 1 << 15, bceLogitsGrad: 1 << 15, unary: 1 << 15 };
/** The unary ops worth a split (codes): the others are a few instructions per element, bound by memory. */
const SPLIT_UNARY = new Set(['exp', 'log', 'tanh', 'sigmoid', 'softplus', 'logSigmoid', 'log1p'].map((op) => UNARY_OPS.indexOf(op as never)));
/** Names of the kernels split by ranges (a workspace-free call). */
export const RANGE_KERNELS: readonly string[] = Object.keys(RANGE_MIN);
const FN = Object.fromEntries(PAR_FNS.map((n, i) => [n, i])) as Record<(typeof PAR_FNS)[number], number>;

/**
 * Below this many floating-point operations a call stays on one thread: waking
 * a worker and waiting for it costs some tens of microseconds (measured with
 * bench/suites/wasm-threads.js: 2·128³ ≈ 4 MFLOP is about where two threads
 * start to win).
 */
const DEFAULT_MIN_FLOPS = 3e6;
export let PAR_MIN_FLOPS = DEFAULT_MIN_FLOPS;
/** For tests: force (or restore) the threshold. While it is not the default, every call above it is split (no SplitChooser). */
export function setParallelThreshold(flops: number): void { PAR_MIN_FLOPS = flops; }

/**
 * Calls between two tries of the choice not taken; the weight of a new time in the averages (a time is
 * first capped at CAP times the average, so that one call whose worker was descheduled for a while moves
 * it by at most 25%); one thread is taken only when splits are measured MARGIN times slower.
 */
const PROBE_EVERY = 32;
const ALPHA = 0.25;
const CAP = 2;
const MARGIN = 1.1;

/**
 * Whether a matmul worth splitting is split, from the times measured: per size class (⌊log2 flops⌋), an
 * exponential average of the time per flop of split and of one-thread calls; the faster is taken, and
 * every PROBE_EVERY-th call of the class takes the other (a split try: two calls, see trySplit), so
 * that both averages follow a machine whose load changes. On a machine whose second core is busy with
 * another process, a split call waits for a worker that runs slowly or late (measured here: 100×500·500ᵀ 1.34 ms split, 1.12 ms on one thread,
 * medians), and the choice falls back to one thread. A split matmul gives the one-thread bits (each
 * panel's sums in the same order), so the choice changes only the time. Off (always split) while the
 * threshold is set by hand, and unless setAdaptiveSplit(true) turned it on (see splitChooser).
 */
interface SizeClass { one: number; many: number; calls: number; forced: number; ignore: number }

export class SplitChooser {
  private readonly classes = new Map<number, SizeClass>();
  private enabled = true;

  setEnabled(on: boolean): void { this.enabled = on; }

  private classOf(name: string, flat: number[]): SizeClass | null {
    if (!this.enabled || name !== 'matmul' || PAR_MIN_FLOPS !== DEFAULT_MIN_FLOPS) return null;
    const key = Math.floor(Math.log2(matmulFlops(flat)));
    let c = this.classes.get(key);
    if (!c) { c = { one: NaN, many: NaN, calls: 0, forced: 0, ignore: 0 }; this.classes.set(key, c); }
    return c;
  }

  /**
   * A split tried after calls on one thread finds the worker asleep, and waking it costs more than a split
   * that follows another (the worker spins for a while after each job): so a try is two split calls, and
   * only the second is measured.
   */
  private trySplit(c: SizeClass): boolean {
    c.forced = 1;
    c.ignore = 1;
    return true;
  }

  /** True to split this call (one that threadsForCall would split). */
  split(name: string, flat: number[]): boolean {
    const c = this.classOf(name, flat);
    if (!c) return true;
    c.calls++;
    if (c.forced > 0) { c.forced--; return true; }
    if (Number.isNaN(c.many)) return this.trySplit(c); // measure splits first, then one thread
    if (Number.isNaN(c.one)) return false;
    const best = c.many <= MARGIN * c.one;
    if (c.calls % PROBE_EVERY !== 0) return best;
    return best ? false : this.trySplit(c);
  }

  /** The time of a call split() was asked about, run on nt threads. */
  record(name: string, flat: number[], nt: number, ms: number): void {
    const c = this.classOf(name, flat);
    if (!c) return;
    if (nt > 1 && c.ignore > 0) { c.ignore--; return; }
    const perFlop = ms / matmulFlops(flat);
    const avg = (a: number): number => (Number.isNaN(a) ? perFlop : a + ALPHA * (Math.min(perFlop, CAP * a) - a));
    if (nt > 1) c.many = avg(c.many);
    else c.one = avg(c.one);
  }
}

/**
 * The pool's chooser (index.ts), off by default: with the second core free, always splitting was as fast
 * or faster (matmul 1024 on 2 threads vs 1, three interleaved rounds: always split 1.97x / 1.95x / 1.82x,
 * chooser 1.97x / 1.68x / 1.76x; its probes run one call in 32 on the slower choice). It pays where another
 * process holds the second core (about 14% on the NICE products under load), so it stays for that.
 */
export const splitChooser = new SplitChooser();
splitChooser.setEnabled(false);
/** For measurements and loaded machines: choose splits from measured times (on) or always split (off, the default). */
export function setAdaptiveSplit(on: boolean): void { splitChooser.setEnabled(on); }

const matmulFlops = (flat: number[]): number => 2 * flat[3] * flat[4] * flat[5] * flat[6];

/** A split of one call: the job (its rows run on any thread) and what to do after all are done. */
export interface Plan { job: Job; finish?: () => void }

/** [start, end) of part t of `total` items in `parts` nearly equal parts, boundaries on multiples of `unit`. */
function range(total: number, parts: number, t: number, unit: number): [number, number] {
  const units = Math.ceil(total / unit);
  const at = (p: number) => Math.min(total, Math.round((units * p) / parts) * unit);
  return [at(t), at(t + 1)];
}

/** The threads worth using for a call of `flops` work with `items` independent parts (at most nt). */
export function threadsFor(flops: number, items: number, nt: number): number {
  if (nt <= 1 || !(flops >= PAR_MIN_FLOPS)) return 1;
  return Math.max(1, Math.min(nt, items));
}

/** Conv2dDims fields as the marshaller flattens them (after the buffers: three, four for conv2dBias). */
interface ConvDims { n: number; c: number; h: number; w: number; o: number; kh: number; kw: number; oh: number; ow: number }
const convBuffers = (name: string) => (name === 'conv2dBias' || name === 'up2Conv2d' ? 4 : 3);
/** The conv2d kernel a name splits like (the up2Conv2d kernels split as their conv2d counterparts). */
const SPLIT_AS: Record<string, string> = {
  up2Conv2d: 'conv2dBias', up2Conv2dBackwardInput: 'conv2dBackwardInput', up2Conv2dBackwardWeight: 'conv2dBackwardWeight',
};
function convDims(flat: number[], buffers = 3): ConvDims {
  const [n, c, h, w, o, kh, kw, , , oh, ow] = flat.slice(buffers, buffers + 11);
  return { n, c, h, w, o, kh, kw, oh, ow };
}

/** Threads for a call of kernel `name` with the flattened arguments `flat` (ws last), given nt available. */
export function threadsForCall(name: string, flat: number[], nt: number): number {
  if (name in RANGE_MIN) {
    // unary [op, out, x, len, alpha, beta]: in place (out = x), a worker's unfinished range rerun here would
    // apply the op twice; and only the transcendental ops pay for the split
    if (name === 'unary' && (flat[1] === flat[2] || !SPLIT_UNARY.has(flat[0]))) return 1;
    const [elements, items] = rangeSize(name, flat);
    // setParallelThreshold (tests) applies here too: 0 splits every call, ∞ none
    const min = PAR_MIN_FLOPS === DEFAULT_MIN_FLOPS ? RANGE_MIN[name] : PAR_MIN_FLOPS;
    return nt <= 1 || !(elements >= min) ? 1 : Math.max(1, Math.min(nt, items));
  }
  if (name === 'matmul') {
    const [, , , batch, m, k, n] = flat;
    const flops = 2 * batch * m * k * n;
    return threadsFor(flops, batch >= 2 ? batch : Math.max(Math.ceil(m / 4), Math.ceil(n / 8)), nt);
  }
  const d = convDims(flat, convBuffers(name));
  return threadsFor(2 * d.n * d.o * d.c * d.kh * d.kw * d.oh * d.ow, d.n, nt);
}

/** Elements a range-split call touches, and the rows it can be cut into. */
function rangeSize(name: string, flat: number[]): [number, number] {
  if (name === 'unary') return [flat[3], Math.ceil(flat[3] / 4)];
  const [rows, cols] = name === 'bceLogits' ? [flat[3], flat[4]] : [flat[4], flat[5]];
  return [rows * cols, rows];
}

/**
 * The rows of a range-split call of `items` rows: bceLogits out, l, x (rows at 3, cols 4); bceLogitsGrad
 * dl, g, l, x (4, 5); unary op, out, x, len (3), alpha, beta, in items of 4 elements.
 */
function rangeRows(name: string, flat: number[], items: number, parts: number): number[][] {
  const rows: number[][] = [];
  for (let t = 0; t < parts; t++) {
    const [r0, r1] = range(items, parts, t, 1);
    if (r1 <= r0) continue;
    if (name === 'unary') {
      const e0 = 4 * r0, e1 = Math.min(flat[3], 4 * r1);
      rows.push([flat[0], flat[1] + 4 * e0, flat[2] + 4 * e0, e1 - e0, flat[4], flat[5]]);
    } else if (name === 'bceLogits') {
      const cols = flat[4];
      rows.push([flat[0] + 4 * r0, flat[1] + 4 * r0 * cols, flat[2] + 4 * r0 * cols, r1 - r0, cols]);
    } else {
      const cols = flat[5];
      rows.push([flat[0] + 4 * r0 * cols, flat[1] + 4 * r0, flat[2] + 4 * r0 * cols, flat[3] + 4 * r0 * cols, r1 - r0, cols]);
    }
  }
  return rows;
}

/** Extra bytes per thread beyond the kernel's workspace (the partial dW of conv2dBackwardWeight). */
export function extraBytesFor(name: string, flat: number[]): number {
  if ((SPLIT_AS[name] ?? name) !== 'conv2dBackwardWeight') return 0;
  const d = convDims(flat);
  return 4 * d.o * d.c * d.kh * d.kw;
}

/** Rows per thread for splits whose rows cost nothing extra (batches, images): spare rows for a thread that finishes early. */
const ROWS_PER_THREAD = 4;
/** Panels per thread of a one-matrix product, and the narrowest panel (columns or rows) worth its packing. */
const PANELS_PER_THREAD = 2;
const MIN_PANEL = 64;

/**
 * Split a call over up to nt threads. flat: the flattened arguments (buffers as
 * byte offsets, ws last); thread t's workspace is at ws + t·stride (a row's
 * last argument is thread 0's; the thread that takes it moves it to its own)
 * and region r's extra bytes at ws + r·stride + extraAt. f32: a view of the
 * memory, for the dW sum.
 */
export function plan(name: string, flat: number[], nt: number, stride: number, extraAt: number, f32: () => Float32Array): Plan {
  if (name in RANGE_MIN) {
    const [, items] = rangeSize(name, flat);
    return { job: { fn: FN[name as keyof typeof FN], rows: rangeRows(name, flat, items, Math.min(items, ROWS_PER_THREAD * nt)), threads: nt, stride: 0 } };
  }
  const ws = flat[flat.length - 1];
  const rows: number[][] = [];
  const job = (fn: number): Job => ({ fn, rows, threads: nt, stride });
  if (name === 'matmul') {
    const [out, a, b, batch, m, k, n, ta, tb] = flat;
    if (batch >= 2) {
      const parts = Math.min(batch, ROWS_PER_THREAD * nt);
      for (let t = 0; t < parts; t++) {
        const [b0, b1] = range(batch, parts, t, 1);
        rows.push([out + 4 * b0 * m * n, a + 4 * b0 * m * k, b + 4 * b0 * k * n, b1 - b0, m, k, n, ta, tb, ws]);
      }
      return { job: job(FN.matmul) };
    }
    // strides of op(A) and op(B) as gemm takes them: A(i,p) = a[i·ars + p·acs], B(p,j) = b[p·brs + j·bcs].
    // Each panel packs all of op(A) (or op(B)) again, a cost of about one part in (panel width) of the
    // panel's products; PANELS_PER_THREAD panels of at least MIN_PANEL columns (rows) per thread, so that a
    // worker that starts late or runs slowly (another process on its core) leaves its spare panels to us.
    const ars = ta ? 1 : k, acs = ta ? m : 1, brs = tb ? 1 : n, bcs = tb ? k : 1;
    const byColumns = n >= m;
    const wide = byColumns ? n : m;
    const parts = Math.max(nt, Math.min(PANELS_PER_THREAD * nt, Math.floor(wide / MIN_PANEL)));
    for (let t = 0; t < parts; t++) {
      if (byColumns) {
        const [j0, j1] = range(n, parts, t, 8);
        if (j1 > j0) rows.push([m, j1 - j0, k, a, ars, acs, b + 4 * j0 * bcs, brs, bcs, out + 4 * j0, n, 0, ws]);
      } else {
        const [i0, i1] = range(m, parts, t, 4);
        if (i1 > i0) rows.push([i1 - i0, n, k, a + 4 * i0 * ars, ars, acs, b, brs, bcs, out + 4 * i0 * n, n, 0, ws]);
      }
    }
    return { job: job(FN.gemm) };
  }
  const kind = SPLIT_AS[name] ?? name;
  const nb = convBuffers(name);
  const d = convDims(flat, nb);
  const xImage = 4 * d.c * d.h * d.w, yImage = 4 * d.o * d.oh * d.ow;
  const dims = flat.slice(nb + 1, nb + 11); // every field after n
  const weight = kind === 'conv2dBackwardWeight';
  // dW: one partial sum per row, in row r's extra region, so one row per thread
  const parts = Math.min(d.n, weight ? nt : ROWS_PER_THREAD * nt);
  for (let t = 0; t < parts; t++) {
    const [b0, b1] = range(d.n, parts, t, 1);
    if (kind === 'conv2d') {
      rows.push([flat[0] + b0 * yImage, flat[1] + b0 * xImage, flat[2], b1 - b0, ...dims, ws]);
    } else if (kind === 'conv2dBias') {
      rows.push([flat[0] + b0 * yImage, flat[1] + b0 * xImage, flat[2], flat[3], b1 - b0, ...dims, ws]);
    } else if (kind === 'conv2dBackwardInput') {
      rows.push([flat[0] + b0 * xImage, flat[1] + b0 * yImage, flat[2], b1 - b0, ...dims, ws]);
    } else {
      const dw = t === 0 ? flat[0] : ws + t * stride + extraAt;
      rows.push([dw, flat[1] + b0 * xImage, flat[2] + b0 * yImage, b1 - b0, ...dims, ws]);
    }
  }
  const fn = FN[name as keyof typeof FN];
  if (!weight) return { job: job(fn) };
  const len = d.o * d.c * d.kh * d.kw;
  return {
    job: job(fn),
    finish: () => {
      const mem = f32(), dw = flat[0] >>> 2;
      for (let t = 1; t < parts; t++) {
        const p = (ws + t * stride + extraAt) >>> 2;
        for (let i = 0; i < len; i++) mem[dw + i] += mem[p + i];
      }
    },
  };
}
