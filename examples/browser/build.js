// Bundles the page with esbuild into examples/browser/out/ (or the folder
// given as the first argument): app.js (main.js and latentkit, no Node
// built-in), index.html, and latentkit's .wasm files in wasm/, which the page
// names to lk.setWasmPaths(). Then serve that folder with any static server:
//   node examples/browser/build.js && npx http-server examples/browser/out
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, 'out'));
mkdirSync(join(out, 'wasm'), { recursive: true });
const result = await esbuild.build({
  entryPoints: [join(here, 'main.js')],
  bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true,
  outfile: join(out, 'app.js'), metafile: true, logLevel: 'warning',
});
copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
// the package's wasm/build/ folder, found from its package.json
const pkg = dirname(createRequire(join(here, 'main.js')).resolve('latentkit/package.json'));
const wasmDir = join(pkg, 'wasm', 'build');
for (const f of readdirSync(wasmDir).filter((n) => n.endsWith('.wasm'))) copyFileSync(join(wasmDir, f), join(out, 'wasm', f));
const bytes = Object.values(result.metafile.outputs).reduce((a, o) => a + o.bytes, 0);
console.log(JSON.stringify({ out, bundleBytes: bytes, inputs: Object.keys(result.metafile.inputs).length }));
