// Weight initialisers, drawing from the library's seeded generator (lk.seed)
// or from a given Rng, so that a model built after lk.seed(n) is reproducible.
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { globalRng, type Rng } from '../random.js';

/** Initialiser options: the generator to draw from (default the seeded global one). */
export interface InitOptions {
  /** Generator to draw from (default: the global one, reseeded by lk.seed). */
  rng?: Rng;
}

/**
 * Fan-in and fan-out of a weight tensor: Linear [out, in] and Conv2d
 * [out, in, kh, kw] as in PyTorch, so fanIn = in·kh·kw, fanOut = out·kh·kw.
 */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) throw new Error(`init: weights need at least 2 dimensions to define fan-in and fan-out, got ${fmtShape(shape)}`);
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

function fillUniform(t: Tensor, bound: number, rng: Rng): Tensor {
  for (let i = 0; i < t.size; i++) t.data[i] = (rng.uniform() * 2 - 1) * bound;
  return t;
}

/** kaimingUniform options: the fan mode and the nonlinearity gain. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the (leaky) ReLU that follows (0 for ReLU). */
  a?: number;
  /** Use fan-out instead of fan-in. */
  mode?: 'fanIn' | 'fanOut';
}

/**
 * He / Kaiming uniform, in place: U(−b, b) with b = gain·√(3 / fan),
 * gain = √(2 / (1 + a²)) (a = the leaky-ReLU slope).
 */
export function kaimingUniform(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const { fanIn, fanOut } = fans(t.shape);
  const a = opts.a ?? 0;
  const fan = opts.mode === 'fanOut' ? fanOut : fanIn;
  const gain = Math.sqrt(2 / (1 + a * a));
  return fillUniform(t, gain * Math.sqrt(3 / fan), opts.rng ?? globalRng);
}

/** Glorot / Xavier uniform, in place: U(−b, b) with b = gain·√(6 / (fanIn + fanOut)). */
export function xavierUniform(t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = fans(t.shape);
  return fillUniform(t, (opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut)), opts.rng ?? globalRng);
}

/** Uniform on [−bound, bound], in place. */
export function uniform(t: Tensor, bound: number, opts: InitOptions = {}): Tensor {
  return fillUniform(t, bound, opts.rng ?? globalRng);
}

/** Fill with zeros, in place. */
export function zeros(t: Tensor): Tensor {
  t.data.fill(0);
  return t;
}

/** Fill with a constant, in place. */
export function constant(t: Tensor, value: number): Tensor {
  t.data.fill(value);
  return t;
}

let defaultLayerInit: 'pytorch' | 'legacy' = 'pytorch';

/**
 * The initialisation nn.Linear and nn.Conv2d use when no `init` option is given:
 * 'pytorch' (the default: weights kaiming_uniform(a = √5) = U(±1/√fanIn), biases
 * U(±1/√fanIn)) or 'legacy' (latentkit's earlier defaults: Linear xavier, Conv2d
 * kaiming, biases zero). Returns the previous setting so a caller can restore it.
 */
export function setDefaultLayerInit(how: 'pytorch' | 'legacy'): 'pytorch' | 'legacy' {
  if (how !== 'pytorch' && how !== 'legacy') throw new Error(`setDefaultLayerInit: expected 'pytorch' or 'legacy', got "${String(how)}"`);
  const prev = defaultLayerInit;
  defaultLayerInit = how;
  return prev;
}

/** The current default of setDefaultLayerInit. */
export function getDefaultLayerInit(): 'pytorch' | 'legacy' { return defaultLayerInit; }
