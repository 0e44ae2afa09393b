#!/usr/bin/env node
// `npm start`'s first step: compile the TypeScript only when a source changed since the last
// build. Running tsc at every start cost about 5 s of a 6 s warm start (tsc checks the whole
// program even when nothing changed).
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildAll, STAMP } from './build.js';

export { STAMP };

/** What tsconfig.build.json compiles, and what changes how it does. */
const SOURCES = ['src', 'adapters', 'app', 'bench', 'test/fakes'];
const SETTINGS = [
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
  'bin/build.js',
];

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
export async function buildIfStale(root) {
  if (!staleReason(root)) return 0;
  return await buildAll(root);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await buildIfStale(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
}
