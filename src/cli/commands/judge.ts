// A k-nearest-neighbour digit classifier that scores generated digits: fitted
// on real digits no model has seen (data.ts's reserved rows), it labels each
// sample by the vote of its k nearest references (Euclidean distance on the
// 784 pixel values). A sample counts as "a digit" when at least `threshold`
// of its neighbours agree (confidence = majority votes / k).
import * as lk from 'latentkit';
import { bundledDigits } from '../data.js';

export interface Verdict {
  /** The majority label of each sample, and the fraction of the k votes it got. */
  labels: Int32Array;
  confidence: Float32Array;
  /** Fraction of samples labelled with confidence ≥ threshold. */
  confident: number;
}

export class DigitJudge {
  private readonly refsT: lk.Tensor;
  private readonly refNorms: Float32Array;

  constructor(private readonly refs: Float32Array, private readonly refLabels: Int32Array, readonly dim = 784, readonly k = 10, readonly threshold = 0.8) {
    const n = refLabels.length;
    this.refsT = lk.transpose(lk.tensor(refs, [n, dim]));
    this.refNorms = Float32Array.from({ length: n }, (_, i) => { let s = 0; for (let j = 0; j < dim; j++) s += refs[i * dim + j] ** 2; return s; });
  }

  /** Label n samples (rows of x, pixel values in [0, 1]). */
  classify(x: Float32Array, n: number): Verdict {
    const R = this.refLabels.length, k = Math.min(this.k, R);
    // ‖x − r‖² = ‖x‖² + ‖r‖² − 2 x·r; the x·r for all pairs is one matmul
    const dots = lk.noGrad(() => lk.matmul(lk.tensor(x.subarray(0, n * this.dim), [n, this.dim]), this.refsT)).dataSync();
    const labels = new Int32Array(n), confidence = new Float32Array(n);
    const dist = new Float64Array(R), order = new Int32Array(R);
    let confident = 0;
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < R; r++) { dist[r] = this.refNorms[r] - 2 * dots[i * R + r]; order[r] = r; }
      // partial selection of the k smallest (k is small: k passes)
      for (let a = 0; a < k; a++) {
        let best = a;
        for (let b = a + 1; b < R; b++) if (dist[order[b]] < dist[order[best]]) best = b;
        const t = order[a]; order[a] = order[best]; order[best] = t;
      }
      const votes = new Map<number, number>();
      for (let a = 0; a < k; a++) { const l = this.refLabels[order[a]]; votes.set(l, (votes.get(l) ?? 0) + 1); }
      let top = -1, count = 0;
      for (const [l, c] of votes) if (c > count || (c === count && l < top)) { top = l; count = c; }
      labels[i] = top; confidence[i] = count / k;
      if (count / k >= this.threshold) confident++;
    }
    return { labels, confidence, confident: confident / Math.max(1, n) };
  }

  /** Fraction of samples labelled as the class each was asked to be (for a conditional model). */
  asRequested(x: Float32Array, requested: ArrayLike<number>): number {
    const v = this.classify(x, requested.length);
    let hit = 0;
    for (let i = 0; i < requested.length; i++) if (v.labels[i] === requested[i]) hit++;
    return hit / Math.max(1, requested.length);
  }

  /** Accuracy on real labelled digits (how far the judge itself can be trusted). */
  accuracy(x: Float32Array, y: ArrayLike<number>): number {
    return this.asRequested(x, y);
  }
}

let shared: DigitJudge | null = null;

/** The judge fitted on the bundled digits reserved for it (built once per process). */
export function digitJudge(): DigitJudge {
  if (!shared) {
    const { judge } = bundledDigits();
    shared = new DigitJudge(judge.images, judge.labels!, 784);
  }
  return shared;
}

/** The sample scores a generator's metrics carry: confident fraction and the label histogram. */
export function judgeSamples(x: Float32Array, n: number): { confidentFraction: number; labelCounts: number[] } {
  const v = digitJudge().classify(x, n);
  const counts = new Array(10).fill(0);
  for (const l of v.labels) counts[l]++;
  return { confidentFraction: Number(v.confident.toFixed(3)), labelCounts: counts };
}
