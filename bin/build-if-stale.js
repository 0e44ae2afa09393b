#!/usr/bin/env node
// `npm start`'s first step: compile the TypeScript only when a source changed since the last
// build. Running tsc at every start cost about 5 s of a 6 s warm start (tsc checks the whole
// program even when nothing changed).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What tsconfig.build.json compiles, and what changes how it does. */
const SOURCES = ['src', 'adapters', 'app', 'bench', 'test/fakes'];
const SETTINGS = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
/** Written after a build succeeds: its time is the build's. */
export const STAMP = 'dist/.built';

function newestUnder(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0; // not there
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a file removed or renamed moves its folder's time
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestUnder(join(path, entry)));
  return newest;
}

/** Why `root` needs a build, or undefined when the last build is newer than every source. */
export function staleReason(root) {
  let built;
  try {
    built = statSync(join(root, STAMP)).mtimeMs;
  } catch {
    return 'no build yet';
  }
  for (const path of [...SOURCES, ...SETTINGS]) {
    if (newestUnder(join(root, path)) > built) return `${path} changed`;
  }
  return undefined;
}

/** Build `root` if it is stale; the exit status of the build (0 when none was needed). */
export function buildIfStale(root) {
  if (!staleReason(root)) return 0;
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const started = Date.now();
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) return run.status ?? 1;
  // Dated when the build began: a source saved during it is newer, so it is built next time.
  const stamp = join(root, STAMP);
  writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
  utimesSync(stamp, started / 1000, started / 1000);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = buildIfStale(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
}
