// The fuzz driver: random calls into the public API (ops, creation, autograd,
// optimisers, losses, distributions, models' constructors and fits) with random
// shapes (0, 1, small, huge), values (NaN, ±Inf, ±1e38, denormals), options and
// argument types. Run in a child process by test/fuzz/fuzz.test.js and
// scripts/fuzz.js, so that a crash or a hang is seen from outside.
//   node test/fuzz/driver.js <seed> <runs>     prints one JSON line of counts
// The property of every call: it returns finite, correctly shaped Tensors (when
// its inputs are finite and moderate and the op is total on them), or it throws
// an Error whose message names the op; never a signal, never a hang, never a
// silent NaN, never a raw JavaScript TypeError from inside the library.
import fc from 'fast-check';
import * as lk from '../../dist/index.js';

const [seed = '1', runs = '200'] = process.argv.slice(2);

const HUGE = [2 ** 31, 2 ** 40];
const dim = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 1) });
const shape = fc.array(dim, { maxLength: 4 });
const nastyShape = fc.oneof(shape, fc.tuple(fc.constantFrom(...HUGE), fc.constant(0)).map((s) => [...s]),
  fc.constantFrom([-1, 2], [1.5], [NaN], 'abc', null, [2 ** 53]));
const moderate = fc.float({ min: -100, max: 100, noNaN: true });
const nasty = fc.oneof(moderate, fc.constantFrom(NaN, Infinity, -Infinity, 1e38, -1e38, 1e-40, -0, 0));

/** A tensor of a random shape; `finite` says whether its values are finite and moderate. */
const tensorArb = (shp = shape) => fc.tuple(shp, fc.boolean(), fc.integer()).chain(([s, safe, k]) => {
  const n = Array.isArray(s) && s.every((d) => Number.isInteger(d) && d >= 0) ? s.reduce((a, b) => a * b, 1) : -1;
  if (n < 0 || n > 4096) return fc.constant({ shape: s, values: null, finite: true, k });
  return fc.array(safe ? moderate : nasty, { minLength: n, maxLength: n }).map((values) => ({ shape: s, values, finite: safe, k }));
});

function make(t) {
  if (t.values === null) return lk.zeros(t.shape); // may throw (bad or huge shape): that is a call too
  return lk.tensor(Float32Array.from(t.values), t.shape);
}

const UNARY = ['neg', 'exp', 'log', 'sqrt', 'abs', 'square', 'tanh', 'sigmoid', 'relu', 'softplus', 'logSigmoid', 'log1p'];
const TOTAL = new Set(['neg', 'abs', 'square', 'tanh', 'sigmoid', 'relu', 'softplus', 'logSigmoid', 'add', 'sub', 'mul',
  'sum', 'mean', 'max', 'min', 'logsumexp', 'softmax', 'logSoftmax', 'matmul', 'transpose', 'reshape', 'concat',
  'slice', 'conv2d', 'maxPool2d', 'upsample2d', 'clip', 'leakyRelu', 'gather']);
const junk = fc.constantFrom(null, undefined, 'x', {}, [], 3, -1, NaN, 2 ** 40, [1, 'a']);
const axis = fc.oneof(fc.integer({ min: -4, max: 4 }), fc.constant(undefined), junk);

