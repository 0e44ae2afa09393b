/**
 * The same catalog gives the same answers however it was loaded: cards in another order on disk,
 * or the names index read back from the cache. Equal scores are ordered by id, not by MiniSearch's
 * insertion order (a warm start once listed other suggestions than a cold one). And a query of
 * one letter or digit finds nothing beyond an exact name.
 */
import { describe, expect, it } from 'vitest';
import type { ActorCard } from '../../src/cards/model.js';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { SearchIndex } from '../../src/search/index.js';
import { makeCard } from '../helpers/cards.js';

// Names that tie for "storm" and for "2": same shape, different numbers.
const CARDS: ActorCard[] = [
  'Storm-2561',
  'Storm-2945',
  'Storm-2035',
  'Storm-2077',
  'Kiss-a-Dog',
].map((name, i) =>
  makeCard({
    uuid: `bbbbbbbb-0000-4000-8000-${String(9 - i).padStart(12, '0')}`,
    names: [name],
    aliases: [{ name, vendor: 'Microsoft' }],
  }),
);

const indexOf = (cards: ActorCard[]) =>
  new SearchIndex(
    buildCatalog(cards.map((card) => ({ card, source: { file: `${card.uuid}.md`, hash: '' } }))),
  );

const answers = (index: SearchIndex) =>
  ['storm', 'storm 2', '2', 'stor', 'kiss dog', 'a', 'x'].map((q) => {
    const a = index.search(q);
    return [q, a.outcome, a.results.map((r) => r.uuid), a.suggestions.map((s) => s.uuid)];
  });

describe('ties and short queries', () => {
  const forward = indexOf(CARDS);

  it('answers the same whatever the order of the cards', () => {
    expect(answers(indexOf([...CARDS].reverse()))).toEqual(answers(forward));
  });

  it('answers the same from a names index read back from the cache', () => {
    const catalog = buildCatalog(
      [...CARDS].reverse().map((card) => ({ card, source: { file: `${card.uuid}.md`, hash: '' } })),
    );
    const warm = new SearchIndex(catalog, { names: forward.serializeNames() });
    expect(answers(warm)).toEqual(answers(forward));
  });

  it('lists equal scores by id', () => {
    const listed = forward.search('storm').results.map((r) => r.uuid);
    expect(listed.length).toBeGreaterThan(1);
    expect(listed).toEqual([...listed].sort());
  });

  it('finds nothing for one letter or digit, but an exact one-letter name still answers', () => {
    for (const q of ['a', '2', 'x']) {
      const answer = forward.search(q);
      expect(answer.outcome).toBe('none');
      expect(answer.suggestions).toEqual([]);
    }
    const named = indexOf([
      ...CARDS,
      makeCard({ uuid: 'cccccccc-0000-4000-8000-000000000001', names: ['Q'], aliases: [] }),
    ]);
    expect(named.search('q').outcome).toBe('profile');
  });
});
