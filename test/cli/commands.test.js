// Every model command, run on tiny settings into a temp folder: exit 0,
// metrics.json with the model's numbers, every image a valid PNG, every chart
// an SVG, every track a WAV.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../dist/cli/registry.js';
import { run, pool, tempDir, readPng, flags } from './util.js';

const results = new Map();

test.before(async () => {
  const root = tempDir('commands');
  const runs = await pool(COMMANDS.map((c) => async () => {
    const out = join(root, c.name);
    const r = await run([c.name, ...flags(c.tiny), '--out', out, '--seed', '3']);
    return [c.name, { ...r, out }];
  }), 2);
  for (const [name, r] of runs) results.set(name, r);
});

for (const c of COMMANDS) {
  test(`${c.name}: tiny run writes metrics.json, valid PNGs and SVG charts`, () => {
    const r = results.get(c.name);
    assert.is(r.code, 0, `${c.name} exited ${r.code}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`${c.name}: wrote \\d+ figures? and metrics.json`));
    const metricsPath = join(r.out, 'metrics.json');
    assert.ok(existsSync(metricsPath), 'metrics.json missing');
    const m = JSON.parse(readFileSync(metricsPath, 'utf8'));
    assert.is(m.model, c.name);
    assert.is(m.stopped, false);
    assert.ok(typeof m.seconds === 'number' && m.seconds >= 0);
    assert.ok(['native', 'wasm', 'js'].includes(m.backend), `backend ${m.backend}`);
    assert.ok(Object.keys(m.metrics).length > 0, 'no metrics');
    assert.ok(m.figures.length > 0, 'no figures');
    const files = (ext) => readdirSync(r.out).filter((f) => f.endsWith(ext)).sort();
    const pngs = files('.png');
    assert.equal(pngs, m.figures.filter((f) => f.kind === 'image').map((f) => f.file).sort());
    assert.equal(files('.svg'), m.figures.filter((f) => f.kind === 'svg').map((f) => f.file).sort());
    assert.equal(files('.wav'), m.figures.filter((f) => f.kind === 'audio').map((f) => f.file).sort());
    for (const f of files('.svg')) {
      const svg = readFileSync(join(r.out, f), 'utf8');
      assert.ok(svg.startsWith('<svg') && svg.includes('role-title') && svg.includes('role-axis-title'), `${f}: not a titled Vega chart`);
    }
    for (const f of pngs) {
      const { width, height } = readPng(join(r.out, f));
      assert.ok(width > 0 && height > 0, `${f} is empty`);
    }
  });
}

test('--help lists every model and each model has its own --help', async () => {
  const top = await run(['--help']);
  assert.is(top.code, 0);
  for (const c of COMMANDS) assert.ok(top.stdout.includes(c.name), `${c.name} missing from --help`);
  const sub = await run(['kmeans', '--help']);
  assert.is(sub.code, 0);
  for (const f of ['--k', '--out', '--seed', '--backend', '--data', '--verbose']) assert.ok(sub.stdout.includes(f), `${f} missing`);
});

test('every setting the report uses is a flag of that command', () => {
  for (const c of COMMANDS) {
    for (const key of [...Object.keys(c.quick), ...Object.keys(c.tiny)]) assert.ok(key in c.options, `${c.name}: the report sets ${key}, which is not a flag`);
  }
});

test('same seed, same numbers', async () => {
  const a = tempDir('seed-a'), b = tempDir('seed-b');
  await Promise.all([a, b].map((out) => run(['kmeans', '--k', '4', '--max-iter', '3', '--out', out, '--seed', '7'])));
  const ma = JSON.parse(readFileSync(join(a, 'metrics.json'), 'utf8')).metrics;
  const mb = JSON.parse(readFileSync(join(b, 'metrics.json'), 'utf8')).metrics;
  assert.equal(ma, mb);
});

test.run();
