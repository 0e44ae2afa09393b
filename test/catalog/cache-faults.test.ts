/**
 * Faults around the cache folder, through `aptcard start` as users run it (the console chat on
 * a pipe): a full disk, an unusable CACHE_DIR, and a start killed while the priming process
 * fills the caches (issue 18, item 9).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCard } from '../../src/cards/render.js';
import { cacheFolderProblem } from '../../src/catalog/cache.js';
import { cardsFolder, makeCard } from '../helpers/cards.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const BIN = join(REPO_ROOT, 'bin/aptcard.js');
const isLinux = process.platform === 'linux';
if (!isLinux) console.warn('[cache-faults] SKIPPED: needs Linux (ulimit -f, /proc)');

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const cards = cardsFolder();
cleanups.push(cards.cleanup);

function env(cacheDir: string, cardsDir = cards.dir): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CARDS_DIR: cardsDir,
    CACHE_DIR: cacheDir,
    SLACK_BOT_TOKEN: '',
    DISCORD_TOKEN: '',
    LOG_LEVEL: 'warn',
    SYNC_ON_START: 'false',
    SYNC_INTERVAL: '0',
  };
}

/** `aptcard start` on a pipe, asked one question, as `npm start` runs it. */
function startOnPipe(
  cacheDir: string,
  options: { shellPrefix?: string; cardsDir?: string; question?: string } = {},
) {
  const command = `${options.shellPrefix ?? ''}exec "${process.execPath}" "${BIN}" start`;
  return spawnSync('/bin/sh', ['-c', command], {
    input: `/apt ${options.question ?? 'apt 99'}\n`,
    encoding: 'utf8',
    env: env(cacheDir, options.cardsDir),
    timeout: 15_000,
  });
}

/** `count` cards with some prose (a few KB each), spread over ten sub-folders. */
function proseFolder(count: number): string {
  const dir = tempDir('aptcard-prose-');
  const words = 'the group used spear-phishing documents and custom backdoors against ministries';
  for (let i = 0; i < count; i++) {
    const hex = i.toString(16).padStart(12, '0');
    const card = makeCard({
      uuid: `aaaaaaaa-0000-4000-8000-${hex}`,
      names: [`Large Actor ${i}`, `LA-${i}`],
      aliases: [
        { name: `Large Actor ${i}`, vendor: 'Vendor' },
        { name: `LA-${i}`, vendor: 'Other' },
      ],
      description: Array.from({ length: 6 }, (_, p) => `${words} ${i} paragraph ${p}. `.repeat(8)),
      operations: Array.from({ length: 10 }, (_, k) => ({
        date: `${2000 + k}-01`,
        title: `Operation ${i}-${k}`,
        text: words,
        sources: [],
      })),
    });
    mkdirSync(join(dir, `${i % 10}`), { recursive: true });
    writeFileSync(join(dir, `${i % 10}`, `card-${i}.md`), renderCard(card));
  }
  return dir;
}

const tmpFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe.skipIf(!isLinux)('the cache folder under faults', () => {
  it('leaves no partial *.tmp cache file behind when the disk is full', () => {
    const cache = tempDir('aptcard-full-');
    // A file size limit of 64 KiB: the state file (12 KiB) fits, the parsed-card cache of 60
    // cards (about 300 KiB) is cut short with EFBIG, as on a full disk.
    const run = startOnPipe(cache, {
      shellPrefix: 'ulimit -f 64 && ',
      cardsDir: proseFolder(60),
      question: 'large actor 7',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Large Actor 7, LA-7/);
    expect(tmpFiles(cache)).toEqual([]);
    // And nothing complete was left either: the cut files are gone, not renamed into place.
    expect(readdirSync(cache).filter((f) => f.startsWith('cards-'))).toEqual([]);
  });

  it('sweeps temporary files of dead processes at start, and keeps those of live ones', () => {
    const cache = tempDir('aptcard-sweep-');
    const dead = 'cards-0123456789abcdef.json.2147483646.tmp'; // no such process
    const live = `index-0123-names.json.${process.pid}.tmp`; // this test runner, alive
    const other = 'notes.tmp'; // not one of ours
    for (const name of [dead, live, other]) writeFileSync(join(cache, name), '{"partial');
    const run = startOnPipe(cache);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Copper Lantern/);
    expect(tmpFiles(cache).sort()).toEqual([live, other].sort());
    // The start itself filled the caches as usual.
    expect(readdirSync(cache).some((f) => /^cards-[0-9a-f]+\.json$/.test(f))).toBe(true);
  });

  it('runs without the cache, with one warning, when CACHE_DIR is under /proc', () => {
    const run = startOnPipe('/proc/aptcard-cache');
    expect(run.error, 'start-up hung').toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Copper Lantern/);
    const warnings = run.stderr.split('\n').filter((l) => /cache/i.test(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/\/proc\/aptcard-cache/);
    expect(warnings[0]).toMatch(/without the cache/);
    expect(existsSync('/proc/aptcard-cache')).toBe(false);
  });

  it('the CLI search does not hang on such a CACHE_DIR either', () => {
    const run = spawnSync(process.execPath, [BIN, 'search', '--json', 'apt 99'], {
      encoding: 'utf8',
      env: env('/proc/aptcard-cache'),
      timeout: 15_000,
    });
    expect(run.error, 'search hung').toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'profile' });
  });
});

describe('cacheFolderProblem', () => {
  it('accepts a folder that exists or can be made, making it', () => {
    const base = tempDir('aptcard-check-');
    expect(cacheFolderProblem(base)).toBeUndefined();
    const deeper = join(base, 'a', 'b', 'c');
    expect(cacheFolderProblem(deeper)).toBeUndefined();
    expect(existsSync(deeper)).toBe(true);
  });

  it('names what is wrong with a folder that cannot hold the caches', () => {
    const base = tempDir('aptcard-check-');
    writeFileSync(join(base, 'file'), '');
    expect(cacheFolderProblem(join(base, 'file'))).toMatch(/is not a folder/);
    expect(cacheFolderProblem(join(base, 'file', 'below'))).toMatch(/is not a folder/);
  });

  it.skipIf(!isLinux)('refuses virtual filesystems, where mkdir would loop', () => {
    expect(cacheFolderProblem('/proc/aptcard-cache/deeper')).toBe(
      '/proc is on the proc filesystem',
    );
    expect(cacheFolderProblem('/sys/aptcard-cache')).toBe('/sys is on the sysfs filesystem');
  });
});

/** Children of `pid`, from /proc (each entry's stat holds its parent's pid). */
function childrenOf(pid: number): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces, so read after its closing paren.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(name), cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    // A zombie still answers signal 0; its state in /proc says it is gone.
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor<T>(what: () => T | undefined, ms: number): Promise<T | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const found = what();
    if (found !== undefined || Date.now() > until) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!isLinux)('the priming process', () => {
  it('dies with its parent: a start killed with SIGKILL leaves no process behind', async () => {
    const dir = proseFolder(1200);
    const cache = tempDir('aptcard-prime-');
    // stdin stays open: the console chat waits for input while the caches are filled.
    const parent: ChildProcess = spawn(process.execPath, [BIN, 'start'], {
      env: env(cache, dir),
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const parentPid = parent.pid ?? 0;
    try {
      const child = await waitFor(
        () => childrenOf(parentPid).find((c) => c.cmdline.includes('prime-process.js')),
        15_000,
      );
      expect(child, 'start launched no priming process').toBeDefined();
      const childPid = child?.pid ?? 0;
      parent.kill('SIGKILL');
      const gone = await waitFor(() => (alive(childPid) ? undefined : true), 2_000);
      if (!gone) process.kill(childPid, 'SIGKILL');
      expect(gone, 'the priming process outlived its killed parent').toBe(true);
      // It was stopped, not done: parsing 1,200 cards takes seconds, so no parsed-card cache
      // was written (a process that only finished in time would have written it).
      expect(readdirSync(cache).filter((f) => /^cards-[0-9a-f]+\.json$/.test(f))).toEqual([]);
    } finally {
      parent.kill('SIGKILL');
    }
  }, 30_000);
});
