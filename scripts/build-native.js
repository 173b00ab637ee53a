// Builds the C++ Node-API addon with cmake-js. With --optional (the npm
// install hook) a failed build is recorded in build/native-build-error.txt and
// installation still succeeds: the library then falls back to wasm/js and
// `setBackend('native')` shows this error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const optional = process.argv.includes('--optional');
const errorFile = join(root, 'build', 'native-build-error.txt');

function fail(msg) {
  mkdirSync(join(root, 'build'), { recursive: true });
  writeFileSync(errorFile, msg);
  if (optional) {
    console.warn(`latentkit: native addon not built (falling back to wasm/js): ${msg.split('\n')[0]}`);
    process.exit(0);
  }
  console.error(msg);
  process.exit(1);
}

if (process.env.LATENTKIT_SKIP_NATIVE) fail('LATENTKIT_SKIP_NATIVE is set; the native build was skipped.');
if (!existsSync(join(root, 'native', 'CMakeLists.txt'))) fail('native/CMakeLists.txt is missing; nothing to build.');
let cmakeJs;
try {
  cmakeJs = createRequire(import.meta.url).resolve('cmake-js/bin/cmake-js');
} catch (e) {
  fail(`cmake-js is not installed (${e.message}). Run: npm install cmake-js`);
}
const r = spawnSync(process.execPath, [cmakeJs, 'compile', '--directory', join(root, 'native'), '--out', join(root, 'build')], {
  cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
});
if (r.status !== 0) {
  const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').slice(-40).join('\n');
  fail(`cmake-js build failed (exit ${r.status}${r.error ? ', ' + r.error.message : ''}).\n${tail}\nRebuild with: npm run build:native`);
}
if (existsSync(errorFile)) rmSync(errorFile);
console.log('latentkit: native addon built');
