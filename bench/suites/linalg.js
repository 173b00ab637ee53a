// Linear algebra and the classical models' hot loops, with NumPy / scikit-learn peers
// timed side by side (bench/python.js; ratio = peer time / ours):
//   eigh of the 784x784 covariance of the 10,000 bundled MNIST digits (the eigh kernel:
//   Householder + implicit QL in float64; peer numpy.linalg.eigh, LAPACK syevd);
//   PCA with 50 components of those 10,000 x 784 digits ('auto' = randomized subspace
//   iteration on the covariance; peers: NumPy covariance + eigh, scikit-learn PCA);
//   PCA (all components, 'full') of 60,000 x 784: the 10,000 digits six times with
//   seeded pixel noise, the size of MNIST's training set (the full file is not bundled);
//   cholesky + inv of cov + I; one GaussianMixture EM step (E + M, K=5 full) on the
//   262,144 pixels of the 512x512 baboon, and the BernoulliMixture E-step on 1,000 digits.
import { kernels } from '../../dist/backend/registry.js';

export const name = 'linalg';

const D = 784;
let digits = null, cov = null, big = null;
function mnist(lk) {
  if (!digits) digits = lk.data.mnist().images; // [10000, 784] in [0, 1]
  return digits;
}
function mnistCovariance(lk) {
  if (cov) return cov;
  const X = mnist(lk), n = X.shape[0], c = new Float64Array(D * D), m = new Float64Array(D);
  kernels().covariance(c, m, X.data, n, D);
  cov = lk.tensor(Float32Array.from(c), [D, D]);
  return cov;
}
function sixtyThousand(lk) {
  if (big) return big;
  const x = mnist(lk).data, out = new Float32Array(60000 * D), r = new lk.Rng(60000);
  for (let rep = 0; rep < 6; rep++) for (let i = 0; i < x.length; i++) out[rep * x.length + i] = Math.min(1, Math.max(0, x[i] + 0.05 * (r.uniform() - 0.5)));
  big = lk.tensor(out, [60000, D]);
  return big;
}
const arr = (t) => ({ data: t.data, shape: [...t.shape] });
const NP_COV = 'm = X.mean(0)\nXc = X - m\nC = (Xc.T @ Xc) / (X.shape[0] - 1)';
const slowJs = { 'lk-js': 'float64 TypeScript reference: seconds at this size' };

export function cases(ctx) {
  const noTf = { tf: 'tfjs has no equivalent' };
  return [
    {
      id: 'eigh 784x784 MNIST covariance', target: { ms: 70 },
      skip: { ...slowJs, tf: 'tfjs has no symmetric eigendecomposition' },
      make: (c) => { const C = mnistCovariance(c.lk); return () => c.lk.linalg.eigh(C); },
      peers: { numpy: { arrays: (c) => ({ c: arr(mnistCovariance(c.lk)) }), setup: 'C = data["c"].astype(np.float64)', run: 'w, V = np.linalg.eigh(C)' } },
    },
    {
      id: 'PCA 50 comps, 10000x784 MNIST', target: { ms: 58 },
      skip: { ...slowJs, tf: 'tfjs has no PCA' },
      make: (c) => { const X = mnist(c.lk); return () => new c.lk.PCA({ nComponents: 50 }).fit(X); },
      peers: {
        numpy: { arrays: (c) => ({ x: arr(mnist(c.lk)) }), setup: 'X = data["x"]', run: `${NP_COV}\nw, V = np.linalg.eigh(C.astype(np.float64))` },
        sklearn: { arrays: (c) => ({ x: arr(mnist(c.lk)) }), setup: 'from sklearn.decomposition import PCA\nX = data["x"]', run: 'PCA(n_components=50, random_state=0).fit(X)' },
      },
    },
    {
      id: 'PCA all comps, 60000x784', target: { ms: 1000 },
      skip: { ...slowJs, tf: 'tfjs has no PCA' },
      make: (c) => { const X = sixtyThousand(c.lk); return () => new c.lk.PCA().fit(X); },
      peers: { numpy: { arrays: (c) => ({ x: arr(sixtyThousand(c.lk)) }), setup: 'X = data["x"]', run: `${NP_COV}\nw, V = np.linalg.eigh(C.astype(np.float64))` } },
    },
    {
      id: 'cholesky + inv 784x784 (cov + I)',
      skip: { ...slowJs, tf: 'tfjs has no cholesky' },
      make: (c) => {
        const C = mnistCovariance(c.lk).clone();
        for (let i = 0; i < D; i++) C.data[i * (D + 1)] += 1;
        return () => { c.lk.linalg.cholesky(C); c.lk.linalg.inv(C); };
      },
      peers: {
        numpy: {
          arrays: (c) => ({ c: arr(mnistCovariance(c.lk)) }),
          setup: 'A = data["c"].astype(np.float64) + np.eye(784)', run: 'L = np.linalg.cholesky(A)\nAi = np.linalg.inv(A)',
        },
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
