// The API reference: TypeDoc (typedoc.json, as `npm run docs`) with its
// validation on and warnings as errors, so an export without JSDoc, a broken
// {@link} or a type the docs reference but the package does not export fails
// here. It writes the HTML into a temporary folder, not docs/api.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('typedoc.json keeps validation on and treats warnings as errors', () => {
  const c = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8'));
  assert.is(c.treatWarningsAsErrors, true);
  assert.is(c.treatValidationWarningsAsErrors, true);
  for (const k of ['notExported', 'invalidLink', 'notDocumented']) assert.is(c.validation[k], true, `validation.${k}`);
  assert.equal(c.entryPoints, ['src/index.ts']);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.is(pkg.scripts.docs, 'typedoc');
});

test('TypeDoc generates the reference with no warning', () => {
  const out = mkdtempSync(join(tmpdir(), 'latentkit-docs-'));
  try {
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out], { cwd: root, encoding: 'utf8', timeout: 300000 });
    const log = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    assert.is(r.status, 0, `typedoc failed:\n${log.split('\n').filter((l) => /warning|error/.test(l)).slice(0, 40).join('\n')}`);
    assert.not.match(log, /\[warning\]/);
    for (const page of ['index.html', 'classes/VAE.html', 'functions/ready.html', 'functions/setWasmPaths.html']) {
      assert.ok(existsSync(join(out, page)), `no ${page} in the reference`);
    }
    assert.match(readFileSync(join(out, 'classes/VAE.html'), 'utf8'), /fitAsync/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test.run();
