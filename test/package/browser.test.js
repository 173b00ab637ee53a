// `import * as lk from 'latentkit'` in a page, as a consumer builds it: the
// browser example (examples/browser/) copied into the consumer project, bundled
// by its build.js with esbuild (platform 'browser': any Node built-in fails
// the build), served on 127.0.0.1 and run in headless Chromium (Debian's, driven
// by playwright-core). Its GaussianMixture, KMeans and PCA fits and one VAE
// epoch (fitAsync) on the wasm kernels must equal the same code run by Node on
// wasm in the same project.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { testUnless } from '../helpers.js';
import { CHROMIUM, runPage } from '../browser.js';
import { consumer, linkDev, missing, node, root, run } from './consumer.js';

const t = testUnless(missing() || (!existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install -y chromium)` : ''));

/** Compare two JSON results number by number: |a − b| <= 1e-5 + 1e-4 |b|; returns the largest difference. */
function compare(got, want, path = '') {
  if (typeof want === 'number') {
    assert.type(got, 'number', `${path}: the page gave ${JSON.stringify(got)}`);
    const d = Math.abs(got - want);
    assert.ok(d <= 1e-5 + 1e-4 * Math.abs(want), `${path}: page ${got}, Node ${want}`);
    return d;
  }
  if (Array.isArray(want)) {
    assert.is(got.length, want.length, `${path}: length`);
    return Math.max(0, ...want.map((w, i) => compare(got[i], w, `${path}[${i}]`)));
  }
  if (want && typeof want === 'object') return Math.max(0, ...Object.keys(want).map((k) => compare(got[k], want[k], `${path}.${k}`)));
  assert.is(got, want, path);
  return 0;
}

t('the browser example bundles with esbuild (no Node built-in) and its fits in Chromium equal Node\'s on wasm', async () => {
  const { dir } = consumer();
  cpSync(join(root, 'examples', 'browser'), join(dir, 'page'), { recursive: true, filter: (s) => !s.includes(`${sep}out`) });
  linkDev(dir, 'esbuild');
  const b = run(process.execPath, [join('page', 'build.js'), 'site'], { cwd: dir });
  assert.is(b.status, 0, `esbuild failed:\n${b.out}${b.err}`);
  const built = JSON.parse(b.out.trim().split('\n').pop());
  const bundle = readFileSync(join(dir, 'site', 'app.js'), 'utf8');
  assert.not.match(bundle, /\brequire\(["']node:|from["']node:/, 'the bundle references a Node built-in');

  const want = node(dir, 'demo-node.mjs', "import { runDemo } from './page/demo.js'; console.log(JSON.stringify(await runDemo()));", { LATENTKIT_BACKEND: 'wasm' });
  assert.is(want.status, 0, want.err);
  const ref = JSON.parse(want.out.trim().split('\n').pop());
  assert.is(ref.backend, 'wasm');

  const { text, errors } = await runPage(join(dir, 'site'), 'index.html', { timeout: 90000 });
  assert.ok(!text.startsWith('ERROR'), `the page failed: ${text}\n${errors.join('\n')}`);
  const got = JSON.parse(text);
  assert.is(got.backend, 'wasm', 'lk.ready() did not make wasm the backend in the page');
  assert.not.ok(got.backends.includes('native'), 'native listed in a browser');
  assert.match(got.readIdx, /needs Node/);
  const { backend, backends, ms, ...numbers } = ref;
  const maxDiff = compare({ gmm: got.gmm, kmeans: got.kmeans, pca: got.pca, vae: got.vae }, numbers, 'result');
  console.log(`  browser bundle ${(built.bundleBytes / 1024).toFixed(0)} KiB minified (${built.inputs} modules); page vs Node on wasm: largest difference ${maxDiff}; `
    + `page ms ${Object.entries(got.ms).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
});

t.run();
