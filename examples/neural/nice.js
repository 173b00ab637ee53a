// NICE on the bundled MNIST digits (8-bit values in [0, 1], dequantised with
// uniform noise), 9,000 train / 1,000 held out. Reports held-out bits/dim,
// the training time, and writes samples.
//   node examples/neural/nice.js [--epochs=20] [--hidden=500] [--layers=4] [--lr=0.001]
import { lk, flags, mnistSplit, saveGrid, record, progress } from './common.js';

const f = flags({ epochs: 20, batch: 100, lr: 1e-3, hidden: 500, layers: 4, couplings: 4, seed: 1 });
lk.seed(f.seed);
const { train, test } = mnistSplit();
const nice = new lk.NICE({ inputDim: 784, couplingLayers: f.couplings, hiddenDim: f.hidden, hiddenLayers: f.layers, seed: f.seed });
const t0 = performance.now();
nice.fit(train, { epochs: f.epochs, batchSize: f.batch, learningRate: f.lr, seed: f.seed,
  ...progress('NICE', (e) => `train bits/dim ${e.bitsPerDim.toFixed(3)}, held-out ${nice.bitsPerDim(test).toFixed(3)}`) });
const seconds = (performance.now() - t0) / 1000;
const heldOut = nice.bitsPerDim(test, { seed: 7 });
const s = nice.sample(64);
const clipped = lk.clip(s, 0, 1);
saveGrid('nice-samples.png', clipped, 8);
nice.save('examples/neural/out/nice.lkm');
record('nice', { epochs: f.epochs, couplingLayers: f.couplings, hiddenDim: f.hidden, hiddenLayers: f.layers, learningRate: f.lr,
  trainSeconds: +seconds.toFixed(1), heldOutBitsPerDim: +heldOut.toFixed(3), trainBitsPerDim: +nice.bitsPerDim(train.slice([0], [1000])).toFixed(3),
  heldOutLogLikelihoodNats: +(-(heldOut * 784 * Math.LN2) + 784 * Math.log(256)).toFixed(1) });
