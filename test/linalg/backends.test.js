// The linalg kernels on every backend against the js reference, on random SPD and
// ill-conditioned matrices (fast-check), and the identities each must satisfy.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lk, RUNS } from '../helpers.js';
import { kernels } from '../../dist/backend/registry.js';
import { spd, illConditioned, mm, transpose, maxDiff, eighErrors } from './matrices.js';

const backends = lk.backends();
function on(name, fn) {
  const prev = lk.getBackend();
  lk.setBackend(name);
  try { return fn(kernels()); } finally { lk.setBackend(prev); }
}
const eighOf = (K, a, n) => { const v = new Float64Array(n), V = new Float64Array(n * n); K.eigh(v, V, a, n); return { v, V }; };
const sizes = fc.oneof(fc.integer({ min: 1, max: 24 }), fc.constantFrom(31, 33, 64, 65, 100, 129));
const caseArb = fc.record({ n: sizes, seed: fc.integer(), decades: fc.integer({ min: 0, max: 10 }), ill: fc.boolean() });
const matrix = ({ n, seed, decades, ill }) => (ill ? illConditioned(n, seed, decades) : { a: spd(n, seed), lam: null });

for (const b of backends) {
  test(`[${b}] eigh: orthonormal to 1e-5, ‖A − VΛVᵀ‖/‖A‖ ≤ 1e-5, values as the js reference`, () => {
    fc.assert(fc.property(caseArb, (c) => {
      const { a, lam } = matrix(c), n = c.n;
      const { v, V } = on(b, (K) => eighOf(K, a, n));
      const ref = on('js', (K) => eighOf(K, a, n));
      const { recon, orth } = eighErrors(a, v, V, n);
      assert.ok(recon <= 1e-10 && orth <= 1e-10, `n=${n}: recon ${recon}, orth ${orth}`); // float64 inside: far below 1e-5
      const scale = Math.abs(ref.v[0]) + Math.abs(ref.v[n - 1]);
      assert.ok(maxDiff(v, ref.v) <= 1e-11 * scale, `values differ from js by ${maxDiff(v, ref.v)}`);
      for (let i = 1; i < n; i++) assert.ok(v[i] <= v[i - 1], 'values not descending');
      if (lam) assert.ok(maxDiff(v, lam) <= 1e-12 * n, `spectrum off by ${maxDiff(v, lam)}`);
    }), { numRuns: RUNS });
  });

  test(`[${b}] cholesky, triSolve, lu, luSolve, dgemm, qrQ equal the js reference`, () => {
    fc.assert(fc.property(caseArb, fc.integer({ min: 1, max: 70 }), (c, m) => {
      const { a } = matrix(c), n = c.n, r = new lk.Rng(c.seed + 1);
      const B = Float64Array.from({ length: n * m }, () => r.uniform() * 2 - 1);
      const run = (K) => {
        const L = new Float64Array(n * n), info = new Int32Array(1);
        K.cholesky(L, info, a, n);
        const y = B.slice(), z = B.slice();
        if (info[0] === 0) { K.triSolve(y, L, n, m, false); K.triSolve(z, L, n, m, true); }
        const f = a.slice(), piv = new Int32Array(n), x = new Float64Array(n * m);
        K.lu(f, piv, n); K.luSolve(x, f, piv, B, n, m);
        const g = new Float64Array(n * m), gt = new Float64Array(m * m);
        K.dgemm(g, a, B, n, n, m, false, false); K.dgemm(gt, B, B, m, n, m, true, false);
        const q = B.slice();
        if (m <= n) K.qrQ(q, n, m);
        return { L, info: info[0], y, z, f, piv, x, g, gt, q };
      };
      const got = on(b, run), want = on('js', run);
      assert.is(got.info, want.info, 'cholesky info');
      const amax = a.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
      assert.ok(maxDiff(got.L, want.L) <= 1e-12 * Math.sqrt(amax) * n, 'cholesky');
      // LU: P A = L U (the factors themselves amplify round-off on ill-conditioned matrices)
      const Lf = new Float64Array(n * n), Uf = new Float64Array(n * n), PA = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        if (j < i) Lf[i * n + j] = got.f[i * n + j]; else Uf[i * n + j] = got.f[i * n + j];
        PA[i * n + j] = a[got.piv[i] * n + j];
      }
      for (let i = 0; i < n; i++) Lf[i * n + i] = 1;
      assert.ok(maxDiff(mm(Lf, Uf, n, n, n), PA) <= 1e-13 * amax * n, 'P A = L U');
      assert.equal([...got.piv].sort((x, y) => x - y), [...Array(n).keys()], 'piv is a permutation');
      assert.ok(maxDiff(got.g, want.g) <= 1e-12 * amax * n, 'dgemm');
      assert.ok(maxDiff(got.gt, want.gt) <= 1e-12 * n, 'dgemm transA');
      if (m <= n) assert.ok(maxDiff(got.q, want.q) <= 1e-9, 'qrQ');
      // solves: compare through the residual, which does not amplify with the condition number
      if (got.info === 0) {
        const Ly = mm(got.L, got.y, n, n, m), LTz = mm(transpose(got.L, n, n), got.z, n, n, m);
        const ymax = got.y.reduce((s, v) => Math.max(s, Math.abs(v)), 1), zmax = got.z.reduce((s, v) => Math.max(s, Math.abs(v)), 1);
        assert.ok(maxDiff(Ly, B) <= 1e-12 * n * Math.sqrt(amax) * ymax, 'L y = b');
        assert.ok(maxDiff(LTz, B) <= 1e-12 * n * Math.sqrt(amax) * zmax, 'Lᵀ z = b');
      }
      const Ax = mm(a, got.x, n, n, m), xmax = got.x.reduce((s, v) => Math.max(s, Math.abs(v)), 1);
      assert.ok(maxDiff(Ax, B) <= 1e-12 * n * amax * xmax, 'A x = b (luSolve)');
    }), { numRuns: RUNS });
  });

  test(`[${b}] covariance equals the float64 reference (float32 block products)`, () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 700 }), fc.integer({ min: 1, max: 140 }), fc.integer(), (n, d, seed) => {
      const r = new lk.Rng(seed), x = Float32Array.from({ length: n * d }, (_, i) => 5 + (i % d) + r.uniform() * 2 - 1);
      const run = (K) => { const C = new Float64Array(d * d), m = new Float64Array(d); K.covariance(C, m, x, n, d); return { C, m }; };
      const got = on(b, run), want = on('js', run);
      assert.ok(maxDiff(got.m, want.m) <= 1e-12 * (d + 5), 'mean');
      assert.ok(maxDiff(got.C, want.C) <= 2e-6 * 0.34, `covariance off by ${maxDiff(got.C, want.C)}`); // var of U(−1, 1) = 1/3
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) assert.is(got.C[i * d + j], got.C[j * d + i], 'symmetric');
    }), { numRuns: Math.max(5, RUNS >> 1) });
  });

  test(`[${b}] lk.linalg on ill-conditioned SPD matrices: cholesky, solve, inv, slogdet identities`, () => {
    on(b, () => {
      for (const [n, decades] of [[12, 4], [40, 5], [90, 3]]) {
        const { a, lam } = illConditioned(n, n, decades);
        const A = lk.tensor(Float32Array.from(a), [n, n]), a32 = Float64Array.from(A.data);
        const ref = Array.from(lk.linalg.eigh(A).values.data).reduce((s, v) => s + Math.log(v), 0);
        const { sign, logAbsDet } = lk.linalg.slogdet(A);
        assert.is(sign, 1);
        assert.ok(Math.abs(logAbsDet - ref) < 1e-3 * Math.abs(ref) + 1e-3, `slogdet ${logAbsDet} vs Σ ln λ ${ref}`);
        const L = lk.linalg.cholesky(A).data, LLt = mm(Float64Array.from(L), transpose(Float64Array.from(L), n, n), n, n, n);
        assert.ok(maxDiff(LLt, a32) < 1e-6, 'L Lᵀ = A');
        const X = lk.linalg.inv(A).data, AX = mm(a32, Float64Array.from(X), n, n, n);
        const xmax = X.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Math.abs(AX[i * n + j] - (i === j ? 1 : 0)) < 1e-6 * xmax * n, 'A A⁻¹ = I');
        assert.ok(lam[n - 1] > 0);
      }
    });
  });
}

