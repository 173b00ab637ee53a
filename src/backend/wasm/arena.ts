// The TS side owns the wasm linear memory: a bump allocator reset at the start
// of every kernel call. A call allocates all its regions first, then commits
// (growing the memory once if needed), then copies in, runs, copies out.
// Views are re-created whenever memory.buffer changed: a growth detaches the
// old ArrayBuffer, so no Float32Array is ever kept across one. With a shared
// memory the regions begin above the resident blocks (resident.ts).

const PAGE = 65536;
const ALIGN = 64;

export class Arena {
  private top: number;
  private buffer: ArrayBuffer | null = null;
  private f32view = new Float32Array(0);
  private i32view = new Int32Array(0);
  private f64view = new Float64Array(0);

  /** floor(): where the regions may begin right now (above the resident blocks, resident.ts), at least base. */
  constructor(private readonly memory: WebAssembly.Memory, private readonly base: number, private readonly floor?: () => number) {
    this.top = base;
  }

  /** Forget every region of the previous call. */
  reset(): void {
    this.top = this.floor ? Math.max(this.base, this.floor()) : this.base;
  }

  /** Reserve `bytes` (64-byte aligned) and return its byte offset. */
  alloc(bytes: number): number {
    const off = Math.ceil(this.top / ALIGN) * ALIGN;
    this.top = off + Math.max(0, bytes);
    return off;
  }

  /** Grow the memory to cover every region allocated so far. Throws RangeError past the 4 GiB wasm32 limit. */
  commit(): void {
    const have = this.memory.buffer.byteLength;
    if (this.top > have) this.memory.grow(Math.ceil((this.top - have) / PAGE));
  }

  private refresh(): void {
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.f32view = new Float32Array(this.buffer);
      this.i32view = new Int32Array(this.buffer);
      this.f64view = new Float64Array(this.buffer);
    }
  }

  get f32(): Float32Array { this.refresh(); return this.f32view; }
  get i32(): Int32Array { this.refresh(); return this.i32view; }
  get f64(): Float64Array { this.refresh(); return this.f64view; }

  /** Copy a Float32Array (or its first `len` values) into the memory at `off`. */
  put(off: number, data: Float32Array, len = data.length): void {
    this.f32.set(len === data.length ? data : data.subarray(0, len), off >>> 2);
  }

  putI32(off: number, data: ArrayLike<number>): void {
    this.i32.set(data, off >>> 2);
  }

  /** Copy a Float64Array into the memory at `off` (8-byte aligned). */
  putF64(off: number, data: Float64Array): void {
    this.f64.set(data, off >>> 3);
  }

  getF64(off: number, out: Float64Array): void {
    const i = off >>> 3;
    out.set(this.f64.subarray(i, i + out.length));
  }

  /** Copy out.length floats from `off` into out. */
  get(off: number, out: Float32Array): void {
    const i = off >>> 2;
    out.set(this.f32.subarray(i, i + out.length));
  }

  getI32(off: number, out: Int32Array): void {
    const i = off >>> 2;
    out.set(this.i32.subarray(i, i + out.length));
  }

  /** Bytes of linear memory right now. */
  get size(): number {
    return this.memory.buffer.byteLength;
  }
}
