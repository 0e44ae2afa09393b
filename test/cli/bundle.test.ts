/**
 * The launcher runs the CLI bundle that bin/build.js makes (issue 19's lean start), the bundle
 * answers as the compiled modules do, and the bundled bot still finds what it starts from
 * dist/src/ (the reload and scanner workers) and the files its caches are keyed by. Which files a
 * process loads is seen by a module resolve hook, registered before the launcher runs; workers
 * inherit it.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cardsFolder } from '../helpers/cards.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const BIN = join(REPO_ROOT, 'bin/aptcard.js');
const built = existsSync(join(REPO_ROOT, 'dist/cli/cli.js'));
if (!built) console.warn('[bundle] SKIPPED: the CLI bundle (dist/cli/) is not built');

const work = mkdtempSync(join(tmpdir(), 'aptcard-bundle-'));
const { dir, cleanup } = cardsFolder();
afterAll(() => {
  cleanup();
  rmSync(work, { recursive: true, force: true });
});

const HOOK = join(work, 'hook.mjs');
writeFileSync(
  HOOK,
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const found = await next(specifier, context);
  if (found.url.startsWith('file:')) appendFileSync(process.env.LOADED_OUT, found.url + '\\n');
  return found;
}\n`,
);
const REGISTER = join(work, 'register.mjs');
writeFileSync(
  REGISTER,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(HOOK).href)});\n`,
);

const baseEnv = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  LOG_LEVEL: 'silent',
  CACHE_DIR: 'off',
  APTCARD_SYNC: 'off',
  XDG_STATE_HOME: join(work, 'state'),
  XDG_DATA_HOME: join(work, 'data'),
  ...extra,
});

/** The project's files (under the repository, outside node_modules) a run resolved. */
function projectFiles(list: string): string[] {
  const root = pathToFileURL(REPO_ROOT).href;
  const lines = existsSync(list) ? readFileSync(list, 'utf8').split('\n') : [];
  return [
    ...new Set(
      lines
        .filter((u) => u.startsWith(root) && !u.includes('/node_modules/'))
        .map((u) => u.slice(root.length + 1)),
    ),
  ].sort();
}

/** The unbundled CLI (dist/app/cli.js as tsc emitted it), given the same arguments. */
function unbundled(argv: string[]) {
  const entry = pathToFileURL(join(REPO_ROOT, 'dist/app/cli.js')).href;
  const script = `const { main } = await import(${JSON.stringify(entry)}); process.exitCode = await main(process.argv.slice(1));`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script, ...argv], {
    env: baseEnv(),
    encoding: 'utf8',
  });
}

describe.skipIf(!built)('the CLI bundle', () => {
  it('is what the launcher runs: a search loads no compiled module from dist/src or dist/app', () => {
    const list = join(work, 'search.txt');
    const run = spawnSync(
      process.execPath,
      ['--import', REGISTER, BIN, 'search', '--cards', dir, 'copper lantern'],
      { env: baseEnv({ LOADED_OUT: list }), encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Copper Lantern/m);
    const files = projectFiles(list);
    expect(files).toContain('dist/cli/cli.js');
    expect(files.filter((f) => !f.startsWith('dist/cli/') && f !== 'bin/aptcard.js')).toEqual([]);
  });

  it.each([
    ['search', 'copper lantern'],
    ['search', 'country:china sector:energy'],
    ['search', 'apt 1234'],
    ['detect', 'infra overlaps with TEMP.Lantern and Glass Viper again'],
    ['show', 'apt 99'],
    ['actors', ''],
    ['validate', ''],
  ])('answers "%s %s" as the unbundled CLI does', (command, text) => {
    const argv = [command, '--cards', dir, ...(text ? [text] : [])];
    const bundled = spawnSync(process.execPath, [BIN, ...argv], {
      env: baseEnv(),
      encoding: 'utf8',
    });
    const plain = unbundled(argv);
    expect(plain.stdout.length).toBeGreaterThan(0);
    expect({ status: bundled.status, out: bundled.stdout, err: bundled.stderr }).toEqual({
      status: plain.status,
      out: plain.stdout,
      err: plain.stderr,
    });
  });

  it('starts the bot with its reload and scanner workers from dist/src, and caches the scanner', async () => {
    const cards = join(work, 'live-cards');
    mkdirSync(cards);
    for (const f of readdirSync(dir)) copyFileSync(join(dir, f), join(cards, f));
    const cache = join(work, 'live-cache');
    const list = join(work, 'start.txt');
    const child = spawn(process.execPath, ['--import', REGISTER, BIN, 'start'], {
      env: baseEnv({ LOADED_OUT: list, CARDS_DIR: cards, CACHE_DIR: cache, LOG_LEVEL: 'info' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const until = async (check: () => boolean, what: string) => {
      const end = Date.now() + 15_000;
      while (!check()) {
        if (Date.now() > end || child.exitCode !== null) {
          throw new Error(`no ${what}; stdout:\n${out}\nstderr:\n${err}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      // A sentence naming an actor: the enrichment's scanner is built (in its worker) and cached.
      child.stdin.write('infra overlaps with TEMP.Lantern again\n');
      await until(() => /Copper Lantern/.test(out), 'answer');
      const first = readdirSync(cards)[0] as string;
      appendFileSync(join(cards, first), '\n');
      await until(() => /cards reloaded/.test(err), 'reload');
      await until(
        () => existsSync(cache) && readdirSync(cache).some((f) => f.endsWith('-scanner.bin')),
        'scanner cache file',
      );
    } finally {
      child.stdin.end();
      await new Promise((r) => child.once('close', r));
    }
    const files = projectFiles(list);
    expect(files).toContain('dist/src/catalog/watch-worker.js');
    expect(files).toContain('dist/src/detect/scanner-worker.js');
    expect(files).toContain('dist/cli/cli.js');
  });
});

describe('which CLI the launcher runs', () => {
  /** A copy of the launcher over a stand-in dist/: each CLI says which one it is. */
  function fakeRoot(): string {
    const root = mkdtempSync(join(work, 'root-'));
    mkdirSync(join(root, 'bin'));
    copyFileSync(BIN, join(root, 'bin/aptcard.js'));
    for (const [file, name] of [
      ['dist/app/cli.js', 'compiled'],
      ['dist/cli/cli.js', 'bundled'],
    ] as const) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(
        join(root, file),
        `export async function main() { process.stdout.write('${name}'); return 0; }\n`,
      );
    }
    writeFileSync(join(root, 'dist/.tsbuildinfo'), '{}');
    return root;
  }
  const at = (root: string, file: string, seconds: number) =>
    utimesSync(join(root, file), seconds, seconds);
  const ran = (root: string) =>
    spawnSync(process.execPath, [join(root, 'bin/aptcard.js'), 'search', 'x'], {
      encoding: 'utf8',
    }).stdout;

  it('runs the bundle made after the last tsc', () => {
    const root = fakeRoot();
    at(root, 'dist/.tsbuildinfo', 1_000);
    at(root, 'dist/cli/cli.js', 2_000);
    expect(ran(root)).toBe('bundled');
  });

  it('runs the compiled modules when tsc ran after the bundle, or there is no bundle', () => {
    const root = fakeRoot();
    at(root, 'dist/cli/cli.js', 1_000);
    at(root, 'dist/.tsbuildinfo', 2_000);
    expect(ran(root)).toBe('compiled');
    rmSync(join(root, 'dist/cli'), { recursive: true });
    expect(ran(root)).toBe('compiled');
  });
});
