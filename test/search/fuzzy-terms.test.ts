/**
 * The names index's fuzzy lookup by scanning (src/search/fuzzy-terms.ts) against MiniSearch's
 * own walk of the same tree, on small fixtures of our own: short words, letters beyond ASCII,
 * numbers, several words, a word too long for the bit-parallel distance, and an index that
 * changes after its first lookup. Also the bound the scan skips terms by, and the check that
 * spares a prose search (term-tree.ts).
 */
import MiniSearch from 'minisearch';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import {
  NAME_OPTIONS,
  type NameDoc,
  TEXT_OPTIONS,
  type TextDoc,
  toNameDoc,
  toTextDoc,
} from '../../src/search/documents.js';
import {
  characterBound,
  characterMask,
  termsInWalkOrder,
  useFastFuzzy,
} from '../../src/search/fuzzy-terms.js';
import { SearchIndex } from '../../src/search/index.js';
import { EVENT_LOOP_TURNS } from '../../src/search/index-io.js';
import { compactIndex, loadIndex, serializeIndex } from '../../src/search/index-json.js';
import { PackedTerms } from '../../src/search/packed-terms.js';
import {
  docsWithEveryTerm,
  type FuzzyResults,
  mayMatchEveryTerm,
  onlyDocs,
  termTreeOf,
} from '../../src/search/term-tree.js';
import { COPPER, cardsFolder, makeCard, SPARROW, VIPER } from '../helpers/cards.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';

const NAMES = [
  'APT 41',
  'APT 4',
  'APT-C-23',
  'TG-3390',
  '8220 Gang',
  'Group 72',
  'Ke3chang',
  'Zinc',
  'Ox',
  'Straße Gruppe',
  'Ça Va Team',
  'Группа Семь',
  '火眼 Team',
  '🐼 Panda',
  'Fal0verflow',
  'Cyber fighters of Izz Ad-Din Al Qassam',
  'Averyveryveryveryverylongsinglewordname',
  'Hammer Panda',
  'Hamster Pandas',
];

const CARDS = NAMES.map((name, i) =>
  makeCard({
    uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    names: [name],
    aliases: [{ name: `${name} Team`, vendor: 'Vendor' }],
    description: [`${name} runs operations against energy companies.`],
  }),
);

/** A names index with the scan in place, and MiniSearch's own walk of its tree. */
function namesIndex(docs: NameDoc[] = CARDS.map(toNameDoc)) {
  const index = new MiniSearch<NameDoc>(NAME_OPTIONS);
  index.addAll(docs);
  const tree = termTreeOf(index)!;
  const walk = tree.fuzzyGet.bind(tree);
  useFastFuzzy(index);
  return { index, tree, walk };
}

/** Terms, distances and whether each value is the very postings object the walk gives. */
function entries(results: FuzzyResults<unknown>, walked: FuzzyResults<unknown>) {
  return [...results].map(([t, [value, d]]) => [t, d, value === walked.get(t)?.[0]]);
}

/** Each term with one letter dropped, doubled, replaced or two swapped. */
function oneEditFrom(term: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < term.length; i++) {
    out.add(term.slice(0, i) + term.slice(i + 1));
    out.add(term.slice(0, i) + term[i] + term.slice(i));
    out.add(`${term.slice(0, i)}x${term.slice(i + 1)}`);
    if (i + 1 < term.length) out.add(term.slice(0, i) + term[i + 1] + term[i] + term.slice(i + 2));
  }
  return [...out];
}

/** Levenshtein distance over UTF-16 code units, the plain way. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** Runs `f` with a clock 100 ms on at every reading: a slice ends after every term. */
async function everyTermASlice(f: () => Promise<void>): Promise<void> {
  const now = performance.now;
  let t = 0;
  performance.now = () => (t += 100);
  try {
    await f();
  } finally {
    performance.now = now;
  }
}

