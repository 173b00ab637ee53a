// The threads build in a browser: serves the package root on 127.0.0.1 with
// the headers that make a page cross-origin isolated (COOP same-origin, COEP
// require-corp, so SharedArrayBuffer exists), opens test/wasm/page-threads/
// in headless Chromium and checks that the wasm backend started its Web
// Workers and that a matmul and a conv2d on 2 threads equal those on 1 bit
// for bit. (test/wasm/browser.test.js covers the page without isolation,
// where the one-thread build runs.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.LATENTKIT_CHROMIUM ?? '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

function serve() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^([/\\])+/, '');
    let file = join(root, path);
    if (!file.startsWith(root + sep) && file !== root) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end(`not found: ${path}`); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...ISOLATED });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const missing = !existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install -y chromium)`
  : !existsSync(join(root, 'wasm', 'build', 'latentkit.threads.wasm')) ? 'wasm/build/latentkit.threads.wasm is missing (npm run build:wasm)'
    : null;

if (missing) {
  console.log(`\nskipped: 1 (${missing})`);
  test.skip('the threads build runs on Web Workers in a cross-origin-isolated page');
} else {
  test('the threads build runs on Web Workers in a cross-origin-isolated page, equal to one thread', async () => {
    const { chromium } = await import('playwright-core');
    const server = await serve();
    const profile = mkdtempSync(join(tmpdir(), 'latentkit-chromium-'));
    let context;
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => { if (m.type() === 'warning') errors.push(m.text()); }); // the pool's warnings (a 404 for /favicon.ico is an 'error')
      await page.goto(`http://127.0.0.1:${server.address().port}/test/wasm/page-threads/index.html`);
      await page.waitForSelector('#result[data-done]', { timeout: 60000 });
      const text = await page.textContent('#result');
      assert.ok(!text.startsWith('ERROR'), `the page failed: ${text} ${errors.join('\n')}`);
      const got = JSON.parse(text);
      assert.ok(got.isolated, 'the page is cross-origin isolated');
      assert.ok(got.info.shared, `the threads build loaded: ${JSON.stringify(got.info)}`);
      assert.is(got.info.threads, 2, `two threads: ${JSON.stringify(got.info)} ${errors.join('\n')}`);
      assert.ok(got.matmulSame, 'matmul on 2 threads equals 1 thread');
      assert.ok(got.convSame, 'conv2d on 2 threads equals 1 thread');
      assert.is(errors.length, 0, errors.join('\n'));
      console.log(`  browser threads: 512² matmul ${got.matmul512.oneMs.toFixed(1)} ms on 1 thread, ${got.matmul512.twoMs.toFixed(1)} ms on 2`);
    } finally {
      await context?.close();
      await new Promise((r) => server.close(r));
      rmSync(profile, { recursive: true, force: true });
    }
  });
}

test.run();
