// The classical models' kernels (K-means, the Gaussian mixtures' E- and M-steps),
// in the format of kernels.spec.mjs (see its header for the argument types).
// Data x is [n, d] float32, row-major; centroids / means [k, d]; responsibilities r [n, k].
// Sums that decide the answer (cluster sums, N_k, scatter matrices, potentials) are float64.

export const ENUMS = {};
export const STRUCTS = {};

const sizes = [['n', 'int'], ['d', 'int', { min: 1 }], ['k', 'int', { min: 1 }]];

export const KERNELS = {
  kmeansAssign: {
    doc: 'One Lloyd assignment, fused: labels[i] = argmin_j ‖x_i − c_j‖² (the first on ties), dist[i] that minimum,\n'
      + '  sums[j, :] = Σ_{labels i = j} x_i,  stats = [counts_j (k), sse_j = Σ_{labels i = j} dist_i (k),\n'
      + '  then at stats[2k] changed = #{i : labels[i] ≠ prev[i]}, the rest 0] (all float64).',
    args: [['labels', 'iout', { len: 'n' }], ['dist', 'out', { len: 'n' }], ['sums', 'dout', { len: 'k*d' }],
      ['stats', 'dout', { len: '3*k' }], ['prev', 'iin', { len: 'n' }], ['x', 'in', { len: 'n*d' }],
      ['c', 'in', { len: 'k*d' }], ...sizes],
    wasm: { ws: 'wasm.classicalWorkspaceBytes(d)' },
  },
  minSqDist: {
    doc: 'k-means++ candidates: out[t, i] = min(closest[i], ‖x_i − cand_t‖²) for t < k candidates,\n'
      + '  pot[t] = Σ_i out[t, i] (float64), the potential if cand_t joined the centres.',
    args: [['out', 'out', { len: 'k*n' }], ['pot', 'dout', { len: 'k' }], ['closest', 'in', { len: 'n' }],
      ['x', 'in', { len: 'n*d' }], ['cand', 'in', { len: 'k*d' }], ...sizes],
    wasm: { ws: 'wasm.classicalWorkspaceBytes(d)' },
  },
  mixtureMoments: {
    doc: 'Weighted zeroth and first moments of an M-step, float64: nk[j] = Σ_i r[i, j], sums[j, :] = Σ_i r[i, j] x_i (= Rᵀ X).',
    args: [['nk', 'dout', { len: 'k' }], ['sums', 'dout', { len: 'k*d' }], ['r', 'in', { len: 'n*k' }],
      ['x', 'in', { len: 'n*d' }], ...sizes],
    wasm: { ws: '16*d' },
  },
  mixtureScatter: {
    doc: 'Weighted scatter about given means, float64: full (diag false) out[j] = Σ_i r[i, j] (x_i − μ_j)(x_i − μ_j)ᵀ,\n'
      + '  out [k, d, d]; diag out[j, a] = Σ_i r[i, j] (x_ia − μ_ja)², out [k, d] (only the first k·d entries are written).',
    args: [['out', 'dout', { len: 'k*d*d' }], ['r', 'in', { len: 'n*k' }], ['x', 'in', { len: 'n*d' }],
      ['mu', 'din', { len: 'k*d' }], ...sizes, ['diag', 'bool']],
    wasm: { ws: '8*d' },
  },
  gaussianLogProb: {
    doc: 'Full-covariance Gaussian log-densities plus a per-component bias:\n'
      + '  out[i, j] = bias_j − ½ ‖(x_i − μ_j)ᵀ P_j‖²,  Σ_j⁻¹ = P_j P_jᵀ (P_j [d, d] row-major, any square matrix;\n'
      + '  the mixtures pass P = L⁻ᵀ of the Cholesky factor), bias_j = ln w_j + ln|P_j| − (d/2) ln 2π for the weighted log-probabilities;\n'
      + '  float64 inside (the EM objective must not decrease by rounding), float32 out.',
    args: [['out', 'out', { len: 'n*k' }], ['x', 'in', { len: 'n*d' }], ['mu', 'din', { len: 'k*d' }],
      ['prec', 'din', { len: 'k*d*d' }], ['bias', 'din', { len: 'k' }], ...sizes],
    wasm: { ws: 'wasm.classicalWorkspaceBytes(d)' },
  },
  mixtureResponsibilities: {
    doc: 'The E-step normalisation of weighted log-probabilities wlp [n, k]: lse_i = m_i + ln Σ_j e^(wlp_ij − m_i)\n'
      + '  (m_i = max_j wlp_ij), resp_ij = e^(wlp_ij − lse_i), total[0] = Σ_i lse_i in float64. A row whose max is\n'
      + '  ±∞ or NaN gets lse_i = m_i and NaN responsibilities.',
    args: [['resp', 'out', { len: 'n*k' }], ['lse', 'out', { len: 'n' }], ['total', 'dout', { len: '1' }],
      ['wlp', 'in', { len: 'n*k' }], ['n', 'int'], ['k', 'int', { min: 1 }]],
    wasm: { ws: '4*k*256+2048' },
  },
  linearScores: {
    doc: 'Row scores of a linear model, the Bernoulli E-step: out[i, j] = bias_j + Σ_a x_ia w_ja (= X Wᵀ + b) for\n'
      + '  few outputs k (a register-blocked kernel where a GEMM would pad k to its tile). Wasm lacks it: the\n'
      + '  mixtures use the matmul kernel there (kernelSource tells which).',
    args: [['out', 'out', { len: 'n*k' }], ['x', 'in', { len: 'n*d' }], ['w', 'in', { len: 'k*d' }],
      ['bias', 'din', { len: 'k' }], ...sizes],
    wasm: false,
  },
};
