// Saving and loading model weights.
//
// File format (little-endian):
//   bytes 0..7   the magic "LKMODEL1"
//   bytes 8..11  uint32 H, the byte length of the JSON header
//   H bytes      UTF-8 JSON, padded with spaces to a multiple of 4:
//                { format: "latentkit-model", version: 1, model: "VAE",
//                  config: {...}, tensors: [{ name, shape }], extra: {...} }
//   then         the float32 values of every tensor, in header order
// Loading checks the magic, the model name, every tensor's name and shape
// against a freshly built model, and the data length.
import { readFileSync, writeFileSync } from 'node:fs';
import { ensureDir } from '../data/files.js';
import { dirname } from 'node:path';
import { Tensor, fmtShape, shapeSize } from '../autograd/tensor.js';

const MAGIC = 'LKMODEL1';

export interface SavedTensor { name: string; shape: number[] }
export interface ModelFile {
  model: string;
  config: Record<string, unknown>;
  tensors: Map<string, Tensor>;
  extra: Record<string, unknown>;
}

export function saveModel(path: string, model: string, config: object, named: [string, Tensor][], extra: object = {}): void {
  if (typeof path !== 'string' || !path) throw new Error(`${model}.save: path must be a non-empty string`);
  const tensors: SavedTensor[] = named.map(([name, t]) => ({ name, shape: [...t.shape] }));
  let json = JSON.stringify({ format: 'latentkit-model', version: 1, model, config, tensors, extra });
  let head = Buffer.from(json, 'utf8');
  if (head.length % 4) { json += ' '.repeat(4 - (head.length % 4)); head = Buffer.from(json, 'utf8'); }
  const total = named.reduce((a, [, t]) => a + t.size, 0);
  const body = new Float32Array(total);
  let off = 0;
  for (const [, t] of named) { body.set(t.data, off); off += t.size; }
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length, 0);
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  ensureDir(dirname(path), `${model}.save`);
  writeFileSync(path, Buffer.concat([Buffer.from(MAGIC, 'latin1'), len, head, bytes]));
}

/** Read a model file, refusing one that is not a latentkit `model` file. */
export function loadModelFile(path: string, model: string): ModelFile {
  let buf: Buffer;
  try { buf = readFileSync(path); } catch (e) {
    throw new Error(`${model}.load: cannot read "${path}": ${(e as Error).message}`);
  }
  const bad = (why: string): never => { throw new Error(`${model}.load: "${path}" ${why}`); };
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) bad('is not a latentkit model file (bad magic; expected a file written by save())');
  const h = buf.readUInt32LE(8);
  if (12 + h > buf.length) bad('is truncated (the header runs past the end of the file)');
  let header: any;
  try { header = JSON.parse(buf.toString('utf8', 12, 12 + h)); } catch { bad('has a corrupt JSON header'); }
  if (header.format !== 'latentkit-model' || header.version !== 1) bad(`has an unsupported format/version (${header.format} v${header.version})`);
  if (header.model !== model) bad(`holds a ${header.model} model, not a ${model}; load it with lk.${header.model}.load()`);
  const start = 12 + h;
  const total = (header.tensors as SavedTensor[]).reduce((a, t) => a + shapeSize(t.shape), 0);
  if (buf.length - start !== total * 4) bad(`has ${buf.length - start} data bytes but its header describes ${total * 4} (truncated or corrupt)`);
  const data = new Float32Array(total);
  new Uint8Array(data.buffer).set(buf.subarray(start));
  const tensors = new Map<string, Tensor>();
  let off = 0;
  for (const t of header.tensors as SavedTensor[]) {
    const n = shapeSize(t.shape);
    tensors.set(t.name, new Tensor(data.subarray(off, off + n).slice(), t.shape));
    off += n;
  }
  return { model, config: header.config ?? {}, tensors, extra: header.extra ?? {} };
}

/** Copy saved tensors into a model's parameters, refusing any name or shape mismatch. */
export function restoreParameters(file: ModelFile, named: [string, Tensor][], path: string): void {
  const left = new Set(file.tensors.keys());
  for (const [name, p] of named) {
    const t = file.tensors.get(name);
    if (!t) throw new Error(`${file.model}.load: "${path}" has no tensor "${name}" (was it saved by a different version of the model?)`);
    if (t.shape.join(',') !== p.shape.join(',')) {
      throw new Error(`${file.model}.load: "${path}" stores "${name}" with shape ${fmtShape(t.shape)} but the model built from its config expects ${fmtShape(p.shape)}`);
    }
    p.data.set(t.data);
    left.delete(name);
  }
  if (left.size) throw new Error(`${file.model}.load: "${path}" has tensors the model does not: ${[...left].join(', ')}`);
}
