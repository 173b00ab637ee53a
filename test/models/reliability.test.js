// Issue 11's model cases: data that would overflow float32 is refused with the
// fix; bad options and data name the model.
import { test } from 'uvu';
import { lk, throwsMatch } from '../helpers.js';

test('values that overflow float32 in squares are refused, saying to scale the data (cause 10)', () => {
  const x = lk.tensor([[1, 2], [3, 1e20], [0, 1], [2, 2]]);
  throwsMatch(() => new lk.PCA({ nComponents: 1 }).fit(x), /PCA.*1.00e\+20.*scale the data/);
  throwsMatch(() => new lk.GaussianMixture({ nComponents: 2, seed: 1 }).fit(x), /GaussianMixture.*scale the data/);
  throwsMatch(() => new lk.KMeans({ nClusters: 2, seed: 1 }).fit(x), /KMeans.*scale the data/);
  const ok = lk.tensor([[1, 2], [3, 1e12], [0, 1], [2, 2]]); // large but safe
  new lk.KMeans({ nClusters: 2, seed: 1 }).fit(ok);
});

test.run();
