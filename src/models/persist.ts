// What every classical model (the mixtures, SemiSupervisedGDA, KMeans, PCA,
// ICA) shares: model files in the format of format.ts, fits that change
// nothing when they throw, and fit() / fitAsync() driving one generator.
//
// Files: config = the constructor options that are plain data, tensors = the
// fitted parameters, extra = small fitted scalars (nIter, converged, ...).
// Float64 parameters are stored exactly as three float32 parts,
//   v = hi + lo + lo2,  hi = fl32(v),  lo = fl32(v − hi),  lo2 = fl32(v − hi − lo)
// (each residual is exact in float64; 3 × 24 bits cover the 53 of a double):
// "name" holds hi (the readable value) and "name.residual" [2, ...shape] holds
// lo and lo2, so a loaded model predicts exactly as the saved one.
//
// Failed fits: fit() snapshots the fitted state (the same state() a file
// holds) and the position of the model's generator and restores them if the fit throws; a stopped fit (signal, a callback
// returning false) keeps its result. fit() drains the fit generator at once,
// fitAsync() with a turn of the event loop between steps (train.ts).
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { encodeModel, decodeModel, type ModelFile } from './format.js';
import { saveModel, loadModelFile } from './serialize.js';
import { drain, drainAsync } from './train.js';
import { needFitted } from './options.js';
import type { Rng } from '../random.js';

/** A model's persistent state: what save() writes and a failed fit restores. */
export interface ModelState { config: Record<string, unknown>; tensors: [string, Tensor][]; extra: Record<string, unknown> }

/** A fit as steps: one `yield` per EM step / Lloyd iteration / mini-batch. */
export type FitSteps = Generator<void, void, void>;

/** The float32 tensors that store a float64 array exactly (see the header). */
export function float64Tensors(name: string, v: ArrayLike<number>, shape: readonly number[]): [string, Tensor][] {
  const n = v.length, hi = new Float32Array(n), res = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    hi[i] = v[i];
    res[i] = v[i] - hi[i];
    res[n + i] = v[i] - hi[i] - res[i];
  }
  return [[name, new Tensor(hi, [...shape])], [`${name}.residual`, new Tensor(res, [2, ...shape])]];
}

/** Reads a file's tensors and extra with clear errors, and refuses tensors nobody read. */
export class StateReader {
  private readonly left: Set<string>;
  constructor(readonly file: ModelFile, readonly where: string) { this.left = new Set(file.tensors.keys()); }

  fail(why: string): never { throw new Error(`${this.file.model}.load: ${this.where} ${why}`); }

  /** The float32 tensor `name`, of `shape` when given (a dimension of −1 matches anything). */
  tensor(name: string, shape?: readonly number[]): Tensor {
    const t = this.file.tensors.get(name);
    if (!t) this.fail(`has no tensor "${name}" (a file of an unfitted model, or of another version?)`);
    if (shape && (t.shape.length !== shape.length || shape.some((s, i) => s >= 0 && s !== t.shape[i]))) {
      this.fail(`stores "${name}" with shape ${fmtShape(t.shape)}; expected ${fmtShape(shape.map((s, i) => (s >= 0 ? s : t.shape[i] ?? s)))}`);
    }
    this.left.delete(name);
    return t;
  }

  /** A float64 array written by float64Tensors: hi + lo + lo2. */
  float64(name: string, shape?: readonly number[]): { data: Float64Array; shape: number[] } {
    const hi = this.tensor(name, shape), res = this.tensor(`${name}.residual`, [2, ...hi.shape]), n = hi.size;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = hi.data[i] + res.data[i] + res.data[n + i];
    return { data: out, shape: [...hi.shape] };
  }

  /** extra[key]: a finite number (an integer >= min with `int`). */
  num(key: string, opts: { int?: boolean; min?: number } = {}): number {
    const v = this.file.extra[key];
    const ok = typeof v === 'number' && Number.isFinite(v) && (!opts.int || Number.isInteger(v)) && !(v < (opts.min ?? -Infinity));
    if (!ok) this.fail(`has a missing or malformed "${key}" in its extra state (got ${JSON.stringify(v)})`);
    return v as number;
  }

  bool(key: string): boolean {
    const v = this.file.extra[key];
    if (typeof v !== 'boolean') this.fail(`has a missing or malformed "${key}" in its extra state (got ${JSON.stringify(v)})`);
    return v as boolean;
  }

  /** extra[key]: an array of finite numbers. */
  numbers(key: string): number[] {
    const v = this.file.extra[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) this.fail(`has a missing or malformed "${key}" in its extra state`);
    return [...(v as number[])];
  }

