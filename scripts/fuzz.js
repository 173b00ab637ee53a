// The long fuzz run: `npm run fuzz [-- --runs N --seeds S]`. Runs the driver
// (test/fuzz/driver.js) on every backend over S seeds of N calls each, every
// chunk in its own child process with a time limit, and prints the totals:
// calls, errors (clear ones, expected), crashes, hangs and bad results
// (silent NaN, raw JavaScript errors, wrong shapes). Exits 1 on any of the last three.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? Number(process.argv[i + 1]) : dflt; };
const runs = arg('runs', 5000), seeds = arg('seeds', 10), first = arg('first', 1000);
const lk = await import(join(root, 'dist', 'index.js'));
const total = { calls: 0, errors: 0, crashes: 0, hangs: 0, bad: 0 };
const problems = [];
const started = Date.now();
for (const backend of lk.backends()) {
  for (let s = first; s < first + seeds; s++) {
    const r = spawnSync(process.execPath, [join(root, 'test', 'fuzz', 'driver.js'), String(s), String(runs)], {
      encoding: 'utf8', timeout: 600_000, env: { ...process.env, LATENTKIT_BACKEND: backend }, maxBuffer: 1 << 24,
    });
    if (r.error?.code === 'ETIMEDOUT') { total.hangs++; problems.push(`${backend} seed ${s}: hang (over 600 s)`); continue; }
    if (r.signal || r.status !== 0) { total.crashes++; problems.push(`${backend} seed ${s}: ${r.signal ?? `exit ${r.status}`} ${(r.stderr ?? '').slice(-500)}`); continue; }
    const res = JSON.parse(r.stdout.trim().split('\n').pop());
    total.calls += res.calls; total.errors += res.errors; total.bad += res.bad;
    for (const f of res.failures) problems.push(`${backend} seed ${s}: ${f}`);
    console.log(`${backend} seed ${s}: ${res.calls} calls, ${res.errors} clear errors, ${res.bad} bad`);
  }
}
console.log(`\nfuzz: ${total.calls} calls on ${lk.backends().join(', ')} in ${((Date.now() - started) / 1000).toFixed(0)} s: ` +
  `${total.errors} clear errors, ${total.crashes} crashes, ${total.hangs} hangs, ${total.bad} bad results (silent NaN, raw errors, wrong shapes)`);
for (const p of problems.slice(0, 50)) console.log(`  ${p}`);
process.exit(total.crashes || total.hangs || total.bad ? 1 : 0);
