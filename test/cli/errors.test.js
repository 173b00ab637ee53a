// Bad input: one line on stderr naming the problem and the fix, exit code 2,
// no stack trace unless --verbose. Also Ctrl-C stops cleanly keeping what was written.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { run, tempDir, pool } from './util.js';

const dir = tempDir('errors');
const rgba = join(dir, 'alpha.png'), deep = join(dir, 'deep.png'), fake = join(dir, 'fake.png'), rgb = join(dir, 'rgb.png');
{
  const p = new PNG({ width: 8, height: 8 });
  p.data.fill(128);
  writeFileSync(rgba, PNG.sync.write(p)); // RGBA
  writeFileSync(deep, PNG.sync.write(p, { bitDepth: 16, colorType: 2 }));
  writeFileSync(rgb, PNG.sync.write(p, { colorType: 2 }));
  writeFileSync(fake, 'this is not an image\n');
}

const cases = [
  ['unknown model', ['frobnicate'], /unknown model "frobnicate"; choose one of .*kmeans/],
  ['missing file', ['kmeans', '--data', join(dir, 'nope.png')], /no such file; check the path/],
  ['folder instead of file', ['kmeans', '--data', dir], /is a folder/],
  ['wrong kind of file', ['vae', '--data', rgb], /vae cannot train on a PNG\/TIFF image; give an IDX file or a CSV file/],
  ['not a data file at all', ['kmeans', '--data', fake], /not a file latentkit can read/],
  ['alpha channel', ['kmeans', '--data', rgba], /alpha channel; save it as 8-bit RGB/],
  ['16-bit channels', ['gmm', '--data', deep], /16-bit channels; save it with 8 bits/],
  ['option out of range', ['kmeans', '--k', '0'], /--k must be an integer from 1 to 256 \(got "0"\)/],
  ['option not a number', ['vae', '--epochs', 'ten'], /--epochs must be an integer/],
  ['bad choice', ['gmm', '--covariance-type', 'round'], /--covariance-type must be one of full, diag, spherical, tied/],
  ['bad backend name', ['kl', '--backend', 'gpu'], /--backend must be one of native, wasm, js/],
  ['unknown option', ['kmeans', '--colours', '3'], /unknown option '--colours'/],
  ['too many clusters for the data', ['kmeans', '--data', rgb, '--k', '100'], /more than the 64 pixels/],
];

const results = new Map();
test.before(async () => {
  const rs = await pool(cases.map(([name, args]) => async () => [name, await run(args, { timeout: 30_000 })]), 2);
  for (const [name, r] of rs) results.set(name, r);
});

for (const [name, , re] of cases) {
  test(`bad input: ${name}`, () => {
    const r = results.get(name);
    const lines = r.stderr.trim().split('\n');
    assert.is(lines.length, 1, `expected one line, got:\n${r.stderr}`);
    assert.match(lines[0], re);
    assert.not.match(r.stderr, /\n\s+at /, 'stack trace without --verbose');
    assert.is(r.code, 2, `exit code ${r.code}`);
  });
}

test('--verbose adds the stack trace', async () => {
  const r = await run(['kmeans', '--data', rgba, '--verbose']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /alpha channel/);
  assert.match(r.stderr, /\n\s+at /);
});

test('Ctrl-C stops between steps and keeps what was written', async () => {
  const out = tempDir('sigint');
  const r = await run(['vae', '--epochs', '200', '--limit', '2000', '--hidden-dim', '64', '--out', out], {
    onStart: (child) => setTimeout(() => child.kill('SIGINT'), 2500),
    timeout: 60_000,
  });
  assert.is(r.code, 130, `exit ${r.code}: ${r.stderr}`);
  assert.match(r.stderr, /stopping after the current step/);
  const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
  assert.is(m.stopped, true);
  for (const f of m.figures) assert.ok(existsSync(join(out, f.file)), `${f.file} missing`);
});

test.run();
