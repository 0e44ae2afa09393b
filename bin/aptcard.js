#!/usr/bin/env node
// Launcher: runs the compiled CLI (built by `npm ci` through the "prepare" script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/app/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('aptcard: not built yet; run "npm run build" (npm ci does it for you)\n');
  process.exit(1);
}
const { main } = await import(entry.href);
const argv = process.argv.slice(2);
process.exitCode = await main(argv);
if (argv[0] === 'start') {
  // The bot has stopped (replies finished, or dropped at SHUTDOWN_TIMEOUT): whatever a library
  // may still hold open (a Slack call sleeping out a rate limit's Retry-After) must not keep the
  // process alive. Unref'd: it never delays an exit that happens by itself.
  setTimeout(() => process.exit(), 1000).unref();
}
