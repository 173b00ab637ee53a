// Shared by the browser tests: a static file server on 127.0.0.1 and a page in
// headless Chromium (Debian's /usr/bin/chromium driven by playwright-core, no
// browser download) that the page marks done by setting #result[data-done].
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';

export const CHROMIUM = process.env.LATENTKIT_CHROMIUM ?? '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
/** The response headers that make a page cross-origin isolated (SharedArrayBuffer exists). */
export const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** Serve the files under `dir` (a folder's index.html for the folder) with extra `headers`; resolves to the server. */
export function serve(dir, headers = {}) {
  const server = createServer((req, res) => {
    const rel = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^([/\\])+/, '');
    let file = join(dir, rel);
    if (!file.startsWith(dir + sep) && file !== dir) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end(`not found: ${rel}`); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...headers });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Open `path` of the files under `dir` in headless Chromium and wait for
 * #result[data-done]; returns { text, errors } (page errors, plus console
 * warnings when `warnings`). Everything is closed afterwards.
 */
export async function runPage(dir, path, { headers = {}, timeout = 60000, warnings = false } = {}) {
  const { chromium } = await import('playwright-core');
  const server = await serve(dir, headers);
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
    // a 404 for /favicon.ico is an 'error', so only warnings are collected
    if (warnings) page.on('console', (m) => { if (m.type() === 'warning') errors.push(m.text()); });
    await page.goto(`http://127.0.0.1:${server.address().port}/${path}`);
    await page.waitForSelector('#result[data-done]', { timeout });
    return { text: await page.textContent('#result'), errors };
  } finally {
    await context?.close();
    await new Promise((r) => server.close(r));
    rmSync(profile, { recursive: true, force: true });
  }
}
