/**
 * Cross-links resolve from keys (each card's title key, each actor's name keys), with no card
 * parsed: over the ETDA corpus and the fixtures, every title and name resolves as the
 * resolver that read every card and profile did (kept here as the reference).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allNames, type LoadedCard } from '../../src/cards/model.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { linkResolver } from '../../src/catalog/links.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { compactKey, normalize } from '../../src/search/normalize.js';
import { cardsFolder } from '../helpers/cards.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** The resolver as it was: every kept card's title, every profile's names. */
function referenceResolver(catalog: Catalog): (target: string) => LoadedCard | undefined {
  const byTitle = new Map<string, LoadedCard>();
  const byName = new Map<string, LoadedCard | null>();
  for (const entry of catalog.cards) {
    const actor = catalog.actors.find((a) => a.cards.includes(entry));
    if (!actor) continue;
    const title = normalize(entry.card.names.join(', '));
    if (!byTitle.has(title)) byTitle.set(title, actor.profile.entry);
  }
  for (const profile of catalog.profiles) {
    for (const name of allNames(profile.card)) {
      const key = compactKey(name);
      const other = byName.get(key);
      byName.set(key, other === undefined || other === profile ? profile : null);
    }
  }
  return (t) => byTitle.get(normalize(t)) ?? byName.get(compactKey(t)) ?? undefined;
}

/** Every title, name and alias of every card, and a few that name nothing. */
function targets(catalog: Catalog): string[] {
  const out = ['No Such Actor', 'apt', ''];
  for (const { card } of catalog.cards) out.push(card.names.join(', '), ...allNames(card));
  return out;
}

function compare(dir: string): number {
  const cacheDir = mkdtempSync(join(tmpdir(), 'aptcard-links-'));
  temps.push(cacheDir);
  loadCatalog(dir, { cacheDir }); // fills the caches: the next load is a warm start
  const warm = loadCatalog(dir, { cacheDir });
  // Resolve on the warm catalog first, before anything else reads its cards.
  const all = targets(loadCatalog(dir, { cacheDir: false }));
  const got = all.map((t) => warm.resolveLink(t)?.card.uuid);
  const reference = referenceResolver(warm);
  expect(got).toEqual(all.map((t) => reference(t)?.card.uuid));
  return got.filter(Boolean).length;
}

describe('cross-links resolved from keys', () => {
  it('resolve as before over the fixtures', () => {
    const { dir } = cardsFolder();
    temps.push(dir);
    expect(compare(dir)).toBeGreaterThan(3);
  });

  noteSkipped('link resolver over the ETDA corpus', ETDA_CARDS_DIR);
  it.skipIf(!hasEtdaCards)(
    'resolve as before over the ETDA corpus',
    () => {
      expect(compare(ETDA_CARDS_DIR)).toBeGreaterThan(1500);
    },
    120_000,
  ); // three loads of the corpus, one of them cold: 8 s alone, over 20 s beside other work
});

describe('linkResolver: the first lookups scan, later ones read maps', () => {
  const entry = (uuid: string) => ({ uuid }) as unknown as LoadedCard;
  const owners = { a: entry('a'), b: entry('b'), c: entry('c') };
  type Owner = keyof typeof owners;
  const titles = (): [string, Owner][] => [
    ['apt 1, comment crew', 'a'],
    ['apt 1, comment crew', 'b'], // a second card with the same title: the first one wins
    ['winnti', 'c'],
  ];
  const names = (): [string, Owner][] => [
    ['apt1', 'a'],
    ['commentcrew', 'a'],
    ['commentcrew', 'a'], // one owner twice: still that owner's
    ['shared', 'b'],
    ['shared', 'c'], // two owners: a link to neither
    ['c0ffee', 'c'], // not a name to link by (isName below)
    ['winnti', 'b'],
  ];
  const isName = (key: string) => key !== 'c0ffee';
  const targets = [
    'APT 1, Comment Crew',
    'apt-1',
    'Comment Crew',
    'shared',
    'c0ffee',
    'Winnti',
    'x',
    '',
  ];
  const resolve = (scanned: number) => {
    const r = linkResolver(titles, names, isName, (o: Owner) => owners[o], scanned);
    return targets.map((t) => (r(t) as unknown as { uuid: string } | undefined)?.uuid);
  };

  it('scanning and the maps give the same answers', () => {
    const expected = ['a', 'a', 'a', undefined, undefined, 'c', undefined, undefined];
    expect(resolve(Number.POSITIVE_INFINITY)).toEqual(expected);
    expect(resolve(0)).toEqual(expected);
    expect(resolve(3)).toEqual(expected); // three scanned, then the maps
  });
});
