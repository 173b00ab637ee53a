// Resident arrays (src/backend/wasm/resident.ts): long-lived arrays inside the
// threads build's shared memory, which the kernels use in place. The allocator
// (zeroed, disjoint blocks; freed blocks merged and reused; the limit), the
// marshaller (a kernel on resident arrays gives the bits it gives on ordinary
// ones, in place too), and training (the same losses, bit for bit, as with
// LATENTKIT_WASM_RESIDENT=0, where every array is copied per call).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import * as lk from '../../dist/index.js';
import { longLivedArray, kernels, storageKey } from '../../dist/backend/registry.js';
import { loadWasm, wasmInfo, wasmResident } from '../../dist/backend/wasm/index.js';
import { Resident } from '../../dist/backend/wasm/resident.js';
import { sharedMemory } from '../../dist/backend/wasm/module.js';
import { testUnless } from '../helpers.js';

const RUNS = Number(process.env.LATENTKIT_FC_RUNS ?? 25);
loadWasm();
const t = testUnless(!wasmInfo().shared ? 'no wasm threads build loaded (npm run build:wasm), so no resident arrays'
  : wasmResident() === null ? 'LATENTKIT_WASM_RESIDENT=0 switches resident arrays off' : '');

function sameBits(a, b, msg) {
  assert.is(a.length, b.length, `${msg}: length`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.unreachable(`${msg}: element ${i}: ${a[i]} resident, ${b[i]} copied`);
}
const fill = (a, seed) => { for (let i = 0; i < a.length; i++) a[i] = Math.sin(seed + 1.7 * i); return a; };

test('Resident: zeroed, 64-byte aligned, disjoint blocks; a freed block is merged, reused and zeroed again; the top comes down', () => {
  const memory = sharedMemory();
  const r = new Resident(memory, 1000, 1 << 20);
  const a = r.alloc(10), b = r.alloc(100), c = r.alloc(3);
  for (const [v, n] of [[a, 10], [b, 100], [c, 3]]) {
    assert.is(v.length, n);
    assert.is(v.byteOffset % 64, 0);
    assert.ok(v.byteOffset >= 1000);
    assert.ok(v.every((x) => x === 0));
    assert.ok(r.owns(v));
  }
  assert.not.ok(r.owns(b.subarray(1)), 'a subarray is not a block');
  assert.ok(a.byteOffset + 40 <= b.byteOffset && b.byteOffset + 400 <= c.byteOffset, 'blocks do not overlap');
  b.fill(7);
  const top = r.top;
  r.release({ off: b.byteOffset, bytes: 448 });
  assert.equal(r.freeBlocks(), [{ off: b.byteOffset, bytes: 448 }]);
  const d = r.alloc(50); // first fit: inside b's old block, zeroed
  assert.is(d.byteOffset, b.byteOffset);
  assert.ok(d.every((x) => x === 0), 'a reused block is zeroed');
  r.release({ off: d.byteOffset, bytes: 256 });
  r.release({ off: a.byteOffset, bytes: 64 });
  assert.equal(r.freeBlocks(), [{ off: a.byteOffset, bytes: 64 + 448 }], 'neighbours merge');
  r.release({ off: c.byteOffset, bytes: 64 });
  assert.equal(r.freeBlocks(), [], 'freeing the top block lowers the top past the free ones');
  assert.ok(r.top < top);
  assert.is(r.top, a.byteOffset);
  assert.is(r.used, 0);
});

test('Resident: past its limit alloc returns null; a block over stale memory is zeroed', () => {
  const memory = sharedMemory();
  new Float32Array(memory.buffer).fill(3); // as a past call's arena leaves it
  const r = new Resident(memory, 0, 4096);
  const a = r.alloc(512);
  assert.ok(a.every((x) => x === 0));
  assert.is(r.alloc(513), null, 'over the limit (2048 + 2112 bytes > 4096)');
  assert.is(r.alloc(0), null);
  assert.ok(r.alloc(400) !== null, 'what fits under the limit still comes');
});

t('longLivedArray on wasm lives in the shared memory; its storage key is itself; on js it is an ordinary array', () => {
  lk.setBackend('wasm');
  const a = longLivedArray(100), b = longLivedArray(100);
  assert.ok(a.buffer instanceof SharedArrayBuffer && b.buffer instanceof SharedArrayBuffer);
  assert.is(storageKey(a), a);
  assert.is.not(storageKey(a), storageKey(b));
  lk.setBackend('js');
  const c = longLivedArray(100);
  assert.ok(c.buffer instanceof ArrayBuffer);
  assert.is(storageKey(c), c.buffer);
  lk.setBackend('wasm');
});

t('kernels on resident arrays give the bits they give on copied ones (binary, unary, matmul, adam; in place too)', () => {
  lk.setBackend('wasm');
  const k = kernels();
  fc.assert(fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 50 }),
    fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 15 }), (m, kk, n, ta, tb, mask) => {
      const mk = (len, bit, seed) => fill((mask >> bit) & 1 ? longLivedArray(len) : new Float32Array(len), seed);
      const a = mk(m * kk, 0, 1), b = mk(kk * n, 1, 2), out = mk(m * n, 2, 3);
      const ref = new Float32Array(m * n);
      k.matmul(out, a, b, 1, m, kk, n, ta, tb);
      k.matmul(ref, a.slice(), b.slice(), 1, m, kk, n, ta, tb);
      sameBits(out, ref, 'matmul');
      const s = mk(m * n, 3, 4), s0 = s.slice();
      k.binary('mul', s, s, out, [m * n], [1], [1]); // in place: s ← s·out
      const r2 = new Float32Array(m * n);
      k.binary('mul', r2, s0, ref, [m * n], [1], [1]);
      sameBits(s, r2, 'binary in place');
      k.unary('tanh', out, out, 0, 0);
      k.unary('tanh', ref, ref.slice(), 0, 0);
      sameBits(out, ref, 'unary in place');
      const p = mk(m, 0, 5), mm = mk(m, 1, 6), v = mk(m, 2, 7).map(Math.abs), g = mk(m, 3, 8);
      const P = [p.slice(), mm.slice(), v.slice()];
      k.adam(p, mm, v, g, 1e-3, 0.9, 0.999, 1e-8, 3, 0.01);
      k.adam(P[0], P[1], P[2], g.slice(), 1e-3, 0.9, 0.999, 1e-8, 3, 0.01);
      sameBits(p, P[0], 'adam p'); sameBits(mm, P[1], 'adam m'); sameBits(v, P[2], 'adam v');
    }), { numRuns: RUNS });
});

