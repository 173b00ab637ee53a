// KMeans: recovery of blob centres, inertia, init given / k-means++, empty clusters.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lk, throwsMatch } from '../helpers.js';
import { gaussianMixtureData, THREE, matchRows } from './synthetic.js';

const I = [[[0.3, 0], [0, 0.3]], [[0.3, 0], [0, 0.3]], [[0.3, 0], [0, 0.3]]];
const { x: X, y: Y } = gaussianMixtureData(900, [1 / 3, 1 / 3, 1 / 3], THREE.means, I, 5);

test('finds the blob centres; labels, predict and inertia agree', () => {
  const km = new lk.KMeans({ nClusters: 3, seed: 1 }).fit(X);
  const c = km.centroids.toArray(), order = matchRows(c, THREE.means);
  assert.equal([...new Set(order)].length, 3);
  order.forEach((k, j) => c[k].forEach((v, i) => assert.ok(Math.abs(v - THREE.means[j][i]) < 0.1)));
  assert.equal(Array.from(km.labels), Array.from(km.predict(X)));
  let inertia = 0;
  for (let s = 0; s < 900; s++) { const k = km.labels[s]; for (let i = 0; i < 2; i++) inertia += (X.data[s * 2 + i] - c[k][i]) ** 2; }
  assert.ok(Math.abs(inertia - km.inertia) < 1e-3 * inertia);
  assert.ok(Math.abs(-km.score(X) - km.inertia) < 1e-6 * inertia);
  let agree = 0;
  for (let s = 0; s < 900; s++) if (km.labels[s] === order[Y[s]]) agree++;
  assert.ok(agree > 890);
  const t = km.transform(X);
  assert.equal(t.shape, [900, 3]);
  assert.ok(Math.abs(t.data[0] ** 2 - ((X.data[0] - c[0][0]) ** 2 + (X.data[1] - c[0][1]) ** 2)) < 1e-3);
});

test('seeded runs are reproducible; nInit never raises inertia; given init with maxIter 0 is kept', () => {
  const a = new lk.KMeans({ nClusters: 5, seed: 3 }).fit(X), b = new lk.KMeans({ nClusters: 5, seed: 3 }).fit(X);
  assert.equal(Array.from(a.centroids.data), Array.from(b.centroids.data));
  const one = new lk.KMeans({ nClusters: 6, seed: 9, init: 'random' }).fit(X);
  const many = new lk.KMeans({ nClusters: 6, seed: 9, init: 'random', nInit: 4 }).fit(X);
  assert.ok(many.inertia <= one.inertia + 1e-6);
  const init = lk.tensor([[0, 0], [1, 1], [2, 2]]);
  assert.equal(Array.from(new lk.KMeans({ nClusters: 3, init, maxIter: 0 }).fit(X).centroids.data), [0, 0, 1, 1, 2, 2]);
});

test('an empty cluster is re-seeded at a far sample', () => {
  const init = lk.tensor([[0, 0], [6, 1], [1000, 1000], [1, 7]]); // the third centre owns no sample
  const km = new lk.KMeans({ nClusters: 4, init }).fit(X);
  const counts = [0, 0, 0, 0];
  for (const l of km.labels) counts[l]++;
  assert.ok(counts.every((c) => c > 0), `counts ${counts}`);
});

test('errors', () => {
  throwsMatch(() => new lk.KMeans({ nClusters: 10 }).fit(lk.tensor([[1, 2]])), /only 1 samples/);
  throwsMatch(() => new lk.KMeans({ nClusters: 2, init: lk.tensor([[1, 2, 3]]) }).fit(X), /init centroids have shape/);
  throwsMatch(() => new lk.KMeans({ nClusters: 2 }).predict(X), /not fitted/);
  throwsMatch(() => new lk.KMeans({ nClusters: 2 }).fit(lk.tensor([[1, Infinity], [0, 0]])), /non-finite/);
  throwsMatch(() => new lk.KMeans({ nClusters: 2 }).fit(lk.zeros([0, 2])), /empty/);
});

test.run();
