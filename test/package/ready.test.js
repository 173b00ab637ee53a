// lk.ready() and lk.setWasmPaths() in Node: ready() resolves with the default
// backend; a wasm location that serves nothing leaves the js kernels in use
// and the reason in backendError('wasm'); a location that serves the modules
// makes wasm the default; bad arguments are refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { lk, isolated, throwsMatch } from '../helpers.js';
import { root } from './consumer.js';

test('ready() resolves with the backend in use', async () => {
  const b = await lk.ready();
  assert.is(b, lk.getBackend());
  assert.ok(lk.backends().includes(b));
});

test('setWasmPaths refuses what is not a prefix or a map of the two files', () => {
  throwsMatch(() => lk.setWasmPaths(42), /setWasmPaths: expected a URL prefix/);
  throwsMatch(() => lk.setWasmPaths({ 'kernels.wasm': '/x' }), /unknown file kernels\.wasm; the files are latentkit\.relaxed\.wasm and latentkit\.wasm/);
});

const run = (prefix) => isolated(`
  import * as lk from './dist/index.js';
  lk.setWasmPaths(${JSON.stringify(prefix)});
  const b = await lk.ready();
  console.log(JSON.stringify({ b, err: lk.backendError('wasm') ?? null }));`, { env: { LATENTKIT_SKIP_NATIVE: '1', LATENTKIT_BACKEND: '' } });

test('a wasm location with no modules: ready() resolves with js and the error says where it looked', () => {
  const r = run('file:///nonexistent-latentkit/');
  assert.is(r.status, 0, r.err);
  const got = JSON.parse(r.out);
  assert.is(got.b, 'js');
  assert.match(got.err, /could not fetch latentkit\.wasm from file:\/\/\/nonexistent-latentkit\/latentkit\.wasm/);
});

test('a wasm location that has the modules: ready() makes wasm the default', () => {
  const r = run(pathToFileURL(join(root, 'wasm', 'build')).href + '/');
  assert.is(r.status, 0, r.err);
  assert.equal(JSON.parse(r.out), { b: 'wasm', err: null });
});

test.run();
