/**
 * A command loads only the modules it needs (issue 19): `aptcard search`, `show` and `detect`
 * never load the chat platforms, the importers or the picture libraries, which cost a warm
 * process most of its start. Checked on the modules the real launcher resolves; a file of the CLI
 * bundle (dist/cli/, which the launcher runs) counts as the compiled modules it holds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.js';

const BIN = join(REPO_ROOT, 'bin/aptcard.js');
const PRELOAD = pathToFileURL(join(REPO_ROOT, 'test/helpers/module-log.mjs')).href;
const env = {
  ...process.env,
  CACHE_DIR: 'off',
  CARDS_DIR: '',
  LOG_LEVEL: 'silent',
  SLACK_BOT_TOKEN: '',
  DISCORD_TOKEN: '',
};

/** Each bundle file and the compiled modules in it (bin/build.js writes the list). */
const BUNDLED: Record<string, string[]> = (() => {
  const list = join(REPO_ROOT, 'dist/cli/modules.json');
  return existsSync(list) ? JSON.parse(readFileSync(list, 'utf8')) : {};
})();
const ROOT_URL = `${pathToFileURL(REPO_ROOT).href}/`;

/** A loaded URL, or the URLs of the modules a bundle file holds. */
function unbundled(url: string): string[] {
  const inside = url.startsWith(ROOT_URL) ? BUNDLED[url.slice(ROOT_URL.length)] : undefined;
  return inside ? inside.map((m) => ROOT_URL + m) : [url];
}

function modulesOf(args: string[], extraEnv: NodeJS.ProcessEnv = {}): string[] {
  const run = spawnSync(process.execPath, ['--import', PRELOAD, BIN, ...args], {
    encoding: 'utf8',
    env: { ...env, ...extraEnv },
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stderr
    .split('\n')
    .filter((l) => l.startsWith('MODULE '))
    .flatMap((l) => unbundled(l.slice('MODULE '.length)));
}

/** What no lookup needs: Bolt, discord.js, the importers, the map and PNG libraries. */
const HEAVY = [
  /node_modules\/@slack\//,
  /node_modules\/discord\.js\//,
  /node_modules\/@resvg\//,
  /node_modules\/d3-geo\//,
  /node_modules\/topojson-client\//,
  /dist\/adapters\//,
  /dist\/src\/import\/(etda|misp|stix|writer)\.js$/,
  /dist\/src\/pictures\//,
];

describe('lean commands', () => {
  for (const args of [
    ['search', 'hammer panda'],
    ['show', 'apt 21'],
    ['detect', 'infra overlaps with TEMP.Zhenbao'],
  ]) {
    it(`aptcard ${args[0]} loads none of the platforms, importers or picture libraries`, () => {
      const loaded = modulesOf(args);
      expect(loaded.some((m) => m.endsWith(`dist/src/commands/${args[0]}.js`))).toBe(true);
      expect(loaded.filter((m) => HEAVY.some((re) => re.test(m)))).toEqual([]);
    });
  }

  it('a warm search or show (caches filled) parses no card and logs nothing: no remark, no pino', () => {
    const cache = mkdtempSync(join(tmpdir(), 'aptcard-lean-cache-'));
    const seeds = join(REPO_ROOT, 'seeds');
    try {
      const cold = modulesOf(['search', '--cards', seeds, 'nettraveler'], { CACHE_DIR: cache });
      // The first run parses the card: the check below would see remark if it loaded.
      expect(cold.some((m) => /node_modules\/remark-parse\//.test(m))).toBe(true);
      for (const args of [
        ['search', '--cards', seeds, 'nettraveler'],
        ['show', '--cards', seeds, 'nettraveler'],
      ]) {
        const warm = modulesOf(args, { CACHE_DIR: cache });
        expect(warm.some((m) => m.endsWith(`dist/src/commands/${args[0]}.js`))).toBe(true);
        const parsing = /node_modules\/(remark-parse|unified|micromark[^/]*|pino)\//;
        expect(warm.filter((m) => parsing.test(m))).toEqual([]);
      }
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('the picture libraries load when a picture is asked for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aptcard-lean-'));
    try {
      const loaded = modulesOf(['show', 'apt 21', '--map', join(dir, 'map.png')]);
      expect(loaded.some((m) => /node_modules\/@resvg\//.test(m))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
