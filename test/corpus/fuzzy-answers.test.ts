/**
 * The fuzzy-lookup speed-ups (src/search/fuzzy-terms.ts, the prose check in term-tree.ts) must
 * not change one answer. Over the public catalogs, imported with the project's own importers as
 * the actors bench imports them, every query the benches time and a few thousand misspellings
 * of real names are answered twice: by the index as it runs, and by a reference index where
 * MiniSearch does all the work as before (`plainMiniSearch`). Whole answers are compared:
 * outcome, results and their scores in order, suggestions, closest name.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rng } from '../../bench/util.js';
import { allNames } from '../../src/cards/model.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { NAME_OPTIONS, type NameDoc, toNameDoc } from '../../src/search/documents.js';
import { useFastFuzzy } from '../../src/search/fuzzy-terms.js';
import { type SearchAnswer, SearchIndex } from '../../src/search/index.js';
import { ClosestNames, NumberedNames } from '../../src/search/near-miss.js';
import { nameAgrees, numberedParts } from '../../src/search/numbers.js';
import { parseQuery } from '../../src/search/query.js';
import { termTreeOf } from '../../src/search/term-tree.js';
import {
  ATTACK_ICS,
  ETDA_CATALOG,
  hasCatalogFiles,
  importCatalogs,
  MISP_MITRE,
  MISP_THREAT_ACTOR,
} from '../helpers/catalogs.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';
import { ReferenceNumberedNames, referenceClosestName } from '../helpers/search-reference.js';

/** The actors bench's catalog; the card checks add the ATT&CK for ICS bundle to it. */
const THREE = [ETDA_CATALOG, MISP_THREAT_ACTOR, MISP_MITRE];
const present = hasCatalogFiles('fuzzy answers over the merged public catalogs', [
  ...THREE,
  ATTACK_ICS,
]);
noteSkipped('fuzzy answers over the ETDA cards', ETDA_CARDS_DIR);

/** bench/actors.ts's queries: its first 500 actors' names, and each with its third letter dropped. */
function actorsBenchQueries(index: SearchIndex): string[] {
  const names = index.catalog.profiles.slice(0, 500).map((p) => p.card.names[0] ?? '');
  const fuzzy = names.map((n) => (n.length > 5 ? n.slice(0, 2) + n.slice(3) : `${n}x`));
  return [...names, ...fuzzy, 'country:russia', 'country:china sector:energy', 'tool:plugx'];
}

