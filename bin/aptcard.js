#!/usr/bin/env node
// Launcher: runs the compiled CLI (built by `npm ci` through the "prepare" script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/app/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('aptcard: not built yet; run "npm run build" (npm ci does it for you)\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
