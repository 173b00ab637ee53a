// The synthetic recordings of `latentkit ica`: five audio-like sources that
// are super-Gaussian (peaky: mostly quiet, with bursts), as the sigmoid source
// model of the course assumes speech and music to be, and a mixing matrix
// with U(0, 1) entries redrawn until it is well conditioned.
import * as lk from 'latentkit';

export const SOURCE_NAMES = ['syllables at 220 Hz', 'syllables at 370 Hz', 'crackle (Laplace noise)', 'clicks', 'chord 262 + 330 Hz'];

/** A syllable envelope: max(0, sin(2π f t + φ))⁴ — silent half the time. */
const syllable = (t: number, f: number, phase: number): number => Math.max(0, Math.sin(2 * Math.PI * f * t + phase)) ** 4;

/** The five sources at n samples of `rate` Hz, rows = time, each scaled to unit variance. */
export function audioSources(n: number, rate: number, rng: lk.Rng): Float32Array {
  const d = SOURCE_NAMES.length, s = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    s[i * d] = syllable(t, 3.1, 0) * Math.sin(2 * Math.PI * 220 * t + 3 * Math.sin(2 * Math.PI * 5 * t));
    s[i * d + 1] = syllable(t, 2.3, 1.3) * Math.sin(2 * Math.PI * 370 * t);
    const e = rng.uniform() - 0.5; // Laplace draw by inversion: −b sgn(e) ln(1 − 2|e|)
    s[i * d + 2] = -Math.sign(e) * Math.log(1 - 2 * Math.abs(e)) * (0.3 + 0.7 * syllable(t, 0.7, 2));
    const sinceClick = t % 0.37;
    s[i * d + 3] = Math.exp(-sinceClick * 60) * (rng.uniform() - 0.5) * 4;
    s[i * d + 4] = syllable(t, 1.7, 0.4) * (Math.sin(2 * Math.PI * 262 * t) + Math.sin(2 * Math.PI * 330 * t)) / 2;
  }
  for (let j = 0; j < d; j++) {
    let m = 0, v = 0;
    for (let i = 0; i < n; i++) m += s[i * d + j] / n;
    for (let i = 0; i < n; i++) v += (s[i * d + j] - m) ** 2 / n;
    const k = 1 / Math.sqrt(v || 1);
    for (let i = 0; i < n; i++) s[i * d + j] = (s[i * d + j] - m) * k;
  }
  return s;
}

/**
 * A d × d mixing matrix with entries U(0, 1), redrawn until its condition
 * number κ(A) = √(λ_max(AᵀA) / λ_min(AᵀA)) is at most 10: every recording
 * hears every source, and the mixing can still be undone in float32.
 */
export function wellConditionedMixing(d: number, rng: lk.Rng, maxCond = 10): Float32Array {
  let best: Float32Array | null = null, bestCond = Infinity;
  for (let attempt = 0; attempt < 2000 && bestCond > maxCond; attempt++) {
    const A = Float32Array.from({ length: d * d }, () => rng.uniform());
    const AtA = new Float32Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) { let v = 0; for (let k = 0; k < d; k++) v += A[k * d + i] * A[k * d + j]; AtA[i * d + j] = v; }
    const ev = lk.linalg.eigh(lk.tensor(AtA, [d, d])).values.dataSync();
    const cond = Math.sqrt(Math.max(...ev) / Math.max(Math.min(...ev), 1e-30));
    if (cond < bestCond) { best = A; bestCond = cond; }
  }
  return best!;
}

export const column = (x: Float32Array, d: number, j: number, n: number): Float32Array => Float32Array.from({ length: n }, (_, t) => x[t * d + j]);

/** max over recovered signals k of |corr(source, recovered_k)|. */
export function bestCorrelation(s: Float32Array, rec: Float32Array, d: number, n: number): number {
  let best = 0;
  for (let k = 0; k < d; k++) {
    let ms = 0, mr = 0;
    for (let t = 0; t < n; t++) { ms += s[t]; mr += rec[t * d + k]; }
    ms /= n; mr /= n;
    let c = 0, vs = 0, vr = 0;
    for (let t = 0; t < n; t++) { const a = s[t] - ms, b = rec[t * d + k] - mr; c += a * b; vs += a * a; vr += b * b; }
    best = Math.max(best, Math.abs(c) / Math.sqrt(vs * vr || 1));
  }
  return best;
}
