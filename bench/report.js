// Formats the benchmark results: a markdown table (medians in ms, GFLOP/s,
// speed-up over each tfjs backend = tfjs time / ours), the targets of the
// issue with pass/miss, and the JSON written next to it.
import os from 'node:os';
import { hostSummary, hostLine } from './host.js';

const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));

function cell(r) {
  if (!r) return '—';
  if (r.median !== undefined) return `${fmtMs(r.median)}${r.gflops ? ` (${r.gflops.toFixed(1)})` : ''}`;
  if (r.missing) return 'missing';
  return 'skipped';
}

function speedup(ours, theirs) {
  if (ours?.median === undefined || theirs?.median === undefined) return '—';
  return `${(theirs.median / ours.median).toFixed(1)}×`;
}

const why = (r) => (!r ? 'not run' : r.missing ? `missing: ${r.missing}` : r.skipped ? `skipped: ${r.skipped}` : '');

/**
 * The ratio targets of issue 13, measured in this run: each case's `ratios`
 * [{ ours, peer, min }] against speed-up = peer median / ours median, or, for
 * a peer timed in paired rounds (bench/paired.js), the median over the rounds
 * of that round's peer median / ours.
 * "fastest" is the same ratio of the two fastest samples: on a shared machine a
 * peer whose threads spin (PyTorch's OpenMP, OpenBLAS) can lose a core to other
 * processes for a whole sample, and the two columns together show when that happened.
 */
function ratioTable(results) {
  const rows = results.flatMap((row) => (row.ratios ?? []).map((t) => ({ row, t })));
  if (!rows.length) return [];
  const lines = ['', '## Targets (issue 13: speed-up = peer time / latentkit time, same run; cases not in this run are not listed)', '',
    '| case | engines | target | measured (medians) | fastest samples | met |', '|---|---|---|---|---|---|'];
  let met = 0;
  for (const { row, t } of rows) {
    const paired = row.paired?.[t.peer]?.[t.ours];
    const a = paired ? paired.ours : row.engines[t.ours], b = row.engines[t.peer];
    let measured = '—', fastest = '—', ok;
    if (a?.median === undefined) ok = `n/a (${t.ours} ${why(a)})`;
    else if (b?.median === undefined) ok = `n/a (${t.peer} ${why(b)})`;
    else {
      const r = paired ? paired.ratio : b.median / a.median;
      measured = paired ? `${r.toFixed(2)}× (paired, ${paired.rounds.length} rounds)` : `${r.toFixed(2)}×`;
      if (a.min !== undefined && b.min !== undefined) fastest = `${(b.min / a.min).toFixed(2)}×`;
      ok = r >= t.min ? 'yes' : `no (${((1 - r / t.min) * 100).toFixed(0)}% short)`;
      if (r >= t.min) met++;
    }
    lines.push(`| ${row.id} | ${t.ours} vs ${t.peer} | ≥ ${t.min}× | ${measured} | ${fastest} | ${ok} |`);
  }
  lines.push('', `${met} of ${rows.length} ratio targets met in this run.`);
  return lines;
}

export function report(results, ctx, { quick, seconds }) {
  const used = new Set(results.flatMap((r) => Object.keys(r.engines)));
  const names = [...ctx.engines.map((e) => e.name), ...(ctx.peerNames ?? []).filter((p) => used.has(p))];
  const lkNames = names.filter((n) => n.startsWith('lk-'));
  const tfNames = names.filter((n) => !n.startsWith('lk-')); // tfjs and the python peers
  const lines = [];
  lines.push('# latentkit benchmarks');
  lines.push('');
  lines.push(`${new Date().toISOString()} · Node ${process.version} · ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length} · ` +
    `${quick ? 'quick run' : 'full run'} in ${seconds.toFixed(0)} s · load average at the end ${os.loadavg().map((v) => v.toFixed(1)).join(' / ')} ` +
    '(above the core count, other processes shared the CPU and the timings are pessimistic)');
  lines.push('');
  lines.push('Medians in ms (GFLOP/s in parentheses where the flop count is defined). Speed-up = peer time / latentkit time (peers: tfjs, and NumPy / scikit-learn / PyTorch CPU where python3 has them, run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset). The ratio targets against the PyTorch training steps and the NumPy products are timed in paired rounds, ours and the peer in turn (bench/paired.js): the medians of those cases are those of the rounds, their speed-up the median of the per-round ratios.');
  lines.push('');
  const head = ['case', ...names, ...lkNames.flatMap((l) => tfNames.map((t) => `${l} vs ${t}`))];
  lines.push(`| ${head.join(' | ')} |`);
  lines.push(`|${head.map(() => '---').join('|')}|`);
  for (const row of results) {
    const cells = [row.id, ...names.map((n) => cell(row.engines[n])),
      ...lkNames.flatMap((l) => tfNames.map((t) => (row.paired?.[t]?.[l] ? `${row.paired[t][l].ratio.toFixed(1)}×` : speedup(row.engines[l], row.engines[t]))))];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const notes = [];
  for (const row of results) {
    for (const [n, r] of Object.entries(row.engines)) {
      if (r.missing) notes.push(`- ${row.id} on ${n}: missing (${r.missing})`);
      else if (r.skipped) notes.push(`- ${row.id} on ${n}: skipped (${r.skipped})`);
    }
  }
  if (notes.length) lines.push('', '## Missing or skipped', '', ...notes);
  const targets = results.filter((r) => r.target);
  if (targets.length) {
    const best = lkNames.includes('lk-native') ? 'lk-native' : lkNames[0];
    lines.push('', `## Targets (issue 3, measured on ${best})`, '', '| case | target | measured | met |', '|---|---|---|---|');
    for (const row of targets) {
      const r = row.engines[best];
      const t = row.target;
      let measured = '—', met = 'n/a';
      if (r?.median !== undefined) {
        if (t.gflops) { measured = `${r.gflops.toFixed(1)} GFLOP/s`; met = r.gflops >= t.gflops ? 'yes' : `no (${((1 - r.gflops / t.gflops) * 100).toFixed(0)}% short)`; }
        else { measured = `${fmtMs(r.median)} ms`; met = r.median <= t.ms ? 'yes' : `no (${(r.median / t.ms).toFixed(2)}× the target)`; }
      }
      lines.push(`| ${row.id} | ${t.gflops ? `≥ ${t.gflops} GFLOP/s` : `< ${t.ms} ms`} | ${measured} | ${met} |`);
    }
  }
  lines.push(...ratioTable(results));
  for (const n of ctx.notes) lines.push('', `Note: ${n}`);
  const host = ctx.host?.one?.length ? hostSummary(ctx.host) : null;
  if (host) lines.push('', hostLine(host));
  const blas = new Set(results.flatMap((r) => Object.values(r.engines).flatMap((e) => e.info?.blas ?? [])));
  if (blas.size) lines.push('', `Python peers ran on: ${[...blas].join('; ')}`);
  const json = {
    date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length,
    quick, seconds, loadavg: os.loadavg(), host, engines: names, notes: ctx.notes, results,
  };
  return { markdown: lines.join('\n') + '\n', json };
}
