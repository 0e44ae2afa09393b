/**
 * An incremental reload (a delta applied to the serving catalog and index in place) must leave
 * the bot answering exactly as a full rebuild of the same folder would: searches, exact names,
 * filters, autocomplete, the detector's mentions, the catalog's actors and issues.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActorCard } from '../../src/cards/model.js';
import { allNames, displayName } from '../../src/cards/model.js';
import { renderCard } from '../../src/cards/render.js';
import { indexCacheFiles } from '../../src/catalog/index-cache.js';
import { Library } from '../../src/catalog/library.js';
import { openIndex } from '../../src/catalog/open.js';
import { MANIFEST_FILE } from '../../src/catalog/origins.js';
import { OVERRIDES_FILE } from '../../src/catalog/overrides.js';
import { type ReloadResult, type WatchOptions, watchCards } from '../../src/catalog/watch.js';
import { Detector } from '../../src/detect/detector.js';
import type { SearchIndex } from '../../src/search/index.js';
import { cardsFolder, makeCard } from '../helpers/cards.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const DIST_WORKER = resolve(REPO_ROOT, 'dist/src/catalog/watch-worker.js');
const hasDistWorker = existsSync(DIST_WORKER);
if (!hasDistWorker)
  console.warn(`[incremental] SKIPPED worker-thread runs: ${DIST_WORKER} not built`);

const uuid = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-00000000abcd`;

interface Spec {
  n: number;
  names: string[];
  aliases?: string[];
  country?: string;
  text?: string;
}

function card({ n, names, aliases = [], country = 'China', text }: Spec): ActorCard {
  return makeCard({
    uuid: uuid(n),
    names,
    aliases: [...names, ...aliases].map((name) => ({ name, vendor: 'Test' })),
    description: [text ?? `${names[0]} runs espionage campaigns against energy firms.`],
    countries: [country],
    sectors: n % 2 ? ['Energy'] : ['Government'],
    tools: [`Tool${n}`, 'PlugX'],
    operations: [{ date: `${2010 + (n % 10)}-03`, title: `Operation ${n}`, text: '', sources: [] }],
  });
}

/** Two sources, as an import writes them: a manifest names each card's source. */
const SOURCES = { etda: 'etda', misp: 'misp-galaxy:threat-actor' } as const;
type Folder = keyof typeof SOURCES;

function writeCard(dir: string, folder: Folder, spec: Spec): void {
  const sub = join(dir, folder);
  mkdirSync(sub, { recursive: true });
  const file = `card-${spec.n}.md`;
  writeFileSync(join(sub, file), renderCard(card(spec)));
  writeManifest(dir, folder);
}