// each case: [op name, arbitrary of () => result, inputs finite?]
const cases = [
  ...UNARY.map((op) => fc.tuple(fc.constant(op), tensorArb()).map(([o, x]) => ({ op: o, fin: x.finite, run: () => lk[o](make(x)) }))),
  ...['add', 'sub', 'mul', 'div'].map((op) => fc.tuple(fc.constant(op), tensorArb(), tensorArb()).map(([o, a, b]) =>
    ({ op: o, fin: a.finite && b.finite, run: () => lk[o](make(a), make(b)) }))),
  ...['sum', 'mean', 'max', 'min'].map((op) => fc.tuple(fc.constant(op), tensorArb(), axis, fc.boolean()).map(([o, x, ax, kd]) =>
    ({ op: o, fin: x.finite, run: () => lk[o](make(x), ax, kd) }))),
  ...['logsumexp', 'softmax', 'logSoftmax', 'argmax'].map((op) => fc.tuple(fc.constant(op), tensorArb(), axis).map(([o, x, ax]) =>
    ({ op: o, fin: x.finite, run: () => lk[o](make(x), ax) }))),
  fc.tuple(tensorArb(), tensorArb(), fc.boolean(), fc.boolean()).map(([a, b, ta, tb]) =>
    ({ op: 'matmul', fin: a.finite && b.finite, run: () => lk.matmul(make(a), make(b), { transposeA: ta, transposeB: tb }) })),
  fc.tuple(tensorArb(), fc.oneof(fc.array(fc.integer({ min: -4, max: 4 }), { maxLength: 4 }), junk)).map(([x, p]) =>
    ({ op: 'transpose', fin: x.finite, run: () => lk.transpose(make(x), p) })),
  fc.tuple(tensorArb(), nastyShape).map(([x, s]) => ({ op: 'reshape', fin: x.finite, run: () => lk.reshape(make(x), s) })),
  fc.tuple(tensorArb(), tensorArb(), axis).map(([a, b, ax]) => ({ op: 'concat', fin: a.finite && b.finite, run: () => lk.concat([make(a), make(b)], ax) })),
  fc.tuple(tensorArb(), fc.oneof(fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 4 }), junk), fc.oneof(fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 4 }), junk)).map(([x, b, s]) =>
    ({ op: 'slice', fin: x.finite, run: () => lk.slice(make(x), b, s) })),
  fc.tuple(tensorArb(), fc.oneof(fc.array(fc.integer({ min: -1, max: 5 }), { maxLength: 5 }), junk)).map(([x, idx]) =>
    ({ op: 'gather', fin: x.finite, run: () => lk.gather(make(x), idx) })),
  fc.tuple(tensorArb(fc.array(dim, { minLength: 4, maxLength: 4 })), tensorArb(fc.array(dim, { minLength: 4, maxLength: 4 })),
    fc.oneof(fc.integer({ min: 0, max: 3 }), junk), fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(1e6), junk)).map(([x, w, st, pad]) =>
    ({ op: 'conv2d', fin: x.finite && w.finite, run: () => lk.conv2d(make(x), make(w), null, { stride: st, padding: pad }) })),
  fc.tuple(tensorArb(fc.array(dim, { minLength: 4, maxLength: 4 })), fc.oneof(fc.integer({ min: 0, max: 3 }), junk)).map(([x, k]) =>
    ({ op: 'maxPool2d', fin: x.finite, run: () => lk.maxPool2d(make(x), { kernel: k }) })),
  fc.tuple(tensorArb(fc.array(dim, { minLength: 4, maxLength: 4 })), fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(2 ** 20), junk)).map(([x, s]) =>
    ({ op: 'upsample2d', fin: x.finite, run: () => lk.upsample2d(make(x), { scale: s }) })),
  fc.tuple(tensorArb(), nasty, nasty).map(([x, lo, hi]) => ({ op: 'clip', fin: x.finite && Number.isFinite(lo) && Number.isFinite(hi), run: () => lk.clip(make(x), Math.min(lo, hi), Math.max(lo, hi)) })),
  fc.tuple(tensorArb(), nasty).map(([x, p]) => ({ op: 'pow', fin: false, run: () => lk.pow(make(x), p) })),
  fc.tuple(tensorArb(), fc.oneof(nasty, junk)).map(([x, s]) => ({ op: 'leakyRelu', fin: x.finite && typeof s === 'number' && Math.abs(s) <= 100, run: () => lk.leakyRelu(make(x), s) })),
  fc.tuple(nastyShape, fc.constantFrom('zeros', 'ones', 'rand', 'randn')).map(([s, f]) => ({ op: f, fin: true, run: () => lk[f](s) })),
  fc.tuple(fc.oneof(junk, fc.array(nasty), fc.constant([[1, 2], [3]]))).map(([v]) => ({ op: 'tensor', fin: false, run: () => lk.tensor(v) })),
  // autograd through a random unary op, then an Adam step with random options
  fc.tuple(tensorArb(), fc.constantFrom(...UNARY), fc.oneof(fc.constant(undefined), nasty, junk), fc.oneof(fc.constant(undefined), nasty)).map(([x, u, lr, eps]) =>
    ({ op: 'Adam', fin: false, run: () => { const v = lk.variable(make(x)); lk[u](v).sum().backward(); const o = new lk.optim.Adam([v], { lr: lr ?? 1e-3, eps }); o.step(); return v; } })),
  fc.tuple(tensorArb(), tensorArb()).map(([p, t]) => ({ op: 'binaryCrossEntropy', fin: false, run: () => lk.losses.binaryCrossEntropy(make(p), make(t)) })),
  fc.tuple(tensorArb()).map(([p]) => ({ op: 'sampleBernoulli', fin: false, run: () => lk.dist.sampleBernoulli(make(p)) })),
  // models: constructors and short fits on random data and options
  fc.tuple(tensorArb(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 4 })).map((s) => [...s])), fc.oneof(fc.integer({ min: 0, max: 5 }), junk)).map(([x, k]) =>
    ({ op: 'KMeans', fin: false, run: () => new lk.KMeans({ nClusters: k, seed: 1, maxIter: 5 }).fit(make(x)).centroids })),
  fc.tuple(tensorArb(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 3 })).map((s) => [...s])), fc.oneof(fc.integer({ min: 0, max: 4 }), junk), fc.constantFrom('full', 'diag', 'spherical', 'tied', 'bad')).map(([x, k, cov]) =>
    ({ op: 'GaussianMixture', fin: false, run: () => new lk.GaussianMixture({ nComponents: k, covarianceType: cov, seed: 1, maxIter: 5, warnings: false }).fit(make(x)).means })),
  fc.tuple(tensorArb(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 6 })).map((s) => [...s])), fc.oneof(fc.integer({ min: 0, max: 6 }), junk)).map(([x, k]) =>
    ({ op: 'PCA', fin: false, run: () => new lk.PCA({ nComponents: k }).fit(make(x)).components })),
];

