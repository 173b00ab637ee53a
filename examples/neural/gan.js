// The course's GAN on the bundled MNIST digits (9,000 training digits):
// trains both players and writes a grid of samples.
//   node examples/neural/gan.js [--epochs=20] [--batch=64] [--lr=0.0002] [--latent=100]
import { lk, flags, mnistSplit, saveGrid, record, progress } from './common.js';

const f = flags({ epochs: 20, batch: 64, lr: 2e-4, latent: 100, seed: 1 });
lk.seed(f.seed);
const { train } = mnistSplit();
const gan = new lk.GAN({ latentDim: f.latent, seed: f.seed });
const z = lk.randn([64, f.latent]);
const t0 = performance.now();
gan.fit(train, { epochs: f.epochs, batchSize: f.batch, learningRate: f.lr, seed: f.seed,
  ...progress('GAN', (e) => `D ${e.dLoss.toFixed(3)} G ${e.gLoss.toFixed(3)}`),
  onEpoch: (e) => {
    process.stdout.write(`\rGAN epoch ${e.epoch + 1}/${e.epochs} D ${e.dLoss.toFixed(3)} G ${e.gLoss.toFixed(3)} (${e.seconds.toFixed(1)} s)\n`);
    saveGrid('gan-samples.png', lk.noGrad(() => gan.generate(z)).reshape([64, 784]), 8);
  } });
const seconds = (performance.now() - t0) / 1000;
saveGrid('gan-samples.png', lk.noGrad(() => gan.generate(z)).reshape([64, 784]), 8);
gan.save('examples/neural/out/gan.lkm');
const last = gan.history.at(-1);
record('gan', { epochs: f.epochs, batchSize: f.batch, learningRate: f.lr, latentDim: f.latent, trainSeconds: +seconds.toFixed(1),
  finalDLoss: +last.dLoss.toFixed(3), finalGLoss: +last.gLoss.toFixed(3), samples: 'examples/neural/out/gan-samples.png' });
