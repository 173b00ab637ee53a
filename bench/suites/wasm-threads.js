// lk-wasm on one thread and on two (lk.setThreads), next to tfjs-wasm (XNNPACK,
// one thread in Node): matmul 256/512/1024 and the conv2d forward of the
// conv2d suite, x [64,16,28,28] * w [32,16,3,3], stride 1, padding 1.
//
// In `npm run bench` each thread count is its own row. Run alone,
//   node bench/suites/wasm-threads.js [--rounds 7]
// it times 1 thread, 2 threads and tfjs-wasm alternately, round after round in
// one process (the CPU is shared: alternation spreads the noise over all
// three), and prints the medians, the speed-up and the ratio to tfjs-wasm.
import { randomData } from '../engines.js';
import { summary } from '../timing.js';

export const name = 'wasm-threads';

const N = 64, C = 16, H = 28, W = 28, O = 32, K = 3;
const CONV_FLOPS = 2 * N * O * H * W * C * K * K;
const ONLY_WASM = { 'lk-native': 'not this suite', 'lk-js': 'not this suite', 'tfjs-cpu': 'not this suite' };

/** The workloads, each as make(lk) / makeTf(tf) returning a function of one call. */
function workloads() {
  const out = [];
  for (const n of [256, 512, 1024]) {
    out.push({
      label: `matmul ${n}`, flops: 2 * n ** 3,
      lk: (lk) => {
        const A = lk.tensor(randomData(n * n, 1), [n, n]), B = lk.tensor(randomData(n * n, 2), [n, n]);
        return () => lk.noGrad(() => lk.matmul(A, B));
      },
      tf: (tf) => {
        const A = tf.tensor2d(randomData(n * n, 1), [n, n]), B = tf.tensor2d(randomData(n * n, 2), [n, n]);
        return () => tf.tidy(() => tf.matMul(A, B)).dispose();
      },
    });
  }
  out.push({
    label: 'conv2d fwd [64,16,28,28]x[32,16,3,3]', flops: CONV_FLOPS,
    lk: (lk) => {
      const X = lk.tensor(randomData(N * C * H * W, 5), [N, C, H, W]), Wt = lk.tensor(randomData(O * C * K * K, 6, 0.2), [O, C, K, K]);
      return () => lk.noGrad(() => lk.conv2d(X, Wt, null, { stride: 1, padding: 1 }));
    },
    tf: (tf) => {
      const X = tf.tidy(() => tf.tensor4d(randomData(N * C * H * W, 5), [N, C, H, W]).transpose([0, 2, 3, 1]));
      const Wt = tf.tidy(() => tf.tensor4d(randomData(O * C * K * K, 6, 0.2), [O, C, K, K]).transpose([2, 3, 1, 0]));
      return () => tf.tidy(() => tf.conv2d(X, Wt, 1, 'same')).dispose();
    },
  });
  return out;
}

export function cases() {
  const out = [];
  for (const w of workloads()) {
    for (const threads of [1, 2]) {
      out.push({
        id: `${w.label} wasm ${threads}T`,
        flops: w.flops,
        // tfjs-wasm once per workload, on the 2-thread row
        skip: threads === 1 ? { ...ONLY_WASM, 'tfjs-wasm': 'on the 2-thread row' } : ONLY_WASM,
        make: (ctx, engine) => {
          if (engine.kind !== 'lk') return w.tf(ctx.tf);
          const fn = w.lk(ctx.lk);
          return () => { ctx.lk.setThreads(threads); fn(); };
        },
      });
    }
  }
  return out;
}

/** Median ms of fn over about `ms` milliseconds (at least 3 calls), after one warm-up call. */
function timeFor(fn, ms) {
  fn();
  const samples = [];
  const end = performance.now() + ms;
  while (samples.length < 3 || performance.now() < end) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

const median = (xs) => summary(xs).median;

async function standalone() {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--rounds');
  const rounds = at >= 0 ? Number(argv[at + 1]) : 5;
  const lk = await import('../../dist/index.js');
  const { wasmInfo } = await import('../../dist/backend/wasm/index.js');
  lk.setBackend('wasm');
  let tf = null;
  const log = console.log;
  try {
    console.log = () => {};
    tf = await import('@tensorflow/tfjs');
    const tfw = await import('@tensorflow/tfjs-backend-wasm');
    const { createRequire } = await import('node:module');
    const { dirname, join } = await import('node:path');
    tfw.setWasmPaths(join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    if (!(await tf.setBackend('wasm'))) tf = null;
    else await tf.ready();
  } catch { tf = null; } finally { console.log = log; }
  lk.setThreads(2);
  log(`lk-wasm: ${JSON.stringify(wasmInfo())}; tfjs-wasm ${tf ? 'loaded' : 'unavailable'}; ${rounds} rounds, alternating`);
  for (const w of workloads()) {
    const fn = w.lk(lk), tfFn = tf ? w.tf(tf) : null;
    const one = [], two = [], tfs = [];
    const budget = w.flops > 1e9 ? 600 : 300;
    for (let r = 0; r < rounds; r++) {
      lk.setThreads(1); one.push(timeFor(fn, budget));
      lk.setThreads(2); two.push(timeFor(fn, budget));
      if (tfFn) tfs.push(timeFor(tfFn, budget));
    }
    const m1 = median(one), m2 = median(two), mt = tfs.length ? median(tfs) : NaN;
    const gf = (ms) => (w.flops / ms / 1e6).toFixed(1);
    log(`${w.label.padEnd(38)} 1T ${m1.toFixed(3)} ms (${gf(m1)} GFLOP/s)  2T ${m2.toFixed(3)} ms (${gf(m2)})  `
      + `speed-up ${(m1 / m2).toFixed(2)}x  tfjs-wasm ${mt.toFixed(3)} ms: 1T ${(mt / m1).toFixed(2)}x, 2T ${(mt / m2).toFixed(2)}x`);
    // the best round is the one least disturbed by other processes on the same cores
    const b1 = Math.min(...one), b2 = Math.min(...two), bt = tfs.length ? Math.min(...tfs) : NaN;
    log(`  best rounds: 1T ${b1.toFixed(3)}  2T ${b2.toFixed(3)} (${(b1 / b2).toFixed(2)}x)  tfjs-wasm ${bt.toFixed(3)} (2T ${(bt / b2).toFixed(2)}x)`);
    log(`  rounds 1T [${one.map((x) => x.toFixed(2)).join(' ')}] 2T [${two.map((x) => x.toFixed(2)).join(' ')}] tfjs [${tfs.map((x) => x.toFixed(2)).join(' ')}]`);
  }
}

if (import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1] ?? '').href) await standalone();
