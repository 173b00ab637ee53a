// Runs the test suites: test/backend/ once per available backend (the kernel
// suite every backend must pass against the js reference), every other folder
// of test/ once on the default backend. Prints one closing line
// "N passed, N failed" and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const uvu = join(here, '..', 'node_modules', 'uvu', 'bin.js');
const lk = await import('../dist/index.js');
const only = process.argv.slice(2); // optional folder names, e.g. `node test/run.js backend models`

const runs = [];
for (const b of lk.backends()) runs.push({ dir: 'backend', backend: b });
for (const name of readdirSync(here).sort()) {
  if (name === 'backend' || !statSync(join(here, name)).isDirectory()) continue;
  runs.push({ dir: name, backend: undefined });
}
for (const name of ['native', 'wasm']) {
  if (!lk.backends().includes(name)) console.log(`note: the ${name} backend is not available here: ${lk.backendError(name)}`);
}

let passed = 0, failed = 0, skipped = 0;
for (const r of runs) {
  if (only.length && !only.includes(r.dir)) continue;
  const env = { ...process.env };
  if (r.backend) env.LATENTKIT_BACKEND = r.backend;
  const label = `${r.dir}${r.backend ? ` [${r.backend}]` : ''}`;
  console.log(`\n=== ${label} ===`);
  const res = spawnSync(process.execPath, [uvu, join(here, r.dir), '\\.test\\.js$'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const out = res.stdout ?? '';
  process.stdout.write(out);
  const num = (k) => Number((out.match(new RegExp(`${k}:\\s+(\\d+)`)) ?? [])[1] ?? NaN);
  const total = num('Total'), ok = num('Passed'), skip = num('Skipped');
  if (res.status !== 0 || !Number.isFinite(total)) {
    failed += Number.isFinite(total) ? Math.max(total - ok - (skip || 0), 1) : 1;
    passed += Number.isFinite(ok) ? ok : 0;
    console.log(`!!! ${label} failed (exit ${res.status})`);
  } else {
    passed += ok; skipped += skip || 0;
  }
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
