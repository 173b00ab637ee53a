// Compiles the AssemblyScript kernels (wasm/assembly) into wasm/build/ with
// the release targets of wasm/asconfig.json: latentkit.wasm (SIMD) and
// latentkit.relaxed.wasm (SIMD + relaxed SIMD: fused multiply-add, used where
// the runtime supports it), and each again as a threads build on shared
// memory (*.threads.wasm). A missing or failing compiler never fails the
// whole build: it prints a warning and exits 0, the library then uses the js
// kernels, and setBackend('wasm') explains how to build (with --strict the
// script exits 1 instead).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasmDir = join(root, 'wasm');
const strict = process.argv.includes('--strict');

function giveUp(msg) {
  const text = `latentkit: the wasm kernels were not built: ${msg}\n` +
    '  The library still works (it falls back to the js kernels); to get the wasm backend run: npm run build:wasm';
  if (strict) { console.error(text); process.exit(1); }
  console.warn(text);
  process.exit(0);
}

let asc;
try {
  asc = createRequire(import.meta.url).resolve('assemblyscript/bin/asc.js');
} catch (e) {
  giveUp(`the AssemblyScript compiler (asc) is not installed (${e.code ?? e.message}); install it with: npm install --save-dev assemblyscript`);
}
if (!existsSync(join(wasmDir, 'asconfig.json'))) giveUp('wasm/asconfig.json is missing.');
mkdirSync(join(wasmDir, 'build'), { recursive: true });

// *.threads.wasm: the same kernels on an imported shared memory (for the worker pool, src/backend/wasm/pool.ts)
const outputs = {
  release: 'latentkit.wasm', 'release-relaxed': 'latentkit.relaxed.wasm',
  'release-threads': 'latentkit.threads.wasm', 'release-relaxed-threads': 'latentkit.relaxed.threads.wasm',
};
// a failed build must not leave an older module behind for the loader to pick up
for (const file of Object.values(outputs)) rmSync(join(wasmDir, 'build', file), { force: true });
for (const target of Object.keys(outputs)) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [asc, 'assembly/index.ts', '--config', 'asconfig.json', '--target', target], {
    cwd: wasmDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  if (r.status !== 0) {
    const tail = log.split('\n').filter((l) => l.trim()).slice(-30).join('\n');
    giveUp(`asc failed for target '${target}' (exit ${r.status}${r.error ? ', ' + r.error.message : ''}):\n${tail}`);
  }
  // AS112 (v128 at an internal module boundary) is expected; show anything else
  const other = log.split('\n').filter((l) => /^(WARNING|ERROR)/.test(l) && !l.includes('AS112'));
  if (other.length) console.warn(other.join('\n'));
  console.log(`latentkit: wasm kernels built (${target}, ${Date.now() - started} ms)`);
}
