// `import * as lk from 'latentkit'` in a page, as a consumer builds it: the
// browser example (examples/browser/) copied into the consumer project, bundled
// by its build.js with esbuild (platform 'browser': any Node built-in fails
// the build), served on 127.0.0.1 and run in headless Chromium (Debian's, driven
// by playwright-core). Its GaussianMixture, KMeans and PCA fits and one VAE
// epoch (fitAsync) on the wasm kernels must equal the same code run by Node on
// wasm in the same project.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { testUnless } from '../helpers.js';
import { consumer, linkDev, missing, node, root, run } from './consumer.js';

const CHROMIUM = process.env.LATENTKIT_CHROMIUM ?? '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const t = testUnless(missing() || (!existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install -y chromium)` : ''));

function serve(dir) {
  const server = createServer((req, res) => {
    const rel = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^([/\\])+/, '');
    let file = join(dir, rel);
    if (!file.startsWith(dir + sep) && file !== dir) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end(`not found: ${rel}`); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

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

  const { chromium } = await import('playwright-core');
  const server = await serve(join(dir, 'site'));
  const profile = mkdtempSync(join(tmpdir(), 'latentkit-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.waitForSelector('#result[data-done]', { timeout: 90000 });
    const text = await page.textContent('#result');
    assert.ok(!text.startsWith('ERROR'), `the page failed: ${text}\n${errors.join('\n')}`);
    const got = JSON.parse(text);
    assert.is(got.backend, 'wasm', 'lk.ready() did not make wasm the backend in the page');
    assert.not.ok(got.backends.includes('native'), 'native listed in a browser');
    assert.match(got.readIdx, /needs Node/);
    const { backend, backends, ms, ...numbers } = ref;
    const maxDiff = compare({ gmm: got.gmm, kmeans: got.kmeans, pca: got.pca, vae: got.vae }, numbers, 'result');
    console.log(`  browser bundle ${(built.bundleBytes / 1024).toFixed(0)} KiB minified (${built.inputs} modules); page vs Node on wasm: largest difference ${maxDiff}; `
      + `page ms ${Object.entries(got.ms).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
  } finally {
    await context?.close();
    await new Promise((r) => server.close(r));
    rmSync(profile, { recursive: true, force: true });
  }
});

t.run();
