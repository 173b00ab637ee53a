// The classical models against scikit-learn and NumPy, same data, init and iteration counts:
//   K-means (Lloyd) on the 262,144 RGB pixels of the 512x512 baboon, K = 16, given centroids,
//     20 iterations vs scikit-learn 1.2 KMeans(algorithm='lloyd', n_init=1, init=C, max_iter=20, tol=0),
//     and 50 iterations (target: under 0.5 s);
//   GaussianMixture, full covariances, the same pixels, K = 5, given weights/means/covariances,
//     20 EM iterations vs scikit-learn GaussianMixture(max_iter=20, tol=0, the same init as
//     weights_init / means_init / precisions_init), and 50 EM steps (target: under 0.5 s);
//   BernoulliMixture EM on 10,000 binarised MNIST digits, K = 20, 10 iterations (E then M, from the
//     same probabilities) vs the same EM written in NumPy with float32 matmuls.
// Tolerances 0 on both sides, so both run every iteration (K-means may stop early on both
// sides alike when no label changes). tfjs has none of these models.
export const name = 'classical';

const noTf = { tf: 'tfjs has no equivalent model', 'lk-js': 'float64 reference backend: seconds per fit' };
const cache = {};

/** The baboon as [262144, 3] floats 0..255 and 16 given centroids (pixels spread over the image). */
function pixels(lk) {
  if (cache.px) return cache.px;
  const X = lk.reshape(lk.data.baboon(512), [512 * 512, 3]);
  const c = new Float32Array(16 * 3);
  for (let j = 0; j < 16; j++) c.set(X.data.subarray((j * 16381 + 77) * 3, (j * 16381 + 77) * 3 + 3), j * 3);
  cache.px = { X, C: lk.tensor(c, [16, 3]) };
  return cache.px;
}

/** GMM start: the M-step of random responsibilities (seed 1), as weights, means, covariances and precisions. */
function gmmInit(lk) {
  if (cache.gmm) return cache.gmm;
  const { X } = pixels(lk);
  const g = new lk.GaussianMixture({ nComponents: 5, maxIter: 0, seed: 1, init: 'random', warnings: false }).fit(X);
  cache.gmm = { weights: g.weights, means: g.means, covariances: g.covariances };
  return cache.gmm;
}

function digits(lk) {
  if (cache.mnist) return cache.mnist;
  const x = lk.data.mnist({ limit: 10000, seed: 1, binarize: true }).images;
  const r = new lk.Rng(3), p = Float32Array.from({ length: 20 * 784 }, () => 0.25 + 0.5 * r.uniform());
  cache.mnist = { x, p: lk.tensor(p, [20, 784]) };
  return cache.mnist;
}

const arr = (t) => ({ data: t.data, shape: [...t.shape] });

function kmeansCase(iters, target) {
  return {
    id: `K-means 262144 px K=16 ${iters} it`, target, skip: noTf,
    peers: {
      sklearn: {
        arrays: (c) => { const { X, C } = pixels(c.lk); return { x: arr(X), c: arr(C) }; },
        setup: 'import sklearn\nfrom sklearn.cluster import KMeans\nX, C = data["x"], data["c"]',
        run: `KMeans(n_clusters=16, init=C, n_init=1, max_iter=${iters}, tol=0, algorithm="lloyd").fit(X)`,
      },
    },
    make: (c) => {
      const { X, C } = pixels(c.lk);
      return () => new c.lk.KMeans({ nClusters: 16, init: C, maxIter: iters, tol: 0 }).fit(X);
    },
  };
}

function gmmCase(iters, target) {
  return {
    id: `GaussianMixture full 262144x3 K=5 ${iters} it`, target, skip: noTf,
    peers: {
      sklearn: {
        arrays: (c) => {
          const g = gmmInit(c.lk);
          return { x: arr(pixels(c.lk).X), w: arr(g.weights), m: arr(g.means), cov: arr(g.covariances) };
        },
        setup: 'import sklearn, warnings\nfrom sklearn.mixture import GaussianMixture\nwarnings.simplefilter("ignore")\n'
          + 'X = data["x"]\nW = data["w"].astype(np.float64); W /= W.sum()\nM = data["m"].astype(np.float64)\n'
          + 'P = np.linalg.inv(data["cov"].astype(np.float64))',
        run: `GaussianMixture(n_components=5, covariance_type="full", max_iter=${iters}, tol=0, reg_covar=1e-6, `
          + 'weights_init=W, means_init=M, precisions_init=P).fit(X)',
      },
    },
    make: (c) => {
      const X = pixels(c.lk).X, init = gmmInit(c.lk);
      return () => new c.lk.GaussianMixture({ nComponents: 5, maxIter: iters, tol: 0, warnings: false, init }).fit(X);
    },
  };
}

// The course's EM in NumPy: E-step with two float32 matmuls + logsumexp, M-step Rᵀ X (float32 matmul),
// p = (Σ r x + α2) / (N_k + 2 α2), w = (N_k + α1) / (N + K α1); one E-step first, then 10 × (M, E).
const BERNOULLI_NUMPY = `
def estep(P, w):
    Pc = np.clip(P, 1e-12, 1 - 1e-12)
    L = X @ np.log(Pc).astype(np.float32).T + X1 @ np.log1p(-Pc).astype(np.float32).T + np.log(w).astype(np.float32)
    m = L.max(1, keepdims=True)
    lse = m + np.log(np.exp(L - m).sum(1, keepdims=True))
    return np.exp(L - lse), float(lse.sum()) / N
def fit():
    P, w = P0.astype(np.float64), np.full(K, 1.0 / K)
    R, ll = estep(P, w)
    for it in range(10):
        nk = R.sum(0, dtype=np.float64)
        S = (R.T @ X).astype(np.float64)
        w = (nk + 1e-8) / (N + K * 1e-8)
        P = (S + 1e-8) / (nk[:, None] + 2e-8)
        R, ll = estep(P, w)
    return ll`;

function bernoulliCase() {
  return {
    id: 'Bernoulli EM 10000x784 K=20 10 it', skip: noTf,
    peers: {
      numpy: {
        arrays: (c) => { const { x, p } = digits(c.lk); return { x: arr(x), p: arr(p) }; },
        setup: `X, P0 = data["x"], data["p"]\nX1 = (1 - X).astype(np.float32)\nN, K = X.shape[0], P0.shape[0]\n${BERNOULLI_NUMPY}`,
        run: 'fit()',
      },
    },
    make: (c) => {
      const { x, p } = digits(c.lk);
      return () => new c.lk.BernoulliMixture({ nComponents: 20, maxIter: 10, tol: 0, warnings: false, init: { probs: p } }).fit(x);
    },
  };
}

export function cases() {
  return [kmeansCase(20), kmeansCase(50, { ms: 500 }), gmmCase(20), gmmCase(50, { ms: 500 }), bernoulliCase()];
}
