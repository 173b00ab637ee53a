// npm run test:sanitize: builds the addon once with AddressSanitizer and
// UndefinedBehaviorSanitizer (gcc's -fsanitize=address,undefined, into
// build-sanitize/), then runs the backend suite, the native tests and the fuzz
// suite against it with the matching libasan preloaded. Any sanitizer report
// aborts the child and fails the run. Leak detection is off: V8 itself keeps
// allocations alive until exit.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build-sanitize');
const cmakeJs = createRequire(import.meta.url).resolve('cmake-js/bin/cmake-js');
const build = spawnSync(process.execPath, [cmakeJs, 'compile', '--directory', join(root, 'native'), '--out', out, '--CDLK_SANITIZE=ON', '--debug'],
  { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const addon = ['Debug', 'Release'].map((d) => join(out, d, 'latentkit_native.node')).find(existsSync);
const lib = (name) => spawnSync('gcc', [`-print-file-name=${name}`], { encoding: 'utf8' }).stdout.trim();
const preload = [lib('libasan.so'), lib('libubsan.so')].filter((p) => p.startsWith('/')).join(':');
console.log(`sanitized addon: ${addon}\nLD_PRELOAD=${preload}`);
const env = {
  ...process.env, LD_PRELOAD: preload, LATENTKIT_NATIVE_ADDON: addon,
  ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1:halt_on_error=1', UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
};
const folders = process.argv.slice(2).length ? process.argv.slice(2) : ['backend', 'native', 'fuzz'];
const r = spawnSync(process.execPath, [join(root, 'test', 'run.js'), ...folders], { cwd: root, stdio: 'inherit', env });
process.exit(r.status ?? 1);
