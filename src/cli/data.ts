// Loading the commands' data: the bundled digits and baboon by default, or the
// user's --data file (IDX, PNG/TIFF, WAV, CSV). Every problem becomes a
// UsageError that names the file, what is wrong and how to fix it. The
// library's lk.data readers do the decoding; the checks here come first.
import { existsSync, readFileSync, statSync, accessSync, constants, openSync, readSync, closeSync } from 'node:fs';
import { PNG } from 'pngjs';
import { extname, basename } from 'node:path';
import { createRequire } from 'node:module';
import * as lk from '../index.js';
import { UsageError, errorMessage } from './errors.js';

export type DataKind = 'idx' | 'image' | 'wav' | 'csv';
const KIND_NAMES: Record<DataKind, string> = { idx: 'an IDX file', image: 'a PNG/TIFF image', wav: 'a WAV file', csv: 'a CSV file' };

/** Check the file exists and is readable, and tell its kind from its first bytes and name. */
export function detectKind(path: string): DataKind {
  if (!existsSync(path)) throw new UsageError(`--data ${path}: no such file`, 'check the path (relative paths start from the current folder)');
  if (statSync(path).isDirectory()) throw new UsageError(`--data ${path}: is a folder, not a file`, 'give the path of one data file');
  try { accessSync(path, constants.R_OK); } catch { throw new UsageError(`--data ${path}: cannot be read (permission denied)`, 'fix its permissions, e.g. chmod u+r'); }
  const head = Buffer.alloc(8);
  const fd = openSync(path, 'r');
  try { readSync(fd, head, 0, 8, 0); } finally { closeSync(fd); }
  const ext = extname(path).toLowerCase();
  if (head[0] === 0x89 && head.toString('latin1', 1, 4) === 'PNG') return 'image';
  if (head.toString('latin1', 0, 2) === 'II' || head.toString('latin1', 0, 2) === 'MM') return 'image';
  if (head.toString('latin1', 0, 4) === 'RIFF') return 'wav';
  if ((head[0] === 0x1f && head[1] === 0x8b) || (head[0] === 0 && head[1] === 0 && head[2] >= 8 && head[2] <= 0x0e)) return 'idx';
  if (ext === '.csv' || ext === '.txt' || /^[\s\d.,;eE+-]+$/.test(head.toString('latin1'))) return 'csv';
  throw new UsageError(`--data ${path}: not a file latentkit can read (looks like neither IDX, PNG, TIFF, WAV nor CSV)`, 'convert it to one of those formats');
}

/** Fail unless the file is one of the kinds a command accepts. */
export function expectKind(path: string, allowed: DataKind[], model: string): DataKind {
  const kind = detectKind(path);
  if (!allowed.includes(kind)) {
    throw new UsageError(`--data ${path}: ${model} cannot train on ${KIND_NAMES[kind]}`, `give ${allowed.map((k) => KIND_NAMES[k]).join(' or ')}`);
  }
  return kind;
}

/** Refuse PNGs with an alpha channel or 16-bit samples (read from the IHDR chunk). */
function checkPng(path: string, bytes: Buffer): void {
  if (bytes.length < 29 || bytes.toString('latin1', 12, 16) !== 'IHDR') throw new UsageError(`--data ${path}: a damaged PNG (no IHDR header)`, 'export the image again');
  const depth = bytes[24], colorType = bytes[25];
  if (colorType === 4 || colorType === 6) {
    throw new UsageError(`--data ${path}: the image has an alpha channel`, 'save it as 8-bit RGB without transparency (e.g. "convert in.png -alpha off out.png")');
  }
  if (depth === 16) throw new UsageError(`--data ${path}: the image has 16-bit channels`, 'save it with 8 bits per channel (e.g. "convert in.png -depth 8 out.png")');
}

export interface Picture { pixels: Float32Array; h: number; w: number } // [h*w*3] in 0..255

function libData(): any { return (lk as Record<string, any>).data; }

/** An RGB image from --data (PNG or TIFF). */
export function loadPicture(path: string): Picture {
  const bytes = readFileSync(path);
  if (bytes[0] === 0x89) checkPng(path, bytes);
  let t: lk.Tensor;
  try { t = libData().readImage(path); } catch (e) {
    throw new UsageError(`--data ${path}: cannot decode the image (${errorMessage(e)})`, 'give an 8-bit RGB PNG or TIFF');
  }
  if (t.ndim !== 3 || t.shape[2] !== 3) throw new UsageError(`--data ${path}: expected an RGB image, got shape [${t.shape.join(',')}]`, 'save it as 8-bit RGB');
  return { pixels: t.dataSync(), h: t.shape[0], w: t.shape[1] };
}

