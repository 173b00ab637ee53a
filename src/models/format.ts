// The model file format, as bytes (no file system: works in a browser too).
//
// Version 2 (little-endian):
//   bytes 0..7    the magic "LKMODEL2"
//   bytes 8..11   uint32 H, the byte length of the JSON header (a multiple of 4)
//   bytes 12..15  uint32 CRC-32 (IEEE 802.3, as zlib) of every byte after byte 15
//   H bytes       UTF-8 JSON, padded with spaces:
//                 { format: "latentkit-model", version: 2, model: "VAE",
//                   config: {...}, tensors: [{ name, shape }], extra: {...} }
//   then          the float32 values of every tensor, in header order
// Version 1 ("LKMODEL1": no CRC field) files are still read. Decoding checks,
// before allocating anything the header asks for: the magic, the checksum,
// the header's form, the model name, that the payload holds exactly the
// listed tensors; then that every value is finite.
import { Tensor, shapeSize } from '../autograd/tensor.js';

const MAGIC2 = 'LKMODEL2', MAGIC1 = 'LKMODEL1';

export interface ModelFile {
  model: string;
  config: Record<string, unknown>;
  tensors: Map<string, Tensor>;
  extra: Record<string, unknown>;
}

let crcTable: Uint32Array | null = null;
/** CRC-32 with the reflected polynomial 0xEDB88320 (zlib's crc32). */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The bytes of a model: its name, config, named tensors and extra JSON state. */
export function encodeModel(model: string, config: object, named: [string, Tensor][], extra: object = {}): Uint8Array {
  const tensors = named.map(([name, t]) => ({ name, shape: [...t.shape] }));
  for (const [name, t] of named) {
    for (let i = 0; i < t.size; i++) {
      if (!Number.isFinite(t.data[i])) throw new Error(`${model}.save: "${name}" has a ${t.data[i]} value at ${i}; the model is not fitted or diverged, so it is not saved`);
    }
  }
  let head = new TextEncoder().encode(JSON.stringify({ format: 'latentkit-model', version: 2, model, config, tensors, extra }));
  if (head.length % 4) {
    const padded = new Uint8Array(head.length + 4 - (head.length % 4)).fill(0x20);
    padded.set(head);
    head = padded;
  }
  const total = named.reduce((a, [, t]) => a + t.size, 0);
  const out = new Uint8Array(16 + head.length + total * 4);
  out.set(new TextEncoder().encode(MAGIC2), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, head.length, true);
  out.set(head, 16);
  let off = 16 + head.length;
  for (const [, t] of named) {
    for (let i = 0; i < t.size; i++, off += 4) view.setFloat32(off, t.data[i], true);
  }
  view.setUint32(12, crc32(out.subarray(16)), true);
  return out;
}

const isShape = (s: unknown): s is number[] => Array.isArray(s) && s.length <= 8 && s.every((d) => Number.isInteger(d) && d >= 0 && d <= 2 ** 31);

/** Decode model bytes written by encodeModel, refusing anything else (`where` names the source in errors). */
export function decodeModel(bytes: Uint8Array, model: string, where = 'the toBytes() data'): ModelFile {
  const bad = (why: string): never => { throw new Error(`${model}.load: ${where} ${why}`); };
  if (!(bytes instanceof Uint8Array)) bad('are not a Uint8Array');
  const magic = bytes.length >= 8 ? new TextDecoder('latin1').decode(bytes.subarray(0, 8)) : '';
  if (magic !== MAGIC2 && magic !== MAGIC1) bad('is not a latentkit model file (bad magic; expected a file written by save() or toBytes())');
  const v2 = magic === MAGIC2, start = v2 ? 16 : 12;
  if (bytes.length < start) bad('is truncated (inside its header)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = view.getUint32(8, true);
  if (start + h > bytes.length) bad('is truncated (the header runs past the end)');
  if (v2 && crc32(bytes.subarray(16)) !== view.getUint32(12, true)) bad('is corrupt: its CRC-32 checksum does not match (a damaged copy or a partial write); save the model again');
  let header: any;
  try { header = JSON.parse(new TextDecoder().decode(bytes.subarray(start, start + h))); } catch { bad('has a corrupt JSON header'); }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) bad('has a header that is not an object');
  if (header.format !== 'latentkit-model' || header.version !== (v2 ? 2 : 1)) bad(`has an unsupported format/version (${header.format} v${header.version})`);
  if (header.model !== model) bad(`holds a ${header.model} model, not a ${model}; load it with lk.${header.model}.load()`);
  if (!Array.isArray(header.tensors) || !header.tensors.every((t: any) => t && typeof t.name === 'string' && isShape(t.shape))) {
    bad('has a malformed tensor list');
  }
  for (const k of ['config', 'extra']) if (header[k] !== undefined && (header[k] === null || typeof header[k] !== 'object')) bad(`has a malformed ${k}`);
  const total = (header.tensors as { shape: number[] }[]).reduce((a, t) => a + shapeSize(t.shape), 0);
  const payload = bytes.length - start - h;
  if (payload !== total * 4) bad(`has ${payload} data bytes but its header describes ${total * 4} (truncated or corrupt)`);
  const tensors = new Map<string, Tensor>();
  let off = start + h;
  for (const t of header.tensors as { name: string; shape: number[] }[]) {
    if (tensors.has(t.name)) bad(`lists the tensor "${t.name}" twice`);
    const n = shapeSize(t.shape), data = new Float32Array(n);
    for (let i = 0; i < n; i++, off += 4) {
      const v = view.getFloat32(off, true);
      if (!Number.isFinite(v)) bad(`has a ${v} value in "${t.name}" (index ${i}); the saved model was corrupt`);
      data[i] = v;
    }
    tensors.set(t.name, new Tensor(data, t.shape));
  }
  return { model, config: header.config ?? {}, tensors, extra: header.extra ?? {} };
}
