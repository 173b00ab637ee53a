// The public types without @types/node: a strict TypeScript consumer (no
// skipLibCheck, `types: []`, lib ES2022 + DOM) type-checks against the
// installed package's .d.ts files; a deliberate type error must be reported
// (so the check is live); and no public .d.ts names Buffer or NodeJS.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testUnless } from '../helpers.js';
import { consumer, missing, root, run } from './consumer.js';

const t = testUnless(missing());
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function files(dir, out = []) {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) files(p, out); else if (n.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const CONFIG = {
  compilerOptions: {
    strict: true, noEmit: true, skipLibCheck: false, types: [], lib: ['ES2022', 'DOM'],
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext',
  },
};

const GOOD = `
import * as lk from 'latentkit';
const x: lk.Tensor = lk.randn([10, 4]);
const bytes: Uint8Array = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]);
const idx: lk.Tensor = lk.data.parseIdx(bytes);
const vae = new lk.VAE({ inputDim: 4, hiddenDim: 8, latentDim: 2, likelihood: 'gaussian' });
const done: Promise<lk.VAE> = vae.fitAsync(x, { epochs: 1, signal: AbortSignal.timeout(1000) });
const saved: Uint8Array = vae.toBytes();
const gmm = new lk.GaussianMixture({ nComponents: 2 }).fit(x);
const b: Promise<lk.BackendName> = lk.ready();
lk.setWasmPaths('/assets/');
export { idx, done, saved, gmm, b };
`;

t('a strict consumer without @types/node type-checks; a wrong type is caught', () => {
  const { dir } = consumer();
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ ...CONFIG, files: ['good.ts'] }));
  writeFileSync(join(dir, 'good.ts'), GOOD);
  const ok = run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir });
  assert.is(ok.status, 0, `tsc reported:\n${ok.out}${ok.err}`);
  writeFileSync(join(dir, 'tsconfig.bad.json'), JSON.stringify({ ...CONFIG, files: ['bad.ts'] }));
  writeFileSync(join(dir, 'bad.ts'), "import * as lk from 'latentkit';\nconst s: string = lk.tensor([1]).item();\nexport { s };\n");
  const bad = run(process.execPath, [tsc, '-p', 'tsconfig.bad.json'], { cwd: dir });
  assert.is.not(bad.status, 0, 'tsc accepted a number assigned to a string');
  assert.match(bad.out, /TS2322/);
});

t('no public .d.ts mentions Buffer, NodeJS or a node: module', () => {
  const { dir } = consumer();
  const hits = [];
  for (const f of files(join(dir, 'node_modules', 'latentkit', 'dist'))) {
    if (f.includes(`${join('dist', 'cli')}`)) continue; // the command line is not part of the library's types
    const s = readFileSync(f, 'utf8');
    if (/\bBuffer\b(?!Source)|\bNodeJS\.|['"]node:/.test(s)) hits.push(f.slice(dir.length + 1));
  }
  assert.equal(hits, []);
});

t.run();
