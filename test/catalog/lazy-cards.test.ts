/**
 * Cards read from the parsed-card cache keep only their names and filterable fields, and read
 * their description, operations and other large text from the cache file again when asked
 * for (src/catalog/lazy-card.ts): the same cards as an eager parse, field by field, a second
 * read served by the bounded cache of recent cards, the bytes they came from even after the
 * cache file is replaced, full cards written back, and no large text left on the cards.
 */
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ActorCard } from '../../src/cards/model.js';
import { CardBodies } from '../../src/catalog/card-bodies.js';
import { type ParsedCards, readCardCache, writeCardCache } from '../../src/catalog/card-cache.js';
import { buildCatalog, type Catalog } from '../../src/catalog/catalog.js';
import {
  heavySourceOf,
  isHeavyField,
  operationDatesOf,
  RECENT_CARDS,
} from '../../src/catalog/lazy-card.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { NO_OVERRIDES } from '../../src/catalog/overrides.js';
import { filterFieldsOf } from '../../src/search/filters.js';
import { firstParses, storedCard } from '../helpers/card-cache.js';
import { cardsFolder, FIXTURE_CARDS, makeCard } from '../helpers/cards.js';
import {
  ETDA_CATALOG,
  hasCatalogFiles,
  importCatalogs,
  MISP_THREAT_ACTOR,
} from '../helpers/catalogs.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped, SEEDS_DIR } from '../helpers/corpus.js';

const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'aptcard-lazy-cards-'));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** More cards than the recent ones kept, each with a description and operations of its own. */
function manyCards(count = RECENT_CARDS + 16, tag = 'first'): ActorCard[] {
  return Array.from({ length: count }, (_, i) =>
    makeCard({
      uuid: `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      names: [`Lazy ${i}`],
      aliases: [{ name: `Lazy ${i}`, vendor: 'Vendor' }],
      description: [
        `Card ${i} (${tag}) describes a group at length.`,
        `Its second paragraph ${i}.`,
      ],
      countries: ['China'],
      operations: [
        {
          date: '2021-05',
          title: `Campaign ${i}`,
          text: `What happened in campaign ${i} (${tag}).`,
          sources: [`https://example.com/${tag}/${i}`],
        },
      ],
    }),
  );
}

function folderOf(cards: ActorCard[]): string {
  const { dir } = cardsFolder({}, cards);
  temps.push(dir);
  return dir;
}

/** The folder's cards written to a fresh cache folder and read back (lazy), with the fresh ones. */
function cachedParses(dir: string): { fresh: ParsedCards; read: ParsedCards; cacheDir: string } {
  const cacheDir = tempDir();
  const fresh = firstParses(dir);
  writeCardCache(cacheDir, dir, fresh);
  return { fresh: fresh.parses, read: readCardCache(cacheDir, dir).parses, cacheDir };
}

/** A catalog loaded twice with one cache folder: the second load's cards come from the cache. */
function warmCatalog(dir: string, cacheDir = tempDir()): Catalog {
  loadCatalog(dir, { cacheDir });
  return loadCatalog(dir, { cacheDir });
}

/** Every string reachable from `root` through data properties (no getter is called). */
function reachableStrings(root: unknown): Set<string> {
  const strings = new Set<string>();
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === 'string') strings.add(value);
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof Map || value instanceof Set) {
      for (const item of value.entries()) stack.push(item);
    }
    for (const key of Reflect.ownKeys(value)) {
      const d = Object.getOwnPropertyDescriptor(value, key);
      if (d && 'value' in d) stack.push(d.value);
    }
  }
  return strings;
}

/** The large text of a card: its paragraphs, operation titles, texts and sources. */
function largeText(card: ActorCard): string[] {
  return [
    ...card.description,
    ...[...card.operations, ...card.counterOperations].flatMap((op) => [
      op.title,
      op.text,
      ...op.sources,
    ]),
  ];
}

