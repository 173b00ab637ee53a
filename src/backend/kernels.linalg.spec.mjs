// The linear-algebra kernels (lk.linalg, PCA, the mixtures' covariances): float64
// buffers (dout / dinout / din) wherever the answer depends on it. Matrices are
// row-major n x n unless said otherwise; every kernel fills all of its outputs.
export const ENUMS = {};
export const STRUCTS = {};

export const KERNELS = {
  covariance: {
    doc: 'Sample mean and covariance of the rows of x [n, d]: mean = Σ x / n,\n'
      + '  out = (X − 1 meanᵀ)ᵀ (X − 1 meanᵀ) / (n − 1)   (full, symmetric).\n'
      + 'The mean and the sums over samples are float64; native and wasm form the centred products\n'
      + 'of each block of at most 512 samples in float32 (the data\'s own precision) and add the blocks in float64.',
    args: [['out', 'dout', { len: 'd*d' }], ['mean', 'dout', { len: 'd' }], ['x', 'in', { len: 'n*d' }],
      ['n', 'int', { min: 2 }], ['d', 'int', { min: 1 }]],
    wasm: { ws: 'wasm.covarianceWorkspaceBytes(d)' },
  },
  dgemm: {
    doc: 'Float64 matrix product out [m, n] = op(a) · op(b); a is [m, k] (or [k, m] when transA),\n'
      + 'b is [k, n] (or [n, k] when transB).',
    args: [['out', 'dout', { len: 'm*n' }], ['a', 'din', { len: 'm*k' }], ['b', 'din', { len: 'k*n' }],
      ['m', 'int'], ['k', 'int'], ['n', 'int'], ['transA', 'bool'], ['transB', 'bool']],
    wasm: {},
  },
  eigh: {
    doc: 'Symmetric eigendecomposition A = V diag(values) Vᵀ of (a + aᵀ)/2: values descending, eigenvector j\n'
      + 'in column j of vectors, each with its largest-magnitude entry positive. Householder tridiagonalisation,\n'
      + 'then implicit QL with Wilkinson shifts; the rotations are applied to the accumulated Q.',
    args: [['values', 'dout', { len: 'n' }], ['vectors', 'dout', { len: 'n*n' }], ['a', 'din', { len: 'n*n' }],
      ['n', 'int', { min: 1 }]],
    wasm: { ws: '8*(n*n+3*n+8)' },
  },
  cholesky: {
    doc: 'Lower-triangular l with a = l lᵀ (only a\'s lower triangle is read; l\'s upper triangle is zeroed).\n'
      + 'info[0] = 0 on success, else j + 1 for the first column j whose pivot is not positive (l is then partial).',
    args: [['l', 'dout', { len: 'n*n' }], ['info', 'iout', { len: '1' }], ['a', 'din', { len: 'n*n' }], ['n', 'int', { min: 1 }]],
    wasm: {},
  },
  triSolve: {
    doc: 'In place b [n, m] ← L⁻¹ b (trans = false) or L⁻ᵀ b (trans = true) for a lower-triangular l [n, n]\n'
      + '(forward / back substitution, one right-hand side per column of b).',
    args: [['b', 'dinout', { len: 'n*m' }], ['l', 'din', { len: 'n*n' }], ['n', 'int', { min: 1 }], ['m', 'int'],
      ['trans', 'bool']],
    wasm: {},
  },
  lu: {
    doc: 'In place LU with partial pivoting: P a = L U, L unit lower (below the diagonal), U upper (on and above).\n'
      + 'piv[i] = the original row now at row i. A zero pivot column is skipped (U[j][j] = 0: singular).',
    args: [['a', 'dinout', { len: 'n*n' }], ['piv', 'iout', { len: 'n' }], ['n', 'int', { min: 1 }]],
    wasm: {},
  },
  luSolve: {
    doc: 'x [n, m] = A⁻¹ b given lu and piv from the lu kernel: x = U⁻¹ L⁻¹ (P b).',
    args: [['x', 'dout', { len: 'n*m' }], ['lu', 'din', { len: 'n*n' }], ['piv', 'iin', { len: 'n' }],
      ['b', 'din', { len: 'n*m' }], ['n', 'int', { min: 1 }], ['m', 'int']],
    wasm: {},
  },
  qrQ: {
    doc: 'In place q [m, k] (m >= k) ← the first k columns of Q of the Householder QR q = Q R\n'
      + '(orthonormal columns spanning q\'s columns; a rank-deficient q still gives orthonormal columns).',
    args: [['q', 'dinout', { len: 'm*k' }], ['m', 'int', { min: 1 }], ['k', 'int', { min: 1 }]],
    wasm: { ws: '16*k+16' },
  },
};
