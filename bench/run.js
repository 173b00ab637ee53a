// The benchmark suite: every case of bench/suites/*.js timed, in one run, on
// every latentkit backend available and on TensorFlow.js (cpu and wasm).
// Prints a table of medians, GFLOP/s and the speed-up over each tfjs backend
// (tfjs time / ours), and writes bench/results.md and bench/results.json.
//
//   node bench/run.js                 all suites
//   node bench/run.js --quick         fewer samples, the big sizes only where needed
//   node bench/run.js --only matmul   suites or cases whose name contains a word (comma-separated)
//
// A suite is a module exporting `name` and `cases(ctx)`; each case is
//   { id, flops?, target?: { ms } | { gflops }, skip?: { [engine]: reason },
//     peers?: (bench/python.js), ratios?: [{ ours, peer, min }] (issue-13 ratio targets:
//     peer time / ours time ≥ min, reported by bench/report.js),
//     make(ctx, engine) -> () => void }   // make may throw: reported as missing
// A ratio whose peer serves paired rounds (the PyTorch training steps, NumPy's products) is
// measured in rounds of ours and the peer in turn, the median of the per-round
// ratios (bench/paired.js). Otherwise, where a ratio's peer is timed in two runs
// (PyTorch's two OpenMP policies, the faster kept), our engine of that ratio is
// timed twice as well, before and after the peer, and keeps its faster median:
// the same treatment on both sides.
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadEngines, activate } from './engines.js';
import { time } from './timing.js';
import { report } from './report.js';
import { probePeers, timePeer, PEERS } from './python.js';
import { pairedRounds } from './paired.js';
import { probeHost } from './host.js';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',').filter(Boolean) : [];
const engineAt = argv.indexOf('--engines');
const engineFilter = engineAt >= 0 ? (argv[engineAt + 1] ?? '').split(',').filter(Boolean) : [];

const ctx = await loadEngines();
ctx.quick = quick;
if (engineFilter.length) ctx.engines = ctx.engines.filter((e) => engineFilter.includes(e.name));
const peerProbe = argv.includes('--no-peers') ? { python: null, have: {}, why: ['--no-peers'] } : probePeers();
ctx.peerNames = Object.keys(PEERS);
if (peerProbe.why.length) ctx.notes.push(`python peers missing: ${peerProbe.why.join(', ')} (apt-get install -y python3-torch python3-sklearn python3-numpy)`);
const started = Date.now();
console.log(`engines: ${ctx.engines.map((e) => e.name).join(', ')}${quick ? ' (quick)' : ''}`);
for (const n of ctx.notes) console.log(`note: ${n}`);

// the host's delivery to two threads, probed before and after every suite (1 s each), never while timing
ctx.host = { one: [], two: [], windowMs: 100 };
function probe() {
  if (ctx.host.why) return;
  const p = probeHost(quick ? 3 : 5, ctx.host.windowMs);
  if (p.why) { ctx.host.why = p.why; ctx.notes.push(p.why); return; }
  ctx.host.one.push(...p.one);
  ctx.host.two.push(...p.two);
}
probe();