const counts = { calls: 0, returned: 0, errors: 0, bad: 0 };
const failures = [];
const seen = new Set(); // FUZZ_SHOW=1: print the distinct error messages
const NAMES = { Adam: /adam|optimiser|grad|backward|lr/i, GaussianMixture: /GaussianMixture/, KMeans: /KMeans/, PCA: /PCA/ };
const RAW = /Cannot read properties|is not a function|is not iterable|Invalid typed array length|Invalid array length|Maximum call stack|undefined is not/;

function checkResult(c, r) {
  const ts = Array.isArray(r) ? r : [r];
  for (const t of ts) {
    if (!(t instanceof lk.Tensor)) return `returned ${typeof t}, not a Tensor`;
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) return `bad shape [${t.shape}]`;
    if (t.shape.reduce((a, b) => a * b, 1) !== t.size) return `shape [${t.shape}] does not match ${t.size} values`;
    if (c.fin && TOTAL.has(c.op)) {
      for (let i = 0; i < t.size; i++) if (!Number.isFinite(t.data[i]) && !(c.op === 'max' || c.op === 'min' || c.op === 'logsumexp')) return `silent ${t.data[i]} at ${i}`;
    }
  }
  return null;
}

fc.assert(fc.property(fc.oneof(...cases), (c) => {
  counts.calls++;
  let r;
  try {
    r = c.run();
  } catch (e) {
    counts.errors++;
    const msg = e instanceof Error ? e.message : String(e);
    if (process.env.FUZZ_SHOW) seen.add(`${c.op} | ${msg.split('\n')[0].slice(0, 150)}`);
    const named = (NAMES[c.op] ?? new RegExp(c.op, 'i')).test(msg) || /^[a-zA-Z.]+: /.test(msg);
    if (!(e instanceof Error) || RAW.test(msg) || !named) { counts.bad++; if (failures.length < 20) failures.push(`${c.op}: ${e?.constructor?.name}: ${msg.slice(0, 200)}`); }
    return true;
  }
  counts.returned++;
  const why = checkResult(c, r);
  if (why) { counts.bad++; if (failures.length < 20) failures.push(`${c.op}: ${why}`); }
  return true;
}), { seed: Number(seed), numRuns: Number(runs) });

if (process.env.FUZZ_SHOW) console.error([...seen].sort().join('\n'));
console.log(JSON.stringify({ backend: lk.getBackend(), seed: Number(seed), ...counts, failures }));
