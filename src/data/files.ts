// File reading with errors that name the path, the cause and the fix. Node
// only (node:fs and node:zlib through process.getBuiltinModule); in a browser
// each function says so and what to use instead.
import { ensureDir, nodeFs, requireBuiltin } from './node.js';

export { ensureDir };

export function readBytes(path: string, op: string): Uint8Array {
  if (typeof path !== 'string' || path === '') throw new Error(`${op}: expected a file path string, got ${String(path)}`);
  const { fs } = nodeFs(op, 'fetch() and the parse functions (e.g. lk.data.parseIdx) on the bytes');
  try {
    return fs.readFileSync(path);
  } catch (e: any) {
    const why = e?.code === 'ENOENT' ? 'no such file; check the path (relative paths start at the current directory)'
      : e?.code === 'EISDIR' ? 'it is a directory, not a file' : e?.code === 'EACCES' ? 'permission denied' : String(e?.message ?? e);
    throw new Error(`${op}: cannot read '${path}': ${why}`);
  }
}

/** The bytes, gunzipped when they start with the gzip magic number 1f 8b. */
export function maybeGunzip(buf: Uint8Array, path: string, op: string): Uint8Array {
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    const zlib = requireBuiltin<{ gunzipSync(b: Uint8Array): Uint8Array }>('node:zlib', op, 'DecompressionStream(\'gzip\') and then the parse function');
    try { return zlib.gunzipSync(buf); } catch (e: any) { throw new Error(`${op}: '${path}' looks gzipped but does not decompress (${e?.message}); the download may be truncated`); }
  }
  return buf;
}

export function writeBytes(path: string, data: Uint8Array, op: string): void {
  const { fs, path: p } = nodeFs(op, 'the bytes in memory (e.g. a Blob download)');
  ensureDir(p.dirname(path), op);
  try {
    fs.writeFileSync(path, data);
  } catch (e: any) {
    throw new Error(`${op}: cannot write '${path}': ${e?.message ?? e}`);
  }
}

/** The extension of a path, lower-case, with its dot ('' when none). */
export function extensionOf(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}
