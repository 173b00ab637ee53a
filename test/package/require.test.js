// CommonJS: `require('latentkit')` in the consumer project (the package's
// `require` condition, served by Node's require(esm): one module instance for
// require and import, so the backend choice and the random state are shared).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testUnless } from '../helpers.js';
import { cleanEnv, consumer, missing, node, run } from './consumer.js';

const t = testUnless(missing());

t('require(\'latentkit\') from a .cjs file works: tensors, a model, the backends', () => {
  const { dir } = consumer();
  writeFileSync(join(dir, 'app.cjs'), `
    const lk = require('latentkit');
    lk.seed(1);
    const x = lk.randn([50, 3]);
    const km = new lk.KMeans({ nClusters: 2, seed: 0 }).fit(x);
    console.log(JSON.stringify({ sum: lk.tensor([1, 2, 3]).sum().item(), inertia: km.inertia, backends: lk.backends(), fns: typeof lk.ready + typeof lk.setWasmPaths }));`);
  const r = run(process.execPath, ['app.cjs'], { cwd: dir, env: cleanEnv() });
  assert.is(r.status, 0, r.err);
  assert.not.match(r.err, /ExperimentalWarning|ERR_/, `require printed: ${r.err}`);
  const got = JSON.parse(r.out);
  assert.is(got.sum, 6);
  assert.ok(got.inertia > 0 && Number.isFinite(got.inertia));
  assert.ok(got.backends.includes('js'));
  assert.is(got.fns, 'functionfunction');
});

t('require and import give the same module (no dual-package state)', () => {
  const { dir } = consumer();
  const r = node(dir, 'both.mjs', `
    import * as esm from 'latentkit';
    import { createRequire } from 'node:module';
    const cjs = createRequire(import.meta.url)('latentkit');
    esm.setBackend('js');
    console.log(JSON.stringify({ same: cjs.Tensor === esm.Tensor && cjs.VAE === esm.VAE, backend: cjs.getBackend() }));`);
  assert.is(r.status, 0, r.err);
  assert.equal(JSON.parse(r.out), { same: true, backend: 'js' });
});

t.run();
