/**
 * The indexes' packed terms (src/search/packed-terms.ts) and their cache layout
 * (src/search/index-json.ts): a MiniSearch index with packed terms, compacted in place or read
 * back from either JSON layout, answers every search exactly as MiniSearch with its own Maps
 * does, scores, terms, matches and order; after documents are removed and added in place, the
 * same results and scores (the terms met in another order).
 */
import MiniSearch, { type Options, type SearchOptions } from 'minisearch';
import { describe, expect, it } from 'vitest';
import { allNames } from '../../src/cards/model.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { NAME_OPTIONS, TEXT_OPTIONS, toNameDoc, toTextDoc } from '../../src/search/documents.js';
import { loadAsync } from '../../src/search/index-io.js';
import {
  compactIndex,
  IndexLoader,
  loadIndex,
  serializeIndex,
} from '../../src/search/index-json.js';
import { termTreeOf } from '../../src/search/term-tree.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped, SEEDS_DIR } from '../helpers/corpus.js';

type Doc = { id: string } & Record<string, string>;

/** Every query's results, as MiniSearch gives them (ids, scores, terms, matches, order). */
function answers(
  index: MiniSearch<Doc>,
  queries: readonly string[],
  options: readonly SearchOptions[],
) {
  return queries.flatMap((q) => options.map((o) => index.search(q, o)));
}

/**
 * Answers as a set: each query's results by score (to 12 digits) then id, their terms and
 * matched fields sorted. What is left is what MiniSearch's order of meeting terms can change.
 */
function unordered(all: ReturnType<typeof answers>) {
  return all.map((results) =>
    results
      .map((r) => ({
        id: r.id as string,
        score: Number(r.score.toPrecision(12)),
        terms: [...r.terms].sort(),
        queryTerms: [...r.queryTerms].sort(),
        match: Object.entries(r.match)
          .map(([term, fields]) => `${term}:${[...fields].sort().join(',')}`)
          .sort(),
      }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)),
  );
}

function indexOf(options: Options<Doc>, docs: readonly Doc[]): MiniSearch<Doc> {
  const index = new MiniSearch<Doc>(options);
  index.addAll(docs);
  return index;
}

/** Every term of an index's tree with its postings, in the tree's order. */
function treeEntries(index: MiniSearch<Doc>): [string, [number, [number, number][]][]][] {
  const tree = termTreeOf(index) as unknown as Iterable<
    [string, Iterable<[number, Iterable<[number, number]>]>]
  >;
  return [...tree].map(([term, fields]) => [
    term,
    [...fields].map(([field, docs]) => [field, [...docs]] as [number, [number, number][]]),
  ]);
}

function misspell(name: string, i: number): string {
  if (name.length < 6) return `${name}x`;
  const at = 1 + (i % (name.length - 2));
  return name.slice(0, at) + name.slice(at + 1);
}

function compareOver(dir: string): number {
  const catalog = loadCatalog(dir, { cacheDir: false });
  const cards = catalog.profiles.map((p) => p.card);
  const names = cards.flatMap((c) => allNames(c)).filter((_, i) => i % 5 === 0);
  const queries = [
    ...names,
    ...names.map(misspell),
    ...cards.flatMap((c) => c.description.join(' ').split(/\s+/).slice(0, 3)).slice(0, 300),
    'spear phishing government',
    'ukraine energy',
  ];
  // The names index as the fuzzy helper and did-you-mean search it; prose as ranked() does.
  const fuzzy: SearchOptions = { combineWith: 'OR', fuzzy: 0.34, prefix: true };
  let found = 0;
  for (const [options, toDoc, searches] of [
    [NAME_OPTIONS, toNameDoc, [{}, fuzzy]],
    [TEXT_OPTIONS, toTextDoc, [{}]],
  ] as const) {
    const docs = cards.map((c) => toDoc(c) as unknown as Doc);
    const reference = indexOf(options, docs);
    const want = answers(reference, queries, searches);
    const compacted = compactIndex(indexOf(options, docs));
    expect(answers(compacted, queries, searches)).toEqual(want);
    // Read back from a cache: MiniSearch's own loadJSON puts the terms in another order.
    const loaded = MiniSearch.loadJSON<Doc>(JSON.stringify(reference), options);
    const wantLoaded = answers(loaded, queries, searches);
    const fromOurs = loadIndex<Doc>(serializeIndex(reference), options);
    const fromMiniSearch = loadIndex<Doc>(JSON.stringify(reference), options);
    // In chunks so small that nodes are split across lines, as a 10,000-card index's are.
    const chunked = serializeIndex(reference, 40);
    expect(chunked.split('\n').length).toBeGreaterThan(2);
    const fromChunks = loadIndex<Doc>(chunked, options);
    expect(answers(fromOurs, queries, searches)).toEqual(wantLoaded);
    expect(answers(fromMiniSearch, queries, searches)).toEqual(wantLoaded);
    expect(answers(fromChunks, queries, searches)).toEqual(wantLoaded);
    expect(treeEntries(fromChunks)).toEqual(treeEntries(fromOurs));
    // In place, as a reload changes them: some documents out, changed ones in.
    const changed = docs.slice(0, 40);
    const field = options.fields[0] as string;
    const edited = changed.map((d) => ({ ...d, [field]: `zq ${d[field] ?? ''}` }));
    for (const index of [reference, compacted, loaded, fromOurs, fromChunks]) {
      for (const d of changed) index.remove(d);
      index.addAll(edited);
    }
    // A term removed and added again moves in MiniSearch's tree and stays in place among the
    // packed terms: the same results and scores, the terms met in another order.
    const again = [...queries.slice(0, 200), 'zq'];
    const same = (a: MiniSearch<Doc>, b: MiniSearch<Doc>) =>
      expect(unordered(answers(a, again, searches))).toEqual(
        unordered(answers(b, again, searches)),
      );
    same(compacted, reference);
    same(fromOurs, loaded);
    same(fromChunks, loaded);
    for (const index of [compacted, fromOurs, fromChunks])
      expect(index.search('zq').length).toBe(changed.length); // every edited document, no other
    expect(termTreeOf(fromOurs)).toBeDefined();
    found += want.filter((results) => results.length > 0).length;
  }
  return found;
}

