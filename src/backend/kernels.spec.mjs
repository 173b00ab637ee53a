// The kernel contract, written once. scripts/gen-contract.js turns this table
// into everything the three backends share:
//   src/backend/contract.gen.ts   the TypeScript `Kernels` interface, KERNEL_NAMES, the op
//                                 enums and the argument table the wasm marshaller reads
//   native/include/kernels.gen.h  the C prototypes, op-code enums and dims structs
//   native/src/binding.gen.cc     the Node-API binding: every argument read and checked
//   wasm/assembly/ops.gen.ts      the op codes as AssemblyScript constants
// `npm run build` regenerates them; test/backend/contract.test.js fails when a
// generated file is out of date. Adding a kernel = one entry here plus one
// function per backend (src/backend/js/, native/src/kernels/, wasm/assembly/).
// A family of kernels may live in its own file src/backend/kernels.<family>.spec.mjs
// with the same three exports (ENUMS, STRUCTS, KERNELS); the generator merges them.
//
// Convention, for every kernel: op code first (if any), then the outputs, then
// the inputs, then sizes and attributes. Every buffer is float32 (or int32),
// row-major, contiguous and owned by the caller; a kernel never allocates what
// it writes. Argument types:
//   out / inout / in   Float32Array written / read and written / read
//   iout / iin         Int32Array written / read
//   dout / dinout / din  Float64Array written / read and written / read (float64
//                      work where it decides the answer: covariances, decompositions)
//   int                a size or count: an integer >= min (default 0)
//   num                a float32 scalar (finite: true refuses NaN/±Inf)
//   f64                a float64 scalar
//   bool               a flag (int 0/1 in C and wasm)
//   enum               an op code: a string in TS, an int in C and wasm
//   ints               a short integer list (a shape, strides, a permutation);
//                      lists with the same `rank` share one length argument
//   dims               a struct of integer fields (see STRUCTS)
//   len                not passed from TS: the length of the buffer it names
// `len` on a buffer is its required length, an expression over the int
// arguments, `dims.field` of a dims argument and prod(list); `same` lets the
// output be exactly that input (in place). `check` names a hand-written extra
// validator in native/src/binding_checks.cc. `wasm` describes the wasm export:
// false when wasm lacks the kernel; `ws` is the byte size of its scratch
// (passed last), where `wasm.name()` calls an export of the module.

export const ENUMS = {
  unary: {
    doc: 'Elementwise unary kernels. `alpha`/`beta` are the op\'s scalar attributes.',
    values: [
      ['neg', '-x'], ['exp', 'e^x'], ['log', 'ln x'], ['sqrt', '√x'], ['abs', '|x|'], ['sign', '-1, 0 or 1'],
      ['square', 'x²'], ['tanh', 'tanh x'], ['sigmoid', '1 / (1 + e^−x)'], ['relu', 'max(x, 0)'],
      ['step', 'x > 0 ? 1 : 0 (the derivative of relu)'], ['leakyRelu', 'x > 0 ? x : alpha·x'],
      ['leakyReluGrad', 'x > 0 ? 1 : alpha'], ['softplus', 'log(1 + e^x)'], ['logSigmoid', 'log σ(x)'],
      ['log1p', 'log(1 + x)'], ['pow', 'x^alpha'], ['clip', 'min(max(x, alpha), beta)'],
      ['clipGrad', 'alpha < x < beta ? 1 : 0'],
    ],
  },
  binary: {
    doc: 'Elementwise binary kernels; `eq` yields 1 where a == b else 0, `gt` 1 where a > b. The last three are\n'
      + 'activation backwards, a the output gradient: tanhGrad from y = tanh x, sigmoidGrad from y = σ(x),\n'
      + 'reluGrad from x (or y = relu x).',
    values: [['add', 'a + b'], ['sub', 'a − b'], ['mul', 'a · b'], ['div', 'a / b'], ['eq', 'a == b'], ['gt', 'a > b'],
      ['tanhGrad', 'a · (1 − b²)'], ['sigmoidGrad', 'a · b (1 − b)'], ['reluGrad', 'a · [b > 0]']],
  },
  reduce: { doc: 'Reductions along one axis.', values: [['sum', 'Σ'], ['max', 'max']] },
};

