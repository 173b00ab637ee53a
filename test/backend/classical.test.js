// The classical kernels (K-means, k-means++, Gaussian E-step, mixture M-step moments)
// of the current backend against the float64 js reference, over random shapes:
// d around the direct / GEMM switch (32), n around the row blocks (256) and the thread split.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { allClose, RUNS, seededData, BACKEND } from '../helpers.js';
import { jsKernels } from '../../dist/backend/js/index.js';
import { kernels } from '../../dist/backend/registry.js';

const K = () => kernels();
const dimD = fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(16, 31, 32, 33, 50));
const dimN = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(255, 256, 257, 4097, 9000));
const shape = fc.record({ n: dimN, d: dimD, k: fc.integer({ min: 1, max: 17 }), seed: fc.integer() });

/** Random responsibilities [n, k] (rows sum to 1, some exact zeros). */
function resp(n, k, seed) {
  const r = seededData(n * k, seed).map((v) => (v < -0.6 ? 0 : v + 1));
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += r[i * k + j];
    for (let j = 0; j < k; j++) r[i * k + j] = s > 0 ? r[i * k + j] / s : 1 / k;
  }
  return r;
}

test(`[${BACKEND}] kmeansAssign: nearest centroid, its distance, cluster sums and stats`, () => {
  fc.assert(fc.property(shape, ({ n, d, k, seed }) => {
    const x = seededData(n * d, seed, 3), c = seededData(k * d, seed + 1, 3);
    const prev = Int32Array.from({ length: n }, (_, i) => i % k);
    const run = (kern) => {
      const o = { labels: new Int32Array(n), dist: new Float32Array(n), sums: new Float64Array(k * d), stats: new Float64Array(3 * k).fill(7) };
      kern.kmeansAssign(o.labels, o.dist, o.sums, o.stats, prev, x, c, n, d, k);
      return o;
    };
    const a = run(K()), e = run(jsKernels);
    const msg = `n${n} d${d} k${k}`;
    allClose(a.dist, e.dist, { atol: 1e-4 * d, rtol: 1e-4, msg });
    // a different label only on a near-tie, and then its distance is the minimum too
    for (let i = 0; i < n; i++) {
      if (a.labels[i] === e.labels[i]) continue;
      let s = 0;
      for (let t = 0; t < d; t++) s += (x[i * d + t] - c[a.labels[i] * d + t]) ** 2;
      assert.ok(Math.abs(s - e.dist[i]) <= 1e-4 * (1 + e.dist[i]), `${msg}: label ${a.labels[i]} vs ${e.labels[i]} at ${i} is no tie`);
    }
    const same = a.labels.every((v, i) => v === e.labels[i]);
    if (same) {
      allClose(a.sums, e.sums, { atol: 1e-4 * Math.sqrt(n), rtol: 1e-6, msg: `${msg} sums` });
      allClose(a.stats.subarray(0, k), e.stats.subarray(0, k), { atol: 0, rtol: 0, msg: `${msg} counts` });
      allClose(a.stats.subarray(k), e.stats.subarray(k), { atol: 1e-3 * d * Math.sqrt(n), rtol: 1e-5, msg: `${msg} sse, changed` });
    }
    assert.ok(a.stats.subarray(2 * k + 1).every((v) => v === 0), `${msg}: stats past 2k+1 are zeroed`);
  }), { numRuns: RUNS });
});

test(`[${BACKEND}] kmeansAssign: ties go to the first centroid; identical rows land together`, () => {
  const d = 3, k = 4, n = 1000;
  const c = new Float32Array([1, 2, 3, 1, 2, 3, 5, 5, 5, 1, 2, 3]); // centroids 0, 1, 3 coincide
  const x = new Float32Array(n * d).map((_, i) => [1, 2, 3][i % 3]); // every row on the tied centroids
  const labels = new Int32Array(n), dist = new Float32Array(n), sums = new Float64Array(k * d), stats = new Float64Array(3 * k);
  K().kmeansAssign(labels, dist, sums, stats, new Int32Array(n).fill(-1), x, c, n, d, k);
  for (let i = 0; i < n; i++) assert.is(labels[i], 0, `row ${i}`);
  assert.is(stats[0], n);
  assert.is(stats[2 * k], n);
});

test(`[${BACKEND}] minSqDist: candidate distances and potentials`, () => {
  fc.assert(fc.property(shape, ({ n, d, k, seed }) => {
    const x = seededData(n * d, seed, 2), cand = seededData(k * d, seed + 2, 2);
    const closest = seededData(n, seed + 3, 4).map((v) => Math.abs(v) * d);
    const run = (kern) => { const o = new Float32Array(k * n), p = new Float64Array(k); kern.minSqDist(o, p, closest, x, cand, n, d, k); return { o, p }; };
    const a = run(K()), e = run(jsKernels);
    allClose(a.o, e.o, { atol: 1e-5 * d, rtol: 1e-5, msg: `n${n} d${d} k${k}` });
    allClose(a.p, e.p, { atol: 1e-5 * d * n, rtol: 1e-5, msg: `pot n${n} d${d} k${k}` });
  }), { numRuns: RUNS });
});

