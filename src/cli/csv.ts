// CSV files of numbers for --data and --labels (comma, semicolon or
// whitespace separated; one header line is skipped). Problems are UsageErrors.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from './errors.js';

/** The rows of a CSV of numbers, all of the same length d. */
export function readCsv(path: string): { rows: number[][]; d: number } {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const rows: number[][] = [];
  lines.forEach((line, i) => {
    const vals = line.trim().split(/[,;\s]+/).map(Number);
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

/** A row-major matrix: n rows of d values. */
export interface Matrix { x: Float32Array; n: number; d: number }

/** A CSV as a flat row-major Float32Array. */
export function loadCsvMatrix(path: string): Matrix {
  const { rows, d } = readCsv(path);
  const x = new Float32Array(rows.length * d);
  rows.forEach((r, i) => x.set(r, i * d));
  return { x, n: rows.length, d };
}
