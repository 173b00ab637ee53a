// Builds the C++ Node-API addon with cmake-js (into build/Release), or finds
// that a prebuilt one fits. Modes:
//   (none)      build from source; a failure exits 1 (npm run build:native).
//   --install   the npm install hook: in an installed package, when
//               prebuilds/<platform>-<arch>/ has a binary that loads here,
//               nothing is built; otherwise (and in a clone) build from
//               source, and a failure is recorded in build/native-build-error.txt
//               while the install still succeeds (the library falls back to
//               wasm/js and setBackend('native') shows the error).
//               LATENTKIT_BUILD_FROM_SOURCE=1 always builds.
//   --optional  as --install without looking at prebuilds (the old hook).
//   --prebuild  (prepack) build if needed and copy the binary into
//               prebuilds/<platform>-<arch>/, node-gyp-build's layout, which
//               the package ships instead of build/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const install = args.includes('--install');
const optional = install || args.includes('--optional');
const prebuild = args.includes('--prebuild');
const errorFile = join(root, 'build', 'native-build-error.txt');
const built = join(root, 'build', 'Release', 'latentkit_native.node');
const require = createRequire(import.meta.url);

/** 'glibc' or 'musl' on Linux, else '' (the tag in a prebuild's file name). */
function libc() {
  if (process.platform !== 'linux') return '';
  try { return process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl'; } catch { return 'glibc'; }
}
const target = `${process.platform}-${process.arch}`;
const prebuildDir = join(root, 'prebuilds', target);
const prebuildFile = join(prebuildDir, libc() ? `latentkit_native.${libc()}.node` : 'latentkit_native.node');

function fail(msg) {
  mkdirSync(join(root, 'build'), { recursive: true });
  writeFileSync(errorFile, msg);
  if (optional) {
    console.warn(`latentkit: native addon not built for ${target} (falling back to wasm/js): ${msg.split('\n')[0]}`);
    process.exit(0);
  }
  console.error(msg);
  process.exit(1);
}

/** True when the file loads as this package's addon in this Node. */
function loads(file) {
  try { return typeof require(file).info === 'function'; } catch { return false; }
}

/** The newest modification time under native/ (sources, headers, CMakeLists). */
function newestSource(dir = join(root, 'native')) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name), s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newestSource(p) : s.mtimeMs);
  }
  return t;
}

function buildFromSource() {
  if (process.env.LATENTKIT_SKIP_NATIVE) fail('LATENTKIT_SKIP_NATIVE is set; the native build was skipped.');
  if (!existsSync(join(root, 'native', 'CMakeLists.txt'))) fail('native/CMakeLists.txt is missing; nothing to build.');
  let cmakeJs;
  try {
    cmakeJs = require.resolve('cmake-js/bin/cmake-js');
  } catch (e) {
    fail(`cmake-js is not installed (${e.message}). Run: npm install cmake-js, then: npm rebuild latentkit`);
  }
  const r = spawnSync(process.execPath, [cmakeJs, 'compile', '--directory', join(root, 'native'), '--out', join(root, 'build')], {
    cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    fail(`cmake-js build failed on ${target} (exit ${r.status}${r.error ? ', ' + r.error.message : ''}).\n${tail}\n`
      + 'Install cmake and a C++17 compiler, then run: npm rebuild latentkit');
  }
  if (existsSync(errorFile)) rmSync(errorFile);
  console.log(`latentkit: native addon built from source for ${target}`);
}

// a clone of the repository (src/ is not in the package) always builds from its sources
const isClone = existsSync(join(root, 'src', 'index.ts'));
if (install && !isClone && !process.env.LATENTKIT_BUILD_FROM_SOURCE && !process.env.LATENTKIT_SKIP_NATIVE && existsSync(prebuildFile) && loads(prebuildFile)) {
  console.log(`latentkit: using the prebuilt native addon for ${target}`);
  process.exit(0);
}
if (prebuild) {
  if (!existsSync(built) || statSync(built).mtimeMs < newestSource()) buildFromSource();
  if (!loads(built)) fail(`${built} does not load in this Node; rebuild it with: npm run build:native`);
  rmSync(join(root, 'prebuilds'), { recursive: true, force: true }); // only this machine's binary, never a stale one
  mkdirSync(prebuildDir, { recursive: true });
  copyFileSync(built, prebuildFile);
  console.log(`latentkit: prebuilt ${prebuildFile.slice(root.length + 1)}`);
  process.exit(0);
}
buildFromSource();
