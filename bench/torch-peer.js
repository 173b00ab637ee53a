// The PyTorch CPU peer of a training-step case (bench/peers/torch_models.py):
// the case's arrays carry latentkit's parameters (p.<name>), the batch and the
// fixed noise (in.<name>) and latentkit's own losses of the first two steps
// (expected); the python side checks its losses against them before timing
// and raises "loss mismatch" when they differ, so no ratio of different work
// is ever reported.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** PyTorch timed with OpenMP's default wait policy and with PASSIVE, the faster kept (bench/python.js). */
export const TORCH_ENVS = [{}, { OMP_WAIT_POLICY: 'PASSIVE' }];

export const peersDir = join(dirname(fileURLToPath(import.meta.url)), 'peers');

/**
 * kind: the model name torch_models.make_step knows; arrays(ctx) ->
 * { params: [[name, Float32Array, shape]...], inputs: { name: [Float32Array, shape] }, expected: number[] }
 */
export function torchStepPeer(kind, arrays) {
  return {
    arrays: (ctx) => {
      const { params, inputs, expected } = arrays(ctx);
      const out = {};
      for (const [k, data, shape] of params) out[`p.${k}`] = { data, shape };
      for (const [k, [data, shape]] of Object.entries(inputs)) out[`in.${k}`] = { data, shape };
      if (!expected.every(Number.isFinite)) throw new Error(`${kind}: latentkit's reference losses are not finite (${expected})`);
      out.expected = { data: Float32Array.from(expected), shape: [expected.length] };
      return out;
    },
    setup: ['import sys, torch', `sys.path.insert(0, ${JSON.stringify(peersDir)})`, 'import torch_models',
      `step = torch_models.setup(${JSON.stringify(kind)}, data)`].join('\n'),
    run: 'step()',
    envs: TORCH_ENVS,
    paired: true, // timed in rounds alternating with ours (bench/paired.js)
  };
}

/** Runs fn on latentkit backend `name` (the best available when absent), restoring the active one. */
export function onBackend(lk, fn, name) {
  const prev = lk.getBackend();
  const pick = name ?? ['native', 'wasm', 'js'].find((b) => lk.backends().includes(b));
  lk.setBackend(pick);
  try { return fn(); } finally { lk.setBackend(prev); }
}

/** Issue 13's targets for a training step: ≥ 2× PyTorch CPU on lk-native, ≥ 0.5× on lk-wasm. */
export const STEP_RATIOS = [{ ours: 'lk-native', peer: 'torch', min: 2 }, { ours: 'lk-wasm', peer: 'torch', min: 0.5 }];
