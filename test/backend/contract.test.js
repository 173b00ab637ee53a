// The kernel contract is written once (src/backend/kernels.spec.mjs): the
// generated files must match it, and every backend must implement it with the
// contract's names and arities.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KERNEL_NAMES, KERNEL_SPECS, UNARY_OPS } from '../../dist/backend/contract.js';
import { jsKernels } from '../../dist/backend/js/index.js';
import { kernels, getBackend } from '../../dist/backend/registry.js';
import { loadNative } from '../../dist/backend/native/index.js';

const BACKEND = process.env.LATENTKIT_BACKEND ?? 'default';
const gen = fileURLToPath(new URL('../../scripts/gen-contract.js', import.meta.url));

test(`[${BACKEND}] the generated contract files are up to date with kernels.spec.mjs`, () => {
  const r = spawnSync(process.execPath, [gen, '--check'], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
});

test(`[${BACKEND}] every kernel of the contract, with the contract's arity, on the js and active backends`, () => {
  for (const name of KERNEL_NAMES) {
    const arity = KERNEL_SPECS[name].args.filter((a) => a.type !== 'len').length;
    assert.type(jsKernels[name], 'function', name);
    assert.is(jsKernels[name].length, arity, `js ${name} takes ${arity} arguments`);
    assert.type(kernels()[name], 'function', `${getBackend()} ${name}`);
  }
  assert.equal(Object.keys(jsKernels).sort(), [...KERNEL_NAMES].sort());
});

test(`[${BACKEND}] an unknown op name is refused by name on the active backend`, () => {
  const x = new Float32Array(2), out = new Float32Array(2);
  assert.throws(() => kernels().unary('cube', out, x, 0, 0), /unknown op 'cube'|unknown/);
  assert.ok(UNARY_OPS.includes('exp'));
});

let native = null;
try { native = loadNative(); } catch { /* not built: test/run.js reports why, and this test is not registered */ }
if (native) {
  test(`[${BACKEND}] the native addon exports exactly the contract's kernels`, () => {
    assert.equal(Object.keys(native).sort(), [...KERNEL_NAMES].sort());
  });
}

test.run();
