// Peers in Python (NumPy, scikit-learn, PyTorch CPU), timed side by side with
// latentkit in the same run. A benchmark case may carry
//   peers: { numpy?: Peer, sklearn?: Peer, torch?: Peer }
//   Peer = { setup: string, run: string, arrays?: (ctx) => ({ name: { data: Float32Array, shape } }) }
// (up to 15 timed runs, 7 with --quick, stopping once past a 5 s / 2 s budget with at least 3)
//   Peer.envs?: [{ VAR: value }, ...]  time the peer once per environment and keep the
//   fastest median (info.env says which): PyTorch's OpenMP workers spin-wait by default,
//   and when other processes load the cores a spinning worker can lose its core for a
//   whole step (10-20x slower steps seen on 2 loaded cores); OMP_WAIT_POLICY=PASSIVE
//   makes them sleep instead. Taking the faster of the two compares against PyTorch at
//   its best on this machine, not at its unluckiest.
// `setup` is Python run once with the arrays in `data` (float32 NumPy arrays)
// and `np` imported (import sklearn / torch there); `run` is the timed code.
// The peer runs in its own python3 process with OPENBLAS_CORETYPE and
// OPENBLAS_L2_SIZE unset (these machines set them, which pins OpenBLAS to older
// kernels); the BLAS it ran (threadpoolctl) is recorded. Peers whose module is
// missing are skipped with the install hint.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const PEERS = { numpy: 'numpy', sklearn: 'sklearn', torch: 'torch' };
const PY_CANDIDATES = ['/usr/bin/python3', 'python3'];
const HINT = 'apt-get install -y python3-torch python3-sklearn python3-numpy';

function peerEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** Which peers this machine has: { python, have: { numpy: true, ... }, why } */
export function probePeers() {
  for (const py of PY_CANDIDATES) {
    const have = {};
    for (const [peer, mod] of Object.entries(PEERS)) {
      const r = spawnSync(py, ['-c', `import ${mod}`], { encoding: 'utf8', env: peerEnv() });
      have[peer] = r.status === 0;
    }
    if (have.numpy) return { python: py, have, why: Object.entries(have).filter(([, v]) => !v).map(([k]) => k) };
  }
  return { python: null, have: {}, why: ['numpy'] };
}

/** Time one peer case; returns a timing record like bench/timing.js's, or { skipped } / { missing }. */
export function timePeer(probe, peerName, peer, ctx, { quick = false, repeat } = {}) {
  if (!probe.python || !probe.have[peerName]) return { skipped: `${peerName} not installed (${HINT})` };
  const dir = mkdtempSync(join(tmpdir(), 'lk-peer-'));
  try {
    const arrays = {};
    for (const [name, a] of Object.entries(peer.arrays?.(ctx) ?? {})) {
      const path = join(dir, `${name}.f32`);
      writeFileSync(path, Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength));
      arrays[name] = [path, a.shape];
    }
    const job = { arrays, setup: peer.setup, run: peer.run, repeat: repeat ?? (quick ? 7 : 15), budget: quick ? 2 : 5, threads: 2 };
    let best;
    const tried = [];
    for (const extra of peer.envs ?? [{}]) {
      const r = runPeer(probe, job, extra);
      if (r.median === undefined) return r; // a failure (e.g. loss mismatch) is never hidden by another run
      const env = Object.entries(extra).map(([k, v]) => `${k}=${v}`).join(' ') || 'default env';
      r.info = { ...r.info, env };
      tried.push(`${env}: ${r.median.toFixed(2)} ms`);
      if (!best || r.median < best.median) best = r;
    }
    if (tried.length > 1) best.info.tried = tried;
    return best;
  } catch (e) { // e.g. the JS side of a peer's arrays failed: the row shows why
    return { missing: String(e?.message ?? e).split('\n')[0] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One python process timing the job with extraEnv added to the peer environment. */
function runPeer(probe, job, extraEnv) {
  const r = spawnSync(probe.python, [join(here, 'peers', 'driver.py')], {
    input: JSON.stringify(job), encoding: 'utf8', env: peerEnv(extraEnv), maxBuffer: 1 << 24, timeout: 600_000,
  });
  if (r.status !== 0) return { missing: (r.stderr || r.error?.message || 'python failed').trim().split('\n').slice(-1)[0] };
  const { samples, info } = JSON.parse(r.stdout);
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, mean: samples.reduce((a, b) => a + b, 0) / samples.length, min: sorted[0], rme: 0, samples: samples.length, info };
}
