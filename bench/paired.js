// Paired rounds: our engines and a python peer timed in turn, round after
// round, so that each round's ratio compares the two under the same state of
// the machine.
//
// Why: these 2-vCPU VMs change speed for seconds at a time. The host moves
// the two vCPUs nearer or farther apart (a cache line's round trip between
// them 55 ns or about 330 ns, measured with a two-thread ping-pong, changing
// every few seconds), and other tenants load the memory. A training step's
// median moved by up to 40% between two timings a minute apart. Timing ours
// for a few seconds and then the peer for a few more lets each land in a
// different state; alternating short rounds puts both in the same ones, and
// the median of the per-round ratios is robust to the rounds where one
// state changed mid-round.
//
// Used for the PyTorch training steps and the NumPy products of the ratio
// targets. For each of the peer's environments (PyTorch's two OpenMP wait policies) one
// peer process serves R rounds (bench/python.js openPeer); the environment in
// which the peer was fastest is kept, as the unpaired protocol keeps the faster.
import { activate } from './engines.js';
import { envLabel, openPeer } from './python.js';
import { summary as stats } from './timing.js';

const ROUND_MS = 250;

// per-call times (ms) of fn: at least 3 calls and ROUND_MS
function round(fn) {
  const out = [];
  const t0 = performance.now();
  while (out.length < 3 || performance.now() - t0 < ROUND_MS) {
    const s = performance.now();
    fn();
    out.push(performance.now() - s);
  }
  return out;
}

/**
 * Time `engines` (ours, each with its case function made once) and python peer `peer` in R alternating
 * rounds per peer environment. Returns { peer: timing record (info.env, info.tried), ours: { name: timing
 * record }, ratio: { name: median over rounds of peer round median / our round median }, rounds }.
 * Throws when the peer fails (e.g. its losses differ from ours).
 */
export async function pairedRounds(ctx, c, engines, probe, peer, { rounds = 8 } = {}) {
  const fns = [];
  for (const e of engines) {
    await activate(ctx, e);
    const fn = c.make(ctx, e);
    fn();
    fn();
    fns.push({ e, fn });
  }
  let best = null;
  const tried = [];
  for (const extra of peer.envs ?? [{}]) {
    const env = envLabel(extra);
    const h = await openPeer(probe, peer, ctx, extra);
    const ours = Object.fromEntries(engines.map((e) => [e.name, []]));
    const per = Object.fromEntries(engines.map((e) => [e.name, []]));
    const theirs = [];
    try {
      for (let r = 0; r < rounds; r++) {
        const meds = {};
        for (const { e, fn } of fns) {
          await activate(ctx, e);
          const s = round(fn);
          ours[e.name].push(...s);
          meds[e.name] = stats(s).median;
        }
        const guess = theirs.length ? stats(theirs).median : Infinity;
        const s = await h.run(Number.isFinite(guess) ? Math.max(3, Math.min(5000, Math.ceil(ROUND_MS / guess))) : 3);
        theirs.push(...s);
        const pm = stats(s).median;
        for (const e of engines) per[e.name].push(pm / meds[e.name]);
      }
    } finally {
      h.close();
    }
    const p = stats(theirs);
    tried.push(`${env}: ${p.median.toFixed(2)} ms`);
    if (!best || p.median < best.peer.median) {
      best = {
        peer: { ...p, info: { ...h.info, env } },
        ours: Object.fromEntries(engines.map((e) => [e.name, stats(ours[e.name])])),
        ratio: Object.fromEntries(engines.map((e) => [e.name, stats(per[e.name]).median])),
        rounds: Object.fromEntries(engines.map((e) => [e.name, per[e.name].map((q) => +q.toFixed(3))])),
      };
    }
  }
  if (tried.length > 1) best.peer.info.tried = tried;
  return best;
}