const suiteFiles = readdirSync(join(here, 'suites')).filter((f) => f.endsWith('.js')).sort();
const results = [];
for (const file of suiteFiles) {
  const suite = await import(pathToFileURL(join(here, 'suites', file)).href);
  const wanted = (id) => !only.length || only.some((w) => suite.name.includes(w) || id.includes(w));
  const cases = suite.cases(ctx).filter((c) => wanted(c.id));
  if (!cases.length) continue;
  console.log(`\n## ${suite.name}`);
  for (const c of cases) {
    const row = { suite: suite.name, id: c.id, flops: c.flops ?? null, target: c.target ?? null, ratios: c.ratios ?? null, engines: {} };
    for (const engine of ctx.engines) {
      const skip = c.skip?.[engine.name] ?? c.skip?.[engine.kind];
      if (skip) { row.engines[engine.name] = { skipped: skip }; continue; }
      try {
        await activate(ctx, engine);
        const fn = c.make(ctx, engine);
        const t = time(fn, { quick });
        if (c.flops) t.gflops = c.flops / (t.median * 1e6);
        row.engines[engine.name] = t;
      } catch (e) {
        row.engines[engine.name] = { missing: String(e?.message ?? e).split('\n')[0] };
      }
      const r = row.engines[engine.name];
      const shown = r.median !== undefined
        ? `${r.median.toFixed(3)} ms${r.gflops ? ` (${r.gflops.toFixed(1)} GFLOP/s)` : ''}`
        : r.missing ? `missing: ${r.missing}` : `skipped: ${r.skipped}`;
      console.log(`  ${c.id.padEnd(34)} ${engine.name.padEnd(10)} ${shown}`);
    }
    // ratio targets against a peer that serves paired rounds (bench/paired.js): ours and the peer in turn
    const pairedWith = {};
    for (const q of c.ratios ?? []) {
      const peer = c.peers?.[q.peer];
      if (peer?.paired && peerProbe.have[q.peer] && row.engines[q.ours]?.median !== undefined) (pairedWith[q.peer] ??= []).push(q.ours);
    }
    for (const [peerName, names] of Object.entries(pairedWith)) {
      const engines = ctx.engines.filter((e) => names.includes(e.name));
      try {
        const p = await pairedRounds(ctx, c, engines, peerProbe, c.peers[peerName], { rounds: quick ? 4 : 8 });
        row.engines[peerName] = p.peer;
        row.paired = { ...row.paired, [peerName]: Object.fromEntries(names.map((n) => [n, { ratio: p.ratio[n], rounds: p.rounds[n], ours: p.ours[n] }])) };
        // the tables show our engine as timed in the rounds, next to the peer timed in the same rounds
        for (const n of names) {
          const alone = row.engines[n].median;
          row.engines[n] = { ...p.ours[n], ...(c.flops ? { gflops: c.flops / (p.ours[n].median * 1e6) } : {}), info: { tried: [`alone: ${alone.toFixed(2)} ms`, `in the paired rounds: ${p.ours[n].median.toFixed(2)} ms`] } };
        }
        console.log(`  ${c.id.padEnd(34)} ${peerName.padEnd(10)} ${p.peer.median.toFixed(3)} ms in paired rounds {${(p.peer.info.tried ?? [p.peer.info.env]).join(', ')}}`);
        for (const n of names) console.log(`  ${c.id.padEnd(34)} ${n.padEnd(10)} ${p.ours[n].median.toFixed(3)} ms in paired rounds; ratio per round [${p.rounds[n].join(' ')}], median ${p.ratio[n].toFixed(2)}`);
      } catch (e) {
        row.engines[peerName] = { missing: String(e?.message ?? e).split('\n')[0] };
        console.log(`  ${c.id.padEnd(34)} ${peerName.padEnd(10)} missing: ${row.engines[peerName].missing}`);
      }
    }
    for (const [peerName, peer] of Object.entries(c.peers ?? {})) {
      if (pairedWith[peerName]) continue;
      const r = timePeer(peerProbe, peerName, peer, ctx, { quick });
      if (c.flops && r.median) r.gflops = c.flops / (r.median * 1e6);
      row.engines[peerName] = r;
      const shown = r.median !== undefined ? `${r.median.toFixed(3)} ms${r.info?.blas ? `  [${r.info.blas.join('; ')}]` : ''}${r.info?.tried ? `  {${r.info.tried.join(', ')}}` : ''}` : r.missing ? `missing: ${r.missing}` : `skipped: ${r.skipped}`;
      console.log(`  ${c.id.padEnd(34)} ${peerName.padEnd(10)} ${shown}`);
    }
    // A peer timed in more than one run (PyTorch under two OpenMP policies) keeps its faster median; so
    // that the ratio compares like with like, each of our engines in the case's ratios gets a second run
    // too, after the peer's (ours, peer, peer, ours: time-interleaved), and keeps its faster median.
    const rerun = new Set((c.ratios ?? [])
      .filter((q) => !pairedWith[q.peer] && (c.peers?.[q.peer]?.envs?.length ?? 1) > 1 && row.engines[q.peer]?.median !== undefined).map((q) => q.ours));
    for (const engine of ctx.engines) {
      const first = row.engines[engine.name];
      if (!rerun.has(engine.name) || first?.median === undefined) continue;
      try {
        await activate(ctx, engine);
        const again = time(c.make(ctx, engine), { quick });
        if (c.flops) again.gflops = c.flops / (again.median * 1e6);
        const best = again.median < first.median ? again : first;
        best.info = { ...best.info, tried: [`first run: ${first.median.toFixed(2)} ms`, `after the peer: ${again.median.toFixed(2)} ms`] };
        row.engines[engine.name] = best;
        console.log(`  ${c.id.padEnd(34)} ${engine.name.padEnd(10)} ${best.median.toFixed(3)} ms  {${best.info.tried.join(', ')}}`);
      } catch (e) {
        console.log(`  ${c.id.padEnd(34)} ${engine.name.padEnd(10)} second run failed: ${String(e?.message ?? e).split('\n')[0]} (the first run stands)`);
      }
    }
    results.push(row);
  }
  probe();
}

const seconds = (Date.now() - started) / 1000;
const { markdown, json } = report(results, ctx, { quick, seconds });
console.log(`\n${markdown}`);
if (!only.length && !engineFilter.length) {
  writeFileSync(join(here, 'results.md'), markdown);
  writeFileSync(join(here, 'results.json'), JSON.stringify(json, null, 2) + '\n');
  console.log('wrote bench/results.md and bench/results.json');
} else {
  writeFileSync(join(here, 'results.partial.md'), markdown);
  writeFileSync(join(here, 'results.partial.json'), JSON.stringify(json, null, 2) + '\n');
  console.log('filtered run: wrote bench/results.partial.md and bench/results.partial.json');
}
