// The wasm kernels in a browser: serves the package root on 127.0.0.1, opens
// test/wasm/page/ in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core, no browser download) and compares what the page computed
// on the wasm kernels with the same demo run on the js reference in Node.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsKernels } from '../../dist/backend/js/index.js';
import { runDemo } from './page/demo.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.LATENTKIT_CHROMIUM ?? '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

function serve() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^([/\\])+/, '');
    let file = join(root, path);
    if (!file.startsWith(root + sep) && file !== root) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end(`not found: ${path}`); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function close(x, y, what) {
  const ok = Math.abs(x - y) <= 1e-5 + 1e-4 * Math.abs(y);
  assert.ok(ok, `${what}: browser ${x}, node js reference ${y}`);
}

const missing = !existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install -y chromium)`
  : !existsSync(join(root, 'wasm', 'build', 'latentkit.wasm')) ? 'wasm/build/latentkit.wasm is missing (npm run build:wasm)'
    : null;

if (missing) {
  console.log(`skipping the browser test: ${missing}`);
  test.skip('wasm kernels run in headless Chromium and match the js reference', () => {});
} else {
  test('wasm kernels run in headless Chromium and match the js reference', async () => {
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
      await page.goto(`http://127.0.0.1:${server.address().port}/test/wasm/page/index.html`);
      await page.waitForSelector('#result[data-done]', { timeout: 60000 });
      const text = await page.textContent('#result');
      assert.ok(!text.startsWith('ERROR'), `the page failed: ${text} ${errors.join('\n')}`);
      const got = JSON.parse(text);
      const want = runDemo(jsKernels);
      for (const key of ['matmul', 'matmul_tA', 'matmul_tB']) {
        for (const f of ['sum', 'first', 'last']) close(got[key][f], want[key][f], `${key}.${f}`);
      }
      close(got.vae.loss, want.vae.loss, 'vae loss');
      want.vae.gradNorms.forEach((g, i) => close(got.vae.gradNorms[i], g, `vae grad norm ${i}`));
      assert.is(got.check512, 0.5 * 0.25 * 512);
      console.log(`  browser: relaxed SIMD ${got.info.relaxed}, 512² matmul ${got.matmul512GFlops.toFixed(1)} GFLOP/s, demo ${got.demoMs.toFixed(0)} ms`);
    } finally {
      await context?.close();
      await new Promise((r) => server.close(r));
      rmSync(profile, { recursive: true, force: true });
    }
  });
}

test.run();
