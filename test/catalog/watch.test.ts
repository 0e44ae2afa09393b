import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../app/cli.js';
import { renderCard } from '../../src/cards/render.js';
import { Library } from '../../src/catalog/library.js';
import { openIndex } from '../../src/catalog/open.js';
import {
  type CardWatcher,
  isRelevantChange,
  type ReloadResult,
  type WatchOptions,
  watchCards,
} from '../../src/catalog/watch.js';
import { importEtda } from '../../src/import/etda.js';
import { parseJson } from '../../src/import/json.js';
import { applyPlan, planImport } from '../../src/import/writer.js';
import { cardsFolder, makeCard } from '../helpers/cards.js';
import { REPO_ROOT } from '../helpers/corpus.js';

/** The compiled worker (test/global-setup.ts builds dist/ before the tests). */
const DIST_WORKER = resolve(REPO_ROOT, 'dist/src/catalog/watch-worker.js');
const hasDistWorker = existsSync(DIST_WORKER);
if (!hasDistWorker) console.warn(`[watch] SKIPPED worker-thread tests: ${DIST_WORKER} not built`);

const uuidOf = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
function card(n: number, alias = `Alias ${n}`) {
  return makeCard({
    uuid: uuidOf(n),
    names: [`Actor ${n}`],
    aliases: [
      { name: `Actor ${n}`, vendor: 'Test' },
      { name: alias, vendor: '' },
    ],
    description: [`Actor ${n} is a test group.`],
  });
}
const write = (dir: string, n: number, alias?: string) =>
  writeFileSync(join(dir, `actor-${n}.md`), renderCard(card(n, alias)));

