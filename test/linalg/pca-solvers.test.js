// PCA's randomized solver (subspace iteration on the covariance) against the full
// eigh, scikit-learn's 'auto' rule, and NumPy's eigh / PCA when python3 has NumPy.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { lk, RUNS, testUnless } from '../helpers.js';
import { spd } from './matrices.js';

/** N x D data with a decaying spectrum: x = z · diag(s) · M + offset, s_j = 0.8^j. */
function decaying(n, d, seed) {
  const r = new lk.Rng(seed), M = Float64Array.from({ length: d * d }, () => r.normal()), x = new Float32Array(n * d);
  const z = new Float64Array(d);
  for (let s = 0; s < n; s++) {
    for (let j = 0; j < d; j++) z[j] = r.normal() * 0.8 ** j;
    for (let j = 0; j < d; j++) { let v = 2 + j * 0.1; for (let k = 0; k < d; k++) v += z[k] * M[k * d + j]; x[s * d + j] = v; }
  }
  return lk.tensor(x, [n, d]);
}

function compare(full, rnd, k, tol) {
  const a = full.explainedVariance.data, b = rnd.explainedVariance.data, d = full.components.shape[1];
  for (let j = 0; j < k; j++) {
    assert.ok(Math.abs(a[j] - b[j]) <= tol * a[0], `explainedVariance[${j}]: ${b[j]} vs full ${a[j]}`);
    let dot = 0;
    for (let i = 0; i < d; i++) dot += full.components.data[j * d + i] * rnd.components.data[j * d + i];
    assert.ok(Math.abs(dot) >= 1 - 1e-4, `component ${j}: |cos| = ${Math.abs(dot)}`);
  }
  assert.ok(Math.abs(full.noiseVariance - rnd.noiseVariance) <= tol * a[0] * k, 'noiseVariance');
  const ra = full.explainedVarianceRatio.data, rb = rnd.explainedVarianceRatio.data;
  for (let j = 0; j < k; j++) assert.ok(Math.abs(ra[j] - rb[j]) <= tol, 'explainedVarianceRatio');
}

test('randomized = full within 1e-4 on random decaying spectra (fast-check)', () => {
  fc.assert(fc.property(fc.integer({ min: 40, max: 90 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (d, k, seed) => {
    const X = decaying(300, d, seed);
    const full = new lk.PCA({ nComponents: k, svdSolver: 'full' }).fit(X);
    const rnd = new lk.PCA({ nComponents: k, svdSolver: 'randomized' }).fit(X);
    assert.is(full.fitSolver, 'full'); assert.is(rnd.fitSolver, 'randomized');
    compare(full, rnd, k, 1e-4);
  }), { numRuns: RUNS });
});

test('randomized = full on 10,000 MNIST digits, 50 components (slow spectral decay)', () => {
  const X = lk.data.mnist().images;
  const full = new lk.PCA({ nComponents: 50, svdSolver: 'full' }).fit(X);
  const auto = new lk.PCA({ nComponents: 50 }).fit(X);
  assert.is(auto.fitSolver, 'randomized');
  compare(full, auto, 50, 1e-4);
  const Zf = full.transform(X), Zr = auto.transform(X);
  let err = 0, tot = 0;
  for (let i = 0; i < 1000 * 50; i++) { err += (Math.abs(Zf.data[i]) - Math.abs(Zr.data[i])) ** 2; tot += Zf.data[i] ** 2; }
  assert.ok(Math.sqrt(err / tot) < 1e-3, `projections differ by ${Math.sqrt(err / tot)}`);
});

test("svdSolver 'auto' follows scikit-learn: randomized iff max(N, D) > 500 and an integer k < 0.8 min(N, D)", () => {
  const X = decaying(600, 50, 1), small = decaying(200, 50, 2);
  assert.is(new lk.PCA({ nComponents: 5 }).fit(X).fitSolver, 'randomized');
  assert.is(new lk.PCA({ nComponents: 40 }).fit(X).fitSolver, 'full'); // 40 ≥ 0.8·50
  assert.is(new lk.PCA({ nComponents: 5 }).fit(small).fitSolver, 'full'); // max(N, D) ≤ 500
  assert.is(new lk.PCA({ nComponents: 0.9 }).fit(X).fitSolver, 'full'); // a fraction needs the spectrum
  assert.is(new lk.PCA().fit(X).fitSolver, 'full');
  assert.is(new lk.PCA({ nComponents: 3, svdSolver: 'randomized' }).fit(small).fitSolver, 'randomized');
  assert.throws(() => new lk.PCA({ iteratedPower: -1 }), /iteratedPower must be an integer >= 0/);
  const r = new lk.PCA({ nComponents: 5 }).fit(X);
  assert.is(r.eigenvalues.size, 5); // randomized: only the top k are known
});

// NumPy as an outside reference, when /usr/bin/python3 has it (never required)
const py = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
const numpyTest = testUnless(py.status === 0 ? '' : 'python3 with numpy not available (apt-get install -y python3-numpy)');
function numpy(code, input) {
  const r = spawnSync('/usr/bin/python3', ['-c', `import json, sys, numpy as np\nd = json.load(sys.stdin)\n${code}`], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

numpyTest('eigh and PCA equal numpy.linalg.eigh and NumPy covariance + eigh', () => {
  const n = 60, a = spd(n, 5);
  const ours = lk.linalg.eigh64(a, n);
  const ref = numpy('w, V = np.linalg.eigh(np.array(d["a"]).reshape(d["n"], d["n"]))\nprint(json.dumps({"w": w[::-1].tolist(), "V": V[:, ::-1].tolist()}))', { a: Array.from(a), n });
  for (let j = 0; j < n; j++) {
    assert.ok(Math.abs(ours.values[j] - ref.w[j]) < 1e-11 * ref.w[0], `λ_${j}`);
    let dot = 0;
    for (let i = 0; i < n; i++) dot += ours.vectors[i * n + j] * ref.V[i][j];
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `vector ${j}`);
  }
  const X = decaying(700, 30, 9);
  const p = new lk.PCA({ nComponents: 6 }).fit(X);
  const np6 = numpy('X = np.array(d["x"], dtype=np.float64).reshape(-1, 30)\nC = np.cov(X, rowvar=False)\nw = np.linalg.eigh(C)[0][::-1]\nprint(json.dumps({"w": w[:6].tolist(), "tot": float(w.sum())}))', { x: Array.from(X.data) });
  for (let j = 0; j < 6; j++) assert.ok(Math.abs(p.explainedVariance.data[j] - np6.w[j]) < 1e-5 * np6.w[0], `PCA λ_${j}`);
  assert.ok(Math.abs(p.noiseVariance + p.explainedVariance.data.reduce((s, v) => s + v, 0) - np6.tot) < 1e-4 * np6.tot, 'total variance');
});

test.run();
