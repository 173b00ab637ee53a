// lk.data: IDX (plain and gzip), PNG/TIFF round trips, WAV, MNIST, baboon, errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lk, throwsMatch } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'latentkit-data-'));

function idx(shape, values) {
  const head = Buffer.alloc(4 + 4 * shape.length);
  head[2] = 0x08; head[3] = shape.length;
  shape.forEach((s, i) => head.writeUInt32BE(s, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(values)]);
}

test('readIdx reads plain and gzipped IDX; readMnistIdx scales to [0, 1]', () => {
  const img = idx([2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  writeFileSync(join(dir, 'im.idx'), img);
  writeFileSync(join(dir, 'im.idx.gz'), gzipSync(img));
  writeFileSync(join(dir, 'lb.idx'), idx([2], [7, 3]));
  for (const f of ['im.idx', 'im.idx.gz']) {
    const t = lk.data.readIdx(join(dir, f));
    assert.equal(t.shape, [2, 2, 3]);
    assert.equal(Array.from(t.data), [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  }
  const m = lk.data.readMnistIdx(join(dir, 'im.idx.gz'), join(dir, 'lb.idx'));
  assert.equal(m.images.shape, [2, 6]);
  assert.is(m.images.data[11], 1);
  assert.equal(Array.from(m.labels), [7, 3]);
  writeFileSync(join(dir, 'short.idx'), img.subarray(0, 15));
  throwsMatch(() => lk.data.readIdx(join(dir, 'short.idx')), /truncated/);
  throwsMatch(() => lk.data.readIdx(join(dir, 'missing.idx')), /no such file/);
  writeFileSync(join(dir, 'bad.idx'), Buffer.from('hello world'));
  throwsMatch(() => lk.data.readIdx(join(dir, 'bad.idx')), /not an IDX file/);
});

test('writeImage/readImage round trip through PNG and TIFF; grey images', () => {
  const t = lk.tensor(Float32Array.from({ length: 4 * 5 * 3 }, (_, i) => (i * 37) % 256), [4, 5, 3]);
  for (const ext of ['png', 'tif']) {
    const p = lk.data.writeImage(join(dir, `a.${ext}`), t);
    const r = lk.data.readImage(p);
    assert.equal(r.shape, [4, 5, 3]);
    assert.equal(Array.from(r.data), Array.from(t.data), ext);
  }
  const grey = lk.data.readImage(lk.data.writeImage(join(dir, 'g.png'), lk.tensor([[0, 300], [-5, 127.6]])));
  assert.equal(Array.from(grey.data), [0, 0, 0, 255, 255, 255, 0, 0, 0, 128, 128, 128]);
  throwsMatch(() => lk.data.writeImage(join(dir, 'x.jpg'), t), /must end in .png/);
  throwsMatch(() => lk.data.writeImage(join(dir, 'x.png'), lk.zeros([2, 2, 2])), /expected \[H, W\]/);
  writeFileSync(join(dir, 'not.png'), 'not an image');
  throwsMatch(() => lk.data.readImage(join(dir, 'not.png')), /neither PNG nor TIFF/);
});

test('writeWav/readWav round trip (mono and stereo, 16-bit)', () => {
  const mono = lk.tensor(Float32Array.from({ length: 400 }, (_, i) => 0.8 * Math.sin(i / 7)));
  const r = lk.data.readWav(lk.data.writeWav(join(dir, 'm.wav'), mono, 8000));
  assert.is(r.sampleRate, 8000);
  assert.equal(r.data.shape, [400, 1]);
  for (let i = 0; i < 400; i++) assert.ok(Math.abs(r.data.data[i] - mono.data[i]) < 1e-4);
  const st = lk.tensor(Float32Array.from({ length: 200 }, (_, i) => (i % 2 ? -0.5 : 0.25)), [100, 2]);
  const r2 = lk.data.readWav(lk.data.writeWav(join(dir, 's.wav'), st, 22050));
  assert.equal(r2.data.shape, [100, 2]);
  assert.ok(Math.abs(r2.data.data[0] - 0.25) < 1e-4 && Math.abs(r2.data.data[1] + 0.5) < 1e-4);
  throwsMatch(() => lk.data.writeWav(join(dir, 'x.wav'), mono, 0), /rate/);
  throwsMatch(() => lk.data.readWav(join(dir, 'a.png')), /not a readable WAV/);
});

test('bundled data: mnist digits and the baboon images', () => {
  const m = lk.data.mnist({ limit: 300, seed: 1 });
  assert.equal(m.images.shape, [300, 784]);
  assert.ok(m.images.data.every((v) => v >= 0 && v <= 1));
  assert.ok(new Set(m.labels).size === 10);
  const b = lk.data.mnist({ limit: 50, binarize: true });
  assert.ok(b.images.data.every((v) => v === 0 || v === 1));
  assert.ok(b.labels.every((l) => l === 0), 'unshuffled digits come grouped by class');
  const small = lk.data.baboon(128), big = lk.data.baboon(512);
  assert.equal(small.shape, [128, 128, 3]); assert.equal(big.shape, [512, 512, 3]);
  assert.equal(Array.from(big.data.slice(0, 3)), [164, 150, 71]);
  throwsMatch(() => lk.data.baboon(64), /128 or 512/);
});

test.run();
