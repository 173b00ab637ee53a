// The binding never crashes on bad input: wrong types, lengths, detached or
// overlapping buffers and bad dimensions throw TypeError / RangeError. And the
// thread pool gives the same answers with one thread or several.
import * as uvu from 'uvu';
import * as assert from 'uvu/assert';
import { addon, native, unavailable, data, close, convDims } from './util.js';
import { testUnless, isolated } from '../helpers.js';

function throws(fn, type, re) {
  try { fn(); } catch (e) {
    assert.instance(e, type, `expected a ${type.name}, got ${e}`);
    assert.match(e.message, re);
    return;
  }
  assert.unreachable(`expected a ${type.name} matching ${re}`);
}

const test = testUnless(unavailable);

const f = (n) => new Float32Array(n);

test('wrong argument types throw TypeError', () => {
  throws(() => addon.matmul([1, 2], f(2), f(1), 1, 1, 2, 1), TypeError, /matmul: argument 'out' must be a Float32Array/);
  throws(() => addon.matmul(f(1), new Float64Array(2), f(2), 1, 1, 2, 1), TypeError, /'a' must be a Float32Array/);
  throws(() => addon.matmul(f(1), f(2), f(2), '1', 1, 2, 1), TypeError, /'batch' must be a number/);
  throws(() => addon.matmul(f(1), f(2), f(2)), TypeError, /missing argument 'batch'/);
  throws(() => addon.maxPool2d(f(1), f(1), f(4), { n: 1, c: 1, h: 2, w: 2, k: 2, stride: 2, oh: 1, ow: 1 }), TypeError, /Int32Array/);
  throws(() => addon.conv2d(f(1), f(1), f(1), null), TypeError, /'dims' must be an object/);
  throws(() => addon.reduce('mean', f(1), f(2), 1, 2, 1), TypeError, /'op' must be a number/);
  throws(() => addon.reduce(2, f(1), f(2), 1, 2, 1), RangeError, /unknown op code 2/);
  throws(() => addon.setIsa('sse9'), RangeError, /avx2/);
});

test('wrong lengths and bad dimensions throw RangeError', () => {
  throws(() => addon.matmul(f(4), f(6), f(5), 1, 2, 3, 2), RangeError, /'b' has length 5, expected 6/);
  throws(() => addon.matmul(f(4), f(6), f(6), 1, 2.5, 3, 2), RangeError, /'m' must be an integer/);
  throws(() => addon.matmul(f(4), f(6), f(6), 1, -2, 3, 2), RangeError, /'m' must be an integer >= 0/);
  throws(() => addon.unary(0, f(2), f(3), 0, 0), RangeError, /'out' has length 2, expected 3/);
  throws(() => addon.unary(99, f(3), f(3), 0, 0), RangeError, /unknown op code/);
  throws(() => addon.binary(0, f(3), f(3), f(1), [3], [1], [1]), RangeError, /strides reach past/);
  throws(() => addon.logsumexp(f(3), f(6), 2, 3, 1), RangeError, /'out' has length 3, expected 2/);
  const d = convDims(1, 1, 4, 4, 1, 3, 3, 1, 0);
  throws(() => addon.conv2d(f(4), f(16), f(9), { ...d, oh: 3 }), RangeError, /oh\/ow/);
  throws(() => addon.conv2d(f(4), f(16), f(9), { ...d, stride: 0 }), RangeError, /dims.stride/);
  throws(() => addon.conv2d(f(5), f(16), f(9), d), RangeError, /'out' has length 5/);
  throws(() => addon.maxPool2d(f(4), new Int32Array(4), f(9), { n: 1, c: 1, h: 3, w: 3, k: 2, stride: 2, oh: 2, ow: 2 }),
    RangeError, /too large/);
  throws(() => addon.transpose(f(6), f(6), [2, 3], [0, 0]), RangeError, /not a permutation/);
  throws(() => addon.upsample2d(f(4), f(1), 1, 1, 1, 1, 0), RangeError, /'scale' must be an integer >= 1/);
});

