// The engines a benchmark case runs on: every latentkit backend available in
// this install (lk.backends()) and TensorFlow.js on its cpu and wasm backends.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export async function loadEngines() {
  const lk = await import('../dist/index.js');
  const engines = lk.backends().map((b) => ({ name: `lk-${b}`, kind: 'lk', backend: b }));
  const notes = [];
  for (const b of ['native', 'wasm']) {
    if (!lk.backends().includes(b)) notes.push(`lk-${b} unavailable: ${(lk.backendError(b) ?? '').split('\n')[0]}`);
  }
  let tf = null;
  const log = console.log;
  try {
    console.log = () => {}; // tfjs prints a banner about tfjs-node on import
    tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    wasm.setWasmPaths(join(dir, 'dist') + '/');
    engines.push({ name: 'tfjs-cpu', kind: 'tf', backend: 'cpu' });
    if (await tf.setBackend('wasm')) engines.push({ name: 'tfjs-wasm', kind: 'tf', backend: 'wasm' });
    else notes.push('tfjs-wasm: setBackend failed');
  } catch (e) {
    notes.push(`tfjs unavailable: ${e.message}`);
  } finally {
    console.log = log;
  }
  return { lk, tf, engines, notes };
}

/** Make `engine` the active backend of its library. */
export async function activate(ctx, engine) {
  if (engine.kind === 'lk') ctx.lk.setBackend(engine.backend);
  else {
    await ctx.tf.setBackend(engine.backend);
    await ctx.tf.ready();
  }
}

/** Deterministic float32 values in [-scale, scale]. */
export function randomData(n, seed = 1, scale = 1) {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = ((s / 4294967296) * 2 - 1) * scale;
  }
  return out;
}