export const STRUCTS = {
  Conv2dDims: {
    c: 'conv2d_dims',
    doc: 'NCHW convolution sizes; oh = floor((h + 2 pad − kh) / stride) + 1, ow likewise.',
    fields: [['n'], ['c'], ['h'], ['w'], ['o'], ['kh', 1], ['kw', 1], ['stride', 1], ['pad'], ['oh'], ['ow']],
  },
  Pool2dDims: {
    c: 'pool2d_dims',
    doc: 'Max-pooling sizes: a k×k window every `stride`, output [n, c, oh, ow].',
    fields: [['n'], ['c'], ['h'], ['w'], ['k', 1], ['stride', 1], ['oh'], ['ow']],
  },
};

const reduceDims = [['outer', 'int'], ['n', 'int'], ['inner', 'int']];
// up2Conv2d's wasm scratch (wasm/assembly/up2conv.ts), in JS numbers: no i32 overflow
const upWs = 'wasm.gemmWorkspaceBytes() + 16*dims.c*(dims.h + 1)*(dims.w + 1) + 16*dims.o*(dims.h + 1)*(dims.w + 1) + 64*dims.o*dims.c'
  + ' + 16*dims.c*dims.h*dims.w + 4*dims.c*dims.kh*dims.kw*dims.oh*dims.ow + 512';
const convX = 'dims.n*dims.c*dims.h*dims.w', convY = 'dims.n*dims.o*dims.oh*dims.ow', convW = 'dims.o*dims.c*dims.kh*dims.kw';
const poolX = 'dims.n*dims.c*dims.h*dims.w', poolY = 'dims.n*dims.c*dims.oh*dims.ow';
const upSmall = 'n*c*h*w', upBig = 'n*c*h*w*scale*scale';
const upArgs = [['n', 'int'], ['c', 'int'], ['h', 'int'], ['w', 'int'], ['scale', 'int', { min: 1 }]];

