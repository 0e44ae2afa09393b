/**
 * Honest fallbacks on every surface: closest matches say so, near misses say why they are
 * suggested, small talk is not a query, and status tells how old the data is.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { renderReply as renderDiscord } from '../../adapters/discord/render.js';
import { renderReply as renderSlack } from '../../adapters/slack/render.js';
import { Bot } from '../../src/bot.js';
import { Library } from '../../src/catalog/library.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { catalogStatus } from '../../src/catalog/status.js';
import type { Reply } from '../../src/core/types.js';
import { renderText } from '../../src/reply/text.js';
import { SearchIndex } from '../../src/search/index.js';
import { COPPER, cardsFolder, makeCard, SPARROW, VIPER } from '../helpers/cards.js';

const CHEERS = makeCard({
  uuid: '99999999-9999-4999-8999-999999999999',
  names: ['Cheers'],
  aliases: [{ name: 'Cheers', vendor: '' }],
});
const { dir, cleanup } = cardsFolder({}, [COPPER, VIPER, SPARROW, CHEERS]);
afterAll(cleanup);
const catalog = loadCatalog(dir, { cacheDir: false });
const bot = new Bot(new Library(new SearchIndex(catalog)));
const ask = (text: string, kind: 'command' | 'mention' = 'command') =>
  bot.handle({ kind, text, platform: 't' });

/** Every text a Slack message or Discord message shows. */
const slackText = (reply: Reply) => JSON.stringify(renderSlack(reply));
const discordText = (reply: Reply) => JSON.stringify(renderDiscord(reply));

describe('closest matches', () => {
  const reply = ask('quiet heronn');

  it('are cards that say which name they are like', () => {
    expect(reply).toMatchObject({
      kind: 'card',
      closest: { query: 'quiet heronn', name: 'Quiet Heron' },
    });
    expect(ask('Quiet Heron')).not.toHaveProperty('closest');
  });

  it('say so in the console, in Slack and in Discord', () => {
    if (!reply) throw new Error('no reply');
    const line = 'Closest match for \\"quiet heronn\\": Quiet Heron (Copper Lantern)';
    expect(renderText(reply)).toMatch(
      /^Closest match for "quiet heronn": Quiet Heron \(Copper Lantern\)\n\nCopper Lantern/,
    );
    expect(slackText(reply)).toContain(line);
    expect(renderDiscord(reply).content).toBe(
      'Closest match for "quiet heronn": Quiet Heron (Copper Lantern)',
    );
    // The exact card is rendered without the line (the memoized card is not changed).
    const exact = ask('Quiet Heron');
    if (!exact) throw new Error('no reply');
    expect(slackText(exact)).not.toContain('Closest match');
    expect(renderDiscord(exact).content).toBeUndefined();
  });

  it('never let a query ping in the closest line', () => {
    const hostile: Reply = {
      kind: 'card',
      card: (ask('Quiet Heron') as Extract<Reply, { kind: 'card' }>).card,
      closest: { query: '<!channel> @everyone quiet', name: 'Quiet Heron' },
    };
    expect(slackText(hostile)).not.toContain('<!channel>');
    expect(renderDiscord(hostile).content).not.toMatch(/@everyone/);
  });
});

describe('near misses', () => {
  it('answer none, with the reason for each suggestion, on every surface', () => {
    const reply = ask('APT 98');
    expect(reply).toMatchObject({
      kind: 'none',
      suggestions: [{ name: 'Copper Lantern', why: 'same-prefix', alias: 'APT 99' }],
    });
    if (!reply) throw new Error('no reply');
    expect(renderText(reply)).toBe(
      'No card for "APT 98". Did you mean:\n  Same prefix: Copper Lantern (as APT 99)',
    );
    expect(slackText(reply)).toContain('same prefix: Copper Lantern (as APT 99)');
    expect(discordText(reply)).toContain('Same prefix: Copper Lantern (as APT 99)');
  });

  it('say that no card has an id, and suggest nothing', () => {
    const reply = ask('G0007');
    expect(reply).toMatchObject({
      kind: 'none',
      missingId: 'the ATT&CK group id G0007',
      suggestions: [],
    });
    if (!reply) throw new Error('no reply');
    expect(renderText(reply)).toBe(
      'No card has the ATT&CK group id G0007. Try a name or alias, or /apt help.',
    );
    expect(slackText(reply)).toContain('No card has the ATT&amp;CK group id G0007');
    expect(renderDiscord(reply).embeds[0]?.title).toBe('No card has the ATT&CK group id G0007');
  });
});

describe('small talk', () => {
  it('gets a short line, never a list of actors, as a command or a mention', () => {
    for (const text of ['thanks', 'hello', 'good morning team', 'ok', 'lol', 'thank you!']) {
      expect(ask(text)?.kind, text).toBe('smalltalk');
      expect(ask(text, 'mention')?.kind, `@ ${text}`).toBe('smalltalk');
    }
    expect(ask('', 'mention')).toEqual({ kind: 'help', topic: 'empty' });
    const thanks = ask('thanks');
    if (!thanks) throw new Error('no reply');
    expect(renderText(thanks)).toBe('You are welcome.');
    expect(slackText(thanks)).toContain('You are welcome.');
    expect(discordText(thanks)).toContain('You are welcome.');
  });

  it('yields to a card that really has that name', () => {
    expect(ask('cheers')).toMatchObject({ kind: 'card', card: { name: 'Cheers' } });
  });
});

describe('query mistakes', () => {
  it('are errors, not a wider answer or "no match"', () => {
    expect(ask('since:2019-13')).toMatchObject({ kind: 'error' });
    expect(ask('country:china since:2019-13')).toMatchObject({ kind: 'error' });
    expect(ask('until:2010 since:2020')).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/since:2020 is after until:2010/),
    });
  });
});

describe('status', () => {
  it('counts actors and cards by source, with the newest change', () => {
    const status = catalogStatus(catalog);
    // COPPER, VIPER and SPARROW have a "Source last modified" date; Cheers has none.
    expect(status).toMatchObject({
      actors: 4,
      cards: 4,
      sources: [
        { name: 'ETDA', cards: 3 },
        { name: 'hand-written', cards: 1 },
      ],
      newestChange: '2023-03-03',
    });
    const reply = ask('status');
    if (!reply) throw new Error('no reply');
    expect(renderText(reply)).toBe(
      '4 actors from 4 cards. Sources: ETDA (3 cards), hand-written (1 card).\nData as of 2023-03 (newest card change: 2023-03-03).',
    );
    expect(slackText(reply)).toContain('Data as of 2023-03');
    expect(discordText(reply)).toContain('Data as of 2023-03');
  });
});
