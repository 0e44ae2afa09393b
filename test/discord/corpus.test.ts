/** Every card of the real corpus, on every operations page, renders within Discord's limits. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReply } from '../../adapters/discord/render.js';
import { openLibrary } from '../../src/catalog/open.js';
import { decodeAction } from '../../src/reply/actions.js';
import { cardView } from '../../src/reply/build.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';
import { limitViolations } from './limits.js';

noteSkipped('Discord corpus rendering', ETDA_CARDS_DIR);

describe.skipIf(!hasEtdaCards)('Discord renderer on the ETDA corpus', () => {
  it('renders all 447 cards, every operations page, within every limit', () => {
    const index = openLibrary(ETDA_CARDS_DIR, join(tmpdir(), 'aptcard-test-cache')).current;
    expect(index.catalog.cards.length).toBeGreaterThanOrEqual(447);
    const problems: string[] = [];
    let renders = 0;
    let shortened = 0;
    for (const entry of index.catalog.cards) {
      const pages = cardView(entry, index.catalog).operationsPageCount;
      for (let page = 0; page < pages; page++) {
        const card = cardView(entry, index.catalog, page);
        const message = renderReply({ kind: 'card', card }, { share: true });
        renders++;
        for (const v of limitViolations(message)) problems.push(`${card.name} p${page}: ${v}`);
        for (const row of message.components) {
          for (const c of row.components) {
            const id = 'custom_id' in c ? c.custom_id : '';
            const action = id.startsWith('pick:') ? 'show:x' : id.replace(/^share:/, '');
            if (!decodeAction(action)) problems.push(`${card.name}: undecodable ${id}`);
          }
        }
        const embed = message.embeds[0];
        expect(embed?.title).toBeTruthy();
        expect(embed?.footer?.text).toContain(card.uuid);
        if (JSON.stringify(embed).includes('…')) shortened++;
      }
    }
    expect(problems).toEqual([]);
    expect(renders).toBeGreaterThan(447);
    // The corpus has long cards: some answers must have been shortened (not rejected).
    expect(shortened).toBeGreaterThan(0);
  });
});
