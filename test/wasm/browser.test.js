// The wasm kernels in a browser: serves the package root on 127.0.0.1, opens
// test/wasm/page/ in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core, no browser download) and compares what the page computed
// on the wasm kernels with the same demo run on the js reference in Node.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsKernels } from '../../dist/backend/js/index.js';
import { runDemo } from './page/demo.js';
import { CHROMIUM, runPage } from '../browser.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

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
    const { text, errors } = await runPage(root, 'test/wasm/page/index.html');
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
  });
}

test.run();
