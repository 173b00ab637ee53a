// Model files on disk (Node): the bytes of format.ts written and read with
// node:fs, reached through process.getBuiltinModule so that this module also
// loads in a browser (where save(path) / load(path) explain that they need
// Node, and toBytes() / fromBytes() work). Plus restoring saved tensors into a
// built model.
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { encodeModel, decodeModel, type ModelFile } from './format.js';
import { nodeFs, ensureDir } from '../data/node.js';

export type { ModelFile } from './format.js';

export function saveModel(path: string, model: string, config: object, named: [string, Tensor][], extra: object = {}): void {
  const op = `${model}.save`;
  if (typeof path !== 'string' || !path) throw new Error(`${op}: path must be a non-empty string`);
  const bytes = encodeModel(model, config, named, extra);
  const { fs, path: p } = nodeFs(op);
  ensureDir(p.dirname(path), op);
  try { fs.writeFileSync(path, bytes); } catch (e: any) { throw new Error(`${op}: cannot write "${path}": ${e?.message ?? e}`); }
}

/** Read a model file, refusing one that is not a latentkit `model` file. */
export function loadModelFile(path: string, model: string): ModelFile {
  const { fs } = nodeFs(`${model}.load`);
  if (typeof path !== 'string' || !path) throw new Error(`${model}.load: path must be a non-empty string`);
  let bytes: Uint8Array;
  try { bytes = fs.readFileSync(path); } catch (e) {
    throw new Error(`${model}.load: cannot read "${path}": ${(e as Error).message}`);
  }
  return decodeModel(bytes, model, `"${path}"`);
}

/** Copy saved tensors into a model's parameters, refusing any name or shape mismatch. */
export function restoreParameters(file: ModelFile, named: [string, Tensor][], where: string): void {
  const left = new Set(file.tensors.keys());
  for (const [name, p] of named) {
    const t = file.tensors.get(name);
    if (!t) throw new Error(`${file.model}.load: ${where} has no tensor "${name}" (was it saved by a different version of the model?)`);
    if (t.shape.join(',') !== p.shape.join(',')) {
      throw new Error(`${file.model}.load: ${where} stores "${name}" with shape ${fmtShape(t.shape)} but the model built from its config expects ${fmtShape(p.shape)}`);
    }
    p.data.set(t.data);
    left.delete(name);
  }
  if (left.size) throw new Error(`${file.model}.load: ${where} has tensors the model does not: ${[...left].join(', ')}`);
}