test(`[${BACKEND}] mixtureMoments and mixtureScatter (full and diag) in float64`, () => {
  fc.assert(fc.property(shape, fc.boolean(), ({ n, d, k, seed }, diag) => {
    const x = seededData(n * d, seed, 5), r = resp(n, k, seed + 4);
    const mu = Float64Array.from(seededData(k * d, seed + 5, 2));
    const run = (kern) => {
      const nk = new Float64Array(k), sums = new Float64Array(k * d), S = new Float64Array(k * d * d).fill(3);
      kern.mixtureMoments(nk, sums, r, x, n, d, k);
      kern.mixtureScatter(S, r, x, mu, n, d, k, diag);
      return { nk, sums, S: diag ? S.subarray(0, k * d) : S };
    };
    const a = run(K()), e = run(jsKernels), msg = `n${n} d${d} k${k} diag ${diag}`;
    allClose(a.nk, e.nk, { atol: 1e-9 * n, rtol: 1e-12, msg });
    allClose(a.sums, e.sums, { atol: 1e-9 * n, rtol: 1e-12, msg });
    allClose(a.S, e.S, { atol: 1e-8 * n, rtol: 1e-12, msg });
    if (!diag) for (let j = 0; j < k; j++) for (let p = 0; p < d; p++) for (let q = 0; q < p; q++) {
      assert.is(a.S[j * d * d + p * d + q], a.S[j * d * d + q * d + p], `${msg}: symmetric`);
    }
  }), { numRuns: RUNS });
});

test(`[${BACKEND}] gaussianLogProb matches the float64 reference (triangular and dense P)`, () => {
  fc.assert(fc.property(shape, fc.boolean(), ({ n, d, k, seed }, tri) => {
    const x = seededData(n * d, seed, 2), mu = Float64Array.from(seededData(k * d, seed + 6, 2));
    const prec = Float64Array.from(seededData(k * d * d, seed + 7, 1));
    if (tri) for (let j = 0; j < k; j++) for (let p = 0; p < d; p++) for (let q = 0; q < p; q++) prec[j * d * d + p * d + q] = 0;
    const bias = Float64Array.from({ length: k }, (_, j) => j - 3.5);
    const run = (kern) => { const o = new Float32Array(n * k); kern.gaussianLogProb(o, x, mu, prec, bias, n, d, k); return o; };
    // float64 inside every backend: equal to the reference up to the final float32 rounding
    allClose(run(K()), run(jsKernels), { atol: 1e-6, rtol: 2e-7, msg: `n${n} d${d} k${k} tri ${tri}` });
  }), { numRuns: RUNS });
});

test(`[${BACKEND}] mixtureResponsibilities: lse, normalised responsibilities and the float64 Σ lse`, () => {
  fc.assert(fc.property(dimN, fc.integer({ min: 1, max: 25 }), fc.integer(), (n, k, seed) => {
    const wlp = seededData(n * k, seed, 40).map((v, i) => (i % 7 === 3 ? v - 200 : v)); // some far-below-max entries
    const run = (kern) => {
      const o = { resp: new Float32Array(n * k), lse: new Float32Array(n), total: new Float64Array(1) };
      kern.mixtureResponsibilities(o.resp, o.lse, o.total, wlp, n, k);
      return o;
    };
    const a = run(K()), e = run(jsKernels), msg = `n${n} k${k}`;
    allClose(a.lse, e.lse, { atol: 2e-6, rtol: 2e-7, msg });
    allClose(a.resp, e.resp, { atol: 1e-6, rtol: 1e-5, msg });
    assert.ok(Math.abs(a.total[0] - e.total[0]) <= 2e-6 * n + 1e-7 * Math.abs(e.total[0]), `${msg}: total ${a.total[0]} vs ${e.total[0]}`);
  }), { numRuns: RUNS });
});

test(`[${BACKEND}] mixtureResponsibilities: −∞ entries get 0, non-finite rows NaN`, () => {
  const wlp = new Float32Array([0, -Infinity, 0, -Infinity, -Infinity, -Infinity, NaN, 1, 2, Infinity, 0, 0]);
  const resp = new Float32Array(12), lse = new Float32Array(4), total = new Float64Array(1);
  K().mixtureResponsibilities(resp, lse, total, wlp, 4, 3);
  allClose(resp.subarray(0, 3), [0.5, 0, 0.5], { atol: 1e-7 });
  allClose([lse[0]], [Math.log(2)], { atol: 1e-7 });
  assert.is(lse[1], -Infinity); assert.ok(Number.isNaN(lse[2])); assert.is(lse[3], Infinity);
  assert.ok(resp.subarray(3).every(Number.isNaN));
  assert.ok(Number.isNaN(total[0]));
});

test(`[${BACKEND}] linearScores: X Wᵀ + b`, () => {
  fc.assert(fc.property(shape, ({ n, d, k, seed }) => {
    const x = seededData(n * d, seed, 1), w = seededData(k * d, seed + 8, 3), b = Float64Array.from({ length: k }, (_, j) => 100 - 7 * j);
    const run = (kern) => { const o = new Float32Array(n * k); kern.linearScores(o, x, w, b, n, d, k); return o; };
    allClose(run(K()), run(jsKernels), { atol: 3e-6 * Math.sqrt(d) * 3, rtol: 1e-6, msg: `n${n} d${d} k${k}` });
  }), { numRuns: RUNS });
});

test.run();