const require = createRequire(import.meta.url);

/** The bundled 128x128 baboon (mandrill) picture. */
export function loadBaboon(): Picture {
  const png = PNG.sync.read(Buffer.from((require('baboon-image-uri') as string).split(',')[1], 'base64'));
  const pixels = new Float32Array(png.width * png.height * 3);
  for (let i = 0; i < png.width * png.height; i++) for (let c = 0; c < 3; c++) pixels[i * 3 + c] = png.data[i * 4 + c];
  return { pixels, h: png.height, w: png.width };
}

export interface Digits { images: Float32Array; labels: Int32Array | null; n: number; h: number; w: number }

/** The bundled MNIST digits (10,000, 28x28, values in [0,1]), shuffled by seed, at most `limit`. */
export function loadMnist(limit: number, seed: number): Digits {
  const d = libData();
  if (!d?.mnist) return subset(bundledDigits(), limit, seed);
  const { images, labels } = d.mnist() as { images: lk.Tensor; labels: ArrayLike<number> | lk.Tensor };
  const lab = labels instanceof lk.Tensor ? labels.dataSync() : labels;
  return subset({ images: images.dataSync(), labels: Int32Array.from(lab), n: images.shape[0], h: 28, w: 28 }, limit, seed);
}

/** The digits of the `mnist` package read directly (used when lk.data has no mnist()). */
function bundledDigits(): Digits {
  const parts = Array.from({ length: 10 }, (_, k) => (require(`mnist/src/digits/${k}.json`) as { data: number[] }).data);
  const n = parts.reduce((s, p) => s + Math.floor(p.length / 784), 0);
  const images = new Float32Array(n * 784), labels = new Int32Array(n);
  let row = 0;
  parts.forEach((p, k) => {
    const m = Math.floor(p.length / 784);
    images.set(p.slice(0, m * 784), row * 784);
    labels.fill(k, row, row + m);
    row += m;
  });
  return { images, labels, n, h: 28, w: 28 };
}

/** A seeded random subset of at most `limit` rows (keeps every row when limit >= n). */
export function subset(d: Digits, limit: number, seed: number): Digits {
  const dim = d.h * d.w;
  const perm = new lk.Rng(seed).permutation(d.n);
  const n = Math.min(limit, d.n);
  const images = new Float32Array(n * dim), labels = d.labels ? new Int32Array(n) : null;
  for (let i = 0; i < n; i++) {
    images.set(d.images.subarray(perm[i] * dim, (perm[i] + 1) * dim), i * dim);
    if (labels && d.labels) labels[i] = d.labels[perm[i]];
  }
  return { images, labels, n, h: d.h, w: d.w };
}

/** Images from an IDX file ([N, H, W] or [N, D]), scaled to [0,1] when they are bytes. */
export function loadIdxImages(path: string): Digits {
  let t: lk.Tensor;
  try { t = libData().readIdx(path); } catch (e) {
    throw new UsageError(`--data ${path}: cannot read it as IDX (${errorMessage(e)})`, 'give an MNIST-format IDX file such as train-images-idx3-ubyte(.gz)');
  }
  if (t.ndim < 2) throw new UsageError(`--data ${path}: holds labels (one number per row), not images`, 'give the images file (idx3) with --data and the labels file with --labels');
  const n = t.shape[0], h = t.ndim === 3 ? t.shape[1] : 1, w = t.ndim === 3 ? t.shape[2] : t.shape[1];
  const x = t.dataSync();
  let max = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > max) max = x[i];
  if (max > 1) for (let i = 0; i < x.length; i++) x[i] /= 255;
  return { images: x, labels: null, n, h, w };
}

/** Integer labels from an IDX label file or a CSV with one label a line. */
export function loadLabels(path: string, n: number): Int32Array {
  const kind = detectKind(path);
  let y: Int32Array;
  if (kind === 'idx') y = Int32Array.from(libData().readIdx(path).dataSync());
  else if (kind === 'csv') y = Int32Array.from(readCsv(path).rows.map((r) => r[0]));
  else throw new UsageError(`--labels ${path}: not an IDX or CSV file`, 'give an IDX label file (idx1) or a CSV with one integer a line');
  if (y.length !== n) throw new UsageError(`--labels ${path}: ${y.length} labels for ${n} rows of --data`, 'give the labels file that goes with the data');
  return y;
}

