// Timing one function with benchmark.js and reading the median of its samples.
import Benchmark from 'benchmark';

/**
 * Runs fn (synchronous) under benchmark.js; returns { median, mean, min, rme, samples } in ms
 * (min: the fastest sample, a benchmark.js sample being the mean time of one cycle of calls).
 * One warm-up call first; slow functions (> 0.5 s) are timed with a few plain
 * calls instead, and very slow ones (> 5 s) by that first call alone, so the
 * whole suite stays within its time budget.
 */
export function time(fn, { quick = false } = {}) {
  const t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  if (first > 5000) return summary([first], 0); // e.g. tfjs-cpu at 1024: one (cold) call is all the budget allows
  if (first > 500) {
    const n = quick ? 1 : 3, samples = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      fn();
      samples.push(performance.now() - s);
    }
    return summary(samples, 0);
  }
  const bench = new Benchmark('case', fn, {
    minSamples: quick ? 5 : 12,
    maxTime: quick ? 0.4 : 1.5,
    initCount: 1,
  });
  bench.run({ async: false });
  if (bench.error) throw bench.error;
  return summary(bench.stats.sample.map((s) => s * 1000), bench.stats.rme);
}

/** { median, mean, min, rme, samples } of per-call times in ms (the record every engine and peer gets). */
export function summary(samples, rme = 0) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { median, mean, min: sorted[0], rme, samples: samples.length };
}
