/**
 * Prose searches scored by hand (src/search/prose-score.ts) against MiniSearch's own search of
 * the same index: the same documents with the very same scores, for a MiniSearch built here,
 * the packed index the bot serves, that index read back from its JSON, and one changed in
 * place after it was packed (an incremental reload). Over the ETDA corpus too when it is here.
 */
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import type { ActorCard } from '../../src/cards/model.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { TEXT_OPTIONS, type TextDoc, toTextDoc } from '../../src/search/documents.js';
import { compactIndex, loadIndex, serializeIndex } from '../../src/search/index-json.js';
import { scoreEveryTerm, searchProse } from '../../src/search/prose-score.js';
import { docsWithEveryTerm } from '../../src/search/term-tree.js';
import { COPPER, makeCard, SPARROW, VIPER } from '../helpers/cards.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';

const WORDS = [
  'energy',
  'energetic',
  'energies',
  'telecom',
  'telecoms',
  'telecommunications',
  'government',
  'governments',
  'ministries',
  'banks',
  'banking',
  'ransomware',
  'espionage',
  'phishing',
];

/** Cards whose prose mixes the words: in several fields, several times, of several lengths. */
const CARDS: ActorCard[] = Array.from({ length: 40 }, (_, i) => {
  const pick = (n: number) => WORDS.filter((_, w) => (i * 7 + w * 3) % n === 0);
  return makeCard({
    uuid: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
    names: [`Actor ${i}`],
    description: [
      `Group ${i} runs ${pick(2).join(' and ')} operations.`,
      i % 3 === 0 ? `It also hits ${pick(3).join(', ')} with ${pick(5).join(' ')}.` : 'Quiet.',
    ],
    sectors: pick(4),
    tools: i % 4 === 0 ? ['EnergyRAT', 'TelecomLoader'] : ['PlugX'],
    targets: i % 2 === 0 ? ['Ukraine'] : ['Germany', 'Ukraine'],
  });
}).concat([COPPER, VIPER, SPARROW]);

const QUERIES = [
  'energy telecom',
  'ener tele',
  'energy government ministries',
  'telecom operators',
  'banks ransomware',
  'bank phishing ukraine',
  'espionage espionage energy',
  'energy companies',
  'oil gas',
  'plugx energy',
  'spear phishing oil',
  'government ukraine germany',
  'telecommunications banking',
];

/** MiniSearch's answer as ids and scores, best first (ties by id). */
const ranked = (results: readonly { id: unknown; score: number }[]) =>
  results
    .map(({ id, score }) => ({ id, score }))
    .sort((a, b) => b.score - a.score || String(a.id).localeCompare(String(b.id)));

/** How many queries were scored here; each one's answer must be MiniSearch's exactly. */
function scoredAlike(index: MiniSearch<TextDoc>, queries: readonly string[]): number {
  let scored = 0;
  for (const q of queries) {
    const docs = docsWithEveryTerm(index, TEXT_OPTIONS, q);
    const want = ranked(index.search(q));
    expect(ranked(searchProse(index, q, {})), q).toEqual(want);
    if (!docs || docs.size === 0) continue;
    const mine = scoreEveryTerm(index, TEXT_OPTIONS, q, docs);
    expect(mine, q).toBeDefined();
    // toEqual compares the numbers exactly: the same additions in the same order.
    expect(ranked(mine ?? []), q).toEqual(want);
    scored++;
  }
  return scored;
}

function built(cards: readonly ActorCard[] = CARDS): MiniSearch<TextDoc> {
  const index = new MiniSearch<TextDoc>(TEXT_OPTIONS);
  index.addAll(cards.map(toTextDoc));
  return index;
}

describe('prose searches scored by hand', () => {
  it('score what MiniSearch scores, for an index built, packed, read back and changed in place', () => {
    const plain = built();
    const packed = compactIndex(built());
    const read = loadIndex(serializeIndex(built()), TEXT_OPTIONS);
    const changed = compactIndex(built());
    for (const card of CARDS.slice(0, 5)) changed.remove(toTextDoc(card));
    const seventh = CARDS[7] as ActorCard;
    changed.remove(toTextDoc(seventh));
    changed.add(toTextDoc({ ...seventh, description: ['Energy and telecom espionage, again.'] }));
    changed.add(toTextDoc(makeCard({ uuid: 'new', names: ['New'], sectors: ['Energy', 'Banks'] })));
    for (const index of [plain, packed, read, changed]) {
      expect(scoredAlike(index, QUERIES)).toBeGreaterThanOrEqual(10);
    }
  });

  it('keeps only what the filter keeps', () => {
    const index = compactIndex(built());
    const keep = (uuid: string) => uuid.endsWith('0');
    const want = ranked(index.search('energy telecom', { filter: (r) => keep(String(r.id)) }));
    expect(want.length).toBeGreaterThan(0);
    expect(ranked(searchProse(index, 'energy telecom', { keep }))).toEqual(want);
  });

  it('leaves to MiniSearch what it does not score as MiniSearch would', () => {
    const index = built();
    const docs = docsWithEveryTerm(index, TEXT_OPTIONS, 'energy telecom') ?? new Set();
    expect(docs.size).toBeGreaterThan(0);
    const withOptions = (extra: Record<string, unknown>) => ({
      ...TEXT_OPTIONS,
      searchOptions: { ...TEXT_OPTIONS.searchOptions, ...extra },
    });
    expect(scoreEveryTerm(index, withOptions({ fuzzy: 0.2 }), 'energy telecom', docs)).toBe(
      undefined,
    );
    expect(scoreEveryTerm(index, withOptions({ combineWith: 'OR' }), 'energy telecom', docs)).toBe(
      undefined,
    );
    expect(scoreEveryTerm(index, withOptions({ boostTerm: () => 2 }), 'energy telecom', docs)).toBe(
      undefined,
    );
    expect(scoreEveryTerm(index, TEXT_OPTIONS, 'energy', docs)).toBe(undefined); // one term
    // Discarded documents leave postings MiniSearch cleans up while it scores.
    index.discard(CARDS[0]?.uuid);
    expect(scoreEveryTerm(index, TEXT_OPTIONS, 'energy telecom', docs)).toBe(undefined);
    expect(ranked(searchProse(index, 'energy telecom', {}))).toEqual(
      ranked(index.search('energy telecom')),
    );
  });

  it.skipIf(!hasEtdaCards)(
    'score what MiniSearch scores over the ETDA corpus',
    () => {
      noteSkipped('prose searches scored by hand over ETDA', ETDA_CARDS_DIR);
      const { profiles } = loadCatalog(ETDA_CARDS_DIR, { cacheDir: false });
      const index = compactIndex(built(profiles.map((p) => p.card)));
      const words = ['government', 'espionage', 'ransomware', 'energy', 'ukraine', 'bank', 'spear'];
      const queries = words.flatMap((a) => words.map((b) => `${a} ${b}`));
      queries.push('spear phishing ukraine energy', 'financial sector banks', 'tele minis');
      expect(scoredAlike(index, queries)).toBeGreaterThan(30);
    },
    60_000,
  );
});