  /** extra[key] as stored (plain JSON), accepted by `check`. */
  raw<T>(key: string, check: (v: unknown) => boolean): T {
    const v = this.file.extra[key];
    if (!check(v)) this.fail(`has a missing or malformed "${key}" in its extra state`);
    return v as T;
  }

  /** Refuse tensors the model did not read. */
  finish(): void {
    if (this.left.size) this.fail(`has tensors the model does not: ${[...this.left].join(', ')}`);
  }
}

/** A concrete classical model class: its file name and a constructor taking the saved config. */
export interface ClassicalClass<M> { readonly kind: string; new (config: any): M }

/**
 * The base of the classical models: save(path) / load(path), toBytes() /
 * fromBytes(bytes), fit() and fitAsync(), and fits that change nothing when they throw.
 */
export abstract class ClassicalModel {
  /** The model's name in files and messages ("GaussianMixture"). */
  abstract get kind(): string;
  /** True once a fit has succeeded (or the model was loaded). */
  protected abstract isFitted(): boolean;
  /** config (plain-data options), fitted tensors and fitted scalars; called only on a fitted model. */
  protected abstract state(): ModelState;
  /** Install a state read from a file or a snapshot; throws (via r.fail) on anything missing or malformed. */
  protected abstract restore(r: StateReader): void;
  /** The fit as steps (fit's arguments); it must mark the model fitted only at its end. */
  protected abstract fitSteps(...args: any[]): FitSteps;
  /** The generator a fit draws from (rewound when the fit throws), if any. */
  protected fitRng(): Rng | null { return null; }
  /** Fit the model (synchronous): see each model's own fit(). */
  abstract fit(...args: any[]): this;

  private fitting = false;

  /** Write the fitted model to `path` (Node): the format of format.ts, with a CRC-32. */
  save(path: string): this {
    const s = this.savedState('save');
    saveModel(path, this.kind, s.config, s.tensors, s.extra);
    return this;
  }

  /** The fitted model as bytes (works without a file system). */
  toBytes(): Uint8Array {
    const s = this.savedState('toBytes');
    return encodeModel(this.kind, s.config, s.tensors, s.extra);
  }

  private savedState(op: string): ModelState {
    needFitted(this.isFitted(), op, this.kind);
    return this.state();
  }

  /** A model written by save(path). */
  static load<M extends ClassicalModel>(this: ClassicalClass<M>, path: string): M {
    return ClassicalModel.rebuild(this, loadModelFile(path, this.kind), `"${path}"`);
  }

  /** A model from toBytes() data. */
  static fromBytes<M extends ClassicalModel>(this: ClassicalClass<M>, bytes: Uint8Array): M {
    return ClassicalModel.rebuild(this, decodeModel(bytes, this.kind), 'the toBytes() data');
  }

  private static rebuild<M extends ClassicalModel>(cls: ClassicalClass<M>, file: ModelFile, where: string): M {
    let model: M;
    try { model = new cls(file.config); } catch (e) {
      throw new Error(`${file.model}.load: ${where} has a config the model refuses: ${(e as Error).message}`);
    }
    const r = new StateReader(file, where);
    model.restore(r);
    r.finish();
    return model;
  }

  /** Run fit's steps at once (the body of each model's fit()). */
  protected runFit(steps: FitSteps): this {
    if (this.fitting) throw new Error(`${this.kind}.fit: an earlier fitAsync() on this model is still running; await it first`);
    this.fitting = true;
    try { drain(this.committed(steps)); } finally { this.fitting = false; }
    return this;
  }

  /**
   * fit() without blocking: the same arguments, checks and results, with a turn
   * of the event loop after every EM step / Lloyd iteration / mini-batch, so
   * that a `signal` (e.g. AbortSignal.timeout(ms), a constructor option) and
   * callbacks run; aborting stops the fit with a usable model. Rejects where
   * fit() would throw, with the model as it was before.
   */
  async fitAsync(...args: Parameters<this['fit']>): Promise<this> {
    if (this.fitting) throw new Error(`${this.kind}.fitAsync: a fit is already running on this model; await it first`);
    this.fitting = true;
    try { await drainAsync(this.committed(this.fitSteps(...args))); } finally { this.fitting = false; }
    return this;
  }

  /** The steps, restoring the state (and the generator) before the fit if they throw: a failed fit changes nothing. */
  private *committed(steps: FitSteps): FitSteps {
    const before = this.isFitted() ? this.state() : null, rng = this.fitRng(), position = rng?.snapshot();
    try {
      yield* steps;
    } catch (e) {
      if (rng) rng.restore(position!);
      if (before) {
        const file: ModelFile = { model: this.kind, config: before.config, tensors: new Map(before.tensors), extra: before.extra };
        this.restore(new StateReader(file, 'the state before the failed fit'));
      }
      throw e;
    }
  }
}
