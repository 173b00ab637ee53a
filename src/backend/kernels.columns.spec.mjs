// Column gather / scatter of a row-major matrix (the NICE coupling's split and
// merge), in the format of kernels.spec.mjs (see its header for the argument
// types). x and out are [n, d]; the picked columns are [n, m], column j of them
// being column idx[j] of the full matrix. Every idx[j] must lie in [0, d): the
// native binding and the js/wasm guards refuse others (check_*_columns).

export const ENUMS = {};
export const STRUCTS = {};

const sizes = [['n', 'int'], ['d', 'int'], ['m', 'int']];

export const KERNELS = {
  takeColumns: {
    doc: 'Gather columns: out[r, j] = x[r, idx[j]] for r < n, j < m (idx may repeat and be in any order).',
    args: [['out', 'out', { len: 'n*m' }], ['x', 'in', { len: 'n*d' }], ['idx', 'iin', { len: 'm' }], ...sizes],
    check: true,
    wasm: {},
  },
  scatterColumns: {
    doc: 'Scatter columns into out [n, d], for r < n and j = 0, 1, …, m − 1 in that order:\n'
      + '  accumulate: out[r, idx[j]] += alpha · g[r, j]   (repeated columns sum)\n'
      + '  otherwise:  out[r, idx[j]]  = alpha · g[r, j]   (a repeated column keeps its last j)\n'
      + 'Columns of out not in idx are left as they are.',
    args: [['out', 'inout', { len: 'n*d' }], ['g', 'in', { len: 'n*m' }], ['idx', 'iin', { len: 'm' }], ...sizes,
      ['accumulate', 'bool'], ['alpha', 'num']],
    check: true,
    wasm: {},
  },
};