/** A CSV of numbers (comma, semicolon or whitespace separated; a header line is skipped). */
export function readCsv(path: string): { rows: number[][]; d: number } {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const rows: number[][] = [];
  lines.forEach((line, i) => {
    const cells = line.trim().split(/[,;\s]+/);
    const vals = cells.map(Number);
    if (vals.some((v) => !Number.isFinite(v))) {
      if (i === 0) return; // header
      throw new UsageError(`--data ${basename(path)}: line ${i + 1} has a value that is not a number ("${line.slice(0, 40)}")`, 'the CSV must hold numbers only (one header line is allowed)');
    }
    if (rows.length && vals.length !== rows[0].length) {
      throw new UsageError(`--data ${basename(path)}: line ${i + 1} has ${vals.length} values, the first row ${rows[0].length}`, 'give every row the same number of columns');
    }
    rows.push(vals);
  });
  if (rows.length === 0) throw new UsageError(`--data ${path}: the CSV holds no rows of numbers`, 'give one sample a line, features separated by commas');
  return { rows, d: rows[0].length };
}

/** A CSV as a flat row-major Float32Array. */
export function loadCsvMatrix(path: string): { x: Float32Array; n: number; d: number } {
  const { rows, d } = readCsv(path);
  const x = new Float32Array(rows.length * d);
  rows.forEach((r, i) => x.set(r, i * d));
  return { x, n: rows.length, d };
}

/** Images for the neural and mixture models: --data (IDX or CSV rows of side*side values) or the bundled digits. */
export function loadImages(opts: Record<string, any>, model: string): Digits {
  if (!opts.data) return loadMnist(opts.limit, opts.seed);
  const kind = expectKind(opts.data, ['idx', 'csv'], model);
  let d: Digits;
  if (kind === 'idx') d = loadIdxImages(opts.data);
  else {
    const { x, n, d: dim } = loadCsvMatrix(opts.data);
    const side = Math.round(Math.sqrt(dim));
    d = { images: x, labels: null, n, h: side * side === dim ? side : 1, w: side * side === dim ? side : dim };
    let lo = Infinity, hi = -Infinity;
    for (const v of x) { if (v < lo) lo = v; if (v > hi) hi = v; }
    if (lo < 0 || hi > 255) throw new UsageError(`--data ${opts.data}: values span ${lo}..${hi}, not pixel intensities`, 'give values in [0, 1] or 0..255');
    if (hi > 1) for (let i = 0; i < x.length; i++) x[i] /= 255;
  }
  if (opts.labels) d.labels = loadLabels(opts.labels, d.n);
  return subset(d, opts.limit, opts.seed);
}

/**
 * Mixed signals from WAV files: every channel of every file is one mixture
 * (all must have the same length). Rows = time steps, columns = mixtures.
 */
export function loadWavMixtures(paths: string[]): { x: Float32Array; n: number; d: number } {
  const { WaveFile } = require('wavefile') as { WaveFile: new (b?: Uint8Array) => any };
  const signals: Float64Array[] = [];
  for (const p of paths) {
    expectKind(p, ['wav'], 'ica');
    let wav: any;
    try {
      wav = new WaveFile(readFileSync(p));
      wav.toBitDepth('32f');
    } catch (e) {
      throw new UsageError(`--data ${p}: cannot decode the WAV (${errorMessage(e)})`, 'give an uncompressed PCM or float WAV');
    }
    const s = wav.getSamples(false, Float64Array) as Float64Array | Float64Array[];
    if (Array.isArray(s) || (s as any)[0]?.length !== undefined) signals.push(...(s as unknown as Float64Array[]));
    else signals.push(s as Float64Array);
  }
  const n = Math.min(...signals.map((s) => s.length)), d = signals.length;
  if (signals.some((s) => s.length !== n)) throw new UsageError('--data: the WAV files have different lengths', 'trim them to the same number of samples');
  if (n < 10) throw new UsageError('--data: the WAV holds fewer than 10 samples', 'give a longer recording');
  const x = new Float32Array(n * d);
  for (let t = 0; t < n; t++) for (let j = 0; j < d; j++) x[t * d + j] = signals[j][t];
  return { x, n, d };
}
