#!/usr/bin/env node
// Launcher: runs the compiled CLI (built by `npm ci` through the "prepare" script).
import { existsSync, statSync } from 'node:fs';

// Cards are parsed by remark, an ES module that parse.ts requires synchronously on first use:
// Node 20.19 and 22.12 are the first to allow that without a flag.
if (!process.features.require_module) {
  process.stderr.write(
    `aptcard: needs Node.js 20.19 or newer, where ES modules can be required (this is ${process.version}); see README.md\n`,
  );
  process.exit(1);
}

const entry = new URL('../dist/app/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('aptcard: not built yet; run "npm run build" (npm ci does it for you)\n');
  process.exit(1);
}
// The same CLI bundled by bin/build.js (a third quicker to start), unless tsc has run since it was
// made: a contributor's own `tsc` then counts, not an older bundle.
const bundled = new URL('../dist/cli/cli.js', import.meta.url);
const modifiedAt = (url) => {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
};
const bundledAt = modifiedAt(bundled);
const compiledAt = modifiedAt(new URL('../dist/.tsbuildinfo', import.meta.url)) ?? 0;
const run = bundledAt !== undefined && bundledAt >= compiledAt ? bundled : entry;
const { main } = await import(run.href);
const argv = process.argv.slice(2);
process.exitCode = await main(argv);
if (argv[0] === 'start') {
  // The bot has stopped (replies finished, or dropped at SHUTDOWN_TIMEOUT): whatever a library
  // may still hold open (a Slack call sleeping out a rate limit's Retry-After) must not keep the
  // process alive. Unref'd: it never delays an exit that happens by itself.
  setTimeout(() => process.exit(), 1000).unref();
}
