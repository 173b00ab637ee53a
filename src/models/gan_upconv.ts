// The GAN generator's "Upsample(2) then Conv2d" as one op where the backend has
// the fused kernels (native and wasm: up2Conv2d, four 2x2 phase convolutions of
// the low-resolution image, no upsampled image in memory); elsewhere (js) the
// two layers as they are. u = upsample2(x), y = conv2d(u, W) + b:
//   dx = upsample2dBackward(∂y/∂u · dy)  (up2Conv2dBackwardInput)
//   dW = Σ dy ⋆ u                         (up2Conv2dBackwardWeight)
//   db[o] = Σ_{b, i, j} dy[b, o, i, j]
import { Tensor, allocData } from '../autograd/tensor.js';
import { record } from '../autograd/engine.js';
import { kernels, kernelSource, getBackend } from '../backend/registry.js';
import { convOutSize, type Conv2dDims } from '../backend/contract.js';
import { Conv2d, Upsample, Sequential } from '../nn/layers.js';
import type { Module } from '../nn/module.js';

// db[o] = Σ_{b, p} g[b, o, p]: the plane sums [n·o] first, then over the batch.
function biasGrad(g: Float32Array, n: number, o: number, plane: number): Float32Array {
  const planes = new Float32Array(n * o), db = new Float32Array(o);
  kernels().reduce('sum', planes, g, n * o, plane, 1);
  kernels().reduce('sum', db, planes, 1, n, o);
  return db;
}

/** conv(upsample2(x)) with one fused kernel when the backend has it, else the two layers. */
export function upsampleConv(x: Tensor, conv: Conv2d): Tensor {
  const b = conv.bias, w = conv.weight;
  const fits = b != null && x instanceof Tensor && x.ndim === 4 && x.shape[1] === conv.inChannels && x.size > 0
    && kernelSource('up2Conv2d') === getBackend();
  const [n, c, h, wd] = fits ? x.shape : [0, 0, 0, 0];
  const k = conv.kernelSize, stride = conv.stride, pad = conv.padding;
  const oh = convOutSize(2 * h, k, stride, pad), ow = convOutSize(2 * wd, k, stride, pad);
  if (!fits || oh < 1 || ow < 1) return conv.forward(new Upsample(2).forward(x));
  const o = conv.outChannels;
  const d: Conv2dDims = { n, c, h, w: wd, o, kh: k, kw: k, stride, pad, oh, ow };
  const out = allocData(n * o * oh * ow, 'up2Conv2d', true); // written in full by the kernel (c > 0)
  kernels().up2Conv2d(out, x.data, w.data, b.data, d);
  return record(new Tensor(out, [n, o, oh, ow]), 'up2Conv2d', [x, w, b], (g) => {
    let dx: Tensor | null = null, dw: Tensor | null = null, db: Tensor | null = null;
    if (x.requiresGrad) {
      const buf = new Float32Array(x.size);
      kernels().up2Conv2dBackwardInput(buf, g.data, w.data, d);
      dx = new Tensor(buf, x.shape);
    }
    if (w.requiresGrad) {
      const buf = new Float32Array(w.size);
      kernels().up2Conv2dBackwardWeight(buf, x.data, g.data, d);
      dw = new Tensor(buf, w.shape);
    }
    if (b.requiresGrad) db = new Tensor(biasGrad(g.data, n, o, oh * ow), b.shape);
    return [dx, dw, db];
  });
}

type Step = { run: Sequential } | { up: Conv2d };

/**
 * The generator's layers as runs of plain layers (each a Sequential over the
 * same modules, so its Linear + activation fusion stays) and Upsample(2) +
 * Conv2d pairs, which run as upsampleConv.
 */
export function planOf(layers: readonly Module[]): Step[] {
  const steps: Step[] = [];
  let run: Module[] = [];
  for (let i = 0; i < layers.length; i++) {
    const m = layers[i], next = layers[i + 1];
    if (m instanceof Upsample && m.scale === 2 && next instanceof Conv2d) {
      if (run.length) steps.push({ run: new Sequential(...run) });
      run = [];
      steps.push({ up: next });
      i++;
    } else {
      run.push(m);
    }
  }
  if (run.length) steps.push({ run: new Sequential(...run) });
  return steps;
}

/** Apply a plan from planOf. */
export function runPlan(steps: readonly Step[], x: Tensor): Tensor {
  let h = x;
  for (const s of steps) h = 'up' in s ? upsampleConv(h, s.up) : s.run.forward(h);
  return h;
}
