// Node's file system, reached through process.getBuiltinModule so that the
// modules using it also load in a browser (where a call explains that it
// needs Node). And creating directories safely.
export interface NodeFs {
  readFileSync(p: string): Uint8Array;
  writeFileSync(p: string, d: Uint8Array | string): void;
  mkdirSync(p: string): void;
  statSync(p: string): { isDirectory(): boolean };
}
export interface NodePath { dirname(p: string): string; resolve(p: string): string; join(...p: string[]): string }

/** node:fs and node:path, or an Error naming `op` (in a browser: what to use instead). */
export function nodeFs(op: string, instead = 'toBytes() / fromBytes()'): { fs: NodeFs; path: NodePath } {
  const proc = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as NodeFs | undefined, path = proc?.getBuiltinModule?.('node:path') as NodePath | undefined;
  if (!fs || !path) throw new Error(`${op}: needs Node's file system (Node >= 20.16); in a browser use ${instead}`);
  return { fs, path };
}

/**
 * Create `dir` and its missing parents, one level at a time. (Node's
 * mkdirSync(..., { recursive: true }) loops forever under /proc; this fails at
 * once with the cause.) Throws an Error naming `op`, the path and the fix.
 */
export function ensureDir(dir: string, op: string): void {
  const { fs, path } = nodeFs(op);
  const missing: string[] = [];
  for (let cur = path.resolve(dir); ; cur = path.dirname(cur)) {
    let isDir: boolean | null = null;
    try { isDir = fs.statSync(cur).isDirectory(); } catch { /* missing */ }
    if (isDir === false) throw new Error(`${op}: cannot create '${dir}': '${cur}' is a file, not a directory; choose another output path`);
    if (isDir) break;
    missing.push(cur);
    if (path.dirname(cur) === cur) break;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try { fs.mkdirSync(missing[i]); } catch (e: any) {
      if (e?.code === 'EEXIST') continue;
      const why = e?.code === 'EACCES' || e?.code === 'EPERM' ? 'permission denied' : e?.code === 'ENOENT' ? 'the parent cannot hold directories (e.g. /proc)' : String(e?.message ?? e);
      throw new Error(`${op}: cannot create the directory '${missing[i]}': ${why}; choose a writable output path`);
    }
  }
}
