// A seeded random generator (xoshiro128**, seeded through splitmix32) behind
// every random draw of the library, so that `seed(n)` makes runs reproducible
// on any backend.

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A seedable pseudo-random generator (the one behind every random draw in latentkit). */
export class Rng {
  private a = 0; private b = 0; private c = 0; private d = 0;
  private spare: number | null = null;

  constructor(seed = 0x5eed) {
    this.seed(seed);
  }

  /** Restart the sequence from seed n. */
  seed(n: number): void {
    if (!Number.isFinite(n)) throw new Error(`seed: expected a finite number, got ${n}`);
    const st = { s: Math.floor(n) | 0 };
    this.a = splitmix32(st); this.b = splitmix32(st); this.c = splitmix32(st); this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
    this.spare = null;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5, lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal draw (Box–Muller, both values used). */
  normal(): number {
    if (this.spare !== null) { const s = this.spare; this.spare = null; return s; }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]; p[i] = p[j]; p[j] = t;
    }
    return p;
  }

  /** The generator's position (to rewind to with {@link Rng.restore}). */
  snapshot(): number[] { return [this.a, this.b, this.c, this.d, this.spare ?? NaN]; }

  /** Rewind to a position taken by {@link Rng.snapshot}. */
  restore(s: readonly number[]): void {
    [this.a, this.b, this.c, this.d] = s;
    this.spare = Number.isNaN(s[4]) ? null : s[4];
  }

  /** An independent generator seeded from this one. */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The library's global generator. */
export const globalRng = new Rng();

/** Reseed the global generator: every later random draw is reproducible. */
export function seed(n: number): void {
  globalRng.seed(n);
}

/** A generator for a model: its own seed if given, else a fork of the global one. */
export function rngFor(seed?: number): Rng {
  return seed === undefined ? globalRng.fork() : new Rng(seed);
}
