// Model files that cannot lie (issue 11, causes 5, 7, 8, 11): a CRC-32 over
// header and payload, finiteness on load, the config checked against the
// payload before anything big is allocated; bytes round-trips without a file
// system; a diverging fit reports divergence and leaves the model as it was.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lk, throwsMatch, isolated } from '../helpers.js';
import { encodeModel, crc32 } from '../../dist/models/format.js';

const x = lk.rand([64, 12]);
const dir = mkdtempSync(join(tmpdir(), 'latentkit-files-'));

const MODELS = {
  VAE: () => new lk.VAE({ inputDim: 12, hiddenDim: 6, latentDim: 2, seed: 1 }),
  CVAE: () => new lk.CVAE({ inputDim: 12, hiddenDim: 6, latentDim: 2, numClasses: 3, seed: 1 }),
  GMVAE: () => new lk.GMVAE({ inputDim: 12, hiddenDim: 6, latentDim: 2, nComponents: 3, seed: 1 }),
  NICE: () => new lk.NICE({ inputDim: 12, hiddenDim: 6, hiddenLayers: 1, seed: 1 }),
  GAN: () => new lk.GAN({ latentDim: 4, seed: 1 }),
};

for (const [name, make] of Object.entries(MODELS)) {
  test(`${name}: toBytes / fromBytes and save / load give the same weights`, () => {
    const m = make();
    const bytes = m.toBytes();
    assert.instance(bytes, Uint8Array);
    const back = lk[name].fromBytes(bytes);
    const a = m.parameters(), b = back.parameters();
    assert.is(a.length, b.length);
    a.forEach((p, i) => assert.equal(Array.from(b[i].data), Array.from(p.data)));
    const path = join(dir, `${name}.lkm`);
    m.save(path);
    lk[name].load(path).parameters().forEach((p, i) => assert.equal(Array.from(p.data), Array.from(a[i].data)));
  });
}

test('a flipped payload bit, a NaN weight and a null header are refused (causes 7, 11)', () => {
  const bytes = MODELS.VAE().toBytes();
  const flipped = bytes.slice();
  flipped[flipped.length - 5] ^= 0x10;
  throwsMatch(() => lk.VAE.fromBytes(flipped), /CRC-32 checksum does not match/);
  // a NaN weight with a valid checksum: refused by the finiteness check
  const nan = bytes.slice();
  new DataView(nan.buffer).setFloat32(nan.length - 4, NaN, true);
  new DataView(nan.buffer).setUint32(12, crc32(nan.subarray(16)), true);
  throwsMatch(() => lk.VAE.fromBytes(nan), /has a NaN value in/);
  // header `null`
  const head = new TextEncoder().encode('null');
  const nul = new Uint8Array(16 + 4);
  nul.set(new TextEncoder().encode('LKMODEL2'));
  new DataView(nul.buffer).setUint32(8, 4, true);
  nul.set(head, 16);
  new DataView(nul.buffer).setUint32(12, crc32(nul.subarray(16)), true);
  throwsMatch(() => lk.VAE.fromBytes(nul), /header that is not an object/);
  throwsMatch(() => lk.VAE.fromBytes(new Uint8Array(3)), /not a latentkit model file/);
});

test('a tiny file whose config asks for a huge model fails at once (cause 5)', () => {
  const bytes = encodeModel('VAE', { inputDim: 784, hiddenDim: 1e6, latentDim: 2 }, []);
  const r = isolated(`
    import * as lk from './dist/index.js';
    const b = new Uint8Array([${Array.from(bytes).join(',')}]);
    const t0 = Date.now();
    try { lk.VAE.fromBytes(b); console.log('loaded'); } catch (e) { console.log(JSON.stringify({ msg: e.message, ms: Date.now() - t0 })); }`, { timeoutMs: 20000 });
  assert.not.ok(r.timedOut, 'hung');
  const { msg, ms } = JSON.parse(r.out);
  assert.match(msg, /asks for more weights than the 0 it stores/);
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('save() under /proc fails at once with the cause (cause 6)', () => {
  const r = isolated(`
    import * as lk from './dist/index.js';
    try { new lk.VAE({ inputDim: 4, hiddenDim: 2, latentDim: 1 }).save('/proc/latentkit/m.lkm'); } catch (e) { console.log(e.message); }`, { timeoutMs: 10000 });
  assert.not.ok(r.timedOut, 'hung');
  assert.match(r.out, /VAE.save: cannot create the directory '.proc.latentkit'/);
});

test('a diverging fit says so and leaves the model as it was (cause 8, 12)', () => {
  const vae = MODELS.VAE();
  vae.fit(x, { epochs: 1, batchSize: 16 });
  const before = vae.parameters().map((p) => Array.from(p.data));
  throwsMatch(() => vae.fit(x, { epochs: 5, batchSize: 16, learningRate: 1e3 }), /NaN|diverged|learning ?rate/i);
  vae.parameters().forEach((p, i) => assert.equal(Array.from(p.data), before[i]));
  assert.is(vae.history.length, 1);
  assert.is(vae.training, false);
});

test.run();
