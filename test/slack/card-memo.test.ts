/**
 * The renderers memoize card messages per prepared card (adapters/shared/card-memo.ts, shared by both): a memoized
 * answer must be exactly what a fresh rendering of the same view gives, for every page and
 * option, and a view that differs in anything must never get another view's message.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReply as renderDiscord } from '../../adapters/discord/render.js';
import { renderReply as renderSlack } from '../../adapters/slack/render.js';
import { Bot } from '../../src/bot.js';
import type { CardView, Reply } from '../../src/core/types.js';
import { cardReply, slackLibrary, UUID } from './fixtures.js';

let bot: Bot;
beforeAll(() => {
  bot = new Bot(slackLibrary());
});

const card = (query: string, page = 0) => cardReply(bot, query, page);

/** The same view with no array shared with the core's prepared card: never a memo hit. */
function fresh(reply: Extract<Reply, { kind: 'card' }>): Extract<Reply, { kind: 'card' }> {
  return { ...reply, card: structuredClone(reply.card) };
}

const renderers = [
  ['slack', (r: Reply, share?: string, cmd?: string) => renderSlack(r, { share, cmd })],
  [
    'discord',
    (r: Reply, share?: string, cmd?: string) => renderDiscord(r, { share: !!share, cmd }),
  ],
] as const;

describe.each(renderers)('%s card memo', (_name, render) => {
  it('gives what a fresh rendering gives, for repeated requests and every option', () => {
    for (const query of ['apt 21', 'hammer panda', UUID.giant]) {
      for (const [share, cmd] of [
        [undefined, undefined],
        ['share:list:0:apt 21', undefined],
        ['share:list:0:hammer panda', '/actor'],
        [undefined, '@aptcard'],
      ] as const) {
        const first = render(card(query), share, cmd);
        const again = render(card(query), share, cmd);
        expect(again).toEqual(first);
        expect(again).toEqual(render(fresh(card(query)), share, cmd));
      }
    }
  });

  it('keeps operation pages apart', () => {
    expect(card(UUID.giant).card.operationsPageCount).toBeGreaterThan(1);
    const page0 = render(card(UUID.giant));
    const page1 = render(card(UUID.giant, 1));
    expect(page1).not.toEqual(page0);
    expect(render(card(UUID.giant, 1))).toEqual(render(fresh(card(UUID.giant, 1))));
    expect(render(card(UUID.giant))).toEqual(page0);
  });

  it('keeps the parts of a card apart', () => {
    const base = card('hammer panda');
    const parts = (['first', 'full', 'operations', 'techniques', 'sources'] as const).map((part) =>
      render({ ...base, part }),
    );
    for (const [i, a] of parts.entries()) {
      for (const b of parts.slice(i + 1)) expect(a).not.toEqual(b);
    }
    expect(render({ ...base, part: 'full' })).toEqual(render(fresh({ ...base, part: 'full' })));
  });

  it('never reuses a message for a view that differs in a field', () => {
    const base = card('apt 21');
    render(base);
    const renamed: CardView = { ...base.card, name: 'Someone Else' };
    const out = render({ kind: 'card', card: renamed });
    expect(out).toEqual(render({ kind: 'card', card: structuredClone(renamed) }));
    expect(JSON.stringify(out)).toContain('Someone Else');
    const reordered: CardView = { ...base.card, operations: [...base.card.operations].reverse() };
    expect(reordered.operations.length).toBeGreaterThan(1);
    expect(render({ kind: 'card', card: reordered })).toEqual(
      render({ kind: 'card', card: structuredClone(reordered) }),
    );
    const fewerOps: CardView = { ...base.card, operations: base.card.operations.slice(1) };
    expect(render({ kind: 'card', card: fewerOps })).toEqual(
      render({ kind: 'card', card: structuredClone(fewerOps) }),
    );
  });
});
