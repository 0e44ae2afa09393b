import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { cardView } from '../../src/reply/build.js';
import { FIRST_SCREEN, firstScreen, moreText, rankTools } from '../../src/reply/first-screen.js';
import { SearchIndex } from '../../src/search/index.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped, SEEDS_DIR } from '../helpers/corpus.js';

describe('rankTools', () => {
  it('puts tools named in the latest operations first, then the description, then card order', () => {
    const tools = ['3proxy', 'AppleJeus', 'RAT', 'Bankshot', 'WannaCry'];
    const ranked = rankTools(
      tools,
      ['2024-05 Operation X: the group spread WannaCry again', 'Bankshot droppers seen'],
      ['The group built AppleJeus.'],
    );
    expect(ranked).toEqual(['WannaCry', 'Bankshot', 'AppleJeus', '3proxy', 'RAT']);
  });

  it('matches whole words only, in any case', () => {
    expect(rankTools(['RAT', 'Agent'], ['an operator ran a rat'], [])).toEqual(['RAT', 'Agent']);
    expect(rankTools(['Agent', 'RAT'], ['the operators'], [])).toEqual(['Agent', 'RAT']);
  });
});

describe('firstScreen on the seed card', () => {
  const index = new SearchIndex(loadCatalog(SEEDS_DIR, { cacheDir: false }));
  const entry = index.catalog.cards[0]!;
  const card = cardView(entry, index.catalog);
  const screen = firstScreen(card);

  it('holds the facts in order, and every cut list says how many are left', () => {
    expect(screen.title).toBe([card.name, ...card.otherNames].join(', '));
    const labels = screen.facts.map((f) => f.label);
    const order = ['Country', 'Sponsor', 'Motivation', 'First seen', 'Latest activity'];
    expect(labels).toEqual(order.filter((l) => labels.includes(l)));
    expect(screen.operations.items.length).toBeLessThanOrEqual(FIRST_SCREEN.operations);
    expect(screen.operations.items.length + screen.operations.more).toBe(card.operationsTotal);
    expect(screen.tools.items.length + screen.tools.more).toBe(card.tools.length);
    expect(screen.aliases.items.length + screen.aliases.more).toBe(card.aliases.length);
    if (card.latestActivity) expect(card.latestActivity).toBe(screen.operations.items[0]?.date);
  });

  it('says nothing is left when nothing is', () => {
    expect(moreText(0, 'tools')).toBe('');
    expect(moreText(64, 'tools')).toBe('+64 more tools');
  });
});

noteSkipped('first screen on the ETDA corpus', ETDA_CARDS_DIR);
describe.skipIf(!hasEtdaCards)('firstScreen on the ETDA corpus', () => {
  const index = new SearchIndex(loadCatalog(ETDA_CARDS_DIR, { cacheDir: false }));

  it("keeps Lazarus's WannaCry among the first tools (it was cut alphabetically)", () => {
    const answer = index.search('Lazarus Group');
    const entry = index.catalog.profileOf(answer.results[0]?.uuid ?? '')!;
    const card = cardView(entry, index.catalog);
    const screen = firstScreen(card);
    expect(card.tools.length).toBeGreaterThan(100);
    expect(screen.tools.items).toContain('WannaCry');
    expect(screen.tools.more).toBe(card.tools.length - FIRST_SCREEN.tools);
    expect(screen.operations.items).toHaveLength(3);
    expect(screen.facts.find((f) => f.label === 'Latest activity')?.value).toBe(
      card.latestActivity,
    );
  });

  it('every card: the latest activity is the newest dated operation, and tools are a permutation', () => {
    for (const entry of index.catalog.cards) {
      const card = cardView(entry, index.catalog);
      expect([...(card.keyTools ?? [])].sort()).toEqual([...card.tools].sort());
      const dated = card.operations.find((op) => /\d{4}/.test(op.date));
      expect(card.latestActivity).toBe(dated?.date);
    }
  });
});
