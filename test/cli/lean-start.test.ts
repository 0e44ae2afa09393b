/**
 * A warm `aptcard search` / `detect` / `show` loads only what answering needs (issue 19's lean
 * CLI): no chat clients, stores, pictures, worker or child-process code. Checked in the real
 * launcher: a preloaded script lists, as the process exits, the built-in modules it loaded and
 * the CommonJS packages (Bolt and discord.js are CommonJS: they would be in require.cache).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cardsFolder } from '../helpers/cards.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const BIN = join(REPO_ROOT, 'bin/aptcard.js');
const built = existsSync(join(REPO_ROOT, 'dist/app/cli.js'));
if (!built) console.warn('[lean-start] SKIPPED: dist/ not built');

const work = mkdtempSync(join(tmpdir(), 'aptcard-lean-'));
const { dir, cleanup } = cardsFolder();
afterAll(() => {
  cleanup();
  rmSync(work, { recursive: true, force: true });
});
const HOOK = join(work, 'loaded.cjs');
writeFileSync(
  HOOK,
  `process.on('exit', () => {
    const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
    const packages = Object.keys(require.cache).filter((f) => f.includes('node_modules'))
      .map((f) => { const p = f.split('node_modules/').pop().split('/'); return p[0].startsWith('@') ? p[0] + '/' + p[1] : p[0]; });
    require('node:fs').writeFileSync(process.env.LOADED_OUT, JSON.stringify({ builtins, packages }));
  });\n`,
);

function loadedBy(argv: string[]): { builtins: string[]; packages: string[] } {
  const out = join(work, `loaded-${argv[0]}.json`);
  const env = { PATH: process.env.PATH ?? '', CACHE_DIR: join(work, 'cache'), LOG_LEVEL: 'silent' };
  // Once to fill the caches (a warm start is what is measured), then with the hook.
  spawnSync(process.execPath, [BIN, ...argv], { env, stdio: 'ignore' });
  const run = spawnSync(process.execPath, ['--require', HOOK, BIN, ...argv], {
    env: { ...env, LOADED_OUT: out },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout.length).toBeGreaterThan(0);
  return JSON.parse(readFileSync(out, 'utf8')) as ReturnType<typeof loadedBy>;
}

const NOT_FOR_AN_ANSWER = ['child_process', 'worker_threads', 'http', 'https', 'http2', 'dgram'];

describe.skipIf(!built)('a warm CLI answer loads only what it needs', () => {
  it.each([
    ['search', 'copper lantern'],
    ['detect', 'infra overlaps with Copper Lantern again'],
    ['show', 'copper lantern'],
  ])('aptcard %s', (command, text) => {
    const { builtins, packages } = loadedBy([command, '--cards', dir, text]);
    expect(builtins).toContain('fs'); // the hook saw the process's modules
    for (const name of NOT_FOR_AN_ANSWER) expect(builtins, name).not.toContain(name);
    expect(packages).toContain('dotenv'); // and its CommonJS packages (minisearch is ES)
    for (const heavy of ['@slack/', 'discord.js', 'pino', 'ioredis', 'better-sqlite3', '@resvg/'])
      expect(packages.filter((p) => p.startsWith(heavy))).toEqual([]);
  });
});