test('detached and overlapping buffers are refused', () => {
  const buf = new ArrayBuffer(16);
  const a = new Float32Array(buf);
  structuredClone(buf, { transfer: [buf] }); // detaches buf
  throws(() => addon.matmul(f(4), a, f(4), 1, 2, 2, 2), TypeError, /detached/);
  const big = f(20);
  throws(() => addon.matmul(big.subarray(0, 4), big.subarray(2, 6), f(4), 1, 2, 2, 2), RangeError, /overlaps 'a'/);
  // an exact in-place elementwise op is allowed
  const x = new Float32Array([1, -2, 3]);
  addon.unary(0, x, x, 0, 0);
  close(x, new Float32Array([-1, 2, -3]));
});

test('one thread and the full pool give identical results', () => {
  const threads = addon.info().threads;
  const a = data(200 * 300, 1), b = data(300 * 250, 2);
  const d = convDims(8, 4, 16, 16, 6, 3, 3, 1, 1);
  const x = data(d.n * d.c * d.h * d.w, 3), w = data(d.o * d.c * 9, 4);
  const run = () => {
    const mm = f(200 * 250), cv = f(d.n * d.o * d.oh * d.ow), dw = f(w.length), l = f(200);
    native.matmul(mm, a, b, 1, 200, 300, 250, false, true);
    native.conv2d(cv, x, w, d);
    native.conv2dBackwardWeight(dw, x, cv, d);
    native.logsumexp(l, a, 200, 300, 1);
    return [mm, cv, dw, l];
  };
  try {
    assert.is(addon.setThreads(1), 1);
    const one = run();
    assert.is(addon.setThreads(3), 3);
    const three = run();
    // the split changes only which thread computes a tile, not the order of any sum,
    // except the weight gradient whose per-thread partial sums are added at the end
    for (let i = 0; i < 4; i++) close(three[i], one[i], { atol: i === 2 ? 1e-4 : 0, rtol: i === 2 ? 1e-5 : 0, msg: `output ${i}` });
  } finally {
    addon.setThreads(threads);
  }
  assert.is(addon.info().threads, threads);
});

test('a throwing getter, a Proxy or a SharedArrayBuffer never aborts the process (causes 1, 3)', () => {
  const r = isolated(`
    import { nativeAddon } from './dist/backend/native/index.js';
    const a = nativeAddon(), f = (n) => new Float32Array(n), out = [];
    const tryIt = (fn) => { try { fn(); out.push('ok'); } catch (e) { out.push(e.constructor.name + ': ' + e.message); } };
    const dims = { n: 1, c: 1, h: 2, w: 2, o: 1, kh: 1, kw: 1, stride: 1, pad: 0, oh: 2, ow: 2 };
    tryIt(() => a.conv2d(f(4), f(4), f(1), { ...dims, get kh() { throw new Error('boom'); } }));
    tryIt(() => a.conv2d(f(4), f(4), f(1), new Proxy(dims, { get() { throw new Error('trap'); } })));
    tryIt(() => a.transpose(f(6), f(6), [2, 3], new Proxy([1, 0], { get(t, k) { if (k === '0') throw new Error('trap'); return t[k]; } })));
    const sab = new Float32Array(new SharedArrayBuffer(16)); sab.set([1, 2, 3, 4]);
    tryIt(() => a.unary(1, sab, sab, 0, 0));
    out.push(Array.from(sab).map((v) => v.toFixed(3)).join(','));
    console.log(JSON.stringify(out));`);
  assert.is(r.signal, null, `the process was killed by ${r.signal}: ${r.err}`);
  assert.is(r.status, 0, r.err);
  const out = JSON.parse(r.out);
  assert.match(out[0], /^TypeError: conv2d: reading 'dims.kh' threw \(Error: boom\)/);
  assert.match(out[1], /^TypeError: conv2d: reading 'dims.n' threw \(Error: trap\)/);
  assert.match(out[2], /^TypeError: transpose: /); // a Proxy is not an Array to Node-API
  assert.is(out[3], 'ok');
  assert.is(out[4], [1, 2, 3, 4].map((v) => Math.exp(v).toFixed(3)).join(','));
});

uvu.test.run();