export const KERNELS = {
  unary: {
    doc: 'out[i] = f(x[i]) for the op f; out may be x itself.',
    args: [['op', 'enum', { of: 'unary' }], ['out', 'out', { len: 'len', same: 'x' }], ['x', 'in'],
      ['len', 'len', { of: 'x' }], ['alpha', 'num'], ['beta', 'num']],
  },
  binary: {
    doc: 'Broadcasting binary op. `outShape` is the broadcast shape; `aStrides` and `bStrides` give, per '
      + 'output axis, the element stride of each operand in its own buffer (0 on an axis it is broadcast along).',
    args: [['op', 'enum', { of: 'binary' }], ['out', 'out', { len: 'prod(outShape)', same: ['a', 'b'] }],
      ['a', 'in'], ['aLen', 'len', { of: 'a' }], ['b', 'in'], ['bLen', 'len', { of: 'b' }],
      ['outShape', 'ints', { rank: 'ndim' }], ['aStrides', 'ints', { rank: 'ndim' }], ['bStrides', 'ints', { rank: 'ndim' }]],
    check: true,
    wasm: { ws: '4*ndim' },
  },
  reduce: {
    doc: 'Reduce the middle axis of x viewed as [outer, n, inner] into out [outer, inner].',
    args: [['op', 'enum', { of: 'reduce' }], ['out', 'out', { len: 'outer*inner' }], ['x', 'in', { len: 'outer*n*inner' }], ...reduceDims],
    wasm: { ws: '8*inner' },
  },
  logsumexp: {
    doc: 'out[o, i] = log Σ_j exp(x[o, j, i]), stable: m + log Σ exp(x − m), m the max.',
    args: [['out', 'out', { len: 'outer*inner' }], ['x', 'in', { len: 'outer*n*inner' }], ...reduceDims],
    wasm: { ws: '8*inner' },
  },
  softmax: {
    doc: 'Softmax (or log-softmax when `log`) along the middle axis of [outer, n, inner].',
    args: [['out', 'out', { len: 'outer*n*inner', same: 'x' }], ['x', 'in', { len: 'outer*n*inner' }], ...reduceDims,
      ['log', 'bool']],
    wasm: { ws: '8*inner' },
  },
  matmul: {
    doc: 'out[b] = op(a[b]) · op(b[b]) for b < batch, op = transpose when the flag is set. Stored shapes: '
      + 'a [batch, m, k] (or [batch, k, m] when transA), b [batch, k, n] (or [batch, n, k] when transB), out [batch, m, n].',
    args: [['out', 'out', { len: 'batch*m*n' }], ['a', 'in', { len: 'batch*m*k' }], ['b', 'in', { len: 'batch*k*n' }],
      ['batch', 'int'], ['m', 'int'], ['k', 'int'], ['n', 'int'], ['transA', 'bool'], ['transB', 'bool']],
    wasm: { ws: 'wasm.gemmWorkspaceBytes()' },
  },
  conv2d: {
    doc: 'NCHW convolution (cross-correlation, as PyTorch): x [n,c,h,w], w [o,c,kh,kw], out [n,o,oh,ow].',
    args: [['out', 'out', { len: convY }], ['x', 'in', { len: convX }], ['w', 'in', { len: convW }], ['dims', 'dims', { of: 'Conv2dDims' }]],
    check: true,
    wasm: { ws: 'wasm.gemmWorkspaceBytes() + 4*dims.c*dims.kh*dims.kw*dims.oh*dims.ow + 64' }, // in JS numbers: no i32 overflow
  },
  conv2dBackwardInput: {
    doc: 'dx [n,c,h,w] = the gradient of conv2d with respect to its input, given dy [n,o,oh,ow].',
    args: [['dx', 'out', { len: convX }], ['dy', 'in', { len: convY }], ['w', 'in', { len: convW }], ['dims', 'dims', { of: 'Conv2dDims' }]],
    check: 'conv2d',
    wasm: { ws: 'wasm.gemmWorkspaceBytes() + 4*dims.c*dims.kh*dims.kw*dims.oh*dims.ow + 64' }, // in JS numbers: no i32 overflow
  },
  conv2dBackwardWeight: {
    doc: 'dw [o,c,kh,kw] = the gradient of conv2d with respect to its weights, given x and dy.',
    args: [['dw', 'out', { len: convW }], ['x', 'in', { len: convX }], ['dy', 'in', { len: convY }], ['dims', 'dims', { of: 'Conv2dDims' }]],
    check: 'conv2d',
    wasm: { ws: 'wasm.gemmWorkspaceBytes() + 4*dims.c*dims.kh*dims.kw*dims.oh*dims.ow + 64' }, // in JS numbers: no i32 overflow
  },
  conv2dBias: {
    doc: 'conv2d plus one bias per output channel: out[b,o,i,j] = conv2d(x, w)[b,o,i,j] + bias[o] (the forward of a layer in one pass).',
    args: [['out', 'out', { len: convY }], ['x', 'in', { len: convX }], ['w', 'in', { len: convW }], ['bias', 'in', { len: 'dims.o' }],
      ['dims', 'dims', { of: 'Conv2dDims' }]],
    check: true, // check_conv2d_bias (binding_checks.cc): that of conv2d
    wasm: { ws: 'wasm.gemmWorkspaceBytes() + 4*dims.c*dims.kh*dims.kw*dims.oh*dims.ow + 64' }, // as conv2d's
  },
  // The GAN's "upsample then convolve" in one kernel: dims.h, dims.w are those of
  // x [n, c, h, w]; the convolution runs on its nearest 2x upsampling
  // u [n, c, 2h, 2w], u[.., i, j] = x[.., ⌊i/2⌋, ⌊j/2⌋], so oh = ⌊(2h + 2pad − kh)/stride⌋ + 1, ow likewise.
  up2Conv2d: {
    doc: 'conv2d of the nearest 2x upsampling of x [n,c,h,w], plus bias[o]: out = conv2d(upsample2(x), w) + bias; oh, ow those of the conv on the 2h x 2w image.',
    args: [['out', 'out', { len: convY }], ['x', 'in', { len: convX }], ['w', 'in', { len: convW }], ['bias', 'in', { len: 'dims.o' }],
      ['dims', 'dims', { of: 'Conv2dDims' }]],
    check: true, // check_up2_conv2d (binding_checks.cc): oh, ow from the 2h x 2w image
    wasm: { ws: upWs },
  },
  up2Conv2dBackwardInput: {
    doc: 'dx [n,c,h,w] = the gradient of up2Conv2d with respect to x, given dy [n,o,oh,ow].',
    args: [['dx', 'out', { len: convX }], ['dy', 'in', { len: convY }], ['w', 'in', { len: convW }], ['dims', 'dims', { of: 'Conv2dDims' }]],
    check: true, // check_up2_conv2d_backward_input: that of up2Conv2d
    wasm: { ws: upWs },
  },
  up2Conv2dBackwardWeight: {
    doc: 'dw [o,c,kh,kw] = the gradient of up2Conv2d with respect to its weights, given x [n,c,h,w] and dy.',
    args: [['dw', 'out', { len: convW }], ['x', 'in', { len: convX }], ['dy', 'in', { len: convY }], ['dims', 'dims', { of: 'Conv2dDims' }]],
    check: 'up2Conv2dBackwardInput',
    wasm: { ws: upWs },
  },
  maxPool2d: {
    doc: 'Max pooling; argmax receives, per output, the flat index (within its n,c plane) of the max.',
    args: [['out', 'out', { len: poolY }], ['argmax', 'iout', { len: poolY }], ['x', 'in', { len: poolX }],
      ['dims', 'dims', { of: 'Pool2dDims' }]],
    check: true,
    wasm: {},
  },
  maxPool2dBackward: {
    doc: 'dx (zeroed by the kernel) receives dy at each argmax.',
    args: [['dx', 'out', { len: poolX }], ['dy', 'in', { len: poolY }], ['argmax', 'iin', { len: poolY }],
      ['dims', 'dims', { of: 'Pool2dDims' }]],
    check: 'maxPool2d',
    wasm: {},
  },
  upsample2d: {
    doc: 'Nearest upsampling by an integer scale: x [n,c,h,w] -> out [n,c,h*s,w*s].',
    args: [['out', 'out', { len: upBig }], ['x', 'in', { len: upSmall }], ...upArgs],
    wasm: {},
  },
  upsample2dBackward: {
    doc: 'dx [n,c,h,w] = the sum of dy over each scale x scale block.',
    args: [['dx', 'out', { len: upSmall }], ['dy', 'in', { len: upBig }], ...upArgs],
    wasm: {},
  },
  transpose: {
    doc: 'Copy x (shape `shape`) into out with its axes permuted by `perm`.',
    args: [['out', 'out', { len: 'prod(shape)' }], ['x', 'in', { len: 'prod(shape)' }],
      ['shape', 'ints', { rank: 'ndim' }], ['perm', 'ints', { rank: 'ndim' }]],
    check: true,
    wasm: false,
  },
  adam: {
    doc: 'One Adam step in place on p, m, v (all the length of g), t = step >= 1:\n'
      + '  g\' = g + wd·p,  m ← β1 m + (1 − β1) g\',  v ← β2 v + (1 − β2) g\'²,\n'
      + '  p ← p − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε)',
    args: [['p', 'inout', { len: 'len' }], ['m', 'inout', { len: 'len' }], ['v', 'inout', { len: 'len' }], ['g', 'in'],
      ['len', 'len', { of: 'g' }], ['lr', 'num', { finite: true }], ['beta1', 'num', { finite: true }],
      ['beta2', 'num', { finite: true }], ['eps', 'num', { finite: true }], ['step', 'f64', { min: 1 }],
      ['weightDecay', 'num', { finite: true }]],
    wasm: {},
  },
};
