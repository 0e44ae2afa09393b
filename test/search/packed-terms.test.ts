/**
 * Packed terms (src/search/packed-terms.ts) against MiniSearch's own SearchableMap: the same
 * answers to every read MiniSearch makes of its tree, in its order while nothing changed, and
 * the same contents under random changes made the way MiniSearch's add and remove make them
 * (through fetch, and through the values read).
 */
import SearchableMap from 'minisearch/SearchableMap';
import { describe, expect, it } from 'vitest';
import { rng } from '../../bench/util.js';
import {
  type FieldMap,
  type FieldsLike,
  PackedBuilder,
  PackedTerms,
  packEntries,
} from '../../src/search/packed-terms.js';

const WORDS = ['apt', 'apt1', 'apt10', 'apt2', 'ap', 'panda', 'pandas', 'pan', 'bear', 'béar', 'x'];

/**
 * A value as plain arrays: [field, [[doc, freq], ...]], ... by field id (packed fields are by
 * id, as loadJS reads them back; search reads them by id).
 */
function plain(fields: FieldsLike | FieldMap | undefined) {
  return (
    fields && [...fields].map(([f, docs]) => [f, [...docs]] as const).sort((a, b) => a[0] - b[0])
  );
}

function randomTree(random: () => number): SearchableMap<FieldMap> {
  const tree = new SearchableMap<FieldMap>();
  for (let i = 0; i < 60; i++) {
    const word = `${WORDS[Math.floor(random() * WORDS.length)]}${random() < 0.5 ? Math.floor(random() * 30) : ''}`;
    const fields = tree.fetch(word, () => new Map());
    const field = Math.floor(random() * 3);
    const docs = fields.get(field) ?? new Map<number, number>();
    fields.set(field, docs);
    // Mostly ascending documents, as MiniSearch adds them; sometimes not.
    const doc = random() < 0.8 ? i : Math.floor(random() * 10);
    docs.set(doc, (docs.get(doc) ?? 0) + 1);
  }
  return tree;
}

function packedOf(tree: SearchableMap<FieldMap>): PackedTerms {
  return new PackedTerms(packEntries(tree));
}

const QUERIES = ['apt', 'apt1', 'ap', 'a', 'pan', 'panda1', 'bear', 'b', 'zzz', '', 'béar2'];

