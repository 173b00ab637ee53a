// File reading with errors that name the path, the cause and the fix.
import { readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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

/**
 * Create `dir` and its missing parents, one level at a time. (Node's
 * mkdirSync(..., { recursive: true }) loops forever under /proc; this fails at
 * once with the cause.) Throws an Error naming `op`, the path and the fix.
 */
export function ensureDir(dir: string, op: string): void {
  const missing: string[] = [];
  let cur = resolve(dir);
  for (;;) {
    let st;
    try { st = statSync(cur); } catch { st = null; }
    if (st) {
      if (!st.isDirectory()) throw new Error(`${op}: cannot create '${dir}': '${cur}' is a file, not a directory; choose another output path`);
      break;
    }
    missing.push(cur);
    const up = dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try { mkdirSync(missing[i]); } catch (e: any) {
      if (e?.code === 'EEXIST') continue;
      const why = e?.code === 'EACCES' || e?.code === 'EPERM' ? 'permission denied' : e?.code === 'ENOENT' ? 'the parent cannot hold directories (e.g. /proc)' : String(e?.message ?? e);
      throw new Error(`${op}: cannot create the directory '${missing[i]}': ${why}; choose a writable output path`);
    }
  }
}

export function writeBytes(path: string, data: Buffer | Uint8Array, op: string): void {
  ensureDir(dirname(path), op);
  try {
    writeFileSync(path, data);
  } catch (e: any) {
    throw new Error(`${op}: cannot write '${path}': ${e?.message ?? e}`);
  }
}
