// Runs the test suites: test/backend/ once per available backend (the kernel
// suite every backend must pass against the js reference), every other folder
// of test/ once on the default backend. A test that cannot run here is
// skipped, never passed: uvu counts it ("Skipped:") and its file prints
// "skipped: N (reason)" (see testUnless in helpers.js). Prints the reasons and
// one closing line "N passed, N failed, N skipped"; exits non-zero on any failure.
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
const reasons = [];
for (const r of runs) {
  if (only.length && !only.includes(r.dir)) continue;
  const env = { ...process.env };
  if (r.backend) env.LATENTKIT_BACKEND = r.backend;
  const label = `${r.dir}${r.backend ? ` [${r.backend}]` : ''}`;
  console.log(`\n=== ${label} ===`);
  const res = spawnSync(process.execPath, [uvu, join(here, r.dir), '\\.test\\.js$'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const out = res.stdout ?? '';
  process.stdout.write(out);
  const plain = out.replace(/\x1b\[[0-9;]*m/g, ''); // uvu colours its numbers
  const num = (k) => Number((plain.match(new RegExp(`${k}:\\s+(\\d+)`)) ?? [])[1] ?? NaN);
  const total = num('Total'), ok = num('Passed'), skip = num('Skipped');
  let file = '';
  for (const line of plain.split('\n')) {
    if (/^\S+\.test\.js$/.test(line)) file = line; // uvu names each file before its results
    const m = /^skipped: (\d+) \((.*)\)$/.exec(line);
    if (m) reasons.push(`${label} ${file}: ${m[1]} skipped (${m[2]})`);
  }
  skipped += Number.isFinite(skip) ? skip : 0; // uvu's Total counts only the tests that ran
  if (res.status !== 0 || !Number.isFinite(total)) {
    failed += Number.isFinite(total) ? Math.max(total - ok, 1) : 1;
    passed += Number.isFinite(ok) ? ok : 0;
    console.log(`!!! ${label} failed (exit ${res.status})`);
  } else {
    passed += ok;
  }
}
if (reasons.length) console.log(`\n${reasons.join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
