// Fused kernels of the autograd layer (the dense models' training steps), in
// the format of kernels.spec.mjs (see its header for the argument types).
// `act` is an activation code: 0 identity, 1 tanh, 2 relu, 3 sigmoid
// (ACTIVATIONS in src/autograd/ops/fused.ts); other codes act as identity.
// Matrices are [rows, cols], row-major; a bias or column sum is [cols].

export const ENUMS = {};
export const STRUCTS = {};

const rc = [['rows', 'int'], ['cols', 'int']];

export const KERNELS = {
  biasAct: {
    doc: 'In place, the tail of a linear layer: y[i, j] ← act(y[i, j] + bias[j]).',
    args: [['y', 'inout', { len: 'rows*cols' }], ['bias', 'in', { len: 'cols' }], ...rc, ['act', 'int']],
    wasm: {},
  },
  biasActGrad: {
    doc: 'Backward of biasAct from its output y: dx = g ⊙ act\'(y) with act\' written in y\n'
      + '  (rows = 0: nothing is written, as for every kernel with an empty output)\n'
      + '  (identity 1, tanh 1 − y², relu [y > 0], sigmoid y (1 − y)), and db[j] = Σ_i dx[i, j].',
    args: [['dx', 'out', { len: 'rows*cols', same: 'g' }], ['db', 'out', { len: 'cols' }], ['g', 'in', { len: 'rows*cols' }],
      ['y', 'in', { len: 'rows*cols' }], ...rc, ['act', 'int']],
    wasm: {},
  },
  bceLogits: {
    doc: 'Binary cross-entropy from logits l against targets x, summed per row:\n'
      + '  out[i] = Σ_j max(l, 0) − l x + log(1 + e^−|l|)   (= −log Bern(x; σ(l)) for x in {0, 1}).',
    args: [['out', 'out', { len: 'rows' }], ['logits', 'in', { len: 'rows*cols' }], ['x', 'in', { len: 'rows*cols' }], ...rc],
    wasm: {},
  },
  bceLogitsGrad: {
    doc: 'Gradient of bceLogits with respect to the logits: dl[i, j] = g[i] (σ(l[i, j]) − x[i, j]).',
    args: [['dl', 'out', { len: 'rows*cols', same: 'logits' }], ['g', 'in', { len: 'rows' }], ['logits', 'in', { len: 'rows*cols' }],
      ['x', 'in', { len: 'rows*cols' }], ...rc],
    wasm: {},
  },
  reparam: {
    doc: 'Reparameterised draw from N(μ, diag e^{lv}): z = μ + e^{lv/2} ε (all of one length).',
    args: [['z', 'out', { len: 'len' }], ['mu', 'in', { len: 'len' }], ['logVar', 'in', { len: 'len' }], ['eps', 'in'],
      ['len', 'len', { of: 'eps' }]],
    wasm: {},
  },
  reparamGrad: {
    doc: 'Gradient of reparam with respect to the log-variance: dlv = ½ g e^{lv/2} ε (the one for μ is g itself).',
    args: [['dlv', 'out', { len: 'len', same: 'g' }], ['g', 'in', { len: 'len' }], ['logVar', 'in', { len: 'len' }], ['eps', 'in'],
      ['len', 'len', { of: 'eps' }]],
    wasm: {},
  },
  klStdNormal: {
    doc: 'KL(N(μ, diag e^{lv}) ‖ N(0, I)) per row: out[i] = ½ Σ_j (e^{lv} + μ² − 1 − lv) (float64 sums).',
    args: [['out', 'out', { len: 'rows' }], ['mu', 'in', { len: 'rows*cols' }], ['logVar', 'in', { len: 'rows*cols' }], ...rc],
    wasm: {},
  },
  klStdNormalGrad: {
    doc: 'Gradients of klStdNormal given g [rows]: dmu = g[i] μ, dlv = ½ g[i] (e^{lv} − 1).',
    args: [['dmu', 'out', { len: 'rows*cols' }], ['dlv', 'out', { len: 'rows*cols' }], ['g', 'in', { len: 'rows' }],
      ['mu', 'in', { len: 'rows*cols' }], ['logVar', 'in', { len: 'rows*cols' }], ...rc],
    wasm: {},
  },
};