/** bench/core.ts's fuzzy queries: every name of every card with one inner letter dropped. */
function coreBenchQueries(catalog: Catalog): string[] {
  const names = catalog.cards.flatMap((e) => allNames(e.card));
  return names.map((name, i) => {
    if (name.length < 6) return `${name}x`;
    const at = 1 + (i % (name.length - 2));
    return name.slice(0, at) + name.slice(at + 1);
  });
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzéü0123456789 -';

/** Misspellings of real names as people type them: one or two edits, words lost or added. */
function misspellings(catalog: Catalog, count: number, seed: number): string[] {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const names = catalog.profiles.flatMap((p) => allNames(p.card)).filter((n) => n.length > 1);
  const edit = (s: string): string => {
    const at = Math.floor(next() * s.length);
    const c = pick([...LETTERS]);
    switch (Math.floor(next() * 4)) {
      case 0:
        return s.slice(0, at) + s.slice(at + 1);
      case 1:
        return s.slice(0, at) + c + s.slice(at);
      case 2:
        return s.slice(0, at) + c + s.slice(at + 1);
      default:
        return at + 1 < s.length ? s.slice(0, at) + s[at + 1] + s[at] + s.slice(at + 2) : `${s}s`;
    }
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = pick(names);
    const words = name.split(' ');
    switch (i % 10) {
      case 0:
      case 1:
      case 2:
        out.push(edit(name));
        break;
      case 3:
        out.push(edit(edit(name)));
        break;
      case 4:
        out.push(edit(edit(edit(name))).toUpperCase());
        break;
      case 5: // one word misspelt, the others kept: the multi-word misses that reach prose
        out.push(words.map((w, j) => (j === words.length - 1 ? edit(w) : w)).join(' '));
        break;
      case 6: // a word too many or one left out
        out.push(
          words.length > 1 ? words.slice(1).join(' ') : `${name} ${pick(['group', 'team', 'apt'])}`,
        );
        break;
      case 7: // the start of a name, as autocomplete would have it
        out.push(name.slice(0, Math.max(2, Math.ceil(name.length * next()))));
        break;
      case 8: // another number: "APT 41" -> "APT 14"
        out.push(name.replace(/\d+/, (d) => String((Number(d) * 7 + 3) % 100)) || edit(name));
        break;
      default: // with a filter
        out.push(
          `${edit(name)} ${pick(['country:china', 'sector:energy', 'motivation:financial'])}`,
        );
    }
  }
  return out;
}

interface Difference {
  query: string;
  got: SearchAnswer;
  want: SearchAnswer;
}

function compare(fast: SearchIndex, reference: SearchIndex, queries: readonly string[]) {
  const differences: Difference[] = [];
  const outcomes: Record<string, number> = {};
  let suggested = 0;
  for (const query of queries) {
    const want = reference.search(query);
    const got = fast.search(query);
    outcomes[want.outcome] = (outcomes[want.outcome] ?? 0) + 1;
    if (want.suggestions.length > 0) suggested++;
    try {
      expect(got).toEqual(want);
    } catch {
      differences.push({ query, got, want });
    }
  }
  return { differences: differences.slice(0, 5), count: differences.length, outcomes, suggested };
}

/**
 * The reference answers walk MiniSearch's whole term tree for every fuzzy lookup, over compact
 * tree nodes (src/search/pair-map.ts) about 1.4x as long as over Maps: 10-20 s for these tests
 * on a loaded 2-core machine, beyond the default 20 s limit when other files run beside them.
 */
const REFERENCE_MS = 120_000;

describe.skipIf(!present)('fuzzy answers over the merged public catalogs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aptcard-fuzzy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const catalogs: { label: string; catalog: Catalog }[] = [];
  beforeAll(() => {
    catalogs.push({
      label: 'ETDA + MISP x2 (the actors bench)',
      catalog: importCatalogs(dir, THREE),
    });
    catalogs.push({ label: '+ ATT&CK for ICS', catalog: importCatalogs(dir, [ATTACK_ICS]) });
  }, 300_000);

  it(
    'answers every bench query and thousands of misspellings exactly as MiniSearch alone',
    () => {
      for (const { label, catalog } of catalogs) {
        const fast = new SearchIndex(catalog);
        const reference = new SearchIndex(catalog, undefined, { plainMiniSearch: true });
        const queries = [...actorsBenchQueries(reference), ...misspellings(catalog, 1500, 19)];
        const r = compare(fast, reference, queries);
        console.log(
          `[corpus] ${label}: ${catalog.profiles.length} actors, ${queries.length} queries answered alike: ${JSON.stringify(r.outcomes)}, ${r.suggested} with suggestions`,
        );
        expect(r.differences, label).toEqual([]);
        expect(r.count).toBe(0);
        // Every kind of answer is among them, did-you-mean included.
        for (const kind of ['profile', 'ambiguous', 'list', 'none'])
          expect(r.outcomes[kind] ?? 0, kind).toBeGreaterThan(20);
        expect(r.suggested).toBeGreaterThan(100);
      }
    },
    REFERENCE_MS,
  );

  it('answers alike from a names index read back from the cache (another term order)', () => {
    const { catalog } = catalogs[catalogs.length - 1]!;
    const names = new SearchIndex(catalog).serializeNames();
    const fast = new SearchIndex(catalog, { names });
    const reference = new SearchIndex(catalog, { names }, { plainMiniSearch: true });
    const r = compare(fast, reference, misspellings(catalog, 600, 7));
    expect(r.differences).toEqual([]);
    expect(r.suggested).toBeGreaterThan(50);
  });

  it(
    'completes prefixes as before',
    () => {
      const { catalog } = catalogs[catalogs.length - 1]!;
      const fast = new SearchIndex(catalog);
      const reference = new SearchIndex(catalog, undefined, { plainMiniSearch: true });
      const prefixes = misspellings(catalog, 400, 3).map((q) => q.slice(0, 6));
      const uuids = (index: SearchIndex, p: string) =>
        index.complete(p).map((c) => `${c.name} ${c.card.card.uuid}`);
      let completed = 0;
      for (const p of prefixes) {
        const want = uuids(reference, p);
        expect(uuids(fast, p), p).toEqual(want);
        if (want.length > 0) completed++;
      }
      expect(completed).toBeGreaterThan(100);
    },
    REFERENCE_MS,
  );

  it("gives MiniSearch's fuzzy lookups over the names vocabulary term for term, in its order", () => {
    const { catalog } = catalogs[catalogs.length - 1]!;
    const index = new MiniSearch<NameDoc>(NAME_OPTIONS);
    index.addAll(catalog.profiles.map((p) => toNameDoc(p.card)));
    const tree = termTreeOf(index)!;
    const walk = tree.fuzzyGet.bind(tree);
    useFastFuzzy(index);
    const terms = new Set<string>();
    for (const q of misspellings(catalog, 300, 11))
      for (const w of q.toLowerCase().split(/[\s\-._:]+/)) if (w) terms.add(w);
    // Term, distance, and the very postings object the walk gives (deep-comparing them is slow).
    const entries = (
      results: Map<string, [unknown, number]>,
      walked: Map<string, [unknown, number]>,
    ) => [...results].map(([t, [value, d]]) => [t, d, value === walked.get(t)?.[0]]);
    let found = 0;
    for (const term of terms) {
      for (const max of [1, 2, 3, 4]) {
        const want = walk(term, max);
        expect(entries(tree.fuzzyGet(term, max), want), `${term} ${max}`).toEqual(
          entries(want, want),
        );
        found += want.size;
      }
    }
    expect(terms.size).toBeGreaterThan(300);
    expect(found).toBeGreaterThan(terms.size);
  });
});

