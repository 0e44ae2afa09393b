/**
 * Every card of the real corpus (../shared/corpus/etda-cards), every page of its operations,
 * rendered to Block Kit: within every limit, and escaped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReply } from '../../adapters/slack/render.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { cardView } from '../../src/reply/build.js';
import { cardReplies } from '../helpers/card-replies.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';
import { slackCardProblems } from './card-checks.js';
import { blockKitProblems, buttonsOf } from './limits.js';

noteSkipped('Slack Block Kit limits over the ETDA corpus', ETDA_CARDS_DIR);

describe.skipIf(!hasEtdaCards)('Block Kit over the real corpus', () => {
  let catalog: Catalog;
  beforeAll(() => {
    catalog = loadCatalog(ETDA_CARDS_DIR, { cacheDir: false });
    // Parsing 447 cards: seconds, many more on a busy shared machine.
  }, 120_000);

  it('renders every card, every part and every operations page within Block Kit limits', () => {
    const problems: string[] = [];
    let rendered = 0;
    for (const entry of catalog.cards) {
      for (const { reply, what } of cardReplies(entry, catalog)) {
        rendered++;
        for (const p of slackCardProblems(reply)) problems.push(`${reply.card.name} ${what}: ${p}`);
      }
    }
    expect(catalog.cards.length).toBeGreaterThan(400);
    expect(rendered).toBeGreaterThan(catalog.cards.length * 5);
    expect(problems).toEqual([]);
  });

  it('renders the longest cards completely: the moves, related actors as buttons, paging, footer', () => {
    const longest = [...catalog.cards]
      .map((entry) => ({ entry, size: JSON.stringify(entry.card).length }))
      .sort((a, b) => b.size - a.size)
      .map(({ entry }) => entry)
      .slice(0, 5);
    for (const entry of longest) {
      const view = cardView(entry, catalog);
      const message = renderReply({ kind: 'card', card: view });
      expect(blockKitProblems(message)).toEqual([]);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(message.blocks[0]?.type).toBe('header');
      const values = buttonsOf(message).map((b) => b.value);
      expect(values).toContain(`full:${view.uuid}`);
      for (const r of view.related.slice(0, 20)) expect(values).toContain(`show:${r.uuid}`);
      if (view.operationsTotal > 3) expect(values).toContain(`ops:0:${view.uuid}`);
      expect(JSON.stringify(message.blocks.at(-1))).toContain(view.uuid);
      const full = renderReply({ kind: 'card', card: view, part: 'full' });
      if (view.operationsPageCount > 1) {
        expect(buttonsOf(full).map((b) => b.value)).toContain(`ops:1:${view.uuid}`);
      }
    }
  });
});