// three steps of a VAE and of the GAN (conv kernels, split over the threads), losses printed as bits
const script = `
const lk = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
lk.setBackend('wasm'); lk.seed(3);
const out = [];
const x = lk.tensor(Array.from(lk.rand([64, 784]).data, (v) => (v > 0.5 ? 1 : 0)), [64, 784]);
const vae = new lk.VAE({ inputDim: 784, seed: 1, estimator: 'analytic' }), eps = lk.randn([64, 2]);
const opt = new lk.optim.Adam(vae.parameters(), { lr: 1e-3 });
for (let s = 0; s < 3; s++) { opt.zeroGrad(); const l = vae.terms(x, { noise: eps }).loss; out.push(l.item()); l.backward(); opt.step(); }
const gan = new lk.GAN({ latentDim: 100, seed: 1 }), z = lk.randn([64, 100]), xi = x.reshape([-1, 1, 28, 28]);
const oD = new lk.optim.Adam(gan.discriminator.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
const oG = new lk.optim.Adam(gan.generator.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
for (let s = 0; s < 3; s++) {
  oD.zeroGrad(); const d = gan.discriminatorLoss(xi, z); out.push(d.item()); d.backward(); oD.step();
  oG.zeroGrad(); const g = gan.generatorLoss(z); out.push(g.item()); g.backward(); oG.step();
}
const { wasmInfo } = await import(${JSON.stringify(new URL('../../dist/backend/wasm/index.js', import.meta.url).href)});
console.log(JSON.stringify({ losses: out, resident: wasmInfo().residentBytes }));
process.exit(0);
`;
function train(env) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`training child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

t('training on resident parameters, gradients and moments gives the losses of copied arrays, bit for bit', () => {
  const res = train({}), copied = train({ LATENTKIT_WASM_RESIDENT: '0' });
  assert.ok(res.resident > 4 * 2 * (784 * 500), `the parameters and their state are resident (${res.resident} bytes)`);
  assert.is(copied.resident, 0);
  assert.is(res.losses.length, 9);
  assert.equal(res.losses, copied.losses);
  assert.ok(res.losses[0] !== res.losses[2], 'the steps changed the model');
});

t('zeroGrad keeps resident gradient buffers: the next backward writes into the same arrays', () => {
  lk.setBackend('wasm');
  lk.seed(4);
  const x = lk.rand([16, 30]), eps = lk.randn([16, 2]);
  const vae = new lk.VAE({ inputDim: 30, hiddenDim: 12, latentDim: 2, seed: 2, estimator: 'analytic', likelihood: 'gaussian' });
  const opt = new lk.optim.Adam(vae.parameters(), { lr: 1e-3 });
  const grads = [];
  for (let s = 0; s < 2; s++) {
    opt.zeroGrad(); vae.terms(x, { noise: eps }).loss.backward(); opt.step();
    grads.push(vae.parameters().map((p) => p.grad.data));
  }
  grads[0].forEach((g, i) => {
    assert.ok(g.buffer instanceof SharedArrayBuffer, `gradient ${i} is resident`);
    assert.is(grads[1][i], g, `gradient ${i}: its buffer was reused`);
  });
});

t('gradients that no optimiser keeps (intermediates, leaves cleared by hand) are not resident: a loop does not fill the memory', () => {
  lk.setBackend('wasm');
  lk.seed(6);
  const x = lk.randn([64, 256]), w1 = lk.variable(lk.randn([256, 512])), w2 = lk.variable(lk.randn([512, 64]));
  const before = wasmInfo().residentBytes;
  for (let s = 0; s < 30; s++) {
    w1.grad = null; w2.grad = null;
    lk.sum(lk.matmul(lk.tanh(lk.matmul(x, w1)), w2)).backward();
  }
  assert.ok(w1.grad.data.buffer instanceof ArrayBuffer, 'a hand-cleared leaf gradient is an ordinary array');
  assert.ok(wasmInfo().residentBytes - before < 4096, `resident bytes grew by ${wasmInfo().residentBytes - before}`);
});

// a resident block outlives every subarray of its array: dropping the array while a subarray is held
// must not let a new array reuse (and overwrite) the block
const pinScript = `
const reg = await import(${JSON.stringify(new URL('../../dist/backend/registry.js', import.meta.url).href)});
const lk = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
lk.setBackend('wasm');
let r = reg.longLivedArray(1000);
const sub = r.subarray(10, 14).subarray(1, 3);
sub.fill(7);
const off = sub.byteOffset;
r = null;
for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((res) => setTimeout(res, 10)); }
const fresh = [];
for (let i = 0; i < 50; i++) fresh.push(reg.longLivedArray(1000).fill(1));
const overlaps = fresh.some((f) => off >= f.byteOffset && off < f.byteOffset + f.byteLength);
console.log(JSON.stringify({ sub: Array.from(sub), overlaps, sameBuffer: sub.buffer instanceof SharedArrayBuffer }));
process.exit(0);
`;

t('a subarray keeps its resident block alive after the array itself is dropped', () => {
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', pinScript], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  const got = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.ok(got.sameBuffer, 'the subarray is a view of the module memory');
  assert.not.ok(got.overlaps, 'no new array was placed over the held subarray');
  assert.equal(got.sub, [7, 7]);
});

t('a model built on wasm (resident arrays) trains on native and js after a backend switch', () => {
  lk.setBackend('wasm');
  lk.seed(5);
  const x = lk.rand([8, 20]), eps = lk.randn([8, 2]);
  const losses = {};
  for (const other of ['js', ...(lk.backends().includes('native') ? ['native'] : [])]) {
    lk.setBackend('wasm');
    const vae = new lk.VAE({ inputDim: 20, hiddenDim: 16, latentDim: 2, seed: 2, estimator: 'analytic', likelihood: 'gaussian' });
    const opt = new lk.optim.Adam(vae.parameters(), { lr: 1e-2 });
    assert.ok(vae.parameters()[0].data.buffer instanceof SharedArrayBuffer);
    lk.setBackend(other);
    const seen = [];
    for (let s = 0; s < 3; s++) { opt.zeroGrad(); const l = vae.terms(x, { noise: eps }).loss; seen.push(l.item()); l.backward(); opt.step(); }
    assert.ok(seen.every(Number.isFinite), `${other}: finite losses`);
    assert.ok(seen[2] < seen[0], `${other}: the loss falls (${seen})`);
    losses[other] = seen;
  }
  if (losses.native) for (let s = 0; s < 3; s++) assert.ok(Math.abs(losses.native[s] - losses.js[s]) <= 1e-4 * Math.abs(losses.js[s]), `step ${s}: native ${losses.native[s]} vs js ${losses.js[s]}`);
  lk.setBackend('wasm');
});

test.run();
