// Loading the commands' data: the bundled digits and baboon by default, or the
// user's --data file (IDX, PNG/TIFF, WAV, CSV). lk.data does the reading and
// decoding; the checks here come first and turn every problem into a
// UsageError that names the file, what is wrong and how to fix it.
import { existsSync, readFileSync, statSync, accessSync, constants, openSync, readSync, closeSync } from 'node:fs';
import { extname } from 'node:path';
import * as lk from 'latentkit';
import { UsageError, errorMessage } from './errors.js';
import { readCsv, loadCsvMatrix, type Matrix } from './csv.js';
import type { ImageOptions } from './options.js';

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

const pictureOf = (t: lk.Tensor): Picture => ({ pixels: t.dataSync(), h: t.shape[0], w: t.shape[1] });

/** An RGB image from --data (PNG or TIFF). */
export function loadPicture(path: string): Picture {
  const bytes = readFileSync(path);
  if (bytes[0] === 0x89) checkPng(path, bytes);
  let t: lk.Tensor;
  try { t = lk.data.readImage(path, { alpha: 'refuse' }); } catch (e) {
    throw new UsageError(`--data ${path}: cannot decode the image (${errorMessage(e)})`, 'give an 8-bit RGB PNG or TIFF');
  }
  if (t.ndim !== 3 || t.shape[2] !== 3) throw new UsageError(`--data ${path}: expected an RGB image, got shape [${t.shape.join(',')}]`, 'save it as 8-bit RGB');
  return pictureOf(t);
}

/** The bundled 128x128 baboon (mandrill) picture. */
export const loadBaboon = (): Picture => pictureOf(lk.data.baboon(128));

export interface Digits { images: Float32Array; labels: Int32Array | null; n: number; h: number; w: number }

/** Rows of the bundled digits kept away from every model, for the digit classifier that scores samples. */
export const JUDGE_ROWS = 2000;
let bundled: { judge: Digits; models: Digits } | null = null;

/**
 * The 10,000 bundled digits in one fixed shuffle, split once: the first
 * JUDGE_ROWS are the classifier's references (no model ever trains or is
 * tested on them), the rest are what the models draw their training and
 * held-out rows from.
 */
export function bundledDigits(): { judge: Digits; models: Digits } {
  if (bundled) return bundled;
  const { images, labels } = lk.data.mnist({ seed: 20240601 });
  const x = images.dataSync(), n = images.shape[0], dim = 784, j = Math.min(JUDGE_ROWS, Math.floor(n / 5));
  const part = (a: number, b: number): Digits => ({ images: x.slice(a * dim, b * dim), labels: labels.slice(a, b), n: b - a, h: 28, w: 28 });
  bundled = { judge: part(0, j), models: part(j, n) };
  return bundled;
}

/** A seeded random subset of at most `limit` rows (keeps every row when limit >= n). */
function subset(d: Digits, limit: number, seed: number): Digits {
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
function loadIdxImages(path: string): Digits {
  let t: lk.Tensor;
  try { t = lk.data.readIdx(path); } catch (e) {
    throw new UsageError(`--data ${path}: cannot read it as IDX (${errorMessage(e)})`, 'give an MNIST-format IDX file such as train-images-idx3-ubyte(.gz)');
  }
  if (t.ndim < 2) throw new UsageError(`--data ${path}: holds labels (one number per row), not images`, 'give the images file (idx3) with --data and the labels file with --labels');
  if (t.size === 0) throw new UsageError(`--data ${path}: holds no values (dims [${t.shape.join(',')}])`, 'give a file with at least one sample');
  if (t.ndim > 3) throw new UsageError(`--data ${path}: has ${t.ndim} dimensions [${t.shape.join(',')}]`, 'give images [N, H, W] or rows [N, D]');
  const n = t.shape[0], h = t.ndim === 3 ? t.shape[1] : 1, w = t.ndim === 3 ? t.shape[2] : t.shape[1];
  const x = t.dataSync();
  let max = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > max) max = x[i];
  if (max > 1) for (let i = 0; i < x.length; i++) x[i] /= 255;
  return { images: x, labels: null, n, h, w };
}

/** Pixel rows from a CSV (square images when the row length is a square), scaled to [0,1]. */
function loadCsvImages(path: string): Digits {
  const { x, n, d: dim } = loadCsvMatrix(path);
  const side = Math.round(Math.sqrt(dim));
  let lo = Infinity, hi = -Infinity;
  for (const v of x) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (lo < 0 || hi > 255) throw new UsageError(`--data ${path}: values span ${lo}..${hi}, not pixel intensities`, 'give values in [0, 1] or 0..255');
  if (hi > 1) for (let i = 0; i < x.length; i++) x[i] /= 255;
  return { images: x, labels: null, n, h: side * side === dim ? side : 1, w: side * side === dim ? side : dim };
}

/** Integer labels from an IDX label file or a CSV with one label a line. */
function loadLabels(path: string, n: number): Int32Array {
  const kind = detectKind(path);
  let y: Int32Array;
  if (kind === 'idx') y = Int32Array.from(lk.data.readIdx(path).dataSync());
  else if (kind === 'csv') y = Int32Array.from(readCsv(path).rows.map((r) => r[0]));
  else throw new UsageError(`--labels ${path}: not an IDX or CSV file`, 'give an IDX label file (idx1) or a CSV with one integer a line');
  if (y.length !== n) throw new UsageError(`--labels ${path}: ${y.length} labels for ${n} rows of --data`, 'give the labels file that goes with the data');
  return y;
}

/** Images for the neural and mixture models: --data (IDX or CSV rows) or the bundled digits (shuffled by seed, at most limit). */
export function loadImages(o: ImageOptions & { seed: number }, model: string): Digits {
  if (!o.data) return subset(bundledDigits().models, o.limit, o.seed);
  const d = expectKind(o.data, ['idx', 'csv'], model) === 'idx' ? loadIdxImages(o.data) : loadCsvImages(o.data);
  if (o.labels) d.labels = loadLabels(o.labels, d.n);
  return subset(d, o.limit, o.seed);
}

/** One WAV file as [samples, channels], read by lk.data. */
function readWav(path: string): lk.Tensor {
  expectKind(path, ['wav'], 'ica');
  try { return lk.data.readWav(path).data; } catch (e) {
    throw new UsageError(`--data ${path}: cannot decode the WAV (${errorMessage(e)})`, 'give an uncompressed PCM or float WAV');
  }
}

/**
 * Mixed signals from WAV files: every channel of every file is one mixture
 * (all must have the same length). Rows = time steps, columns = mixtures.
 */
export function loadWavMixtures(paths: string[]): Matrix {
  const parts = paths.map(readWav);
  const n = parts[0].shape[0], d = parts.reduce((s, t) => s + t.shape[1], 0);
  if (parts.some((t) => t.shape[0] !== n)) throw new UsageError('--data: the WAV files have different lengths', 'trim them to the same number of samples');
  if (n < 10) throw new UsageError('--data: the WAV holds fewer than 10 samples', 'give a longer recording');
  const x = new Float32Array(n * d);
  let col = 0;
  for (const t of parts) {
    const ch = t.shape[1], v = t.dataSync();
    for (let i = 0; i < n; i++) for (let c = 0; c < ch; c++) x[i * d + col + c] = v[i * ch + c];
    col += ch;
  }
  return { x, n, d };
}

