// conv2d of x [64,16,28,28] with w [32,16,3,3], stride 1, padding 1 ('same'):
// forward, and forward + backward (the gradients of Σ y with respect to x and w).
// latentkit is NCHW; tfjs gets the same data in its native NHWC / HWIO layout;
// PyTorch CPU (NCHW, as latentkit) the same arrays.
import { randomData } from '../engines.js';
import { TORCH_ENVS, onBackend } from '../torch-peer.js';

export const name = 'conv2d';

const N = 64, C = 16, H = 28, W = 28, O = 32, K = 3;
// 2·N·O·H·W·C·K² multiply-adds for the forward; the backward is twice that (dx and dw)
const FWD = 2 * N * O * H * W * C * K * K;

function inputs() {
  return { x: randomData(N * C * H * W, 5), w: randomData(O * C * K * K, 6, 0.2) };
}

function lkMake(ctx, backward) {
  const { lk } = ctx;
  const { x, w } = inputs();
  const X = lk.tensor(x, [N, C, H, W]), Wt = lk.tensor(w, [O, C, K, K]);
  if (!backward) return () => lk.noGrad(() => lk.conv2d(X, Wt, null, { stride: 1, padding: 1 }));
  X.requiresGrad = true;
  Wt.requiresGrad = true;
  return () => {
    X.zeroGrad();
    Wt.zeroGrad();
    lk.sum(lk.conv2d(X, Wt, null, { stride: 1, padding: 1 })).backward();
  };
}

function tfMake(ctx, backward) {
  const { tf } = ctx;
  const { x, w } = inputs();
  const X = tf.tidy(() => tf.tensor4d(x, [N, C, H, W]).transpose([0, 2, 3, 1]));
  const Wt = tf.tidy(() => tf.tensor4d(w, [O, C, K, K]).transpose([2, 3, 1, 0]));
  if (!backward) return () => tf.tidy(() => tf.conv2d(X, Wt, 1, 'same')).dispose();
  const g = tf.grads((a, b) => tf.conv2d(a, b, 1, 'same').sum());
  return () => tf.tidy(() => g([X, Wt]));
}

// PyTorch CPU: F.conv2d on the same x and w (no bias), forward under no_grad or Σ y backward.
// Its setup first checks that its y is latentkit's (max |Δy| ≤ 1e-3 max |y|) and raises if not.
function torchPeer(backward) {
  const setup = ['import torch', 'import torch.nn.functional as F',
    'X = torch.from_numpy(data["x"])', 'Wt = torch.from_numpy(data["w"])',
    'with torch.no_grad():', '    d = (F.conv2d(X, Wt, padding=1) - torch.from_numpy(data["y"])).abs().max().item()',
    'if not d <= 1e-3 * float(abs(data["y"]).max()):',
    '    raise RuntimeError(f"conv2d mismatch: max |torch y - latentkit y| = {d:g}: not the same convolution")',
    `X.requires_grad_(${backward ? 'True' : 'False'})`, `Wt.requires_grad_(${backward ? 'True' : 'False'})`].join('\n');
  const run = backward
    ? 'X.grad = None\nWt.grad = None\nF.conv2d(X, Wt, padding=1).sum().backward()'
    : 'with torch.no_grad():\n    y = F.conv2d(X, Wt, padding=1)';
  const arrays = (ctx) => {
    const { x, w } = inputs();
    const y = onBackend(ctx.lk, () => ctx.lk.noGrad(() => ctx.lk.conv2d(ctx.lk.tensor(x, [N, C, H, W]), ctx.lk.tensor(w, [O, C, K, K]), null, { stride: 1, padding: 1 })));
    return { x: { data: x, shape: [N, C, H, W] }, w: { data: w, shape: [O, C, K, K] }, y: { data: y.dataSync().slice(), shape: [N, O, H, W] } };
  };
  return { torch: { arrays, setup, run, envs: TORCH_ENVS } };
}

export function cases() {
  const slow = { 'lk-js': 'reference backend, too slow at this size' };
  return [
    {
      id: 'conv2d fwd [64,16,28,28]x[32,16,3,3]', flops: FWD, target: { gflops: 80 }, skip: slow, peers: torchPeer(false),
      ratios: [{ ours: 'lk-wasm', peer: 'tfjs-wasm', min: 1.2 }], // issue 13
      make: (ctx, e) => (e.kind === 'lk' ? lkMake(ctx, false) : tfMake(ctx, false)),
    },
    {
      // tfjs-cpu needs about 170 s for one forward+backward here (measured once): not repeated
      id: 'conv2d fwd+bwd', flops: 3 * FWD, target: { ms: 25 }, peers: torchPeer(true),
      skip: { ...slow, 'tfjs-cpu': 'about 170 s per step (measured once), not repeated' },
      make: (ctx, e) => (e.kind === 'lk' ? lkMake(ctx, true) : tfMake(ctx, true)),
    },
  ];
}