interface Harness {
  dir: string;
  library: Library;
  watcher: CardWatcher;
  results: ReloadResult[];
  errors: string[];
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function start(count: number, options: Partial<WatchOptions> = {}): Harness {
  const { dir, cleanup } = cardsFolder({}, []);
  cleanups.push(cleanup);
  for (let n = 1; n <= count; n++) write(dir, n);
  const library = new Library(openIndex(dir, false));
  const results: ReloadResult[] = [];
  const errors: string[] = [];
  const watcher = watchCards(dir, library, {
    cacheDir: false,
    debounceMs: 50,
    worker: false,
    log: { info: () => {}, warn: () => {}, error: (_obj, msg) => errors.push(msg) },
    onReload: (r) => results.push(r),
    ...options,
  });
  cleanups.push(() => watcher.stop());
  return { dir, library, watcher, results, errors };
}

const found = (h: Harness, name: string) => h.library.current.lookup(name).length;
const waitFor = (fn: () => void) => vi.waitFor(fn, { timeout: 10_000, interval: 20 });

const modes: [string, Partial<WatchOptions>][] = [['main thread', { worker: false }]];
if (hasDistWorker) modes.push(['worker thread', { worker: () => new Worker(DIST_WORKER) }]);

describe.each(modes)('hot reload (%s)', (_mode, options) => {
  it('picks up added, edited and removed files', async () => {
    const h = start(3, options);
    expect(found(h, 'Actor 4')).toBe(0);
    write(h.dir, 4);
    await waitFor(() => expect(found(h, 'Actor 4')).toBe(1));
    write(h.dir, 2, 'Renamed Two');
    await waitFor(() => expect(found(h, 'Renamed Two')).toBe(1));
    expect(found(h, 'Alias 2')).toBe(0);
    rmSync(join(h.dir, 'actor-1.md'));
    await waitFor(() => expect(found(h, 'Actor 1')).toBe(0));
    expect(h.library.current.size).toBe(3);
    expect(h.results.some((r) => r.swapped && r.inWorker === (options.worker !== false))).toBe(
      true,
    );
  });
});

describe('hot reload', () => {
  it('keeps the last good catalog serving on a broken edit, logs file and line, swaps once fixed', async () => {
    const h = start(3);
    const path = join(h.dir, 'actor-2.md');
    writeFileSync(path, renderCard(card(2)).replace(uuidOf(2), 'not-a-uuid'));
    await waitFor(() => expect(h.results.some((r) => r.reason === 'errors')).toBe(true));
    const failed = h.results.find((r) => r.reason === 'errors');
    expect(failed?.swapped).toBe(false);
    expect(failed?.errors[0]).toMatchObject({ line: 3 });
    expect(h.errors.join('\n')).toMatch(
      /actor-2\.md:3: invalid UUID "not-a-uuid"; skipped; keeping the last good catalog/,
    );
    expect(found(h, 'Actor 2')).toBe(1); // the last good version still answers

    // Other changes wait for the fix (the broken file would otherwise vanish from answers).
    write(h.dir, 4);
    writeFileSync(path, renderCard(card(2, 'Fixed Two')));
    await waitFor(() => expect(found(h, 'Fixed Two')).toBe(1));
    expect(found(h, 'Actor 4')).toBe(1);
  });

  it('logs a broken file once, not on every reload', async () => {
    const h = start(2);
    writeFileSync(join(h.dir, 'broken.md'), 'no title here\n');
    await waitFor(() => expect(h.results.filter((r) => r.reason === 'errors')).toHaveLength(1));
    writeFileSync(join(h.dir, 'broken.md'), 'still no title\n');
    await waitFor(() => expect(h.results.filter((r) => r.reason === 'errors')).toHaveLength(2));
    expect(h.errors.filter((e) => e.includes('broken.md'))).toHaveLength(1);
    expect(h.errors[0]).toMatch(/broken\.md:1: no title/);
  });

  it('ignores dot files, and does not swap when nothing a card is made of changed', async () => {
    expect(isRelevantChange('.aptcard-import-x/a.md')).toBe(false);
    expect(isRelevantChange('.aptcard-import.json')).toBe(false);
    expect(isRelevantChange('notes.txt')).toBe(false);
    expect(isRelevantChange('sub/apt1.md')).toBe(true);
    expect(isRelevantChange('subfolder')).toBe(true);
    expect(isRelevantChange(null)).toBe(true);
    const h = start(2);
    const before = h.library.current;
    const r = await h.watcher.reload();
    expect(r).toMatchObject({ swapped: false, reason: 'unchanged' });
    expect(h.library.current).toBe(before);
  });

  it('turns a whole import landing into one swap (or very few), with every card', async () => {
    const h = start(1, { debounceMs: 300 });
    const records = Array.from({ length: 150 }, (_, i) => ({
      actor: `Imported ${i}`,
      names: [{ name: `Imported ${i}`, 'name-giver': 'x' }],
      description: 'From an import.',
      uuid: uuidOf(1000 + i),
    }));
    const batch = importEtda(parseJson(JSON.stringify(records), 'x'), 'x');
    applyPlan(planImport(h.dir, batch));
    await waitFor(() => expect(h.library.current.size).toBe(151));
    await new Promise((r) => setTimeout(r, 400)); // any straggling reload
    expect(h.results.filter((r) => r.swapped).length).toBeLessThanOrEqual(2);
    expect(found(h, 'Imported 149')).toBe(1);
    // The import's temporary folder came and went inside the watched one: still watching.
    expect(h.errors).toEqual([]);
    write(h.dir, 7);
    await waitFor(() => expect(found(h, 'Actor 7')).toBe(1));
  });

  it('picks up cards in sub-folders, also in ones made after the watch started', async () => {
    const h = start(1);
    mkdirSync(join(h.dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(h.dir, 'a', 'b', 'deep.md'), renderCard(card(5)));
    await waitFor(() => expect(found(h, 'Actor 5')).toBe(1));
    writeFileSync(join(h.dir, 'a', 'b', 'deep.md'), renderCard(card(5, 'Deeper Five')));
    await waitFor(() => expect(found(h, 'Deeper Five')).toBe(1));
    rmSync(join(h.dir, 'a'), { recursive: true });
    await waitFor(() => expect(found(h, 'Actor 5')).toBe(0));
    // A folder made again under the same name is watched again.
    mkdirSync(join(h.dir, 'a'));
    writeFileSync(join(h.dir, 'a', 'again.md'), renderCard(card(6)));
    await waitFor(() => expect(found(h, 'Actor 6')).toBe(1));
  });

  it('stops: no reload after stop()', async () => {
    const h = start(1);
    await h.watcher.stop();
    write(h.dir, 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.results).toEqual([]);
    expect(found(h, 'Actor 2')).toBe(0);
  });
});

describe.skipIf(!hasDistWorker)('stopping during a reload in the worker', () => {
  it('abandons the reload: nothing swapped, nothing logged, the worker ended', async () => {
    const h = start(5, { worker: () => new Worker(DIST_WORKER) });
    write(h.dir, 6);
    const before = h.library.current;
    const reload = h.watcher.reload();
    await h.watcher.stop();
    const result = await reload;
    expect(result.swapped).toBe(false);
    expect(h.library.current).toBe(before);
    expect(h.errors).toEqual([]);
  });
});

describe.skipIf(!hasDistWorker)('reload under load', () => {
  it('answers every query (none failed, none empty) while the folder changes many times', async () => {
    const STABLE = 40;
    const cache = cardsFolder({}, []);
    cleanups.push(cache.cleanup);
    const h = start(STABLE + 10, {
      // As in production: the parsed-card cache means only changed files are parsed again.
      cacheDir: cache.dir,
      worker: () => new Worker(DIST_WORKER),
      debounceMs: 30,
      maxWaitMs: 200,
    });
    const names = Array.from({ length: STABLE }, (_, i) => `Actor ${i + 1}`);
    let queries = 0;
    const failures: string[] = [];
    let running = true;
    // Queries on the event loop, as the bot makes them, as fast as it will go.
    const loop = new Promise<void>((done) => {
      const tick = () => {
        if (!running) return done();
        for (let k = 0; k < 20; k++) {
          const name = names[queries % names.length]!;
          queries++;
          try {
            const index = h.library.current;
            const answer = index.search(name);
            if (answer.outcome !== 'profile' || answer.results.length === 0) {
              failures.push(`${name}: ${answer.outcome}`);
            }
            if (index.lookup(`Alias ${(queries % STABLE) + 1}`).length !== 1) {
              failures.push(`lookup Alias ${(queries % STABLE) + 1}`);
            }
          } catch (err) {
            failures.push(`${name}: threw ${(err as Error).message}`);
          }
        }
        setImmediate(tick);
      };
      tick();
    });

    // 12 rounds of 6 changes each to cards the queries do not ask for (edits, moves, removals,
    // additions), each round ending with a marker edit that the catalog must show before the next
    // round: at least 12 swaps, whatever the machine's speed, while the queries keep running.
    let changes = 0;
    for (let round = 0; round < 12; round++) {
      const n = STABLE + 1 + (round % 9);
      const path = join(h.dir, `actor-${n}.md`);
      const moved = join(h.dir, `moved-${n}.md`);
      const steps = [
        () => write(h.dir, n, `Edit ${round}`),
        () => renameSync(path, moved),
        () => write(h.dir, n + 100, `New ${round}`),
        () => rmSync(moved),
        () => write(h.dir, n, `Back ${round}`),
      ];
      for (const step of steps) {
        step();
        changes++;
        await new Promise((r) => setTimeout(r, 5));
      }
      write(h.dir, STABLE + 10, `Round ${round}`);
      changes++;
      await waitFor(() => expect(found(h, `Round ${round}`)).toBe(1));
    }
    running = false;
    await loop;

    expect(failures).toEqual([]);
    expect(queries).toBeGreaterThan(1000);
    expect(changes).toBe(72);
    expect(h.results.filter((r) => r.swapped).length).toBeGreaterThanOrEqual(12);
    expect(h.results.every((r) => r.inWorker || r.reason === 'failed')).toBe(true);
    expect(h.results.filter((r) => r.reason === 'failed')).toEqual([]);
  });
});

describe('aptcard start with WATCH on (the default)', () => {
  it('answers for a card added while it runs, and exits cleanly at end of input', async () => {
    const { dir, cleanup } = cardsFolder({}, [card(1)]);
    cleanups.push(cleanup);
    const stdin = new PassThrough();
    let stdout = '';
    const running = main(['start', '--cards', dir], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      stdin,
      env: { CACHE_DIR: 'off', LOG_LEVEL: 'silent' },
    });
    stdin.write('/apt Actor 1\n');
    await waitFor(() => expect(stdout).toMatch(/^Actor 1\n=+\n/m));
    writeFileSync(join(dir, 'actor-9.md'), renderCard(card(9)));
    await waitFor(() => {
      stdin.write('/apt Alias 9\n');
      expect(stdout).toMatch(/^Actor 9\n=+\n/m);
    });
    stdin.end();
    expect(await running).toBe(0);
  });
});
