/**
 * The command line is a contract: exit status 0 found or ok, 1 not found or invalid card,
 * 2 usage or environment error, and every error names its fix. Run through the real launcher.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ETDA_CARDS_DIR, hasEtdaCards, REPO_ROOT, SEEDS_DIR } from '../helpers/corpus.js';

const BIN = join(REPO_ROOT, 'bin/aptcard.js');
const env = {
  ...process.env,
  CACHE_DIR: 'off',
  CARDS_DIR: '',
  SLACK_BOT_TOKEN: '',
  SLACK_APP_TOKEN: '',
  DISCORD_TOKEN: '',
  LOG_LEVEL: 'silent',
};

function aptcard(args: string[], extraEnv: Record<string, string> = {}, input = '') {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const base = mkdtempSync(join(tmpdir(), 'aptcard-exit-'));
const missing = join(base, 'no-such-folder');
const aFile = join(base, 'not-a-folder.md');
writeFileSync(aFile, '# not a folder\n');
const empty = join(base, 'empty');
mkdirSync(empty);
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('a cards folder that is not there is an error for every command', () => {
  const commands: [string, string[]][] = [
    ['search', ['search', 'apt28']],
    ['show', ['show', 'APT 21']],
    ['detect', ['detect', 'APT 21 again']],
    ['validate', ['validate']],
    ['start', ['start']],
  ];
  for (const [name, args] of commands) {
    it(`${name}: exit 2, naming the folder and the fix`, async () => {
      const r = await aptcard([...args, '--cards', missing]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`aptcard ${name}: cards folder ${missing} does not exist`);
      expect(r.stderr).toContain('--cards DIR or CARDS_DIR');
      expect(r.stdout).toBe('');
    });
  }

  it('a file, or a path through a file, is refused the same way (also from CARDS_DIR)', async () => {
    const file = await aptcard(['search', '--json', 'apt28', '--cards', aFile]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain(`cards folder ${aFile} is not a folder`);
    const through = await aptcard(['search', 'apt28'], { CARDS_DIR: join(aFile, 'cards') });
    expect(through.code).toBe(2);
    expect(through.stderr).toMatch(/cannot read cards folder .*\(ENOTDIR\): check its permissions/);
  });
});

describe('validate', () => {
  it('exits 1 with a message on a folder with no card, 0 on the seeds', async () => {
    const none = await aptcard(['validate', '--cards', empty]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no card in .*empty: a card is a \.md file that starts/);
    const seeds = await aptcard(['validate', '--cards', SEEDS_DIR]);
    expect(seeds.code).toBe(0);
  });
});

describe('import', () => {
  it('without --out or CARDS_DIR refuses, naming --out, and writes nothing into seeds/', async () => {
    const before = readdirSync(SEEDS_DIR);
    const input = join(REPO_ROOT, 'test/fixtures/import/etda-small.json');
    const r = await aptcard(['import', 'etda', input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('say where the cards go: --out DIR (or set CARDS_DIR)');
    expect(readdirSync(SEEDS_DIR)).toEqual(before);
  });

  it('without --out writes to CARDS_DIR when it is set', async () => {
    const dir = join(base, 'imported');
    const input = join(REPO_ROOT, 'test/fixtures/import/etda-small.json');
    const r = await aptcard(['import', 'etda', input], { CARDS_DIR: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, '.aptcard-import.json'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.md')).length).toBeGreaterThan(0);
  });
});

describe('search', () => {
  it('exits 0 for a card, 1 for no card, 2 for a query to fix', async () => {
    const found = await aptcard(['search', '--json', 'apt21']);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject({ outcome: 'profile', match: 'exact' });
    const none = await aptcard(['search', '--json', 'apt28']);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout)).toMatchObject({
      outcome: 'none',
      results: [],
      suggestions: [{ name: 'NetTraveler', why: 'same-prefix', alias: 'APT 21' }],
    });
    const bad = await aptcard(['search', 'since:2019-13']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/"since:" takes a year or year-month/);
  });

  it('answers help and status, and says when a profile is only the closest match', async () => {
    const help = await aptcard(['search', 'help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Look up an actor:\n {2}aptcard search hammer panda/);
    const status = await aptcard(['search', 'status']);
    expect(status.stdout).toMatch(/^1 actor from 1 card\. Sources: bundled sample \(1 card\)\./);
    expect(status.stdout).toMatch(/Data as of 2020-04 \(newest card change: 2020-04-19\)/);
    const closest = await aptcard(['search', 'hamer panda']);
    expect(closest.code).toBe(0);
    expect(closest.stdout).toMatch(
      /^Closest match for "hamer panda": Hammer Panda \(NetTraveler\)\n/,
    );
  });

  it('rejects a page that is not a number', async () => {
    const r = await aptcard(['search', '--page', 'two', 'country:china']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--page takes a page number');
  });
});

describe.skipIf(!hasEtdaCards)('paging over the ETDA corpus', () => {
  // The first run parses the 447 cards into this cache; the others read it.
  const cached = { CACHE_DIR: join(base, 'cache') };
  it('search pages its text output and says how many results there are', {
    timeout: 60_000,
  }, async () => {
    const first = await aptcard(['search', '--cards', ETDA_CARDS_DIR, 'country:china'], cached);
    expect(first.code).toBe(0);
    const head = /^(\d+) actors match "country:china", page 1 of (\d+):/.exec(first.stdout);
    expect(head).not.toBeNull();
    expect(first.stdout).toContain('(more: aptcard search --page 2 country:china)');
    const second = await aptcard(
      ['search', '--cards', ETDA_CARDS_DIR, '--page', '2', 'country:china'],
      cached,
    );
    expect(second.stdout).toMatch(/page 2 of \d+:\n {2}11\. /);
  });

  it('show --all prints every operation; the JSON always has all of them', {
    timeout: 60_000,
  }, async () => {
    const json = await aptcard(
      ['show', '--cards', ETDA_CARDS_DIR, '--format', 'json', 'APT 28'],
      cached,
    );
    const ops = (JSON.parse(json.stdout) as { operations: { date: string; title: string }[] })
      .operations;
    expect(ops.length).toBeGreaterThan(5);
    // Each operation's headline as the text renderer writes it (cross-link braces dropped).
    const heads = ops.map(
      (o) =>
        `- ${o.date ? `${o.date}  ` : ''}${o.title.replace(/\{\{(?:Subgroup:\s*)?(.+?)\}\}/g, '$1')}`,
    );
    const paged = await aptcard(['show', '--cards', ETDA_CARDS_DIR, 'APT 28'], cached);
    expect(paged.stdout).toContain(
      `(5 of ${ops.length} operations shown: aptcard show --all APT 28`,
    );
    expect(heads.filter((h) => paged.stdout.includes(`\n${h}\n`)).length).toBe(5);
    const all = await aptcard(['show', '--cards', ETDA_CARDS_DIR, '--all', 'APT 28'], cached);
    expect(all.stdout).toContain(`Operations, newest first: ${ops.length}\n`);
    expect(heads.filter((h) => !all.stdout.includes(`\n${h}\n`))).toEqual([]);
    expect(all.stdout).not.toContain('operations shown');
  });
});
