// The CVAE ((784+10)-400-400-20 and (20+10)-400-400-784) on the bundled MNIST
// digits, binarised at 0.5; writes the 10x10 grid (rows = noise, columns =
// class) and reports the held-out conditional ELBO and the training time.
//   node examples/neural/cvae.js [--epochs=20]
import { lk, flags, mnistSplit, saveGrid, record, progress } from './common.js';

const f = flags({ epochs: 20, batch: 100, lr: 1e-3, seed: 1 });
lk.seed(f.seed);
const { train, trainLabels, test, testLabels } = mnistSplit({ binary: true });
const cvae = new lk.CVAE({ inputDim: 784, numClasses: 10, hiddenDim: 400, latentDim: 20, seed: f.seed });
const t0 = performance.now();
cvae.fit(train, trainLabels, { epochs: f.epochs, batchSize: f.batch, learningRate: f.lr, seed: f.seed,
  ...progress('CVAE', () => `held-out ELBO ${cvae.elbo(test, testLabels).toFixed(2)}`) });
const seconds = (performance.now() - t0) / 1000;
lk.seed(5);
saveGrid('cvae-grid.png', cvae.grid(10), 10);
const heldOut = cvae.elbo(test, testLabels, { samples: 10 });
cvae.save('examples/neural/out/cvae.lkm');
record('cvae', { epochs: f.epochs, trainSeconds: +seconds.toFixed(1), heldOutConditionalElboPerDigit: +heldOut.toFixed(2), grid: 'examples/neural/out/cvae-grid.png' });