describe('fuzzy lookup by scanning the names vocabulary', () => {
  it('finds the terms, distances and order of the walk for every term and its one-edit variants', () => {
    const { tree, walk } = namesIndex();
    const vocabulary = [...walk('', 200).keys()];
    expect(vocabulary).toContain('apt41');
    expect(vocabulary).toContain('straße');
    expect(vocabulary).toContain('группа');
    const queries = vocabulary.flatMap((t) => [t, ...oneEditFrom(t)]);
    let matched = 0;
    for (const q of queries) {
      for (const max of [1, 2, 3, 4, 6]) {
        const want = walk(q, max);
        expect(entries(tree.fuzzyGet(q, max), want), `${q} within ${max}`).toEqual(
          entries(want, want),
        );
        matched += want.size;
      }
    }
    expect(queries.length).toBeGreaterThan(1000);
    expect(matched).toBeGreaterThan(queries.length);
  });

  it('short words, numbers, letters beyond ASCII, surrogate pairs, and terms the scan leaves to the walk', () => {
    const { tree, walk } = namesIndex();
    const long = 'averyveryveryveryverylongsinglewordnam'; // 38 code units: the walk answers
    const cases: [string, number][] = [
      ['a', 1],
      ['ox', 1],
      ['ox', 2],
      ['41', 1],
      ['4', 1],
      ['apt', 1],
      ['apt4', 1],
      ['apt14', 2],
      ['apt-c-32', 2],
      ['tg3309', 2],
      ['8220', 1],
      ['strasse', 2],
      ['straß', 1],
      ['ca', 1],
      ['ça', 1],
      ['групп', 1],
      ['грпуа', 2],
      ['火', 1],
      ['火眼', 1],
      ['🐼', 1],
      ['🐼', 2],
      ['p🐼anda', 2],
      ['fal0verflow', 4],
      ['izz', 1],
      ['ad-din', 2],
      [long, 2],
      [`${long}e`, 1],
      ['', 2],
      ['panda', 1.5],
      ['panda', 250], // could reach a term longer than the vocabulary holds: the walk answers
    ];
    for (const [q, max] of cases) {
      const want = walk(q, max);
      expect(entries(tree.fuzzyGet(q, max), want), `${q} within ${max}`).toEqual(
        entries(want, want),
      );
    }
    expect([...tree.fuzzyGet('apt14', 2).keys()]).toContain('apt41');
    expect([...tree.fuzzyGet('strasse', 2).keys()]).toContain('straße');
    expect([...tree.fuzzyGet(long, 2).keys()]).toContain(`${long}e`);
  });

  it('MiniSearch searches with it as without it: names, several words, did-you-mean', () => {
    const { index } = namesIndex();
    const plain = new MiniSearch<NameDoc>(NAME_OPTIONS);
    plain.addAll(CARDS.map(toNameDoc));
    const queries = [
      'APT 41',
      'apt-14',
      'Hamer Panda',
      'hammer pnda team',
      'Strase Grupe',
      'Ca Va',
      'Группа Сем',
      '火眼',
      '🐼 Pnda',
      'Falverflow',
      'cyber fihgters izz',
      'TG 3309',
      'Zimc',
    ];
    for (const q of queries) {
      expect(index.search(q), q).toEqual(plain.search(q));
      const didYouMean = { combineWith: 'OR', fuzzy: 0.34, prefix: true } as const;
      expect(index.search(q, didYouMean), q).toEqual(plain.search(q, didYouMean));
    }
    const hammer = CARDS[NAMES.indexOf('Hammer Panda')]!.uuid;
    expect(index.search('Hamer Panda').map((r) => r.id)).toEqual([hammer]);
    expect(index.search('Hamer Pnda', { combineWith: 'OR', fuzzy: 0.34 }).length).toBeGreaterThan(
      2,
    );
  });

  it("lists the walk's vocabulary one term at a time, in its order; packed terms keep the tree's order", () => {
    const built = new MiniSearch<NameDoc>(NAME_OPTIONS);
    built.addAll(CARDS.map(toNameDoc));
    const json = serializeIndex(built);
    const loadedByMiniSearch = MiniSearch.loadJSON<NameDoc>(JSON.stringify(built), NAME_OPTIONS);
    const walkOf = (index: MiniSearch<NameDoc>) => {
      const tree = termTreeOf(index)!;
      const want = [...tree.fuzzyGet('', 254)].map(([term, [value]]) => [term, value]);
      expect(want.length).toBeGreaterThan(40);
      const got = [...termsInWalkOrder(tree)];
      expect(got.map(([t]) => t)).toEqual(want.map(([t]) => t));
      // The very postings objects.
      expect(got.every(([, v], i) => v === want[i]![1])).toBe(true);
      return want.map(([t]) => t);
    };
    const builtWalk = walkOf(built);
    const loadedWalk = walkOf(loadedByMiniSearch);
    // Packed: the same walk (MiniSearch's fuzzyGet from ""), and iteration its reverse, as a tree's.
    const packedWalk = (index: MiniSearch<NameDoc>) => {
      const tree = termTreeOf(index)!;
      expect(tree).toBeInstanceOf(PackedTerms);
      const walk = [...tree.fuzzyGet('', 254).keys()];
      expect([...(tree as unknown as PackedTerms).keys()]).toEqual([...walk].reverse());
      return walk;
    };
    expect(packedWalk(loadIndex<NameDoc>(json, NAME_OPTIONS))).toEqual(loadedWalk);
    expect(packedWalk(compactIndex(built))).toEqual(builtWalk);
  });

  it('makes the same vocabulary in slices as at once, and none from slices the tree changed during', async () => {
    const queries = ['apt14', 'hamer', 'strasse', 'grupe', 'zimc', 'tg3309', '🐼', 'fal0verflow'];
    const { tree: atOnce } = namesIndex();
    const inSteps = new MiniSearch<NameDoc>(NAME_OPTIONS);
    inSteps.addAll(CARDS.map(toNameDoc));
    const stepsTree = termTreeOf(inSteps)!;
    const walk = stepsTree.fuzzyGet.bind(stepsTree);
    const fast = useFastFuzzy(inSteps);
    let pauses = 0;
    // A slice of no time at all: a pause after every term.
    const slices = {
      pause: () => {
        pauses++;
        return EVENT_LOOP_TURNS.pause();
      },
    };
    await everyTermASlice(() => fast.prepareInSteps(slices));
    expect(pauses).toBeGreaterThan(40);
    for (const q of queries) {
      for (const max of [1, 2, 3]) {
        const want = atOnce.fuzzyGet(q, max);
        expect(entries(stepsTree.fuzzyGet(q, max), walk(q, max)), q).toEqual(
          entries(want, want).map(([t, d]) => [t, d, true]),
        );
      }
    }
    // A term added while the slices run: that vocabulary is dropped, the next lookup sees it.
    const changing = new MiniSearch<NameDoc>(NAME_OPTIONS);
    changing.addAll(CARDS.map(toNameDoc));
    const changingTree = termTreeOf(changing)!;
    const handle = useFastFuzzy(changing);
    let added = false;
    await everyTermASlice(() =>
      handle.prepareInSteps({
        pause: async () => {
          if (!added) changing.add(toNameDoc(makeCard({ uuid: 'mid', names: ['Zirconium'] })));
          added = true;
        },
      }),
    );
    expect(added).toBe(true);
    expect([...changingTree.fuzzyGet('zirconiun', 1).keys()]).toEqual(['zirconium']);
  });

  it('sees terms added and removed after its first lookup', () => {
    const { index, tree, walk } = namesIndex();
    expect([...tree.fuzzyGet('zirconiun', 1).keys()]).toEqual([]);
    const added = toNameDoc(makeCard({ uuid: 'added', names: ['Zirconium'] }));
    index.add(added);
    const want = walk('zirconiun', 1);
    expect([...want.keys()]).toContain('zirconium');
    expect(entries(tree.fuzzyGet('zirconiun', 1), want)).toEqual(entries(want, want));
    index.remove(added);
    expect([...tree.fuzzyGet('zirconiun', 1).keys()]).toEqual([...walk('zirconiun', 1).keys()]);
    expect([...tree.fuzzyGet('zirconiun', 1).keys()]).not.toContain('zirconium');
  });

  it('never skips a term within reach: the character bound stays below the edit distance', () => {
    const alphabet = [...'abcxyz019-ßçГр火'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const word = () =>
      Array.from(
        { length: 1 + Math.floor(next() * 9) },
        () => alphabet[Math.floor(next() * alphabet.length)],
      ).join('');
    let positive = 0;
    for (let i = 0; i < 3000; i++) {
      const a = word();
      const b = word();
      const bound = characterBound(characterMask(a), characterMask(b));
      expect(bound, `${a} ${b}`).toBeLessThanOrEqual(distance(a, b));
      if (bound > 0) positive++;
    }
    expect(positive).toBeGreaterThan(1000);
    expect(characterBound(characterMask('abc'), characterMask('xyz'))).toBe(3);
    expect(characterBound(characterMask('panda'), characterMask('pnda'))).toBe(0);
  });
});

describe('the check before a prose search', () => {
  const prose = new MiniSearch<TextDoc>(TEXT_OPTIONS);
  prose.addAll(CARDS.map(toTextDoc));

  it('says no only where the search finds nothing', () => {
    const queries = [
      'energy',
      'energ',
      'ener',
      'ene',
      'operations against',
      'operations against nobody',
      'companies Strasse',
      'Straße',
      'straß',
      'Группа',
      '火眼',
      '[Unamed group]',
      'runs',
      'run',
      'panda energy',
      'pand energy',
      'hammer straße',
      'hammer panda',
      'hamm pand',
      'hammer hamster',
      'zinc runs energy companies',
      'zinc runs energy companies ox',
    ];
    let no = 0;
    for (const q of queries) {
      const found = prose.search(q);
      if (!mayMatchEveryTerm(prose, TEXT_OPTIONS, q)) {
        no++;
        expect(found, q).toEqual([]);
      }
    }
    expect(mayMatchEveryTerm(prose, TEXT_OPTIONS, 'operations against nobody')).toBe(false);
    // A word of three letters must be there whole: "ene" does not stand for "energy".
    expect(mayMatchEveryTerm(prose, TEXT_OPTIONS, 'ene')).toBe(false);
    expect(mayMatchEveryTerm(prose, TEXT_OPTIONS, 'ener')).toBe(true);
    expect(mayMatchEveryTerm(prose, TEXT_OPTIONS, 'straß')).toBe(true);
    // Every word is there, but no description has them all.
    expect(mayMatchEveryTerm(prose, TEXT_OPTIONS, 'hammer straße')).toBe(false);
    expect(mayMatchEveryTerm(prose, TEXT_OPTIONS, 'zinc runs energy companies ox')).toBe(false);
    expect(mayMatchEveryTerm(prose, TEXT_OPTIONS, 'zinc runs energy companies')).toBe(true);
    expect(mayMatchEveryTerm(prose, TEXT_OPTIONS, 'hamm pand')).toBe(true);
    expect(no).toBeGreaterThanOrEqual(6);
  });

  /** Narrowed searches answer as MiniSearch alone; how many of them scored fewer documents. */
  const narrowedAlike = (index: MiniSearch<TextDoc>, queries: string[]): number => {
    let narrowed = 0;
    for (const q of queries) {
      const docs = docsWithEveryTerm(index, TEXT_OPTIONS, q);
      const only = onlyDocs(index, docs);
      if (docs) expect(only.boostDocument, q).toBeTypeOf('function');
      // Scores, order, terms and matches alike.
      expect(index.search(q, only), q).toEqual(index.search(q));
      const first = index.search(q.split(' ')[0] ?? '').length;
      if (docs && docs.size > 0 && docs.size < first) narrowed++;
    }
    return narrowed;
  };

  it('has MiniSearch score only the documents with every term: the same answers', () => {
    const queries = ['energy panda', 'runs zinc energy', 'hamm pand', 'runs', 'energy nobody'];
    expect(narrowedAlike(prose, queries)).toBeGreaterThan(0);
  });

  it.skipIf(!hasEtdaCards)(
    'the same over the ETDA corpus',
    () => {
      noteSkipped('narrowed prose searches over ETDA', ETDA_CARDS_DIR);
      const etda = new MiniSearch<TextDoc>(TEXT_OPTIONS);
      const { profiles } = loadCatalog(ETDA_CARDS_DIR, { cacheDir: false });
      etda.addAll(profiles.map((p) => toTextDoc(p.card)));
      const words = [
        'government',
        'espionage',
        'ransomware',
        'energy',
        'ukraine',
        'banks',
        'spear',
      ];
      const queries = words.flatMap((a) => words.map((b) => `${a} ${b}`));
      queries.push('spear phishing ukraine energy', 'financial sector banks');
      expect(narrowedAlike(etda, queries)).toBeGreaterThan(20);
    },
    60_000,
  );

  it('cannot say no for fuzzy or OR searches', () => {
    const fuzzy = { ...TEXT_OPTIONS, searchOptions: { ...TEXT_OPTIONS.searchOptions, fuzzy: 1 } };
    expect(mayMatchEveryTerm(prose, fuzzy, 'nobody')).toBe(true);
    const or = {
      ...TEXT_OPTIONS,
      searchOptions: { ...TEXT_OPTIONS.searchOptions, combineWith: 'OR' },
    };
    expect(mayMatchEveryTerm(prose, or, 'nobody')).toBe(true);
  });
});

describe('SearchIndex with the scan and the check, and without them', () => {
  const { dir, cleanup } = cardsFolder({}, [COPPER, VIPER, SPARROW, ...CARDS]);
  afterAll(cleanup);
  const catalog = loadCatalog(dir, { cacheDir: false });

  it('answers alike', () => {
    const fast = new SearchIndex(catalog);
    const plain = new SearchIndex(catalog, undefined, { plainMiniSearch: true });
    const queries = [
      ...NAMES.flatMap((n) => [n, n.slice(0, -1), `${n.slice(0, 2)}${n.slice(3)}`]),
      'Coper Lantern',
      'quiet heron apt',
      'APT 98',
      'energy companies',
      'lantern pipelines',
      'ransomware hospitals nowhere',
      'Hamer Pnda country:china',
      'vipr',
    ];
    const outcomes = new Set<string>();
    for (const q of queries) {
      const want = plain.search(q);
      outcomes.add(want.outcome);
      expect(fast.search(q), q).toEqual(want);
    }
    expect([...outcomes].sort()).toEqual(['ambiguous', 'list', 'none', 'profile']);
  });
});
