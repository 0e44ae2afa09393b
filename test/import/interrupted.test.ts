import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.js';
import { fixtureText, tempDir } from './helpers.js';

/**
 * A real `aptcard import` killed (SIGKILL) part-way through moving its files into place, then
 * run again: the second run finishes the first and never reports the first run's cards as
 * "edited by hand"; temporary folders of killed runs do not pile up.
 */
type Rec = Record<string, unknown>;
let dir: string;
let cleanup: () => void;
let out: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  out = join(dir, 'cards');
});
afterEach(() => cleanup());

/** The fixture's records, every description changed by `tag` (a new version of the source). */
function source(tag: string): string {
  const recs = JSON.parse(fixtureText('etda-small.json')) as Rec[];
  for (const r of recs) r.description = `${String(r.description)} ${tag}`;
  const path = join(dir, `etda-${tag}.json`);
  writeFileSync(path, JSON.stringify(recs));
  return path;
}

function importRun(input: string, killAt?: string) {
  const preload = join(REPO_ROOT, 'test/helpers/kill-during-import.mjs');
  const r = spawnSync(
    process.execPath,
    [
      ...(killAt ? ['--import', preload] : []),
      join(REPO_ROOT, 'bin/aptcard.js'),
      'import',
      'etda',
      input,
      '--out',
      out,
    ],
    {
      env: {
        PATH: process.env.PATH ?? '',
        CACHE_DIR: 'off',
        ...(killAt ? { KILL_AT: killAt } : {}),
      },
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  return { signal: r.signal, status: r.status, out: r.stdout, err: r.stderr };
}

const tempFolders = () => readdirSync(out).filter((f) => f.startsWith('.aptcard-import-'));

describe('an import killed while moving its files into place', () => {
  it('is finished by the next run: nothing reported as edited by hand, the folder as a clean run leaves it', () => {
    expect(importRun(source('v1')).status).toBe(0);
    const v2 = source('v2');
    const killed = importRun(v2, 'card:1');
    expect(killed.signal).toBe('SIGKILL');
    // One card of v2 is in place, the manifest still describes v1: the state that misled.
    expect(readdirSync(out)).toContain('.aptcard-import.journal');

    const next = importRun(v2);
    expect(next.status).toBe(0);
    expect(next.out).toContain(
      'finished an interrupted import: 2 of 3 card file(s) moved into place now',
    );
    expect(next.out).not.toMatch(/^kept/m);
    expect(next.out).toMatch(/3 card\(s\) in the source: 3 unchanged/);
    expect(tempFolders()).toEqual([]);
    expect(existsSync(join(out, '.aptcard-import.journal'))).toBe(false);
    for (const f of readdirSync(out).filter((f) => f.endsWith('.md'))) {
      expect(readFileSync(join(out, f), 'utf8')).toContain('v2');
    }
    // And the source's next change updates every card: none is taken for a hand edit.
    const again = importRun(source('v3'));
    expect(again.out).toMatch(/3 card\(s\) in the source: 3 updated/);
  });

  it('killed before its commit point changes nothing, and its temporary folder is swept', () => {
    expect(importRun(source('v1')).status).toBe(0);
    const v2 = source('v2');
    for (let i = 0; i < 3; i++) expect(importRun(v2, 'journal').signal).toBe('SIGKILL');
    // Each killed run swept the one before it: they never pile up.
    expect(tempFolders()).toHaveLength(1);
    for (const f of readdirSync(out).filter((f) => f.endsWith('.md'))) {
      expect(readFileSync(join(out, f), 'utf8')).not.toContain('v2');
    }
    const next = importRun(v2);
    expect(next.out).toContain('removed 1 temporary folder(s) left by interrupted imports');
    expect(next.out).toMatch(/3 card\(s\) in the source: 3 updated/);
    expect(tempFolders()).toEqual([]);
  });

  it('a dry run says an interrupted import is pending and writes nothing', () => {
    importRun(source('v1'));
    const v2 = source('v2');
    importRun(v2, 'card:0');
    const before = readdirSync(out).sort();
    const r = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'bin/aptcard.js'), 'import', 'etda', v2, '--out', out, '--dry-run'],
      { env: { PATH: process.env.PATH ?? '', CACHE_DIR: 'off' }, encoding: 'utf8' },
    );
    expect(r.stdout).toContain('an earlier import into this folder was interrupted');
    expect(readdirSync(out).sort()).toEqual(before);
  });
});

describe('a sync killed while moving its files into place', () => {
  it('is finished by the next sync, which says so in its summary line', () => {
    const sync = (input: string, killAt?: string) => {
      const preload = join(REPO_ROOT, 'test/helpers/kill-during-import.mjs');
      return spawnSync(
        process.execPath,
        [
          ...(killAt ? ['--import', preload] : []),
          join(REPO_ROOT, 'bin/aptcard.js'),
          'sync',
          '--cards',
          out,
        ],
        {
          env: {
            PATH: process.env.PATH ?? '',
            CACHE_DIR: 'off',
            SYNC_SOURCES: `etda=${input}`,
            ...(killAt ? { KILL_AT: killAt } : {}),
          },
          encoding: 'utf8',
          timeout: 20_000,
        },
      );
    };
    expect(sync(source('v1')).status).toBe(0);
    const v2 = source('v2');
    expect(sync(v2, 'card:2').signal).toBe('SIGKILL');
    const next = sync(v2);
    expect(next.status).toBe(0);
    expect(next.stdout).toContain('3 cards: 3 unchanged');
    expect(next.stdout).toContain(
      'finished an interrupted import: 1 of 3 card file(s) moved into place now',
    );
  });
});
