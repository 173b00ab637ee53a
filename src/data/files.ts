// File reading with errors that name the path, the cause and the fix.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureDir } from './node.js';

export { ensureDir };
import { gunzipSync } from 'node:zlib';

export function readBytes(path: string, op: string): Buffer {
  if (typeof path !== 'string' || path === '') throw new Error(`${op}: expected a file path string, got ${String(path)}`);
  try {
    return readFileSync(path);
  } catch (e: any) {
    const why = e?.code === 'ENOENT' ? 'no such file; check the path (relative paths start at the current directory)'
      : e?.code === 'EISDIR' ? 'it is a directory, not a file' : e?.code === 'EACCES' ? 'permission denied' : String(e?.message ?? e);
    throw new Error(`${op}: cannot read '${path}': ${why}`);
  }
}

/** The bytes, gunzipped when they start with the gzip magic number 1f 8b. */
export function maybeGunzip(buf: Buffer, path: string, op: string): Buffer {
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try { return gunzipSync(buf); } catch (e: any) { throw new Error(`${op}: '${path}' looks gzipped but does not decompress (${e?.message}); the download may be truncated`); }
  }
  return buf;
}

export function writeBytes(path: string, data: Buffer | Uint8Array, op: string): void {
  ensureDir(dirname(path), op);
  try {
    writeFileSync(path, data);
  } catch (e: any) {
    throw new Error(`${op}: cannot write '${path}': ${e?.message ?? e}`);
  }
}
