#!/usr/bin/env node
// `npm run build`: compile the TypeScript (tsc, into dist/), then bundle the CLI (esbuild, into
// dist/cli/), then date the build (dist/.built, read by build-if-stale.js).
//
// Why a bundle: Node 20 resolves, reads and compiles every ES module of a process at start, and a
// warm `aptcard search` loaded 78 of this project's modules; in one file per lazily imported part
// (code splitting) the start costs about a third less (docs/performance.md). esbuild bundles
// what tsc emitted, so there is one compiler of the TypeScript and the bundle only joins its
// output. Packages stay outside (they are loaded from node_modules as before), and so do the
// worker and priming scripts, which run from dist/src/.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Written after a build succeeds: its time is the build's. */
export const STAMP = 'dist/.built';
/** Where the CLI bundle goes; bin/aptcard.js runs it when it is newer than the last tsc. */
export const BUNDLE_DIR = 'dist/cli';

/** tsc over tsconfig.build.json; its exit status (it still emits when a type is wrong). */
export function compile(root, stdio = 'inherit') {
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  return (
    spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio }).status ??
    1
  );
}

/** Bundle dist/app/cli.js (as tsc emitted it) into dist/cli/. Throws when esbuild fails. */
export async function bundle(root) {
  const { build } = await import('esbuild');
  const outdir = join(root, BUNDLE_DIR);
  rmSync(outdir, { recursive: true, force: true }); // no chunk of an older build stays
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'dist/app/cli.js')],
    outdir,
    bundle: true,
    // One file per part the CLI imports lazily: a search still loads no chat client, and no
    // module's top level runs before the code that needs it asks (as with separate modules).
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    // Every chunk sits in dist/cli/, so "../src/" from any of them is dist/src/ (code-location.ts).
    define: { APTCARD_SRC_ROOT: '"../src/"' },
    logLevel: 'warning',
    metafile: true,
  });
  // Which compiled modules each bundle file holds, for the tests that check what a command loads.
  const modules = Object.fromEntries(
    Object.entries(metafile.outputs).map(([file, { inputs }]) => [file, Object.keys(inputs)]),
  );
  writeFileSync(join(outdir, 'modules.json'), `${JSON.stringify(modules, null, 1)}\n`);
}

/** The whole build; its exit status. */
export async function buildAll(root) {
  const started = Date.now();
  const status = compile(root);
  if (status !== 0) return status;
  await bundle(root);
  // Dated when the build began: a source saved during it is newer, so it is built next time.
  const stamp = join(root, STAMP);
  writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
  utimesSync(stamp, started / 1000, started / 1000);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  if (!existsSync(join(root, 'node_modules/esbuild'))) {
    process.stderr.write('aptcard build: esbuild is missing; run "npm ci" first\n');
    process.exitCode = 1;
  } else {
    process.exitCode = await buildAll(root);
  }
}
