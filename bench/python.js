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
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summary } from './timing.js';

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
    const arrays = writeArrays(dir, peer, ctx);
    const job = { arrays, setup: peer.setup, run: peer.run, repeat: repeat ?? (quick ? 7 : 15), budget: quick ? 2 : 5, threads: 2 };
    let best;
    const tried = [];
    for (const extra of peer.envs ?? [{}]) {
      const r = runPeer(probe, job, extra);
      if (r.median === undefined) return r; // a failure (e.g. loss mismatch) is never hidden by another run
      const env = envLabel(extra);
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

/** How a peer environment reads in the results: 'VAR=value ...', or 'default env'. */
export function envLabel(extra) {
  return Object.entries(extra).map(([k, v]) => `${k}=${v}`).join(' ') || 'default env';
}

// The peer's input arrays as raw float32 files in dir: { name: [path, shape] }
function writeArrays(dir, peer, ctx) {
  const arrays = {};
  for (const [name, a] of Object.entries(peer.arrays?.(ctx) ?? {})) {
    const path = join(dir, `${name}.f32`);
    writeFileSync(path, Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength));
    arrays[name] = [path, a.shape];
  }
  return arrays;
}

/**
 * A peer kept running for rounds paired with ours (driver.py's serve mode):
 * resolves to { info, run(n) -> Promise<number[]> (n timed runs, ms), close() },
 * after its setup and warm-up; rejects with the peer's last stderr line when it fails.
 */
export async function openPeer(probe, peer, ctx, extraEnv = {}) {
  if (!probe.python) throw new Error('no python3 with numpy');
  const dir = mkdtempSync(join(tmpdir(), 'lk-peer-'));
  const job = { arrays: writeArrays(dir, peer, ctx), setup: peer.setup, run: peer.run, threads: 2, serve: true };
  const child = spawn(probe.python, [join(here, 'peers', 'driver.py')], { env: peerEnv(extraEnv), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdin.on('error', () => {}); // EPIPE once the peer died: its stderr says why, next() reports it
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const failed = () => new Error((stderr.trim().split('\n').slice(-1)[0]) || 'python peer exited');
  const next = async () => {
    let timer;
    const late = new Promise((_, reject) => { timer = setTimeout(() => { child.kill(); reject(new Error('python peer: no answer within 600 s')); }, 600_000); });
    try {
      const { value, done } = await Promise.race([lines.next(), late]);
      if (done) throw failed();
      return JSON.parse(value);
    } finally { clearTimeout(timer); }
  };
  const close = () => {
    try { child.stdin.end('0\n'); } catch { /* already gone */ }
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  child.stdin.write(JSON.stringify(job) + '\n');
  try {
    const ready = await next();
    return {
      info: ready.info,
      run: async (n) => { child.stdin.write(`${n}\n`); return (await next()).samples; },
      close,
    };
  } catch (e) {
    close();
    throw e;
  }
}

/** One python process timing the job with extraEnv added to the peer environment. */
function runPeer(probe, job, extraEnv) {
  const r = spawnSync(probe.python, [join(here, 'peers', 'driver.py')], {
    input: JSON.stringify(job), encoding: 'utf8', env: peerEnv(extraEnv), maxBuffer: 1 << 24, timeout: 600_000,
  });
  if (r.status !== 0) return { missing: (r.stderr || r.error?.message || 'python failed').trim().split('\n').slice(-1)[0] };
  const { samples, info } = JSON.parse(r.stdout);
  return { ...summary(samples), info };
}
