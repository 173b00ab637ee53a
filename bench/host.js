// What the host delivers to two threads during a benchmark run (bench/host/fma_probe.cc):
// windows of pure FMAs on one thread, then on two at once. The probe is
// compiled once into build/bench/ with the C++ compiler that builds the addon;
// without one (or without AVX2 + FMA) the run says why and goes on.
//
// cores = two-thread rate / one-thread rate of the same round: 2 when the host
// gives the process two whole cores, 1 when its two threads share one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summary } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(here, 'host', 'fma_probe.cc');
const BINARY = join(here, '..', 'build', 'bench', 'fma_probe');
/** A round whose two threads got at most this many cores' worth counts as a shared-core round. */
export const SHARED_CORES = 1.3;
/** ... and at least this many, a full-core round. */
export const FULL_CORES = 1.8;

function cpuHasFma() {
  if (process.arch !== 'x64') return false;
  try {
    const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1].split(/\s+/) ?? [];
    return flags.includes('avx2') && flags.includes('fma');
  } catch { return false; }
}

/** The probe's path, compiled if missing or older than its source; or { why } when it cannot be. */
export function probeBinary() {
  if (!cpuHasFma()) return { why: 'the host probe needs an x86-64 CPU with AVX2 and FMA' };
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= statSync(SOURCE).mtimeMs) return { path: BINARY };
  mkdirSync(dirname(BINARY), { recursive: true });
  const cxx = process.env.CXX || 'g++';
  const r = spawnSync(cxx, ['-O2', '-mavx2', '-mfma', '-pthread', '-o', BINARY, SOURCE], { encoding: 'utf8' });
  if (r.error) return { why: `the host probe could not be compiled: ${cxx} not found (${r.error.code})` };
  if (r.status !== 0) return { why: `the host probe did not compile: ${r.stderr.trim().split('\n')[0]}` };
  return { path: BINARY };
}

/** Runs the probe: { one: [GFLOP/s], two: [GFLOP/s] } per round, or { why }. */
export function probeHost(rounds = 10, windowMs = 100) {
  const bin = probeBinary();
  if (!bin.path) return bin;
  const r = spawnSync(bin.path, [String(rounds), String(windowMs)], { encoding: 'utf8', timeout: 10_000 + 4 * rounds * windowMs });
  if (r.error || r.status !== 0) return { why: `the host probe failed: ${r.error?.message ?? r.stderr.trim()}` };
  return { ...JSON.parse(r.stdout), windowMs };
}

const median = (xs) => summary(xs).median;

/**
 * Summary of probe windows ({ one, two } arrays of equal length, concatenated over probes of one windowMs):
 * the median one- and two-thread GFLOP/s, the median cores (two / one per round), and the
 * share of rounds at most SHARED_CORES cores and at least FULL_CORES.
 */
export function hostSummary(w) {
  if (!w || !Array.isArray(w.one) || w.one.length === 0 || w.one.length !== w.two.length) {
    throw new Error('hostSummary: expected { one, two } arrays of GFLOP/s of the same, non-zero length (from probeHost)');
  }
  const cores = w.one.map((g, i) => w.two[i] / g);
  return {
    rounds: cores.length,
    windowMs: w.windowMs ?? 100,
    oneGflops: median(w.one),
    twoGflops: median(w.two),
    cores: median(cores),
    sharedShare: cores.filter((c) => c <= SHARED_CORES).length / cores.length,
    fullShare: cores.filter((c) => c >= FULL_CORES).length / cores.length,
  };
}

/** The summary as one sentence of the report. */
export function hostLine(s) {
  const pct = (x) => `${Math.round(100 * x)}%`;
  return `Host, probed between the suites (${s.rounds} rounds of ${s.windowMs} ms FMA windows, bench/host.js): one thread `
    + `${s.oneGflops.toFixed(0)} GFLOP/s, two threads ${s.twoGflops.toFixed(0)} (medians), i.e. ${s.cores.toFixed(2)} cores' `
    + `worth; two threads got at most ${SHARED_CORES} cores in ${pct(s.sharedShare)} of the rounds and ${FULL_CORES} or more in `
    + `${pct(s.fullShare)}. Every two-thread time here, ours and the peers', ran at that share.`;
}
