// Images as [H, W, 3] float tensors with values 0..255: PNG via pngjs, TIFF via
// utif (read and write), plus the baboon (mandrill) test images shipped in the
// package's data/ folder. pngjs and utif are Node libraries loaded on first use
// (through process.getBuiltinModule('node:module')), so this module bundles
// for a browser, where these functions explain that they need Node.
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { readBytes, writeBytes, extensionOf } from './files.js';
import { nodeRequire, requireBuiltin } from './node.js';

const IN_BROWSER = 'createImageBitmap() and a canvas\'s getImageData() to get the pixels, then lk.tensor()';
const load = (id: string, op: string): any => nodeRequire(import.meta.url, op, IN_BROWSER)(id);
type Png = { width: number; height: number; data: Uint8Array };
const pngjs = (op: string): { PNG: { new(o: { width: number; height: number }): Png; sync: { read(b: Uint8Array): Png; write(p: Png): Uint8Array } } } => load('pngjs', op);

/** RGBA bytes to a [H, W, 3] float tensor. */
function fromRgba(rgba: ArrayLike<number>, w: number, h: number): Tensor {
  const out = new Float32Array(h * w * 3);
  for (let p = 0; p < w * h; p++) {
    out[p * 3] = rgba[p * 4]; out[p * 3 + 1] = rgba[p * 4 + 1]; out[p * 3 + 2] = rgba[p * 4 + 2];
  }
  return new Tensor(out, [h, w, 3]);
}

/**
 * Decode PNG bytes (any bit depth or colour type pngjs reads) to [H, W, 3]
 * floats 0..255 (Node).
 * @param buf the PNG file's bytes
 * @param what a name for the bytes in error messages
 */
export function decodePng(buf: Uint8Array, what = '<buffer>'): Tensor {
  const { PNG } = pngjs('decodePng');
  let png: Png;
  try { png = PNG.sync.read(toNodeBuffer(buf)); } catch (e: any) { throw new Error(`readImage: '${what}' is not a readable PNG (${e?.message})`); }
  return fromRgba(png.data, png.width, png.height);
}

/** readImage options. */
export interface ReadImageOptions {
  /** What to do with an alpha channel: 'drop' it (default) or 'refuse' the image. */
  alpha?: 'drop' | 'refuse';
}

const tag = (ifd: Record<string, unknown>, t: number): number[] => (ifd[`t${t}`] as number[] | undefined) ?? [];

// TIFF tags: 258 BitsPerSample, 277 SamplesPerPixel, 338 ExtraSamples, 339 SampleFormat (3 = IEEE float)
function decodeTiff(buf: Uint8Array, path: string, opts: ReadImageOptions): Tensor {
  const UTIF = load('utif', 'readImage');
  let ifds: Record<string, unknown>[];
  try { ifds = UTIF.decode(buf); } catch (e: any) { throw new Error(`readImage: '${path}' is not a readable TIFF (${e?.message})`); }
  if (!ifds.length) throw new Error(`readImage: '${path}' is not a readable TIFF (no images in the file)`);
  const ifd = ifds[0];
  const bits = tag(ifd, 258), format = tag(ifd, 339)[0] ?? 1, spp = tag(ifd, 277)[0] ?? 1;
  if (format === 3 || bits.some((b) => b !== 8)) {
    throw new Error(`readImage: '${path}' has ${bits[0] ?? '?'}-bit ${format === 3 ? 'floating-point ' : ''}samples; latentkit reads 8-bit TIFFs: convert it (e.g. "convert in.tif -depth 8 out.png")`);
  }
  if (opts.alpha === 'refuse' && (spp === 4 || spp === 2 || tag(ifd, 338).length > 0)) {
    throw new Error(`readImage: '${path}' has an alpha channel; save it as 8-bit RGB without transparency (e.g. "convert in.tif -alpha off out.png")`);
  }
  try {
    UTIF.decodeImage(buf, ifd);
    const rgba: Uint8Array = UTIF.toRGBA8(ifds[0]);
    return fromRgba(rgba, ifd.width as number, ifd.height as number);
  } catch (e: any) {
    throw new Error(`readImage: '${path}' is not a readable TIFF (${e?.message})`);
  }
}