/** Each profile's card and what a reply shows of the profile, keyed by actor. */
function profilesOf(catalog: Catalog) {
  return new Map(
    catalog.actors.map((a) => [
      a.id,
      {
        card: a.profile.entry.card,
        sources: a.profile.sources,
        disagreements: a.profile.disagreements,
        aliasSources: [...a.profile.aliasSources],
        otherDescriptions: a.profile.otherDescriptions,
      },
    ]),
  );
}

/**
 * The lazy catalog's cards and profiles are the eager ones, field by field and as JSON, and so
 * are the profiles' filter fields and dates, which (but for a merge made afresh, which reads
 * its cards' operations) are read without any card's large text.
 */
function expectSameCatalog(lazy: Catalog, eager: Catalog, mergedAfresh = false): void {
  const lazyCards = lazy.cards.filter((e) => heavySourceOf(e.card) !== undefined);
  // Every card came from the cache: a plain card here would make the comparison vacuous.
  expect(lazyCards).toHaveLength(eager.cards.length);
  for (const e of lazy.cards) void e.card.names; // the light texts read
  const reads = vi.spyOn(CardBodies.prototype, 'read');
  const filters = (c: Catalog) =>
    new Map(
      c.profiles.map(({ card }) => [card.uuid, [filterFieldsOf(card), operationDatesOf(card)]]),
    );
  const lazyFilters = filters(lazy);
  if (!mergedAfresh) expect(reads).not.toHaveBeenCalled();
  reads.mockRestore();
  expect(lazyFilters).toEqual(filters(eager));
  const byFile = new Map(eager.cards.map((e) => [e.source.file, e.card] as const));
  for (const entry of lazy.cards) {
    const card = byFile.get(entry.source.file);
    expect(entry.card).toEqual(card);
    expect(JSON.stringify(entry.card)).toBe(JSON.stringify(card));
  }
  const eagerProfiles = profilesOf(eager);
  for (const [id, profile] of profilesOf(lazy)) {
    const other = eagerProfiles.get(id);
    expect(profile).toEqual(other);
    expect(JSON.stringify(profile.card)).toBe(JSON.stringify(other?.card));
  }
  expect(lazy.actors).toHaveLength(eager.actors.length);
  expect(lazy.issues).toEqual(eager.issues);
}

describe('lazy cards read as the eager parse', () => {
  it('the fixture cards and the bundled seeds', () => {
    for (const dir of [folderOf(FIXTURE_CARDS), SEEDS_DIR]) {
      expectSameCatalog(warmCatalog(dir), loadCatalog(dir, { cacheDir: false }));
    }
  });

  it.skipIf(!hasEtdaCards)(
    'every ETDA corpus card',
    () => {
      noteSkipped('lazy cards over the ETDA corpus', ETDA_CARDS_DIR);
      const eager = loadCatalog(ETDA_CARDS_DIR, { cacheDir: false });
      expect(eager.cards.length).toBeGreaterThan(400);
      expectSameCatalog(warmCatalog(ETDA_CARDS_DIR), eager);
    },
    60_000,
  );

  const both = [ETDA_CATALOG, MISP_THREAT_ACTOR];
  it.skipIf(!hasCatalogFiles('lazy merged profiles (ETDA + MISP galaxy)', both))(
    'merged profiles of ETDA and the MISP galaxy, from the actor cache and merged afresh',
    () => {
      const dir = tempDir();
      const eager = importCatalogs(dir, both);
      expect(eager.actors.filter((a) => a.cards.length > 1).length).toBeGreaterThan(50);
      const cacheDir = tempDir();
      // The second load takes each merge's recipe from the actor cache.
      expectSameCatalog(warmCatalog(dir, cacheDir), eager);
      // Without the actor cache, lazy cards are grouped and merged afresh (and recipes made).
      for (const f of readdirSync(cacheDir).filter((n) => n.endsWith('-actors.json')))
        rmSync(join(cacheDir, f));
      expectSameCatalog(loadCatalog(dir, { cacheDir }), eager, true);
      expectSameCatalog(loadCatalog(dir, { cacheDir }), eager);
    },
    120_000,
  );
});

