// The package as a consumer gets it: `npm pack` of this repository (after the
// prepack step's prebuild), installed from the tarball into a new project in a
// temporary folder. Done once per process (uvu runs this folder's files in one)
// and shared by the test files here; removed when the process exits.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The environment without the npm_* variables of the `npm test` around us (they would steer the inner npm). */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'LATENTKIT_BACKEND') env[k] = v;
  return { ...env, ...extra };
}

export function run(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 240000, ...opts, env: opts.env ?? cleanEnv() });
  return { status: r.status, out: r.stdout ?? '', err: r.stderr ?? '', ms: performance.now() - t0, error: r.error };
}

/** Why the consumer project cannot be made here, or '' (dist/ and wasm/build/ come from `npm run build`). */
export function missing() {
  if (!existsSync(join(root, 'dist', 'index.js'))) return 'dist/ is missing (npm run build)';
  if (!existsSync(join(root, 'wasm', 'build', 'latentkit.wasm'))) return 'wasm/build/latentkit.wasm is missing (npm run build:wasm)';
  return '';
}

let made;

/**
 * { dir, tarball, pack, install } once per process: pack (prebuild first, the
 * prepack step without its full rebuild, which `npm test` just did), then a
 * timed `npm install <tarball>` in a new project.
 */
export function consumer() {
  if (made) return made;
  const tmp = mkdtempSync(join(tmpdir(), 'latentkit-consumer-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const pre = run(process.execPath, [join(root, 'scripts', 'build-native.js'), '--prebuild'], { cwd: root });
  if (pre.status !== 0) throw new Error(`prebuild failed: ${pre.out}${pre.err}`);
  const packDir = join(tmp, 'pack');
  mkdirSync(packDir);
  const p = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: root });
  if (p.status !== 0) throw new Error(`npm pack failed: ${p.err}`);
  const pack = JSON.parse(p.out.slice(p.out.indexOf('[')))[0];
  const tarball = join(packDir, pack.filename);
  const dir = join(tmp, 'app');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'latentkit-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
  const install = run('npm', ['install', tarball, '--no-audit', '--no-fund'], { cwd: dir });
  if (install.status !== 0) throw new Error(`npm install of the tarball failed (exit ${install.status}):\n${install.out}\n${install.err}`);
  made = { tmp, dir, tarball, pack, install };
  return made;
}

/** Make a devDependency of this repository (e.g. esbuild) resolvable from the consumer project, without a second install. */
export function linkDev(dir, name) {
  const to = join(dir, 'node_modules', name);
  if (!existsSync(to)) symlinkSync(join(root, 'node_modules', name), to, 'dir');
}

/** Run an ES module's source in the consumer project (so 'latentkit' resolves to the installed package). */
export function node(dir, file, source, env = {}) {
  writeFileSync(join(dir, file), source);
  return run(process.execPath, [file], { cwd: dir, env: cleanEnv(env) });
}
