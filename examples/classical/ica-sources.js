// Course reproduction: ICA on five synthetic sources (sine, square wave,
// sawtooth, Laplace noise, uniform noise) mixed by a random 5x5 matrix; the
// Amari index of W·A for the sigmoid (logistic) model and for the extended
// (super/sub-Gaussian switching) model, signals plotted.
import { join } from 'node:path';
import { lk, plot, OUT, timed, saveJson } from './common.js';

const N = 10000, D = 5, rng = new lk.Rng(7);
const S = new Float64Array(N * D);
for (let t = 0; t < N; t++) {
  S[t * D] = Math.sin(t / 23);
  S[t * D + 1] = Math.sign(Math.sin(t / 37)) || 1;
  S[t * D + 2] = ((t / 53) % 1) * 2 - 1;
  const u = rng.uniform() - 0.5;
  S[t * D + 3] = -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  S[t * D + 4] = rng.uniform() * 2 - 1;
}
const A = Array.from({ length: D * D }, () => rng.uniform() * 2 - 1);
const X = new Float32Array(N * D);
for (let t = 0; t < N; t++) for (let i = 0; i < D; i++) { let v = 0; for (let j = 0; j < D; j++) v += A[i * D + j] * S[t * D + j]; X[t * D + i] = v; }
const x = lk.tensor(X, [N, D]);
const amari = (ica) => {
  const W = ica.unmixing.data, P = new Float32Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) { let v = 0; for (let k = 0; k < D; k++) v += W[i * D + k] * A[k * D + j]; P[i * D + j] = v; }
  return lk.amariIndex(lk.tensor(P, [D, D]));
};
const out = {};
for (const [name, opts] of [
  ['logistic, per-sample plain gradient (course)', { density: 'logistic', natural: false, batchSize: 1, epochs: 10, learningRate: 0.01 }],
  ['logistic, natural gradient', { density: 'logistic', epochs: 50, learningRate: 0.05 }],
  ['extended, natural gradient', { density: 'extended', epochs: 50, learningRate: 0.05 }],
]) {
  const ica = new lk.ICA({ seed: 1, ...opts });
  const [, ms] = timed(name, () => ica.fit(x));
  const a = amari(ica);
  console.log(`  Amari index of W·A: ${a.toFixed(4)}`);
  out[name] = { seconds: ms / 1000, amari: a, finalLogLikelihood: ica.logLikelihoodHistory.at(-1) };
  if (opts.density === 'extended') {
    const y = ica.transform(x).data, chan = (arr, i) => Array.from({ length: 1000 }, (_, t) => arr[t * D + i]);
    plot.stackedSignals([0, 1, 2, 3, 4].map((i) => chan(S, i))).save(join(OUT, 'ica-sources.png'));
    plot.stackedSignals([0, 1, 2, 3, 4].map((i) => chan(X, i))).save(join(OUT, 'ica-mixed.png'));
    plot.stackedSignals([0, 1, 2, 3, 4].map((i) => chan(y, i))).save(join(OUT, 'ica-recovered.png'));
  }
}
saveJson('ica-sources.json', out);
