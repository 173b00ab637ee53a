// Option checking for every model, classical and neural: one validator per
// kind of value (integer, number, enum, boolean, callback) whose message names
// the model, the option and the fix, and one refusal of unknown option names
// that lists the known ones (a typo such as `epoch` must not train silently
// with the default).

/** Throw when `opts` has a key outside `known`: "VAE: unknown option 'epoch'; known options: epochs, ...". */
export function refuseUnknown(opts: object | undefined | null, known: readonly string[], op: string): void {
  if (opts === undefined || opts === null) return;
  if (typeof opts !== 'object') throw new Error(`${op}: options must be an object such as { ${known[0]}: ... }, got ${typeof opts}`);
  for (const key of Object.keys(opts)) {
    if (!known.includes(key)) {
      throw new Error(`${op}: unknown option '${key}'; known options: ${known.join(', ')}`);
    }
  }
}

/** The options object of a constructor that needs one (e.g. `new VAE({ inputDim: 784 })`), with only known names. */
export function requireOptions<T>(opts: T, op: string, example: string, known?: readonly string[]): T {
  if (!opts || typeof opts !== 'object') throw new Error(`${op}: pass an options object, e.g. new ${op}(${example})`);
  if (known) refuseUnknown(opts, known, op);
  return opts;
}

/**
 * Integer options (sizes, counts) by name, each opts[name] ?? defaults[name]
 * (undefined: required) and at least 1.
 */
export function intOptions<K extends string>(opts: object, op: string, defaults: { [k in K]: number | undefined }): { [k in K]: number } {
  const given = opts as Record<string, unknown>, out = {} as { [k in K]: number };
  for (const name of Object.keys(defaults) as K[]) out[name] = intOption(given[name] ?? defaults[name], name, op);
  return out;
}

/** An integer option >= min. */
export function intOption(v: unknown, name: string, op: string, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    const what = min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer >= ${min}`;
    throw new Error(`${op}: ${name} must be ${what}, got ${String(v)}; pass a whole number such as ${name}: ${Math.max(min, 1)}`);
  }
  return v;
}

/** A finite number option: non-negative by default, > 0 with `positive`. */
export function numOption(v: unknown, name: string, op: string, positive = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (positive && v === 0)) {
    throw new Error(`${op}: ${name} must be a ${positive ? 'positive' : 'non-negative'} finite number, got ${String(v)}; pass e.g. ${name}: ${positive ? '0.001' : '0'}`);
  }
  return v;
}

/** One of a fixed set of strings. */
export function enumOption<T extends string>(v: unknown, name: string, op: string, choices: readonly T[]): T {
  if (!choices.includes(v as T)) {
    throw new Error(`${op}: ${name} must be ${choices.map((c) => `'${c}'`).join(' or ')}, got ${typeof v === 'string' ? `'${v}'` : String(v)}`);
  }
  return v as T;
}

/** A boolean option. */
export function boolOption(v: unknown, name: string, op: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`${op}: ${name} must be true or false, got ${String(v)}`);
  return v;
}

/** An optional callback (onStep, onEpoch, onIteration). */
export function callbackOption<F>(v: F | undefined, name: string, op: string): F | undefined {
  if (v !== undefined && typeof v !== 'function') throw new Error(`${op}: ${name} must be a function (info) => void | boolean, got ${typeof v}`);
  return v;
}

/** An optional AbortSignal. */
export function signalOption(v: AbortSignal | undefined, op: string): AbortSignal | undefined {
  if (v !== undefined && (v === null || typeof v !== 'object' || typeof v.aborted !== 'boolean')) {
    throw new Error(`${op}: signal must be an AbortSignal (e.g. new AbortController().signal)`);
  }
  return v;
}

/** The fitted-state guard. */
export function needFitted(ok: boolean, op: string, model: string): void {
  if (!ok) throw new Error(`${model}.${op}: the model is not fitted yet; call fit(X) first`);
}
