// Helpers for the CLI tests: run the built `latentkit` in a child process,
// temp folders, and PNG checks.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const here = dirname(fileURLToPath(import.meta.url));
export const BIN = join(here, '..', '..', 'bin', 'latentkit.js');

export function tempDir(name) {
  return mkdtempSync(join(tmpdir(), `latentkit-${name}-`));
}

/**
 * Run `latentkit ...args`; resolves {code, stdout, stderr}. `onStart(child)`
 * can signal the child (e.g. SIGINT).
 */
export function run(args, { timeout = 120_000, onStart, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`latentkit ${args.join(' ')} timed out after ${timeout} ms\n${stderr}`)); }, timeout);
    child.on('error', reject);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code: code ?? signal, stdout, stderr }); });
    onStart?.(child);
  });
}

/** Run tasks (functions returning promises) at most `limit` at a time. */
export async function pool(tasks, limit = 2) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => { while (next < tasks.length) { const i = next++; results[i] = await tasks[i](); } };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Decode a PNG file (throws when it is not a valid PNG); returns {width, height}. */
export function readPng(path) {
  const png = PNG.sync.read(readFileSync(path));
  return { width: png.width, height: png.height };
}

/** '--batch-size' from 'batchSize'. */
export function flag(name) {
  return '--' + name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Command-line flags for an options object. */
export function flags(opts) {
  const out = [];
  for (const [k, v] of Object.entries(opts)) {
    if (v === true) out.push(flag(k));
    else out.push(flag(k), Array.isArray(v) ? v.join(',') : String(v));
  }
  return out;
}
