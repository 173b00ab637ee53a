// `latentkit report --tiny` on a few models, then the page opened in headless
// Chromium: every section present and every image loaded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMMANDS } from '../../dist/cli/registry.js';
import { run, tempDir } from './util.js';
import { testUnless } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ONLY = ['kmeans', 'ssl-gda', 'kl', 'ica'];
const out = tempDir('report');
let result;

/** The browser test, skipped where Chromium is not installed. */
const browserTest = testUnless(existsSync(CHROMIUM) ? '' : `${CHROMIUM} is missing (apt-get install -y chromium)`);

test.before(async () => {
  result = await run(['report', '--tiny', '--only', ONLY.join(','), '--out', out], { timeout: 90_000 });
});

test('report writes index.html with one section per model', () => {
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /report: wrote .*index\.html/);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  for (const m of ONLY) {
    assert.ok(html.includes(`id="${m}"`), `section ${m} missing`);
    assert.ok(existsSync(join(out, m, 'metrics.json')), `${m}/metrics.json missing`);
  }
  assert.ok(!html.includes('id="vae"'), '--only should leave other models out');
});

test('report --help lists the models it can run', async () => {
  const r = await run(['report', '--help']);
  assert.is(r.code, 0);
  for (const c of COMMANDS) assert.ok(r.stdout.includes(c.name));
});

browserTest('the page renders in headless Chromium with every image loaded', async () => {
  const { chromium } = await import('playwright-core');
  const profile = tempDir('chromium-profile');
  // a fresh profile folder (playwright passes it to Chromium as --user-data-dir)
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(out, 'index.html')).href, { waitUntil: 'load' });
    const sections = await page.$$eval('section.model', (els) => els.map((e) => e.getAttribute('data-model')));
    assert.equal(sections.sort(), [...ONLY].sort());
    const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0 })));
    assert.ok(images.length >= ONLY.length, `only ${images.length} images`);
    for (const im of images) assert.ok(im.ok, `image did not load: ${im.src}`);
    const title = await page.title();
    assert.is(title, 'latentkit report');
  } finally {
    await browser.close();
  }
});

test.run();
