// Linear algebra and the classical models' hot loops:
//   eigh of the 784x784 covariance of the 10,000 bundled MNIST digits (float64
//   Householder + implicit QL, in TypeScript: the same on every backend, so it is
//   timed once; tfjs has no symmetric eigendecomposition);
//   one GaussianMixture EM step (E + M, K=5 full) on the 262,144 pixels of the
//   512x512 baboon, and the BernoulliMixture E-step (two matmuls + logsumexp)
//   on 1,000 digits with K=20, on every backend (tfjs does the same E-step).
export const name = 'linalg';

let cov = null;
function mnistCovariance(lk) {
  if (cov) return cov;
  const X = lk.data.mnist().images, n = X.shape[0], d = 784, x = X.data;
  const m = new Float64Array(d), c = new Float64Array(d * d);
  for (let s = 0; s < n; s++) for (let i = 0; i < d; i++) m[i] += x[s * d + i] / n;
  for (let s = 0; s < n; s++) for (let a = 0; a < d; a++) {
    const xa = x[s * d + a];
    if (xa !== 0) for (let b = a; b < d; b++) c[a * d + b] += xa * x[s * d + b];
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) { const v = (c[a * d + b] - n * m[a] * m[b]) / (n - 1); c[a * d + b] = v; c[b * d + a] = v; }
  cov = lk.tensor(Float32Array.from(c), [d, d]);
  return cov;
}

export function cases(ctx) {
  const lkNames = ctx.engines.filter((e) => e.kind === 'lk').map((e) => e.name);
  const onlyFirst = Object.fromEntries(lkNames.slice(1).map((n) => [n, 'float64 TypeScript, backend-independent: timed once']));
  const noTf = { tf: 'tfjs has no equivalent' };
  return [
    {
      id: 'eigh 784x784 MNIST covariance', target: { ms: 60000 },
      skip: { ...onlyFirst, tf: 'tfjs has no symmetric eigendecomposition' },
      make: (c) => { const C = mnistCovariance(c.lk); return () => c.lk.linalg.eigh(C); },
    },
    {
      id: 'cholesky + inv 784x784 (cov + I)',
      skip: { ...onlyFirst, tf: 'tfjs has no cholesky' },
      make: (c) => {
        const C = mnistCovariance(c.lk).clone();
        for (let i = 0; i < 784; i++) C.data[i * 785] += 1;
        return () => { c.lk.linalg.cholesky(C); c.lk.linalg.inv(C); };
      },
    },
    {
      id: 'GMM EM step, 262144 px, K=5 full',
      skip: noTf,
      make: (c) => {
        const img = c.lk.data.baboon(512), X = c.lk.reshape(img, [512 * 512, 3]);
        const g = new c.lk.GaussianMixture({ nComponents: 5, maxIter: 0, seed: 1, init: 'random' }).fit(X);
        const means = g.means, covs = g.covariances, weights = g.weights;
        return () => new c.lk.GaussianMixture({ nComponents: 5, maxIter: 1, tol: 0, warnings: false, init: { weights, means, covariances: covs } }).fit(X);
      },
    },
    {
      id: 'Bernoulli E-step 1000x784, K=20',
      make: (c, e) => {
        const x = c.lk.data.mnist({ limit: 1000, seed: 1, binarize: true }).images;
        const r = new c.lk.Rng(3), p = Float32Array.from({ length: 20 * 784 }, () => 0.25 + 0.5 * r.uniform());
        const lp = p.map(Math.log), l1 = p.map((v) => Math.log1p(-v));
        if (e.kind === 'lk') {
          const b = new c.lk.BernoulliMixture({ nComponents: 20, maxIter: 0, init: { probs: c.lk.tensor(p, [20, 784]) } }).fit(x);
          return () => b.scoreSamples(x);
        }
        const { tf } = c;
        const X = tf.tensor2d(x.data, [1000, 784]), X1 = tf.sub(1, X), LP = tf.tensor2d(lp, [20, 784]), L1 = tf.tensor2d(l1, [20, 784]);
        return () => tf.tidy(() => tf.logSumExp(tf.add(tf.add(tf.matMul(X, LP, false, true), tf.matMul(X1, L1, false, true)), Math.log(1 / 20)), 1)).dataSync();
      },
    },
  ];
}