describe('the large text of lazy cards', () => {
  it('is read again from the cache file, and a second read hits the recent cards', () => {
    const { fresh, read } = cachedParses(folderOf(manyCards()));
    const reads = vi.spyOn(CardBodies.prototype, 'read');
    const [hash, entry] = Object.entries(read)[0] ?? [];
    const card = entry?.card as ActorCard;
    expect(reads).toHaveBeenCalledTimes(1); // its light text
    // What warm() reads (the filter fields and the operations' dates) is in the light text.
    expect(filterFieldsOf(card)).toEqual(filterFieldsOf(fresh[hash ?? '']?.card as ActorCard));
    expect(operationDatesOf(card)).toEqual(['2021-05']);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(card.description).toEqual(fresh[hash ?? '']?.card.description);
    expect(reads).toHaveBeenCalledTimes(2); // its heavy text, once for all its large fields
    expect(card.operations).toEqual(fresh[hash ?? '']?.card.operations);
    expect(card.description).toBe(card.description); // the one copy kept with the recent cards
    expect(reads).toHaveBeenCalledTimes(2);
    // Read past the recent cards: this card's text is read from the file again, the same.
    for (const other of Object.values(read)) void other.card.description;
    reads.mockClear();
    expect(card.operations).toEqual(fresh[hash ?? '']?.card.operations);
    expect(reads).toHaveBeenCalledTimes(1);
    void card.description;
    void card.counterOperations;
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('is not kept on the cards once read, nor on merged profiles', () => {
    const check = (catalog: Catalog) => {
      for (const { card } of catalog.profiles) {
        void card.names;
        filterFieldsOf(card); // what warm() reads: the operations' dates among others
      }
      // Past the recent cards: those still hold theirs, which no card reaches.
      const everyText = catalog.cards.flatMap((e) => largeText(e.card));
      expect(everyText.length).toBeGreaterThan(catalog.cards.length);
      const onCards = reachableStrings([...catalog.cards, ...catalog.profiles]);
      const profiles = catalog.actors.map((a) => a.profile);
      for (const p of profiles) void p.otherDescriptions;
      const onProfiles = reachableStrings(profiles);
      // A title that is also some card's name, tool or target is kept as that (not as text).
      const light = reachableStrings(
        catalog.cards.map(({ card, source }) => [
          source,
          Object.keys(card).flatMap((k) => (isHeavyField(k) ? [] : [card[k as keyof ActorCard]])),
        ]),
      );
      const kept = everyText.filter((t) => !light.has(t) && (onCards.has(t) || onProfiles.has(t)));
      expect(kept).toEqual([]);
      // The names and filterable fields are on the cards.
      for (const e of catalog.cards) {
        expect(onCards.has(e.card.names[0] ?? '')).toBe(true);
        expect(onCards.has(e.card.countries[0] ?? '')).toBe(true);
      }
    };
    check(warmCatalog(folderOf(manyCards())));
    const both = [ETDA_CATALOG, MISP_THREAT_ACTOR];
    if (hasCatalogFiles('lazy merged profiles keep no text', both)) {
      const dir = tempDir();
      importCatalogs(dir, both);
      const catalog = warmCatalog(dir);
      expect(catalog.actors.filter((a) => a.cards.length > 1).length).toBeGreaterThan(50);
      check(catalog);
    }
  }, 120_000);

  it('is read once per card however often a catalog is derived from the cards', () => {
    const dir = folderOf([
      ...manyCards(),
      makeCard({
        uuid: 'ffffffff-0000-4000-8000-000000000000',
        names: ['Linker'],
        aliases: [{ name: 'Linker', vendor: '' }],
        description: ['Works with {{Lazy 3}} and {{Nobody Here}}.'],
      }),
    ]);
    const cards = warmCatalog(dir).cards;
    const eager = loadCatalog(dir, { cacheDir: false });
    const reads = vi.spyOn(CardBodies.prototype, 'read');
    // Grouped, merged and checked afresh, as the reload worker does at each reload.
    const first = buildCatalog([...cards], [], NO_OVERRIDES);
    expect(reads.mock.calls.length).toBeGreaterThan(0);
    reads.mockClear();
    const again = buildCatalog([...cards], [], NO_OVERRIDES);
    expect(reads).not.toHaveBeenCalled();
    for (const catalog of [first, again]) {
      expect(catalog.issues).toEqual(eager.issues);
      expect(catalog.actors.map((a) => a.id)).toEqual(eager.actors.map((a) => a.id));
    }
    expect(eager.issues.map((i) => i.message)).toContain(
      'cross-link {{Nobody Here}} names no card in this catalog',
    );
  });

  it('comes from the bytes the card was read from when the cache file is replaced', () => {
    const dir = folderOf(manyCards());
    const { fresh, read, cacheDir } = cachedParses(dir);
    const [hash, entry] = Object.entries(read)[0] ?? [];
    const before = fresh[hash ?? '']?.card as ActorCard;
    expect(entry?.card.names).toEqual(before.names);
    // Another process writes the cache again, this hash now holding other text.
    const replaced = firstParses(dir);
    const other = Object.values(replaced.parses)[1]?.card as ActorCard;
    replaced.parses[hash ?? ''] = { card: other, uuid: other.uuid, warnings: [] };
    writeCardCache(cacheDir, dir, replaced);
    expect(readCardCache(cacheDir, dir).parses[hash ?? '']?.card.names).toEqual(other.names);
    // Past the recent cards, so the text is read from the file again: the old file's bytes.
    for (const e of Object.values(read)) void e.card.description;
    expect(entry?.card).toEqual(before);
    expect(entry?.card.description).toEqual(before.description);
  });

  it('is written back whole to the parsed-card cache', () => {
    const dir = folderOf(manyCards());
    const { fresh, read, cacheDir } = cachedParses(dir);
    for (const e of Object.values(read)) filterFieldsOf(e.card);
    writeCardCache(cacheDir, dir, { parses: read, stamps: {} });
    const again = readCardCache(cacheDir, dir).parses;
    expect(Object.keys(again).sort()).toEqual(Object.keys(fresh).sort());
    for (const [hash, e] of Object.entries(again)) {
      expect(storedCard(e)?.card).toEqual(fresh[hash]?.card);
      expect(e.card).toEqual(fresh[hash]?.card);
    }
  });

  it.skipIf(!existsSync('/proc/self/fd'))(
    "closes an older cache file once that file's cards are dropped",
    async () => {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      /** Is a parsed-card cache file of this cache folder open in this process? */
      const isOpen = (cacheDir: string) =>
        readdirSync('/proc/self/fd').some((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`).startsWith(join(cacheDir, 'cards-'));
          } catch {
            return false; // closed meanwhile (the directory listing's own fd)
          }
        });
      // Read in a function of its own: this suspended test's frame keeps no card of it.
      const readAll = (cards: ReturnType<typeof cachedParses>) => {
        for (const e of Object.values(cards.read)) void e.card.description;
        return cards;
      };
      let first: ReturnType<typeof cachedParses> | undefined = readAll(
        cachedParses(folderOf(manyCards())),
      );
      const firstCache = first.cacheDir;
      expect(isOpen(firstCache)).toBe(true);
      // Another folder's cards push the older ones out of the recent cards.
      const second = readAll(cachedParses(folderOf(manyCards(RECENT_CARDS + 4, 'next'))));
      first = undefined; // its cards dropped, as a reload drops an older catalog's
      for (let i = 0; i < 50 && isOpen(firstCache); i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(first).toBeUndefined();
      expect(isOpen(firstCache)).toBe(false);
      // The newer file stays open while its cards live, and they still read their text.
      expect(isOpen(second.cacheDir)).toBe(true);
      expect(Object.values(second.read)[0]?.card.operations).toHaveLength(1);
    },
  );
});
