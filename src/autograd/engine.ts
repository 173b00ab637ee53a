// Reverse-mode autograd: record, topological sort, backward, noGrad.
// (engine.ts, tensor.ts and ops/ import each other; every use across them is
// inside a function, so the modules load in any order.)
import { Tensor, fmtShape, setGraphBuffers, type GradNode } from './tensor.js';
import { add } from './ops/elementwise.js';
import { kernels, storageKey } from '../backend/registry.js';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major element strides of a dense tensor of `shape`. */
function denseStrides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) { st[i] = s; s *= shape[i]; }
  return st;
}

let gradEnabled = true;

/** False inside lk.noGrad(): ops then record no graph. */
export function isGradEnabled(): boolean { return gradEnabled; }

/** Run fn without recording operations for autograd. */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try { return fn(); } finally { gradEnabled = prev; }
}

/** Attach a grad node to `out` if any parent requires grad and recording is on. */
export function record(out: Tensor, op: string, parents: Tensor[], backward: GradNode['backward']): Tensor {
  if (!gradEnabled) return out;
  if (parents.some((p) => p.requiresGrad)) {
    out.requiresGrad = true;
    out.node = { op, parents, backward };
  }
  return out;
}

/** backward() options: retainGraph keeps the graph for another backward pass. */
export interface BackwardOptions { retainGraph?: boolean }

/** Parents before children, for every tensor reachable from root that requires grad. */
function topoSort(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    const parents = t.node?.parents ?? [];
    if (i < parents.length) {
      top[1]++;
      const p = parents[i];
      if (p.requiresGrad && !seen.has(p)) { seen.add(p); stack.push([p, 0]); }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

/**
 * Accumulate d(root)/d(leaf) into leaf.grad for every leaf that requires grad.
 * `grad` defaults to 1 for a scalar root. The graph is freed afterwards unless
 * `retainGraph`. Nothing is written to any .grad unless the whole pass succeeds,
 * and no two leaves ever share a gradient tensor or its buffer.
 */
export function backward(root: Tensor, grad?: Tensor | BackwardOptions, opts: BackwardOptions = {}): void {
  if (grad !== undefined && !(grad instanceof Tensor)) {
    if (grad === null || typeof grad !== 'object') {
      throw new Error(`backward: the gradient must be a Tensor of the root's shape ${fmtShape(root.shape)} (or omitted for a scalar), got ${grad === null ? 'null' : typeof grad}`);
    }
    opts = grad;
    grad = undefined;
  }
  if (opts === null || typeof opts !== 'object') throw new Error('backward: options must be an object such as { retainGraph: true }');
  if (root.freed) {
    throw new Error('backward: the graph of this tensor was already freed by an earlier backward(); recompute the loss, or pass { retainGraph: true } the first time');
  }
  if (!root.requiresGrad) {
    throw new Error('backward: this tensor does not require grad (no input had requiresGrad = true, or it was computed inside noGrad); mark the parameters with lk.variable(t) or t.requiresGrad = true');
  }
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new Error(`backward: called on a tensor of shape ${fmtShape(root.shape)} without a gradient; reduce it to a scalar first (e.g. loss.sum() or loss.mean()) or pass a gradient of the same shape`);
    }
    grad = new Tensor(new Float32Array(root.size).fill(1), root.shape);
  } else if (grad.shape.join(',') !== root.shape.join(',')) {
    throw new Error(`backward: gradient of shape ${fmtShape(grad.shape)} does not match the tensor's shape ${fmtShape(root.shape)}`);
  }
  const order = topoSort(root);
  for (const t of order) {
    if (t.freed) {
      throw new Error('backward: part of this graph was already freed by an earlier backward(); recompute it, or pass { retainGraph: true } to the first backward()');
    }
  }
  const grads = new Map<Tensor, Tensor>([[root, grad]]);
  const leafGrads = new Map<Tensor, Tensor>();
  // In-place accumulation: a pending gradient may be summed into when its buffer
  // is one that backward made (not the data of a tensor of the graph, nor the
  // caller's gradient) and no other gradient, pending or handed to a leaf, shares it.
  const fixed = new Set<object>([storageKey(grad.data)]);
  for (const t of order) {
    fixed.add(storageKey(t.data));
    if (t.node) for (const p of t.node.parents) fixed.add(storageKey(p.data));
  }
  const refs = new Map<object, number>();
  const hold = (b: object, d: number) => refs.set(b, (refs.get(b) ?? 0) + d);
  hold(storageKey(grad.data), 1);
  // the leaves' gradient ops may write into buffers kept by zeroGrad, never into one of this graph's
  const outer = setGraphBuffers(fixed);
  try {
    noGrad(() => {
      for (let i = order.length - 1; i >= 0; i--) {
        const t = order[i];
        const g = grads.get(t);
        if (!g) continue;
        grads.delete(t);
        if (!t.node) { leafGrads.set(t, g); continue; } // keeps its hold on the buffer
        hold(storageKey(g.data), -1);
        const pg = t.node.backward(g);
        t.node.parents.forEach((p, k) => {
          const gp = pg[k];
          if (!p.requiresGrad || !gp) return;
          if (!sameShape(gp.shape, p.shape)) {
            throw new Error(`backward of ${t.node!.op}: gradient shape ${fmtShape(gp.shape)} != input shape ${fmtShape(p.shape)} (internal error, please report)`);
          }
          const prev = grads.get(p);
          if (!prev) { grads.set(p, gp); hold(storageKey(gp.data), 1); return; }
          const pb = storageKey(prev.data);
          if (!fixed.has(pb) && refs.get(pb) === 1 && pb !== storageKey(gp.data)) {
            const st = denseStrides(prev.shape);
            kernels().binary('add', prev.data, prev.data, gp.data, prev.shape, st, st); // prev += gp
            return;
          }
          const sum = add(prev, gp);
          hold(pb, -1);
          grads.set(p, sum);
          hold(storageKey(sum.data), 1);
        });
      }
      // commit: a buffer handed out once (or the caller's own gradient) is copied for the next leaf
      // (by buffer, not view: a leaf's .grad never shares memory with another leaf's, with the caller's
      // gradient or with a tensor of the graph, so Optimizer.zeroGrad can keep it for reuse)
      const given = new Set<object>(fixed);
      for (const [leaf, g] of leafGrads) {
        let own = g;
        if (given.has(storageKey(g.data))) own = new Tensor(g.data.slice(), g.shape);
        given.add(storageKey(own.data));
        leaf.grad = leaf.grad ? add(leaf.grad, own) : own;
      }
    });
  } finally { setGraphBuffers(outer); }
  if (!opts.retainGraph) {
    for (const t of order) {
      if (t.node) { t.node = null; t.freed = true; }
    }
  }
}
