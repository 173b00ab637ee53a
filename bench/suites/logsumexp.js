// logsumexp over the last axis of a [4096, 1024] matrix (stable: max pass, then Σ exp).
import { randomData } from '../engines.js';

export const name = 'logsumexp';

export function cases() {
  const rows = 4096, cols = 1024;
  return [{
    id: 'logsumexp [4096,1024] axis 1',
    target: { ms: 5 },
    make: (ctx, engine) => {
      const x = randomData(rows * cols, 3, 10);
      if (engine.kind === 'lk') {
        const { lk } = ctx;
        const X = lk.tensor(x, [rows, cols]);
        return () => lk.noGrad(() => lk.logsumexp(X, 1));
      }
      const { tf } = ctx;
      const X = tf.tensor2d(x, [rows, cols]);
      return () => tf.tidy(() => tf.logSumExp(X, 1)).dispose();
    },
  }];
}
