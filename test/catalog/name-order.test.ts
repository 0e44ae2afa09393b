/**
 * Sorting by remembered ranks (name-order.ts) gives the order of a stable sort with the
 * collator itself, however the names arrive: all at once, a few new at each build, many new,
 * or most of them gone.
 */
import { describe, expect, it } from 'vitest';
import { displayName } from '../../src/cards/model.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { NameOrder, sortByName } from '../../src/catalog/name-order.js';
import { FIXTURE_CARDS } from '../helpers/cards.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';

const collator = new Intl.Collator('en', { sensitivity: 'base' });
/** Items as a stable collator sort orders them (ties by position). */
const reference = (names: string[]) =>
  names.map((name, i) => ({ name, i })).sort((a, b) => collator.compare(a.name, b.name));

function sortedWith(order: NameOrder, names: string[]) {
  const items = names.map((name, i) => ({ name, i }));
  return sortByName(items, (x) => x.name, undefined, order);
}

/** A deterministic shuffle. */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// Names the collator finds equal (case, accents, width) and names it orders apart.
const TRICKY = [
  'APT 1',
  'apt 1',
  'Apt 1',
  'APT 10',
  'APT 2',
  'Café Panda',
  'cafe panda',
  'CAFE PANDA',
  'Zebra',
  'zebra',
  'Ｚｅｂｒａ',
  'Émissary Panda',
  'Emissary Panda',
  '[Unknown]',
  '',
  '0x',
  'Ω Group',
  'Lazarus',
  'lazarus group',
];

noteSkipped("the ETDA cards' names", ETDA_CARDS_DIR);
const corpusNames = hasEtdaCards
  ? loadCatalog(ETDA_CARDS_DIR, { cacheDir: false }).cards.map((c) => displayName(c.card))
  : [];
const NAMES = [...TRICKY, ...FIXTURE_CARDS.map((c) => displayName(c)), ...corpusNames];

describe('sorting by remembered name ranks', () => {
  it('orders as a stable collator sort, names all new', () => {
    for (const seed of [1, 2, 3]) {
      const names = shuffled(NAMES, seed);
      expect(sortedWith(new NameOrder(), names)).toEqual(reference(names));
    }
  });

  it('orders as one when a few names are new at each build, and when many are', () => {
    const order = new NameOrder();
    const all = shuffled(NAMES, 7);
    let names = all.slice(0, Math.floor(all.length / 2));
    expect(sortedWith(order, names)).toEqual(reference(names));
    // One or two new names per build (a reload), then a batch (an import).
    for (let k = 0; k < 20; k++) {
      names = shuffled([...names, ...all.slice(names.length, names.length + 1 + (k % 2))], k);
      expect(sortedWith(order, names)).toEqual(reference(names));
    }
    names = shuffled(all, 11);
    expect(sortedWith(order, names)).toEqual(reference(names));
  });

  it('orders as one after most names are gone, and forgets them', () => {
    // Enough names that those gone outnumber the rest by more than name-order.ts keeps, with
    // the corpus or without it (then NAMES are a few dozen).
    const many = [...NAMES, ...Array.from({ length: 200 }, (_, i) => `Generated Actor ${i}`)];
    const order = new NameOrder();
    expect(sortedWith(order, shuffled(many, 5))).toEqual(reference(shuffled(many, 5)));
    const few = shuffled(TRICKY, 9).slice(0, 8);
    expect(sortedWith(order, [...few, 'A new one'])).toEqual(reference([...few, 'A new one']));
    // The ranks now hold these names only: one gone is unranked.
    const gone = many.find((n) => !few.includes(n) && n !== 'A new one') as string;
    expect(order.ranksOf(few)(gone)).toBe(-1);
  });

  it('keeps names the collator finds equal together, in the order they came', () => {
    const names = ['zebra', 'APT 1', 'Zebra', 'apt 1', 'Ｚｅｂｒａ', 'Apt 1'];
    const got = sortedWith(new NameOrder(), names).map((x) => x.name);
    expect(got).toEqual(['APT 1', 'apt 1', 'Apt 1', 'zebra', 'Zebra', 'Ｚｅｂｒａ']);
  });

  it('breaks ties with the given order', () => {
    const items = [
      { name: 'b', id: 2 },
      { name: 'a', id: 9 },
      { name: 'A', id: 1 },
    ];
    const got = sortByName(
      items,
      (x) => x.name,
      (p, q) => p.id - q.id,
      new NameOrder(),
    );
    expect(got.map((x) => x.id)).toEqual([1, 9, 2]);
  });
});
