// Node's built-in modules, reached through process.getBuiltinModule so that
// the modules using them also load (and bundle) in a browser, where a call
// explains that it needs Node. And creating directories safely.
export interface NodeFs {
  readFileSync(p: string | URL): Uint8Array;
  writeFileSync(p: string, d: Uint8Array | string): void;
  mkdirSync(p: string): void;
  statSync(p: string): { isDirectory(): boolean };
  existsSync(p: string | URL): boolean;
}
export interface NodePath { dirname(p: string): string; resolve(p: string): string; join(...p: string[]): string; extname(p: string): string }

type Proc = { getBuiltinModule?: (m: string) => unknown; versions?: { node?: string } };

/** A Node built-in module, or undefined outside Node (or on Node < 20.16, which lacks process.getBuiltinModule). */
export function builtin<T>(name: string): T | undefined {
  const proc = (globalThis as { process?: Proc }).process;
  return proc?.getBuiltinModule?.(name) as T | undefined;
}

/** A Node built-in module, or an Error naming `op` and what to use instead (in a browser). */
export function requireBuiltin<T>(name: string, op: string, instead: string): T {
  const m = builtin<T>(name);
  if (!m) throw new Error(`${op}: needs Node (>= 20.16, for ${name}); in a browser use ${instead}`);
  return m;
}

/** node:fs and node:path, or an Error naming `op` (in a browser: what to use instead). */
export function nodeFs(op: string, instead = 'toBytes() / fromBytes()'): { fs: NodeFs; path: NodePath } {
  const fs = builtin<NodeFs>('node:fs'), path = builtin<NodePath>('node:path');
  if (!fs || !path) throw new Error(`${op}: needs Node's file system (Node >= 20.16); in a browser use ${instead}`);
  return { fs, path };
}

/**
 * A CommonJS `require` relative to `base` (pass import.meta.url), for optional
 * packages loaded on first use (utif, wavefile, pngjs, mnist); Node only.
 */
export function nodeRequire(base: string, op: string, instead: string): (id: string) => any {
  const mod = requireBuiltin<{ createRequire(u: string): (id: string) => any }>('node:module', op, instead);
  return mod.createRequire(base);
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
