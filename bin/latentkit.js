#!/usr/bin/env node
// The `latentkit` command (see src/cli/main.ts). Needs the build: `npm run build`.
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (e) {
  const missing = e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist');
  process.stderr.write(missing
    ? 'latentkit: the compiled code (dist/) is missing; run "npm run build" in the latentkit folder first\n'
    : `latentkit: failed to load: ${String(e && e.message).split('\n')[0]}\n`);
  process.exit(missing ? 2 : 1);
}
process.exitCode = await cli.main(process.argv.slice(2));
