// MNIST-format IDX files (plain or .gz): magic 0x0000 <type> <ndim>, then ndim
// big-endian uint32 sizes, then the values row-major (big-endian).
import { Tensor } from '../autograd/tensor.js';
import { readBytes, maybeGunzip } from './files.js';

// values are read through a DataView (big-endian), so plain Uint8Arrays work (browser-safe)
const TYPES: Record<number, { size: number; read: (b: DataView, o: number) => number; name: string }> = {
  0x08: { size: 1, read: (b, o) => b.getUint8(o), name: 'uint8' },
  0x09: { size: 1, read: (b, o) => b.getInt8(o), name: 'int8' },
  0x0b: { size: 2, read: (b, o) => b.getInt16(o), name: 'int16' },
  0x0c: { size: 4, read: (b, o) => b.getInt32(o), name: 'int32' },
  0x0d: { size: 4, read: (b, o) => b.getFloat32(o), name: 'float32' },
  0x0e: { size: 8, read: (b, o) => b.getFloat64(o), name: 'float64' },
};

/**
 * Parse IDX bytes (uncompressed) into a Tensor of the stored shape, values as
 * stored (e.g. 0..255). Works anywhere, e.g. on the bytes of a fetch() in a page.
 * @param buf the file's bytes
 * @param path a name for the bytes in error messages
 */
export function parseIdx(buf: Uint8Array, path = '<buffer>'): Tensor {
  const op = 'readIdx';
  if (!(buf instanceof Uint8Array)) throw new Error(`${op}: expected the file's bytes as a Uint8Array, got ${typeof buf}`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new Error(`${op}: '${path}' is not an IDX file (bad magic number); expected e.g. train-images-idx3-ubyte(.gz)`);
  const type = TYPES[buf[2]];
  if (!type) throw new Error(`${op}: '${path}' has unknown IDX value type 0x${buf[2].toString(16)}`);
  const ndim = buf[3];
  const header = 4 + 4 * ndim;
  if (buf.length < header) throw new Error(`${op}: '${path}' is truncated inside its header`);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i));
  const n = shape.reduce((a, b) => a * b, 1);
  const perSample = shape.slice(1).reduce((a, b) => a * b, 1);
  if (perSample > 2 ** 31) {
    throw new Error(`${op}: '${path}' has an implausible header: dims [${shape.join(',')}] give ${perSample} values per sample; the file is damaged or not IDX`);
  }
  if (buf.length < header + n * type.size) {
    throw new Error(`${op}: '${path}' is truncated: shape [${shape.join(',')}] needs ${header + n * type.size} bytes, the file has ${buf.length}; download it again`);
  }
  const out = new Float32Array(n);
  if (type.size === 1 && buf[2] === 0x08) for (let i = 0; i < n; i++) out[i] = buf[header + i];
  else for (let i = 0; i < n; i++) out[i] = type.read(view, header + i * type.size);
  return new Tensor(out, shape);
}

/** Read an IDX file (plain or gzip-compressed) into a Tensor of its shape (Node). */
export function readIdx(path: string): Tensor {
  return parseIdx(maybeGunzip(readBytes(path, 'readIdx'), path, 'readIdx'), path);
}

/**
 * A full MNIST-format set from its two IDX files (plain or .gz; Node): images
 * [N, rows·cols] scaled to [0, 1] and integer labels.
 */
export function readMnistIdx(imagesPath: string, labelsPath: string): { images: Tensor; labels: Int32Array } {
  const im = readIdx(imagesPath), lb = readIdx(labelsPath);
  if (im.ndim !== 3) throw new Error(`readMnistIdx: '${imagesPath}' has shape [${im.shape.join(',')}]; expected an images file [N, rows, cols]`);
  if (lb.ndim !== 1 || lb.shape[0] !== im.shape[0]) throw new Error(`readMnistIdx: ${lb.shape[0]} labels for ${im.shape[0]} images; pass the matching labels file`);
  const data = im.data;
  for (let i = 0; i < data.length; i++) data[i] /= 255;
  return { images: new Tensor(data, [im.shape[0], im.shape[1] * im.shape[2]]), labels: Int32Array.from(lb.data) };
}