/** The manifest lists every card file of the folder (rewritten whole, as an import does). */
const manifests = new Map<string, Map<string, string>>();
function writeManifest(dir: string, folder: Folder, removed?: string): void {
  const key = join(dir, folder);
  const files = manifests.get(key) ?? new Map<string, string>();
  manifests.set(key, files);
  for (const f of readdirSync(key)) {
    if (f.endsWith('.md') && f !== removed) files.set(f, f);
  }
  if (removed) files.delete(removed);
  const cards: Record<string, { file: string }> = {};
  for (const f of files.keys()) cards[`${SOURCES[folder]}:${f}`] = { file: f };
  writeFileSync(join(key, MANIFEST_FILE), JSON.stringify({ version: 1, cards }));
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const waitFor = (fn: () => void) => vi.waitFor(fn, { timeout: 15_000, interval: 20 });

/** Every answer the bot gives from an index, for these queries. */
function answers(index: SearchIndex, texts: string[]) {
  const detector = new Detector(index.catalog.profiles);
  const mention = texts.join('. ');
  return {
    actors: index.catalog.actors.map((a) => ({
      id: a.id,
      cards: a.cards.map((c) => `${c.source.file}#${c.card.uuid}`),
      profile: a.profile.entry.card,
      keys: a.keys,
    })),
    issues: index.catalog.issues,
    searches: texts.map((q) => index.search(q)),
    lookups: texts.map((q) => index.lookup(q).map((e) => e.card.uuid)),
    completions: texts.map((q) =>
      index.complete(q.slice(0, 4)).map((c) => `${c.name}@${c.card.card.uuid}`),
    ),
    mentions: detector.detect(mention).mentions.map((m) => `${m.uuid}:${m.alias}@${m.start}`),
  };
}

/** Names of every actor (served or fresh), misspellings, prose, filters, lists. */
function queriesFor(...indexes: SearchIndex[]): string[] {
  const names = new Set<string>();
  for (const index of indexes) {
    for (const p of index.catalog.profiles) for (const name of allNames(p.card)) names.add(name);
  }
  const typos = [...names].map((n) => (n.length > 5 ? n.slice(0, 2) + n.slice(3) : n));
  return [
    ...names,
    ...typos,
    'espionage',
    'energy firms',
    'plugx',
    'country:china',
    'country:russia sector:energy',
    'sector:government',
    'operation 3',
    'zzzzqqqq',
  ];
}

const modes: [string, Partial<WatchOptions>][] = [['main thread', { worker: false }]];
if (hasDistWorker) modes.push(['worker thread', { worker: () => new Worker(DIST_WORKER) }]);

describe.each(modes)('incremental reload (%s) answers as a full rebuild', (_mode, options) => {
  it('after a change, an addition, a removal, a renamed alias and a card moving between actors', async () => {
    const { dir, cleanup } = cardsFolder({}, []);
    cleanups.push(cleanup);
    const cache = cardsFolder({}, []);
    cleanups.push(cache.cleanup);
    writeCard(dir, 'etda', { n: 1, names: ['Copper Lantern'], aliases: ['APT 98', 'Night Owl'] });
    writeCard(dir, 'etda', {
      n: 2,
      names: ['Glass Viper'],
      aliases: ['Zinc Storm'],
      country: 'Russia',
    });
    writeCard(dir, 'etda', { n: 3, names: ['Tin Sparrow'], aliases: ['Night Owl'] });
    // The MISP card shares Copper Lantern's title name: one actor of two cards.
    writeCard(dir, 'misp', { n: 11, names: ['Copper Lantern'], aliases: ['Bronze Quill'] });
    writeCard(dir, 'misp', { n: 12, names: ['Amber Fox'], aliases: ['APT 97'], country: 'Iran' });

    const library = new Library(openIndex(dir, cache.dir).warm());
    const results: ReloadResult[] = [];
    const watcher = watchCards(dir, library, {
      cacheDir: cache.dir,
      debounceMs: 50,
      log: { info: () => {}, warn: () => {}, error: () => {} },
      onReload: (r) => results.push(r),
      ...options,
    });
    cleanups.push(() => watcher.stop());
    expect(library.current.catalog.actors.find((a) => a.cards.length === 2)).toBeDefined();

    const steps: [string, () => void][] = [
      [
        'a changed card',
        () =>
          writeCard(dir, 'etda', {
            n: 2,
            names: ['Glass Viper'],
            aliases: ['Zinc Storm'],
            country: 'Russia',
            text: 'Glass Viper now deploys ransomware against hospitals.',
          }),
      ],
      [
        'an added card',
        () => writeCard(dir, 'etda', { n: 4, names: ['Iron Heron'], aliases: ['APT 96'] }),
      ],
      [
        'a removed card',
        () => {
          rmSync(join(dir, 'etda', 'card-3.md'));
          writeManifest(dir, 'etda', 'card-3.md');
        },
      ],
      [
        'a renamed alias',
        () =>
          writeCard(dir, 'etda', {
            n: 1,
            names: ['Copper Lantern'],
            aliases: ['APT 95', 'Night Owl'],
          }),
      ],
      // The MISP card takes Glass Viper's name: it leaves Copper Lantern's actor for Viper's.
      [
        'a card moving between actors',
        () => writeCard(dir, 'misp', { n: 11, names: ['Glass Viper'], aliases: ['Bronze Quill'] }),
      ],
      [
        'a card file renamed',
        () => {
          renameSync(join(dir, 'misp', 'card-12.md'), join(dir, 'misp', 'card-13.md'));
          writeManifest(dir, 'misp', 'card-12.md');
        },
      ],
    ];
    for (const [what, step] of steps) {
      const before = results.length;
      const served = library.current;
      step();
      await waitFor(() => {
        expect(results.slice(before).some((r) => r.swapped)).toBe(true);
        expect(library.current).not.toBe(served);
      });
      // Any straggling event of the same step (the manifest) reloads too: let it settle.
      await new Promise((r) => setTimeout(r, 150));
      await watcher.reload();
      const swaps = results.slice(before).filter((r) => r.swapped);
      expect(
        swaps.every((r) => r.incremental),
        what,
      ).toBe(true);
      const fresh = openIndex(dir, false).warm();
      const queries = queriesFor(library.current, fresh, served);
      expect(answers(library.current, queries), what).toEqual(answers(fresh, queries));
    }
    const moved = library.current.catalog.actors.find((a) =>
      a.cards.some((c) => c.card.uuid === uuid(11)),
    );
    expect(moved && displayName(moved.profile.entry.card)).toBe('Glass Viper');
  });
});

describe.each(modes)('incremental reload (%s): the other paths', (_mode, options) => {
  it('falls back to a full rebuild for a large change and for a changed overrides file', async () => {
    const { dir, cleanup } = cardsFolder({}, []);
    cleanups.push(cleanup);
    const staged = cardsFolder({}, []);
    cleanups.push(staged.cleanup);
    for (let n = 1; n <= 5; n++) writeCard(dir, 'etda', { n, names: [`Actor ${n}`] });
    const library = new Library(openIndex(dir, false));
    const results: ReloadResult[] = [];
    const watcher = watchCards(dir, library, {
      cacheDir: false,
      debounceMs: 50,
      log: { info: () => {}, warn: () => {}, error: () => {} },
      onReload: (r) => results.push(r),
      ...options,
    });
    cleanups.push(() => watcher.stop());
    const swapped = async (what: string, step: () => void, incremental: boolean) => {
      const before = results.length;
      step();
      await waitFor(() => expect(results.slice(before).some((r) => r.swapped)).toBe(true));
      await new Promise((r) => setTimeout(r, 150));
      await watcher.reload();
      const swaps = results.slice(before).filter((r) => r.swapped);
      expect(
        swaps.some((r) => r.incremental === incremental),
        what,
      ).toBe(true);
      const fresh = openIndex(dir, false);
      const queries = queriesFor(library.current, fresh);
      expect(answers(library.current, queries), what).toEqual(answers(fresh, queries));
    };
    await swapped('one card', () => writeCard(dir, 'etda', { n: 6, names: ['Actor 6'] }), true);
    // More actors than a delta carries (MAX_DELTA_ACTORS): the whole catalog again.
    await swapped(
      'an import',
      () => {
        // Written beside the folder, then moved in at once (as `aptcard import` lands).
        for (let n = 100; n < 140; n++)
          writeCard(staged.dir, 'misp', { n, names: [`Imported ${n}`] });
        renameSync(join(staged.dir, 'misp'), join(dir, 'misp'));
      },
      false,
    );
    expect(library.current.lookup('Imported 139')).toHaveLength(1);
    await swapped(
      'an overrides file',
      () =>
        writeFileSync(join(dir, OVERRIDES_FILE), JSON.stringify({ same: [[uuid(1), uuid(2)]] })),
      false,
    );
    // The incremental path serves again after a full one.
    await swapped(
      'one card again',
      () => writeCard(dir, 'etda', { n: 7, names: ['Actor 7'] }),
      true,
    );
  });

  it('leaves the index caches of the new catalog on disk: a restart reads them and answers the same', async () => {
    const { dir, cleanup } = cardsFolder({}, []);
    cleanups.push(cleanup);
    const cache = cardsFolder({}, []);
    cleanups.push(cache.cleanup);
    for (let n = 1; n <= 5; n++) writeCard(dir, 'etda', { n, names: [`Actor ${n}`] });
    const library = new Library(openIndex(dir, cache.dir).warm());
    const results: ReloadResult[] = [];
    const watcher = watchCards(dir, library, {
      cacheDir: cache.dir,
      debounceMs: 50,
      log: { info: () => {}, warn: () => {}, error: () => {} },
      onReload: (r) => results.push(r),
      ...options,
    });
    cleanups.push(() => watcher.stop());
    writeCard(dir, 'etda', { n: 2, names: ['Actor 2'], aliases: ['Renamed Two'] });
    await waitFor(() => expect(library.current.lookup('Renamed Two')).toHaveLength(1));
    expect(results.filter((r) => r.swapped).every((r) => r.incremental)).toBe(true);
    const files = indexCacheFiles(cache.dir, library.current.catalog);
    await waitFor(() => expect(files.readNames()).toBeDefined());
    expect(() => files.readText()).not.toThrow();
    await watcher.stop();
    const restarted = openIndex(dir, cache.dir);
    const fresh = openIndex(dir, false);
    const queries = queriesFor(restarted, fresh);
    expect(answers(restarted, queries)).toEqual(answers(fresh, queries));
    expect(restarted.lookup('Renamed Two')).toHaveLength(1);
  });
});
