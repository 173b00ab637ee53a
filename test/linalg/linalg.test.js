// lk.linalg: property tests on random SPD matrices of random size (fast-check),
// known cases, and the errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lk, RUNS, seededData, throwsMatch } from '../helpers.js';

/** A = B Bᵀ + n·0.1·I from seeded uniform B (SPD, well conditioned). */
function randomSpd(n, seed) {
  const b = seededData(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
    a[i * n + j] = s + (i === j ? 0.1 * n : 0);
  }
  return lk.tensor(Float32Array.from(a), [n, n]);
}

const mm = (a, b, n, m, p) => { // float64 product of row-major n x m and m x p
  const c = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) { const v = a[i * m + k]; for (let j = 0; j < p; j++) c[i * p + j] += v * b[k * p + j]; }
  return c;
};
const maxAbs = (x) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const spdArb = fc.record({ n: fc.integer({ min: 1, max: 14 }), seed: fc.integer() });

test('eigh: A V = V diag(λ), VᵀV = I, values descending', () => {
  fc.assert(fc.property(spdArb, ({ n, seed }) => {
    const A = randomSpd(n, seed);
    const { values, vectors } = lk.linalg.eigh(A);
    assert.equal(values.shape, [n]); assert.equal(vectors.shape, [n, n]);
    const V = vectors.data, lam = values.data, scale = maxAbs(A.data);
    const AV = mm(A.data, V, n, n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      assert.ok(Math.abs(AV[i * n + j] - V[i * n + j] * lam[j]) < 2e-5 * scale * n, `A V != V Λ at ${i},${j}`);
    }
    const VtV = mm(Array.from({ length: n * n }, (_, k) => V[(k % n) * n + Math.floor(k / n)]), V, n, n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Math.abs(VtV[i * n + j] - (i === j ? 1 : 0)) < 1e-5 * n, 'VᵀV != I');
    for (let i = 1; i < n; i++) assert.ok(lam[i] <= lam[i - 1], 'values not descending');
    assert.ok(lam[n - 1] > 0, 'SPD matrix must have positive eigenvalues');
  }), { numRuns: RUNS * 2 });
});

test('eigh: known spectra (diagonal, 2x2, indefinite, repeated)', () => {
  const d = lk.linalg.eigh(lk.tensor([[1, 0, 0], [0, 3, 0], [0, 0, 2]]));
  assert.equal(Array.from(d.values.data), [3, 2, 1]);
  const t = lk.linalg.eigh(lk.tensor([[2, 1], [1, 2]]));
  assert.ok(Math.abs(t.values.data[0] - 3) < 1e-6 && Math.abs(t.values.data[1] - 1) < 1e-6);
  assert.ok(Math.abs(Math.abs(t.vectors.data[0]) - Math.SQRT1_2) < 1e-6);
  const ind = lk.linalg.eigh(lk.tensor([[0, 1], [1, 0]]));
  assert.ok(Math.abs(ind.values.data[0] - 1) < 1e-6 && Math.abs(ind.values.data[1] + 1) < 1e-6);
  const rep = lk.linalg.eigh(lk.eye(4));
  assert.equal(Array.from(rep.values.data), [1, 1, 1, 1]);
});

test('cholesky: L Lᵀ = A with L lower triangular', () => {
  fc.assert(fc.property(spdArb, ({ n, seed }) => {
    const A = randomSpd(n, seed);
    const L = lk.linalg.cholesky(A).data;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assert.is(L[i * n + j], 0);
    const Lt = Array.from({ length: n * n }, (_, k) => L[(k % n) * n + Math.floor(k / n)]);
    const LLt = mm(L, Lt, n, n, n), scale = maxAbs(A.data);
    for (let i = 0; i < n * n; i++) assert.ok(Math.abs(LLt[i] - A.data[i]) < 1e-5 * scale, `L Lᵀ != A at ${i}`);
  }), { numRuns: RUNS * 2 });
});

test('inv and solve: A A⁻¹ = I, A x = b; slogdet = Σ ln λ', () => {
  fc.assert(fc.property(spdArb, ({ n, seed }) => {
    const A = randomSpd(n, seed);
    const I = mm(A.data, lk.linalg.inv(A).data, n, n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Math.abs(I[i * n + j] - (i === j ? 1 : 0)) < 1e-4, `A A⁻¹ != I at ${i},${j}: ${I[i * n + j]}`);
    const b = lk.tensor(seededData(n * 2, seed + 1), [n, 2]);
    const x = lk.linalg.solve(A, b);
    const Ax = mm(A.data, x.data, n, n, 2);
    for (let i = 0; i < 2 * n; i++) assert.ok(Math.abs(Ax[i] - b.data[i]) < 1e-4, 'A x != b');
    const { sign, logAbsDet } = lk.linalg.slogdet(A);
    const lam = lk.linalg.eigh(A).values.data;
    assert.is(sign, 1);
    const ref = lam.reduce((s, v) => s + Math.log(v), 0);
    assert.ok(Math.abs(logAbsDet - ref) < 1e-4 * Math.max(1, Math.abs(ref)), `slogdet ${logAbsDet} vs Σ ln λ ${ref}`);
  }), { numRuns: RUNS * 2 });
});

test('slogdet: sign of a permutation, singular gives -Infinity; solve with a vector', () => {
  const s = lk.linalg.slogdet(lk.tensor([[0, 2], [3, 0]]));
  assert.is(s.sign, -1);
  assert.ok(Math.abs(s.logAbsDet - Math.log(6)) < 1e-6);
  assert.equal(lk.linalg.slogdet(lk.tensor([[1, 2], [2, 4]])), { sign: 0, logAbsDet: -Infinity });
  const x = lk.linalg.solve(lk.tensor([[2, 0], [0, 4]]), lk.tensor([2, 2]));
  assert.equal(Array.from(x.data), [1, 0.5]);
});

test('errors name the cause and the fix', () => {
  throwsMatch(() => lk.linalg.eigh(lk.zeros([2, 3])), /square 2-D/);
  throwsMatch(() => lk.linalg.cholesky(lk.tensor([[1, 2], [2, 1]])), /not positive definite/);
  throwsMatch(() => lk.linalg.inv(lk.tensor([[1, 2], [2, 4]])), /singular/);
  throwsMatch(() => lk.linalg.eigh(lk.tensor([[1, NaN], [NaN, 1]])), /non-finite/);
  throwsMatch(() => lk.linalg.solve(lk.eye(3), lk.zeros([2])), /does not match/);
});

test('eigh of a 120x120 covariance is accurate (bigger than the property sizes)', () => {
  const A = randomSpd(120, 7);
  const { values, vectors } = lk.linalg.eigh(A);
  const n = 120, V = vectors.data, AV = mm(A.data, V, n, n, n), scale = maxAbs(values.data);
  let err = 0;
  for (let i = 0; i < n * n; i++) err = Math.max(err, Math.abs(AV[i] - V[i] * values.data[i % n]));
  assert.ok(err < 1e-4 * scale, `residual ${err}`);
});

test.run();
