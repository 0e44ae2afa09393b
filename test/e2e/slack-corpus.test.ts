/**
 * The longest cards of the real corpus through the real Bolt App (HTTP mode, signed slash
 * commands and button presses): every answer within Block Kit's limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackAdapter, startSlack } from '../../adapters/slack/index.js';
import { Bot } from '../../src/bot.js';
import { openLibrary } from '../../src/catalog/open.js';
import {
  BOT_ID,
  BOT_USER_ID,
  blockAction,
  FakeSlack,
  form,
  postSigned,
  slashCommand,
} from '../fakes/slack.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';
import { blockKitProblems, buttonsOf } from '../slack/limits.js';

noteSkipped('Slack end-to-end over the longest ETDA cards', ETDA_CARDS_DIR);

const SECRET = 'corpus-secret';

describe.skipIf(!hasEtdaCards)('longest corpus cards through Bolt', () => {
  let fake: FakeSlack;
  let adapter: SlackAdapter;
  let bot: Bot;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    bot = new Bot(openLibrary(ETDA_CARDS_DIR, false));
    adapter = await startSlack(
      bot,
      {
        botToken: 'xoxb-corpus',
        signingSecret: SECRET,
        apiUrl: fake.apiUrl,
        port: 0,
        answerInChannel: false,
      },
      { host: '127.0.0.1', botUserId: BOT_USER_ID, botId: BOT_ID, processBeforeResponse: true },
    );
    // Parsing and indexing 447 cards: seconds, many more on a busy shared machine.
  }, 120_000);

  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
  });

  it('answers /apt for the ten longest cards, and pages through all their operations', async () => {
    const longest = [...bot.library.current.catalog.cards]
      .map((entry) => ({ entry, size: JSON.stringify(entry.card).length }))
      .sort((a, b) => b.size - a.size)
      .slice(0, 10)
      .map(({ entry }) => entry.card);
    expect(longest.length).toBe(10);
    let pages = 0;
    for (const card of longest) {
      const res = await postSigned(
        `${adapter.url}/slack/events`,
        form(slashCommand({ text: card.uuid, responseUrl: fake.responseUrl(card.uuid) })),
        { secret: SECRET },
      );
      expect(res.status).toBe(200);
      expect(blockKitProblems(res.json ?? {})).toEqual([]);
      expect(JSON.stringify(res.json)).toContain(card.uuid);
      let next = buttonsOf(res.json ?? {}).find(
        (b) => b.value.startsWith('ops:') && b.label.startsWith('More'),
      );
      while (next) {
        const id = `${card.uuid}-${++pages}`;
        await postSigned(
          `${adapter.url}/slack/events`,
          form({
            payload: blockAction({
              actionId: next.actionId,
              value: next.value,
              responseUrl: fake.responseUrl(id),
              ephemeral: true,
            }),
          }),
          { secret: SECRET },
        );
        const [page] = fake.responsesTo(id);
        expect(page).toBeDefined();
        expect(blockKitProblems(page ?? {})).toEqual([]);
        next = buttonsOf(page ?? {}).find(
          (b) => b.value.startsWith('ops:') && b.label.startsWith('More'),
        );
      }
    }
    // Lazarus alone has 86 operations: many pages were walked.
    expect(pages).toBeGreaterThan(20);
  }, 60_000);
});
