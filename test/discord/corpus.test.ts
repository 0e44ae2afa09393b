/**
 * Every card of the real corpus, every part and every operations page, renders within Discord's
 * limits: by the project's checker and by discord.js's own builders (EmbedBuilder,
 * ActionRowBuilder, embedLength), so Discord refuses none of them.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReply } from '../../adapters/discord/render.js';
import { Bot } from '../../src/bot.js';
import { openLibrary } from '../../src/catalog/open.js';
import { cardReplies } from '../helpers/card-replies.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';
import { builderProblems } from './builders.js';
import { discordCardProblems } from './card-checks.js';
import { limitViolations } from './limits.js';

noteSkipped('Discord corpus rendering', ETDA_CARDS_DIR);

describe.skipIf(!hasEtdaCards)('Discord renderer on the ETDA corpus', () => {
  const library = hasEtdaCards
    ? openLibrary(ETDA_CARDS_DIR, join(tmpdir(), 'aptcard-test-cache'))
    : undefined;

  it('renders all 447 cards, every part and every operations page, within every limit', () => {
    const index = library!.current;
    expect(index.catalog.cards.length).toBeGreaterThanOrEqual(447);
    const problems: string[] = [];
    let renders = 0;
    let shortened = 0;
    for (const entry of index.catalog.cards) {
      for (const { reply, what } of cardReplies(entry, index.catalog)) {
        const checked = discordCardProblems(reply);
        renders++;
        for (const p of checked.problems) problems.push(`${reply.card.name} ${what}: ${p}`);
        if (checked.shortened) shortened++;
      }
    }
    expect(problems).toEqual([]);
    expect(renders).toBeGreaterThan(447 * 5);
    // The corpus has long cards: some answers must have been shortened (not rejected).
    expect(shortened).toBeGreaterThan(0);
  });

  it('sends the pictures of a few actors as attachments their embeds show', () => {
    const bot = new Bot(library!);
    for (const name of ['lazarus group', 'apt 28', 'sandworm team']) {
      const card = bot.query(name);
      if (card.kind !== 'card') throw new Error(`no card for ${name}`);
      const reply = bot.handle({ kind: 'action', text: `pics:${card.card.uuid}`, platform: 't' });
      if (reply?.kind !== 'pictures') throw new Error(`no pictures for ${name}`);
      const message = renderReply(reply);
      expect(limitViolations(message)).toEqual([]);
      expect(builderProblems(message)).toEqual([]);
      expect(message.embeds.map((e) => e.image?.url)).toEqual(
        (message.files ?? []).map((f) => `attachment://${f.name}`),
      );
      expect(message.files).toHaveLength(2);
    }
  });
});
