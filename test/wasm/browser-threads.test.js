// The threads build in a browser: serves the package root on 127.0.0.1 with
// the headers that make a page cross-origin isolated (COOP same-origin, COEP
// require-corp, so SharedArrayBuffer exists), opens test/wasm/page-threads/
// in headless Chromium and checks that the wasm backend started its Web
// Workers and that a matmul and a conv2d on 2 threads equal those on 1 bit
// for bit. (test/wasm/browser.test.js covers the page without isolation,
// where the one-thread build runs.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, ISOLATED, runPage } from '../browser.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const missing = !existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install -y chromium)`
  : !existsSync(join(root, 'wasm', 'build', 'latentkit.threads.wasm')) ? 'wasm/build/latentkit.threads.wasm is missing (npm run build:wasm)'
    : null;

if (missing) {
  console.log(`\nskipped: 1 (${missing})`);
  test.skip('the threads build runs on Web Workers in a cross-origin-isolated page');
} else {
  test('the threads build runs on Web Workers in a cross-origin-isolated page, equal to one thread', async () => {
    const { text, errors } = await runPage(root, 'test/wasm/page-threads/index.html', { headers: ISOLATED, warnings: true });
    assert.ok(!text.startsWith('ERROR'), `the page failed: ${text} ${errors.join('\n')}`);
    const got = JSON.parse(text);
    assert.ok(got.isolated, 'the page is cross-origin isolated');
    assert.ok(got.info.shared, `the threads build loaded: ${JSON.stringify(got.info)}`);
    assert.is(got.info.threads, 2, `two threads: ${JSON.stringify(got.info)} ${errors.join('\n')}`);
    assert.ok(got.matmulSame, 'matmul on 2 threads equals 1 thread');
    assert.ok(got.convSame, 'conv2d on 2 threads equals 1 thread');
    assert.ok(got.resident.shared, `resident arrays live in the shared memory: ${JSON.stringify(got.resident)}`);
    assert.ok(got.resident.same, 'matmul on resident arrays equals matmul on copied ones');
    assert.ok(got.resident.bytes >= 4 * 300 * 301, `resident bytes counted: ${got.resident.bytes}`);
    assert.is(errors.length, 0, errors.join('\n'));
    console.log(`  browser threads: 512² matmul ${got.matmul512.oneMs.toFixed(1)} ms on 1 thread, ${got.matmul512.twoMs.toFixed(1)} ms on 2`);
  });
}

test.run();