describe.skipIf(!present)('closest names and numbered near misses over the merged catalogs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aptcard-fuzzy-near-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let catalog: Catalog;
  beforeAll(() => {
    catalog = importCatalogs(dir, [...THREE, ATTACK_ICS]);
  }, 300_000);

  it('says which name a fuzzy answer is like as the old code did', () => {
    const index = new SearchIndex(catalog);
    const closest = new ClosestNames();
    const queries = [...actorsBenchQueries(index), ...misspellings(catalog, 1500, 5)];
    let answered = 0;
    for (const [i, q] of queries.entries()) {
      const text = parseQuery(q).text;
      const answer = index.search(q);
      // The profile the answer leads with (SearchIndex names the closest of its names, which
      // its cards' sources gave) and, to reach more names, another actor's merged profile.
      const uuid = answer.results[0]?.uuid;
      const top = uuid ? (catalog.profileOf(uuid) ?? catalog.byUuid.get(uuid)) : undefined;
      const other = catalog.profiles[(i * 7919) % catalog.profiles.length];
      for (const entry of [top, other]) {
        if (!entry) continue;
        const names = allNames(entry.card);
        expect(closest.closest(text, names), q).toBe(referenceClosestName(text, names));
      }
      // A query holding an actor's numbered name and more ("apt 21 tools") names that name
      // (docs/lookup.md), not the one nearest by edits; the fuzzy answers are checked here.
      const numbers = numberedParts(text);
      const byNumber =
        numbers.length > 0 && answer.closestName && nameAgrees(numbers, answer.closestName);
      if (answer.match === 'closest' && top && !byNumber) {
        answered++;
        expect(answer.closestName, q).toBe(referenceClosestName(text, allNames(top.card)));
      }
    }
    expect(answered).toBeGreaterThan(500);
  });

  it('suggests the numbered names the old code suggested', () => {
    const profiles = catalog.profiles;
    const numbered = new NumberedNames(() => profiles);
    const reference = new ReferenceNumberedNames(profiles);
    const parts = catalog.profiles.flatMap((p) => allNames(p.card).flatMap(numberedParts));
    const variants = parts.flatMap((p) => [
      p,
      { ...p, number: String(Number(p.number) + 1) },
      { ...p, number: String((Number(p.number) * 7 + 3) % 100) },
      { ...p, prefix: `${p.prefix}x` },
    ]);
    const shown = (list: { entry: { card: { uuid: string } }; alias: string; why: string }[]) =>
      list.map((m) => `${m.entry.card.uuid} ${m.alias} ${m.why}`);
    let suggested = 0;
    for (const part of variants) {
      const want = shown(reference.nearMisses(part));
      expect(shown(numbered.nearMisses(part)), `${part.prefix} ${part.number}`).toEqual(want);
      if (want.length > 0) suggested++;
    }
    expect(variants.length).toBeGreaterThan(1000);
    expect(suggested).toBeGreaterThan(500);
  });
});

describe.skipIf(!hasEtdaCards)('fuzzy answers over the ETDA cards (the core bench)', () => {
  it("answers the core bench's misspellings exactly as MiniSearch alone", () => {
    const catalog = loadCatalog(ETDA_CARDS_DIR, { cacheDir: false });
    const fast = new SearchIndex(catalog);
    const reference = new SearchIndex(catalog, undefined, { plainMiniSearch: true });
    const queries = coreBenchQueries(catalog);
    const r = compare(fast, reference, queries);
    console.log(
      `[corpus] ETDA cards: ${queries.length} core-bench queries answered alike: ${JSON.stringify(r.outcomes)}`,
    );
    expect(r.differences).toEqual([]);
    expect(queries.length).toBeGreaterThan(1000);
  });
});
