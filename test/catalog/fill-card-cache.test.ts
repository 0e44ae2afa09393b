/**
 * The priming process's first stage (src/catalog/fill-card-cache.ts): a folder's parsed-card
 * cache filled a part of the files at a time, each part written before the next is parsed,
 * and how a start reads how much of a folder is cached (cachedCardCount).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCard } from '../../src/cards/render.js';
import {
  CARD_CACHE_VERSION,
  cachedCardCount,
  readCardCache,
} from '../../src/catalog/card-cache.js';
import { listCardFiles } from '../../src/catalog/files.js';
import { fillCardCache } from '../../src/catalog/fill-card-cache.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { openServingLibrary } from '../../src/catalog/open.js';
import { parseCardFiles } from '../../src/catalog/parse-cards.js';
import { cardsFolder, makeCard } from '../helpers/cards.js';

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** Seven small cards of our own and one file that is no card. */
function folder(): string {
  const cards = Array.from({ length: 7 }, (_, i) =>
    makeCard({
      uuid: `00000000-0000-4000-8000-00000000000${i}`,
      names: [`Amber Finch ${i}`],
      aliases: [{ name: `Amber Finch ${i}`, vendor: 'Example' }],
      description: [`Amber Finch ${i} writes long reports about nothing at all.`],
    }),
  );
  const { dir } = cardsFolder({ 'broken.md': '# not a card\n' }, cards);
  temps.push(dir);
  return dir;
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'aptcard-fill-'));
  temps.push(d);
  return d;
}

const cacheFiles = (cache: string) => readdirSync(cache).filter((f) => f.startsWith('cards-'));

describe('filling the parsed-card cache in parts', () => {
  it('caches every card, a part at a time, as one full load would', () => {
    const dir = folder();
    const parts = tempDir();
    const whole = tempDir();
    expect(fillCardCache(dir, parts, 3)).toBe(8);
    loadCatalog(dir, { cacheDir: whole });
    const inParts = readCardCache(parts, dir).parses;
    const inOneGo = readCardCache(whole, dir).parses;
    expect(Object.keys(inParts).sort()).toEqual(Object.keys(inOneGo).sort());
    expect(Object.keys(inParts)).toHaveLength(7); // the broken file is reported, not cached
    for (const [hash, entry] of Object.entries(inOneGo)) {
      expect(inParts[hash]?.card).toEqual(entry.card);
      expect(inParts[hash]?.stored).toEqual(entry.stored);
    }
    // A load after it parses nothing: every card comes from the cache.
    const files = listCardFiles(dir);
    const again = parseCardFiles(files, readCardCache(parts, dir), dir);
    expect(again.cards).toHaveLength(7);
    expect(again.issues.filter((i) => i.level === 'error')).toHaveLength(1);
    expect(parseCardFiles(files, readCardCache(parts, dir), dir, Date.now(), 0).deferred).toBe(1); // only the broken file would still be parsed
  });

  it('parses at most a part at a time, and says how many files it left out', () => {
    const dir = folder();
    const cache = tempDir();
    // Parsing at most 3 leaves the rest out and says how many (broken.md, first, is one of 3).
    const first = parseCardFiles(
      listCardFiles(dir),
      { parses: {}, stamps: {} },
      dir,
      Date.now(),
      3,
    );
    expect(first.cards).toHaveLength(2);
    expect(first.issues.filter((i) => i.level === 'error')).toHaveLength(1);
    expect(first.deferred).toBe(5);
    fillCardCache(dir, cache, 3);
    expect(cacheFiles(cache)).toHaveLength(1);
    expect(cachedCardCount(dir, cache)).toBe(7);
  });

  it('tells a start how many cards are cached from the first bytes, 0 for another version', () => {
    const dir = folder();
    const cache = tempDir();
    expect(cachedCardCount(dir, cache)).toBe(0);
    expect(cachedCardCount(dir, false)).toBe(0);
    fillCardCache(dir, cache, 2);
    expect(cachedCardCount(dir, cache)).toBe(7);
    const [file] = cacheFiles(cache);
    const path = join(cache, file ?? '');
    const text = readFileSync(path, 'latin1');
    expect(text.startsWith(`{"version":${CARD_CACHE_VERSION},"count":7,`)).toBe(true);
    // An upgrade's cache (another version) holds nothing this code reads.
    writeFileSync(path, text.replace(`"version":${CARD_CACHE_VERSION},`, '"version":1,'), 'latin1');
    expect(cachedCardCount(dir, cache)).toBe(0);
    writeFileSync(path, 'garbage');
    expect(cachedCardCount(dir, cache)).toBe(0);
  });

  it('adds a card written since to a cache filled before', () => {
    const dir = folder();
    const cache = tempDir();
    fillCardCache(dir, cache, 4);
    const extra = makeCard({ uuid: '00000000-0000-4000-8000-0000000000aa', names: ['Late Wren'] });
    writeFileSync(join(dir, 'late.md'), renderCard(extra));
    fillCardCache(dir, cache, 4);
    expect(cachedCardCount(dir, cache)).toBe(8);
    const names = Object.values(readCardCache(cache, dir).parses).map((e) => e.card.names[0]);
    expect(names).toContain('Late Wren');
  });

  it('reports a folder it cannot list', () => {
    expect(fillCardCache(join(tempDir(), 'missing'), tempDir())).toBeUndefined();
  });
});

describe('a start that finds part of a folder cached', () => {
  const prime = () => {
    const calls: number[] = [];
    const fn = async (_d: string, _c: string, files: number) => {
      calls.push(files);
      return undefined;
    };
    return { calls, fn };
  };

  it('primes when what the cache lacks reaches the threshold, and loads here otherwise', async () => {
    const dir = folder();
    const cache = tempDir();
    const first = prime();
    await openServingLibrary(dir, cache, { threshold: 3, prime: first.fn });
    expect(first.calls).toEqual([8]); // nothing cached: primed (the spy fills nothing)
    // This process loaded (and cached) the folder; a restart finds all of it cached.
    const warm = prime();
    await openServingLibrary(dir, cache, { threshold: 3, prime: warm.fn });
    expect(warm.calls).toEqual([]);
    // Three new cards, as after a start stopped while priming or a large import: primed again.
    for (const i of [1, 2, 3]) {
      const card = makeCard({
        uuid: `00000000-0000-4000-8000-0000000001a${i}`,
        names: [`Dun ${i}`],
      });
      writeFileSync(join(dir, `new-${i}.md`), renderCard(card));
    }
    const more = prime();
    const library = await openServingLibrary(dir, cache, { threshold: 3, prime: more.fn });
    expect(more.calls).toEqual([11]);
    expect(library.current.search('Dun 2').outcome).toBe('profile');
  });
});