/** Read an 8-bit PNG or TIFF image as [H, W, 3] floats in 0..255 (alpha dropped, or refused with { alpha: 'refuse' }); Node. */
export function readImage(path: string, opts: ReadImageOptions = {}): Tensor {
  const buf = readBytes(path, 'readImage');
  if (buf.length >= 8 && buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47) return decodePng(buf, path);
  if (buf.length >= 4 && ((buf[0] === 0x49 && buf[1] === 0x49) || (buf[0] === 0x4d && buf[1] === 0x4d))) return decodeTiff(buf, path, opts);
  throw new Error(`readImage: '${path}' is neither PNG nor TIFF (by its first bytes); convert it to PNG`);
}

/** [H, W, 3], [H, W, 1] or [H, W] (grey) values 0..255 to RGBA bytes (rounded, clamped). */
function toRgba(t: Tensor, op: string): { rgba: Uint8Array; w: number; h: number } {
  if (!(t instanceof Tensor)) throw new Error(`${op}: expected a Tensor [H, W, 3] or [H, W], got ${typeof t}`);
  const ch = t.ndim === 2 ? 1 : t.ndim === 3 ? t.shape[2] : 0;
  if (ch !== 1 && ch !== 3 && ch !== 4) throw new Error(`${op}: expected [H, W], [H, W, 1], [H, W, 3] or [H, W, 4] with values 0..255, got shape ${fmtShape(t.shape)}`);
  const [h, w] = t.shape;
  if (h === 0 || w === 0) throw new Error(`${op}: the image ${fmtShape(t.shape)} is empty`);
  const rgba = new Uint8Array(w * h * 4);
  for (let p = 0; p < w * h; p++) {
    for (let c = 0; c < 3; c++) {
      const v = t.data[p * ch + (ch === 1 ? 0 : c)];
      if (Number.isNaN(v)) throw new Error(`${op}: pixel ${p} has NaN; the image data is corrupt`);
      rgba[p * 4 + c] = Math.max(0, Math.min(255, Math.round(v)));
    }
    rgba[p * 4 + 3] = ch === 4 ? Math.max(0, Math.min(255, Math.round(t.data[p * 4 + 3]))) : 255;
  }
  return { rgba, w, h };
}

/** Write an image tensor (values 0..255) as PNG, or TIFF when the path ends in .tif/.tiff (Node); returns the path. */
export function writeImage(path: string, t: Tensor): string {
  const { rgba, w, h } = toRgba(t, 'writeImage');
  const ext = extensionOf(String(path));
  if (ext === '.tif' || ext === '.tiff') {
    const UTIF = load('utif', 'writeImage');
    writeBytes(path, new Uint8Array(UTIF.encodeImage(rgba, w, h)), 'writeImage');
    return path;
  }
  if (ext !== '.png') throw new Error(`writeImage: '${path}' must end in .png, .tif or .tiff`);
  const { PNG } = pngjs('writeImage');
  const png = new PNG({ width: w, height: h });
  png.data = toNodeBuffer(rgba);
  writeBytes(path, PNG.sync.write(png), 'writeImage');
  return path;
}

/** pngjs wants a Node Buffer: the same memory, viewed as one (Node only). */
function toNodeBuffer(b: Uint8Array): Uint8Array {
  const B = (globalThis as { Buffer?: { from(a: ArrayBufferLike, o: number, n: number): Uint8Array; isBuffer(x: unknown): boolean } }).Buffer;
  return !B || B.isBuffer(b) ? b : B.from(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * The baboon (mandrill) test image as [H, W, 3] floats 0..255, size 128 or 512,
 * read from the PNG files in the package's data/ folder (Node).
 */
export function baboon(size: 128 | 512 = 128): Tensor {
  if (size !== 128 && size !== 512) throw new Error(`baboon: size must be 128 or 512, got ${String(size)}`);
  // the path is built at run time so that bundlers do not copy the images into a browser build
  const url = new URL(['..', '..', 'data', `baboon-${size}.png`].join('/'), import.meta.url);
  const { fileURLToPath } = requireBuiltin<{ fileURLToPath(u: URL): string }>('node:url', 'baboon', 'fetch() on the PNG and createImageBitmap()');
  return decodePng(readBytes(fileURLToPath(url), 'baboon'), `baboon-${size}.png`);
}
