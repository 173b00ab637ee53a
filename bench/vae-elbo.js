// Held-out ELBO of the course's 784-500-2 VAE after equal training in latentkit and in
// PyTorch (bench/peers/vae_elbo.py): the same 5,000 training and 5,000 held-out binarised
// MNIST digits (lk.data.mnist, exported to float32 files), 3 epochs of Adam 1e-3 at batch
// 128, PyTorch's default nn.Linear init on both sides, the single-sample ELBO (Eq. 2) as the
// objective, and the held-out ELBO as the mean of 10 draws. Several seeds per side.
//   npm run build && node bench/vae-elbo.js [--epochs=3] [--seeds=0,1,2] [--python=/usr/bin/python3]
// Not part of npm test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as lk from '../dist/index.js';

const arg = (name, dflt) => (process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const epochs = Number(arg('epochs', 3)), seeds = arg('seeds', '0,1,2').split(',').map(Number);
const python = arg('python', '/usr/bin/python3'), evalSamples = 10;

const { images } = lk.data.mnist({ seed: 0, binarize: true });
const train = lk.slice(images, [0, 0], [5000, 784]), test = lk.slice(images, [5000, 0], [5000, 784]);
const dir = mkdtempSync(join(tmpdir(), 'lk-vae-elbo-'));
const [trainPath, testPath] = [join(dir, 'train.f32'), join(dir, 'test.f32')];
writeFileSync(trainPath, Buffer.from(train.dataSync().buffer));
writeFileSync(testPath, Buffer.from(test.dataSync().buffer));

const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const sd = (a) => Math.sqrt(a.reduce((s, v) => s + (v - mean(a)) ** 2, 0) / Math.max(1, a.length - 1));
const fmt = (a) => `${mean(a).toFixed(1)} ± ${sd(a).toFixed(1)} nats  [${a.map((v) => v.toFixed(1)).join(', ')}]`;

const ours = seeds.map((seed) => {
  lk.seed(seed);
  const vae = new lk.VAE({ inputDim: 784, hiddenDim: 500, latentDim: 2, seed });
  vae.fit(train, { epochs, batchSize: 128, learningRate: 1e-3, seed });
  return vae.elbo(test, { samples: evalSamples });
});
console.log(`latentkit (${lk.getBackend()}) held-out ELBO: ${fmt(ours)}`);

const py = spawnSync(python, [join(dirname(fileURLToPath(import.meta.url)), 'peers', 'vae_elbo.py'), trainPath, testPath, String(epochs), String(evalSamples), seeds.join(',')], { encoding: 'utf8' });
rmSync(dir, { recursive: true, force: true });
if (py.status !== 0) {
  console.log(`PyTorch peer did not run (${python}: ${py.error?.message ?? py.stderr.trim().split('\n').at(-1)}); install it with apt-get install -y python3-torch or pass --python=/path/to/python3`);
  process.exit(1);
}
const res = JSON.parse(py.stdout.trim().split('\n').at(-1));
const theirs = res.runs.map((r) => r.heldOutElbo);
console.log(`PyTorch ${res.torch} held-out ELBO:  ${fmt(theirs)}`);
console.log(`difference (latentkit − PyTorch): ${(mean(ours) - mean(theirs)).toFixed(1)} nats per digit`);
