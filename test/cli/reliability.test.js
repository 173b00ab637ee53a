// Issue 11's command-line causes: each bad input exits 2 with one line that
// names the cause and the fix, never a raw error, exit 1 or a hang.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { run, tempDir } from './util.js';

const UTIF = createRequire(import.meta.url)('utif');
const dir = tempDir('reliability');

async function expectUsage(args, re, env) {
  const r = await run(args, { timeout: 60_000, env });
  assert.is(r.code, 2, `exit ${r.code}: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0], re);
}

/** A baseline TIFF (big-endian, one strip at byte 1000) with the given tags and sample bytes. */
function tiff(path, w, h, tags, samples) {
  const ifd = { t256: [w], t257: [h], t259: [1], t273: [1000], t278: [h], t279: [samples.length], t282: [1], t283: [1], t296: [1], ...tags };
  const head = new Uint8Array(UTIF.encode([ifd]));
  const bytes = new Uint8Array(1000 + samples.length);
  bytes.set(head); bytes.set(samples, 1000);
  writeFileSync(path, bytes);
}

test('--out naming a file, or a folder under /proc, exits 2 at once', async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  await expectUsage(['kmeans', '--max-iter', '2', '--out', file], /--out: cannot create .* is a file, not a directory/);
  await expectUsage(['kmeans', '--max-iter', '2', '--out', '/proc/latentkit/out'], /--out: cannot create the directory '\/proc\/latentkit'/);
});

test('LATENTKIT_BACKEND naming no backend exits 2 and names the variable', async () => {
  await expectUsage(['kmeans', '--max-iter', '2', '--out', join(dir, 'o1')], /LATENTKIT_BACKEND=nope names no usable backend/, { LATENTKIT_BACKEND: 'nope' });
});

test('absurd and 4-D IDX headers exit 2', async () => {
  const big = Buffer.alloc(16);
  big.writeUInt32BE(0x0803, 0); big.writeUInt32BE(0, 4); big.writeUInt32BE(0xffffffff, 8); big.writeUInt32BE(0xffffffff, 12);
  writeFileSync(join(dir, 'big.idx'), big);
  await expectUsage(['pca', '--data', join(dir, 'big.idx'), '--out', join(dir, 'o2')], /implausible header/);
  const four = Buffer.alloc(4 + 16 + 120);
  four.writeUInt32BE(0x0804, 0);
  [2, 3, 4, 5].forEach((d, i) => four.writeUInt32BE(d, 4 + 4 * i));
  writeFileSync(join(dir, 'four.idx'), four);
  await expectUsage(['pca', '--data', join(dir, 'four.idx'), '--out', join(dir, 'o3')], /has 4 dimensions \[2,3,4,5\]/);
});

test('an RGBA TIFF and a float32 TIFF are refused; an 8-bit RGB TIFF is read', async () => {
  const w = 4, h = 4;
  tiff(join(dir, 'rgba.tif'), w, h, { t258: [8, 8, 8, 8], t262: [2], t277: [4], t338: [1] }, new Uint8Array(w * h * 4).fill(200));
  await expectUsage(['kmeans', '--k', '2', '--data', join(dir, 'rgba.tif'), '--out', join(dir, 'o4')], /alpha channel/);
  tiff(join(dir, 'float.tif'), w, h, { t258: [32], t262: [1], t277: [1] }, new Uint8Array(new Float32Array(w * h).fill(0.5).buffer));
  await expectUsage(['kmeans', '--k', '2', '--data', join(dir, 'float.tif'), '--out', join(dir, 'o5')], /32-bit samples; latentkit reads 8-bit TIFFs/);
  const rgb = new Uint8Array(w * h * 3).map((_, i) => (i * 37) % 256);
  tiff(join(dir, 'rgb.tif'), w, h, { t258: [8, 8, 8], t262: [2], t277: [3] }, rgb);
  const r = await run(['kmeans', '--k', '2', '--max-iter', '3', '--data', join(dir, 'rgb.tif'), '--out', join(dir, 'o6')], { timeout: 60_000 });
  assert.is(r.code, 0, r.stderr);
});

test.run();