describe('packed terms', () => {
  it("answer every read as the tree, in the tree's order", () => {
    const random = rng(7);
    for (let round = 0; round < 40; round++) {
      const tree = randomTree(random);
      const packed = packedOf(tree);
      expect(packed.size).toBe(tree.size);
      expect([...packed].map(([t, v]) => [t, plain(v)])).toEqual(
        [...tree].map(([t, v]) => [t, plain(v)]),
      );
      for (const q of QUERIES) {
        expect(plain(packed.get(q)), q).toEqual(plain(tree.get(q)));
        expect(packed.has(q)).toBe(tree.has(q));
        const prefix = [...packed.atPrefix(q)].map(([t, v]) => [t, plain(v)]);
        expect(prefix, q).toEqual([...tree.atPrefix(q)].map(([t, v]) => [t, plain(v)]));
        for (const d of [1, 2, 3]) {
          const fuzzy = [...packed.fuzzyGet(q, d)].map(([t, [v, dist]]) => [t, plain(v), dist]);
          const want = [...tree.fuzzyGet(q, d)].map(([t, [v, dist]]) => [t, plain(v), dist]);
          expect(fuzzy, `${q}~${d}`).toEqual(want);
        }
      }
      // A value's reads, as termResults makes them: size, keys, then get right after.
      for (const [term, fields] of packed) {
        const want = tree.get(term) as FieldMap;
        expect(fields.size).toBe(want.size);
        for (const [field, docs] of want) {
          const view = fields.get(field);
          expect(view?.size).toBe(docs.size);
          for (const doc of view?.keys() ?? []) expect(view?.get(doc)).toBe(docs.get(doc));
          expect(view?.has(-1)).toBe(false);
          for (const doc of docs.keys()) expect(view?.has(doc)).toBe(true);
        }
        expect(fields.get(99)).toBeUndefined();
      }
    }
  });

  it('hold what the tree holds under the changes MiniSearch makes', () => {
    const random = rng(11);
    for (let round = 0; round < 60; round++) {
      const tree = randomTree(random);
      const packed = packedOf(tree);
      for (let op = 0; op < 80; op++) {
        const word = `${WORDS[Math.floor(random() * WORDS.length)]}${random() < 0.5 ? Math.floor(random() * 30) : ''}`;
        const field = Math.floor(random() * 3);
        const doc = Math.floor(random() * 70);
        const r = random();
        for (const map of [tree, packed] as const) {
          if (r < 0.4) {
            // MiniSearch's addTerm.
            const fields = map.fetch(word, () => new Map());
            const docs = fields.get(field);
            if (!docs) fields.set(field, new Map([[doc, 1]]));
            else docs.set(doc, (docs.get(doc) ?? 0) + 1);
          } else if (r < 0.8) {
            // MiniSearch's removeTerm, on a document the term may have.
            if (!map.has(word)) continue;
            const fields = map.fetch(word, () => new Map());
            const docs = fields.get(field);
            const freq = docs?.get(doc);
            if (docs && freq !== undefined) {
              if (freq > 1) docs.set(doc, freq - 1);
              else if (docs.size <= 1) fields.delete(field);
              else docs.delete(doc);
            }
            if ((map.get(word) as FieldsLike).size === 0) map.delete(word);
          } else if (r < 0.9) {
            // Written through a value read with get (MiniSearch's vacuum does so).
            const docs = map.get(word)?.get(field);
            if (docs?.has(doc)) docs.delete(doc);
            else docs?.set(doc, 7);
          } else map.delete(word);
        }
        expect(packed.size).toBe(tree.size);
        expect(plain(packed.get(word))).toEqual(plain(tree.get(word)));
      }
      const sorted = (entries: Iterable<[string, FieldsLike | FieldMap]>) =>
        [...entries].map(([t, v]) => ({ t, v: plain(v) })).sort((a, b) => (a.t < b.t ? -1 : 1));
      expect(sorted(packed)).toEqual(sorted(tree));
      for (const q of QUERIES) {
        expect(sorted(packed.atPrefix(q)), q).toEqual(sorted(tree.atPrefix(q)));
        const fuzzy = (m: typeof packed | typeof tree) =>
          [...m.fuzzyGet(q, 2)].map(([t, [v, d]]) => [t, plain(v), d]).sort();
        expect(fuzzy(packed), q).toEqual(fuzzy(tree));
      }
    }
  });

  it('make their fuzzy tables in slices as at once', async () => {
    const random = rng(3);
    const tree = new SearchableMap<FieldMap>();
    for (let i = 0; i < 20_000; i++) {
      const word = Array.from({ length: 3 + Math.floor(random() * 8) }, () =>
        String.fromCharCode(97 + Math.floor(random() * 26)),
      ).join('');
      tree.set(word, new Map([[0, new Map([[i, 1]])]]));
    }
    const atOnce = packedOf(tree);
    atOnce.prepareFuzzy();
    const inSteps = packedOf(tree);
    let pauses = 0;
    await inSteps.prepareFuzzyInSteps({
      pause: async () => {
        pauses++;
      },
    });
    expect(pauses).toBeGreaterThan(1);
    for (const q of ['abcde', 'qwerty', 'zzzz', 'mnopqrs']) {
      const terms = (m: PackedTerms) => [...m.fuzzyGet(q, 2)].map(([t, [, d]]) => `${t}:${d}`);
      expect(terms(inSteps)).toEqual(terms(atOnce));
      expect(terms(inSteps)).toEqual([...tree.fuzzyGet(q, 2)].map(([t, [, d]]) => `${t}:${d}`));
    }
  });

  it('refuse a saved sorted order that is not the terms in order', () => {
    const make = (sorted: number[]) => {
      const b = new PackedBuilder();
      b.add('b', [0]);
      b.add('a', [0]);
      b.addSorted(sorted);
      return b.finish();
    };
    expect(make([1, 0]).sorted).toEqual(Int32Array.from([1, 0]));
    expect(() => make([0, 1])).toThrow();
    expect(() => make([1, 1])).toThrow();
    expect(() => make([1])).toThrow();
  });
});
