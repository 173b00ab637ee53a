// `latentkit report --tiny` on a few models, then the page opened in headless
// Chromium: every section present, every chart an SVG with a title and axis
// titles, every image loaded, the audio playable, no console errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMMANDS } from '../../dist/cli/registry.js';
import { run, tempDir } from './util.js';
import { testUnless } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ONLY = ['kmeans', 'gmm', 'ssl-gda', 'pca', 'kl', 'ica', 'bernoulli-mixture', 'vae'];
const out = tempDir('report');
let result;

/** The browser test, skipped where Chromium is not installed. */
const browserTest = testUnless(existsSync(CHROMIUM) ? '' : `${CHROMIUM} is missing (apt-get install -y chromium)`);

test.before(async () => {
  result = await run(['report', '--tiny', '--only', ONLY.join(','), '--out', out], { timeout: 120_000 });
});

test('report writes index.html with one section per model', () => {
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /report: wrote .*index\.html/);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  for (const m of ONLY) {
    assert.ok(html.includes(`id="${m}"`), `section ${m} missing`);
    assert.ok(existsSync(join(out, m, 'metrics.json')), `${m}/metrics.json missing`);
  }
  assert.ok(!html.includes('id="cvae"'), '--only should leave other models out');
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
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(out, 'index.html')).href, { waitUntil: 'load' });
    const sections = await page.$$eval('section.model', (els) => els.map((e) => e.getAttribute('data-model')));
    assert.equal(sections.filter((s) => s !== 'generators').sort(), [...ONLY].sort());
    assert.ok(sections.includes('generators'), 'the generators comparison is missing');
    // every chart: an inline SVG (from Vega) with a title and at least two axis titles
    const charts = await page.$$eval('figure.chart', (figs) => figs.map((f) => {
      const svg = f.querySelector('svg');
      const text = (sel) => Array.from(f.querySelectorAll(sel)).map((e) => e.textContent.trim()).filter(Boolean);
      return { svg: !!svg && svg.getBoundingClientRect().width > 0, title: text('.role-title-text text, .role-title text'), axes: text('.role-axis-title text') };
    }));
    assert.ok(charts.length >= ONLY.length, `only ${charts.length} charts`);
    for (const c of charts) {
      assert.ok(c.svg, 'a chart is not a visible SVG');
      assert.ok(c.title.length >= 1, 'a chart has no title');
      assert.ok(c.axes.length >= 2, `chart "${c.title[0]}" has ${c.axes.length} axis titles`);
    }
    for (const m of ONLY) {
      const n = await page.$$eval(`section#${m} figure.chart svg`, (e) => e.length);
      assert.ok(n >= 1, `${m} has no chart`);
    }
    // ICA's unmixed tracks: <audio> elements whose WAVs load with a duration
    const durations = await page.$$eval('audio', (els) => Promise.all(els.map((a) => new Promise((res) => {
      if (a.readyState >= 1) res(a.duration);
      a.addEventListener('loadedmetadata', () => res(a.duration));
      a.addEventListener('error', () => res(-1));
      a.load();
    }))));
    assert.ok(durations.length >= 2, `only ${durations.length} audio elements`);
    for (const d of durations) assert.ok(d > 0, `an audio element has duration ${d}`);
    // GMM's and PCA's tables
    assert.ok(await page.$$eval('section#gmm figure.table tr', (r) => r.length) >= 3, 'the GMM table of pi and mu is missing');
    const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0 })));
    assert.ok(images.length >= ONLY.length, `only ${images.length} images`);
    for (const im of images) assert.ok(im.ok, `image did not load: ${im.src}`);
    const title = await page.title();
    assert.is(title, 'latentkit report');
    assert.equal(errors, [], `console errors: ${errors.join('; ')}`);
  } finally {
    await browser.close();
  }
});

test.run();
