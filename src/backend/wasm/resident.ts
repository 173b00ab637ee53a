// Long-lived arrays inside the wasm module's shared memory: parameters, their
// gradient buffers and an optimiser's moments. The marshaller (kernels.ts)
// hands such an array to a kernel by its address, so a training step no longer
// copies every weight in and out of the module on every call.
//
// Only a threads build has this: its memory is a SharedArrayBuffer whose
// maximum size is reserved up front, so growing it never moves or detaches
// it, and a view made once stays valid for the life of the memory. (A
// one-thread build's memory is an ordinary ArrayBuffer that growth detaches;
// there every array is copied.)
//
// Layout: [control block | resident blocks ... top | per-call arena]. The arena
// (arena.ts) starts at `top` on every call. A block is freed when the garbage
// collector drops its view (FinalizationRegistry); freed blocks are reused
// first-fit and merged with free neighbours. A view's subarray() keeps the view
// (so the block) alive; a view made by hand from `.buffer` does not. Past
// `limit` bytes of blocks, alloc returns null and the caller gets an ordinary
// Float32Array: residency only ever saves copies, it never changes a result.

const ALIGN = 64;
const PAGE = 65536;

interface Block { off: number; bytes: number }

/** Each subarray of a resident view → that view, so that the block outlives every subarray of it. */
const pins = new WeakMap<Float32Array, Float32Array>();
const plainSubarray = Float32Array.prototype.subarray;
/** subarray() of a resident view (or of one of its subarrays): the same view, pinned to the block's view. */
function pinnedSubarray(this: Float32Array, begin?: number, end?: number): Float32Array {
  const sub = plainSubarray.call(this, begin, end);
  pins.set(sub, pins.get(this) ?? this);
  return withPinnedSubarray(sub);
}
/** a, its subarray() replaced by pinnedSubarray. */
function withPinnedSubarray(a: Float32Array): Float32Array {
  return Object.defineProperty(a, 'subarray', { value: pinnedSubarray, configurable: true, writable: true });
}

export class Resident {
  /** First byte past the highest block in use: where each call's arena begins. */
  top: number;
  /** Bytes held by live blocks. */
  used = 0;
  private readonly free: Block[] = []; // sorted by offset, never adjacent to each other
  private readonly views = new WeakSet<Float32Array>();
  private readonly finalizer = new FinalizationRegistry<Block>((b) => this.release(b));

  constructor(private readonly memory: WebAssembly.Memory, private readonly base: number, readonly limit: number) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  /** A zeroed Float32Array of n elements inside the memory, or null past the limit (or when the memory cannot grow). */
  alloc(n: number): Float32Array | null {
    const bytes = Math.max(ALIGN, Math.ceil((4 * n) / ALIGN) * ALIGN);
    if (!(n > 0) || this.used + bytes > this.limit) return null;
    let off = -1;
    const i = this.free.findIndex((b) => b.bytes >= bytes);
    if (i >= 0) {
      const b = this.free[i];
      off = b.off;
      if (b.bytes === bytes) this.free.splice(i, 1);
      else { b.off += bytes; b.bytes -= bytes; }
    } else {
      const have = this.memory.buffer.byteLength;
      if (this.top + bytes > have) {
        try { this.memory.grow(Math.ceil((this.top + bytes - have) / PAGE)); } catch { return null; }
      }
      off = this.top;
      this.top += bytes;
    }
    this.used += bytes;
    const view = new Float32Array(this.memory.buffer, off, n);
    view.fill(0); // the block may hold an old array's values, or a past call's arena
    withPinnedSubarray(view);
    this.views.add(view);
    this.finalizer.register(view, { off, bytes });
    return view;
  }

  /** True for a view that alloc returned (not a subarray of one). */
  owns(a: ArrayBufferView): boolean {
    return this.views.has(a as Float32Array);
  }

  /** Return a block to the free list (the finalizer calls this once a view is gone), merging it with its free neighbours; a block at the top lowers the top. */
  release(b: Block): void {
    this.used -= b.bytes;
    let i = 0;
    while (i < this.free.length && this.free[i].off < b.off) i++;
    const prev = this.free[i - 1], next = this.free[i];
    let cur: Block = { off: b.off, bytes: b.bytes };
    if (next && cur.off + cur.bytes === next.off) { cur.bytes += next.bytes; this.free.splice(i, 1); }
    if (prev && prev.off + prev.bytes === cur.off) { prev.bytes += cur.bytes; cur = prev; i--; }
    else this.free.splice(i, 0, cur);
    if (cur.off + cur.bytes === this.top) {
      this.top = cur.off;
      this.free.splice(this.free.indexOf(cur), 1);
    }
  }

  /** Free blocks (for tests): offsets and sizes in bytes. */
  freeBlocks(): readonly Readonly<Block>[] {
    return this.free;
  }
}
