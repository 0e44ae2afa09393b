/**
 * The parsed-card cache (src/catalog/card-cache.ts) and the file stamps parse-cards.ts trusts:
 * an unchanged file is not read again, a changed one always is, a file changed just before
 * its stamp is taken is never trusted, and cached bodies are parsed only when read.
 */
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CardCache,
  freshEntry,
  readCardCache,
  writeCardCache,
} from '../../src/catalog/card-cache.js';
import { listCardFiles } from '../../src/catalog/files.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { parseCardFiles, RACY_MS } from '../../src/catalog/parse-cards.js';
import { firstParses, storedCard } from '../helpers/card-cache.js';
import { COPPER, cardsFolder, VIPER } from '../helpers/cards.js';

const temps: string[] = [];
/** The fixture cards, or these, in a folder removed after the file's tests. */
const folder = (cards?: Parameters<typeof cardsFolder>[1]) => {
  const { dir } = cardsFolder({}, cards);
  temps.push(dir);
  return dir;
};
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'aptcard-card-cache-'));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const MARKER = { ...COPPER, names: ['From The Stamp'] };

/** Point the stamp of `file` at a planted parse: the card shows the marker only if the stamp is trusted. */
function plantMarker(cache: CardCache, file: string): void {
  const stamp = cache.stamps[file];
  if (!stamp) throw new Error(`${file} was not stamped`);
  cache.stamps[file] = { stamp: stamp.stamp, hash: 'planted' };
  cache.parses.planted = freshEntry(MARKER, []);
}

describe('file stamps', () => {
  it('trusts an unchanged stamp without reading the file', () => {
    const dir = folder();
    const cache = firstParses(dir);
    expect(Object.keys(cache.stamps).sort()).toEqual(['card-0.md', 'card-1.md', 'card-2.md']);
    plantMarker(cache, 'card-0.md');
    const again = parseCardFiles(listCardFiles(dir), cache, dir, Date.now() + 10 * RACY_MS);
    expect(again.cards[0]?.card.names).toEqual(['From The Stamp']);
    expect(again.parsedAny).toBe(false);
  });

  it('reads a file again once it changed, even to the same size', () => {
    const dir = folder();
    const cache = firstParses(dir);
    plantMarker(cache, 'card-0.md');
    const path = join(dir, 'card-0.md');
    const text = readFileSync(path, 'utf8');
    // Same length, other bytes: the times (and so the stamp) change.
    writeFileSync(path, text.replace('Copper Lantern', 'Copper Lantexn'));
    const again = parseCardFiles(listCardFiles(dir), cache, dir, Date.now() + 10 * RACY_MS);
    expect(again.cards[0]?.card.names[0]).toBe('Copper Lantexn');
    expect(again.parsedAny).toBe(true);
  });

  it('does not stamp a file changed within RACY_MS of the load', () => {
    const dir = folder();
    appendFileSync(join(dir, 'card-1.md'), '\n');
    const parsed = parseCardFiles(listCardFiles(dir), { parses: {}, stamps: {} }, dir, Date.now());
    expect(parsed.stamps['card-1.md']).toBeUndefined();
    expect(parsed.cards).toHaveLength(3);
  });

  it('loadCatalog keeps stamps in the cache across loads', () => {
    const dir = folder();
    const cacheDir = tempDir();
    loadCatalog(dir, { cacheDir });
    // Just written: nothing stamped yet, every file read and hashed.
    expect(readCardCache(cacheDir, dir).stamps).toEqual({});
    // The next load that finds the files quiet records them (here: the clock moved on).
    const quiet = firstParses(dir);
    writeCardCache(cacheDir, dir, quiet);
    const read = readCardCache(cacheDir, dir);
    expect(read.stamps).toEqual(quiet.stamps);
    expect(
      loadCatalog(dir, { cacheDir })
        .cards.map((c) => c.card.uuid)
        .sort(),
    ).toEqual(
      loadCatalog(dir, { cacheDir: false })
        .cards.map((c) => c.card.uuid)
        .sort(),
    );
  });
});

describe('cached bodies', () => {
  it('parses a cached card only when it is read, and gives the same card', () => {
    const dir = folder();
    const cacheDir = tempDir();
    const fresh = firstParses(dir);
    writeCardCache(cacheDir, dir, fresh);
    const read = readCardCache(cacheDir, dir);
    const hash = Object.keys(fresh.parses).find((h) => fresh.parses[h]?.uuid === VIPER.uuid);
    const entry = read.parses[hash ?? ''];
    const card = fresh.parses[hash ?? '']?.card;
    expect(entry?.stored?.light).toBeTypeOf('string');
    expect(entry?.card).toEqual(card);
    // Parsed, it still reads its texts from the file (its large text, lazy-card.ts).
    expect(storedCard(entry)).toEqual({ card, dates: card?.operations.map((op) => op.date) });
    // Written back after it was parsed, read again: still the same card.
    writeCardCache(cacheDir, dir, read);
    expect(readCardCache(cacheDir, dir).parses[hash ?? '']?.card).toEqual(entry?.card);
  });

  it('keeps non-ASCII text and offsets right', () => {
    const dir = folder([{ ...COPPER, names: ['Kupfer Laterne', 'Медный фонарь'] }, VIPER]);
    const cacheDir = tempDir();
    writeCardCache(cacheDir, dir, firstParses(dir));
    const names = Object.values(readCardCache(cacheDir, dir).parses).flatMap((e) => e.card.names);
    expect(names).toContain('Медный фонарь');
    expect(names).toEqual(expect.arrayContaining(VIPER.names));
  });

  it('reads a body from the file as it was when read, and keeps it open for its cards', () => {
    const dir = folder();
    const cacheDir = tempDir();
    const fresh = firstParses(dir);
    writeCardCache(cacheDir, dir, fresh);
    const openFiles = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0);
    const before = openFiles();
    const read = readCardCache(cacheDir, dir);
    if (existsSync('/proc/self/fd')) expect(openFiles()).toBe(before + 1);
    // Another process replaces the cache (writeAtomic renames): this read keeps its own bytes.
    writeCardCache(cacheDir, dir, { parses: {}, stamps: {} });
    const entries = Object.entries(read.parses);
    expect(entries).toHaveLength(3);
    for (const [hash, entry] of entries) expect(entry.card).toEqual(fresh.parses[hash]?.card);
    // Parsed cards read their large text from it again (lazy-card.ts): it stays open while
    // they live (test/catalog/lazy-cards.test.ts: closed once they are dropped).
    if (existsSync('/proc/self/fd')) expect(openFiles()).toBe(before + 1);
  });

  it('treats a truncated or damaged file as a miss, card by card', () => {
    const dir = folder();
    const cacheDir = tempDir();
    writeCardCache(cacheDir, dir, firstParses(dir));
    const [name] = readdirSync(cacheDir).filter((f) => f.startsWith('cards-'));
    const path = join(cacheDir, name ?? '');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.slice(0, text.length - 10));
    const truncated = readCardCache(cacheDir, dir);
    expect(Object.keys(truncated.parses)).toHaveLength(2); // the last body is cut: that card misses
    writeFileSync(path, `{"version":6,"cards":[]}`); // no line break: not this layout
    expect(readCardCache(cacheDir, dir)).toEqual({ parses: {}, stamps: {} });
    // Loading still gives every card.
    expect(loadCatalog(dir, { cacheDir }).cards).toHaveLength(3);
  });
});
