// The bounded fuzz run of `npm test` (the long one is `npm run fuzz`): the
// driver's random calls on every backend, each run in a child process so that
// a crash or a hang fails this test instead of killing the runner.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lk } from '../helpers.js';

const driver = fileURLToPath(new URL('./driver.js', import.meta.url));
const RUNS = Number(process.env.LATENTKIT_FUZZ_RUNS ?? 2000);

for (const backend of lk.backends()) {
  for (const seed of [11, 12]) {
    test(`fuzz [${backend}] seed ${seed}: ${RUNS} calls, no crash, hang, silent NaN or raw error`, () => {
      const r = spawnSync(process.execPath, [driver, String(seed), String(RUNS)], {
        encoding: 'utf8', timeout: 60000, env: { ...process.env, LATENTKIT_BACKEND: backend },
      });
      assert.is(r.signal, null, `the driver was killed by ${r.signal} (a crash, or a hang past 60 s): ${(r.stderr ?? '').slice(-2000)}`);
      assert.is(r.status, 0, (r.stderr ?? '').slice(-2000));
      const res = JSON.parse(r.stdout.trim().split('\n').pop());
      assert.is(res.calls, RUNS);
      assert.is(res.bad, 0, res.failures.join('\n'));
    });
  }
}

test.run();