describe('indexes with compact postings', () => {
  it('answer as MiniSearch with its own Maps over the seed cards', () => {
    expect(compareOver(SEEDS_DIR)).toBeGreaterThan(5);
  });

  noteSkipped('compact postings over the ETDA corpus', ETDA_CARDS_DIR);
  it.skipIf(!hasEtdaCards)(
    'answer as MiniSearch with its own Maps over the ETDA cards',
    () => {
      expect(compareOver(ETDA_CARDS_DIR)).toBeGreaterThan(1000);
    },
    300_000,
  );

  it('are smaller than as MiniSearch reads them back', () => {
    const catalog = loadCatalog(SEEDS_DIR, { cacheDir: false });
    const index = indexOf(
      TEXT_OPTIONS,
      catalog.profiles.map((p) => toTextDoc(p.card) as unknown as Doc),
    );
    expect(serializeIndex(index).length).toBeLessThan(JSON.stringify(index).length);
  });

  it('refuses JSON that is neither layout, or a head asking for more than its text holds', () => {
    expect(() => loadIndex('{"format":"aptcard-tree-1"}', NAME_OPTIONS)).toThrow();
    expect(() => loadIndex('[]', NAME_OPTIONS)).toThrow();
    const catalog = loadCatalog(SEEDS_DIR, { cacheDir: false });
    const text = serializeIndex(
      indexOf(
        NAME_OPTIONS,
        catalog.profiles.map((p) => toNameDoc(p.card) as unknown as Doc),
      ),
    );
    const [head, ...rest] = text.split('\n');
    const parsed = JSON.parse(head as string) as { sizes: { terms: number; post: number } };
    expect(parsed.sizes.terms).toBeGreaterThan(5);
    expect(loadIndex<Doc>(text, NAME_OPTIONS).search('apt').length).toBeGreaterThan(0);
    for (const sizes of [
      { terms: 1e12, post: 1 },
      { terms: 1, post: 1e12 },
      { terms: -1, post: 1 },
    ]) {
      const huge = [JSON.stringify({ ...parsed, sizes }), ...rest].join('\n');
      expect(() => loadIndex(huge, NAME_OPTIONS)).toThrow('bad index JSON');
    }
  });

  it('are taken in a chunk line at a time between other work, and a damaged line is refused', async () => {
    const catalog = loadCatalog(SEEDS_DIR, { cacheDir: false });
    const docs = catalog.profiles.map((p) => toTextDoc(p.card) as unknown as Doc);
    const text = serializeIndex(indexOf(TEXT_OPTIONS, docs), 40);
    const loader = new IndexLoader<Doc>(text, TEXT_OPTIONS);
    let steps = 0;
    while (loader.step()) steps++;
    expect(steps).toBe(text.split('\n').length - 2); // the head, and the last step says done
    expect(treeEntries(loader.index)).toEqual(treeEntries(loadIndex<Doc>(text, TEXT_OPTIONS)));
    // Sliced as a reload hands it over: every pause lets other work run.
    let pauses = 0;
    const sliced = await loadAsync<Doc>(text, TEXT_OPTIONS, {
      pause: async () => {
        pauses++;
      },
    });
    expect(sliced && treeEntries(sliced)).toEqual(treeEntries(loader.index));
    expect(pauses).toBeGreaterThan(0);
    const lines = text.split('\n');
    lines[3] = lines[3]?.slice(0, -5) ?? '';
    const damaged = lines.join('\n');
    expect(() => loadIndex(damaged, TEXT_OPTIONS)).toThrow();
    expect(await loadAsync<Doc>(damaged, TEXT_OPTIONS, { pause: async () => {} })).toBeUndefined();
    // A chunk naming a node that is not there.
    const stray = `${lines[0]}\n${JSON.stringify([['nosuch'], ['x', []]])}`;
    expect(() => loadIndex(stray, TEXT_OPTIONS)).toThrow();
  });
});