test('eigh refuses a non-symmetric matrix, naming the entries and the fix', () => {
  assert.throws(() => lk.linalg.eigh(lk.tensor([[1, 2], [0, 1]])), /not symmetric: a\[0,1\] = 2 but a\[1,0\] = 0.*\(A \+ Aᵀ\)\/2/);
  assert.throws(() => lk.linalg.eighTop(lk.tensor([[1, 2], [0, 1]]), 1), /not symmetric/);
  assert.throws(() => lk.linalg.eighTop(lk.eye(3), 4), /k must be an integer in \[1, 3\]/);
});

test('eighTop: the k largest eigenpairs of a 300x300 SPD matrix, as the full eigh', () => {
  const n = 300, k = 8, { a } = illConditioned(n, 3, 30);
  const A = lk.tensor(Float32Array.from(a), [n, n]);
  const full = lk.linalg.eigh(A), top = lk.linalg.eighTop(A, k, { iterations: 12 });
  assert.equal(top.vectors.shape, [n, k]);
  for (let j = 0; j < k; j++) {
    assert.ok(Math.abs(top.values.data[j] - full.values.data[j]) < 1e-5 * full.values.data[0], `λ_${j}`);
    let dot = 0;
    for (let i = 0; i < n; i++) dot += top.vectors.data[i * k + j] * full.vectors.data[i * n + j];
    assert.ok(Math.abs(dot) > 1 - 1e-4, `vector ${j}: |cos| = ${Math.abs(dot)}`);
  }
});

test.run();
