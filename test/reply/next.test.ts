/**
 * What the user can do next is decided once (src/reply/next.ts): every kind of reply offers
 * the actions it should, and the console, Slack and Discord offer exactly those.
 */
import { describe, expect, it } from 'vitest';
import { type ConsoleBot, ConsoleSession } from '../../adapters/console/index.js';
import { renderReply as renderDiscord } from '../../adapters/discord/render.js';
import { renderReply as renderSlack } from '../../adapters/slack/render.js';
import type { ActorRef, CardView, Reply } from '../../src/core/types.js';
import { encodeAction } from '../../src/reply/actions.js';
import {
  nextActions,
  openActions,
  pageActions,
  partActions,
  shareAction,
  shareOf,
} from '../../src/reply/next.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ref = (n: number): ActorRef => ({
  uuid: uuid(n),
  name: `Actor ${n}`,
  country: 'Atlantis',
  aliases: [],
});

function card(overrides: Partial<CardView> = {}): CardView {
  return {
    uuid: uuid(0),
    name: 'Actor 0',
    otherNames: [],
    aliases: [],
    firstSeen: '',
    lastModified: '',
    countries: [],
    sponsor: '',
    motivations: [],
    sectors: [],
    targets: [],
    tools: [],
    techniques: { total: 0, tactics: [], attackUrl: '' },
    software: [],
    references: [],
    description: [],
    operations: [],
    operationsTotal: 12,
    operationsPage: 1,
    operationsPageCount: 3,
    counterOperations: [],
    related: [{ ...ref(7), subgroup: true }],
    ...overrides,
  };
}

const list: Reply = {
  kind: 'list',
  query: 'country:atlantis',
  total: 25,
  page: 1,
  pageCount: 3,
  items: [ref(1), ref(2)],
};

describe('nextActions', () => {
  it('a page of operations: newer and older pages, the full card, share that page', () => {
    const actions = nextActions({ kind: 'card', card: card(), part: 'operations' });
    expect(pageActions(actions).map((p) => [p.direction, p.action])).toEqual([
      ['back', { type: 'ops', uuid: uuid(0), page: 0 }],
      ['forward', { type: 'ops', uuid: uuid(0), page: 2 }],
    ]);
    expect(partActions(actions).map((p) => p.action)).toEqual([
      { type: 'part', part: 'full', uuid: uuid(0) },
    ]);
    expect(shareOf(actions)).toEqual({
      kind: 'share',
      action: { type: 'ops', uuid: uuid(0), page: 1 },
      question: false,
    });
    // Related actors belong to the card, not to a page of its operations.
    expect(openActions(actions, 'related')).toEqual([]);
  });

  it('the first screen: Full card, More operations, Techniques, Sources, Map & timeline, in that order', () => {
    const first = card({
      operationsPage: 0,
      techniques: { total: 2, tactics: [], attackUrl: '' },
      references: [{ label: 'Report', url: 'https://example.org/r' }],
      targets: ['Atlantis'],
    });
    const actions = nextActions({ kind: 'card', card: first });
    expect(
      actions
        .filter((a) => a.kind === 'part' || a.kind === 'page')
        .map((a) => (a.kind === 'part' ? a.part : `page ${a.page} of ${a.pages}`)),
    ).toEqual(['full', 'page 0 of 3', 'techniques', 'sources', 'pictures']);
    expect(partActions(actions).map((p) => p.action)).toEqual([
      { type: 'part', part: 'full', uuid: uuid(0) },
      { type: 'part', part: 'techniques', uuid: uuid(0) },
      { type: 'part', part: 'sources', uuid: uuid(0) },
      { type: 'pictures', uuid: uuid(0) },
    ]);
    expect(shareOf(actions)?.action).toEqual({ type: 'show', uuid: uuid(0) });
    expect(openActions(actions, 'related').map((o) => [o.ref.name, o.ref.subgroup])).toEqual([
      ['Actor 7', true],
    ]);
  });

  it('offers only what would show something more', () => {
    // Three operations all fit on the first screen; nothing to draw, no techniques, no sources.
    const small = card({ operationsPage: 0, operationsTotal: 3, operationsPageCount: 1 });
    const actions = nextActions({ kind: 'card', card: small });
    expect(pageActions(actions)).toEqual([]);
    expect(partActions(actions).map((p) => p.part)).toEqual(['full', 'pictures']);
    const bare = card({ operationsPage: 0, operationsTotal: 0, operationsPageCount: 1 });
    expect(partActions(nextActions({ kind: 'card', card: bare })).map((p) => p.part)).toEqual([
      'full',
    ]);
  });

  it('the full card pages on from its own operations and shares itself; other parts go back to it', () => {
    const full = nextActions({ kind: 'card', card: card({ operationsPage: 0 }), part: 'full' });
    expect(pageActions(full).map((p) => p.action)).toEqual([
      { type: 'ops', uuid: uuid(0), page: 1 },
    ]);
    expect(partActions(full).map((p) => p.part)).not.toContain('full');
    expect(shareOf(full)?.action).toEqual({ type: 'part', part: 'full', uuid: uuid(0) });
    for (const part of ['techniques', 'sources'] as const) {
      const actions = nextActions({ kind: 'card', card: card({ operationsPage: 0 }), part });
      expect(actions.map((a) => a.kind)).toEqual(['part', 'share']);
      expect(shareOf(actions)?.action).toEqual({ type: 'part', part, uuid: uuid(0) });
    }
  });

  it('pictures offer nothing more and are not shared', () => {
    const pictures: Reply = { kind: 'pictures', actor: { uuid: uuid(0), name: 'Actor 0' } };
    expect(nextActions(pictures)).toEqual([]);
    expect(shareAction(pictures)).toBeUndefined();
  });

  it('a list: open each item, previous and next page, share the page', () => {
    const actions = nextActions(list);
    expect(openActions(actions, 'item').map((o) => o.action)).toEqual([
      { type: 'show', uuid: uuid(1) },
      { type: 'show', uuid: uuid(2) },
    ]);
    expect(pageActions(actions).map((p) => [p.of, p.page, p.pages])).toEqual([
      ['list', 0, 3],
      ['list', 2, 3],
    ]);
    expect(shareOf(actions)?.action).toEqual({ type: 'list', query: 'country:atlantis', page: 1 });
  });

  it('a question back is shareable only as a question; a known query is asked again', () => {
    const ambiguous: Reply = {
      kind: 'ambiguous',
      query: 'twin',
      reason: 'close',
      candidates: [ref(1), ref(2)],
    };
    expect(openActions(nextActions(ambiguous), 'candidate')).toHaveLength(2);
    expect(shareAction(ambiguous)).toEqual({
      kind: 'share',
      action: { type: 'list', query: 'twin', page: 0 },
      question: true,
    });
    expect(shareAction({ kind: 'card', card: card() }, { query: 'hamer panda' })?.action).toEqual({
      type: 'list',
      query: 'hamer panda',
      page: 0,
    });
  });

  it('suggestions and mentioned actors open their cards; other replies offer nothing', () => {
    const none: Reply = {
      kind: 'none',
      query: 'x',
      suggestions: [{ ...ref(3), why: 'same-prefix' }],
    };
    expect(openActions(nextActions(none), 'suggestion').map((o) => o.ref.why)).toEqual([
      'same-prefix',
    ]);
    const enrichment: Reply = {
      kind: 'enrichment',
      actors: [{ ...ref(4), firstSeen: '', topAliases: [], matched: ['Actor 4'] }],
    };
    expect(openActions(nextActions(enrichment), 'mentioned')).toHaveLength(1);
    for (const reply of [
      { kind: 'help', topic: 'usage' },
      { kind: 'smalltalk', mood: 'thanks' },
      { kind: 'error', message: 'x' },
    ] satisfies Reply[]) {
      expect(nextActions(reply)).toEqual([]);
      expect(shareAction(reply)).toBeUndefined();
    }
  });
});

describe('every surface offers what the core decided', () => {
  const pages = pageActions(nextActions(list)).map((p) => encodeAction(p.action));

  it('Slack and Discord page a list with the same actions', () => {
    const slackValues = renderSlack(list).blocks.flatMap((b) =>
      b.type === 'actions' ? b.elements.map((e) => ('value' in e ? e.value : '')) : [],
    );
    const discordIds = renderDiscord(list).components.flatMap((r) =>
      r.components.map((c) => ('custom_id' in c ? c.custom_id : '')),
    );
    for (const action of pages) {
      expect(slackValues).toContain(action);
      expect(discordIds).toContain(action);
    }
  });

  it("Slack, Discord and the console offer a card's moves in the core's order", async () => {
    const reply: Reply = {
      kind: 'card',
      card: card({
        operationsPage: 0,
        techniques: { total: 2, tactics: [], attackUrl: '' },
        references: [{ label: 'Report', url: 'https://example.org/r' }],
        targets: ['Atlantis'],
      }),
    };
    const moves = nextActions(reply)
      .filter((a) => a.kind === 'part' || a.kind === 'page')
      .map((a) => encodeAction(a.action));
    expect(moves).toEqual([
      `full:${uuid(0)}`,
      `ops:0:${uuid(0)}`,
      `tech:${uuid(0)}`,
      `src:${uuid(0)}`,
      `pics:${uuid(0)}`,
    ]);
    const slackValues = renderSlack(reply).blocks.flatMap((b) =>
      b.type === 'actions' ? b.elements.map((e) => ('value' in e ? e.value : '')) : [],
    );
    const discordIds = renderDiscord(reply).components.flatMap((r) =>
      r.components.map((c) => ('custom_id' in c ? c.custom_id : '')),
    );
    expect(slackValues.slice(0, moves.length)).toEqual(moves);
    expect(discordIds.slice(0, moves.length)).toEqual(moves);
    const bot: ConsoleBot = {
      answer: async () => reply,
      handle: () => reply,
      pictures: async () => undefined,
      cardCount: 1,
    };
    const text = (await new ConsoleSession(bot).answer('/apt actor 0')) ?? '';
    expect(text.split('\n').at(-1)).toBe(
      '(type "full" for the full card, "more" for operations page 1 of 3, "techniques", "sources", "pictures" for the map and timeline)',
    );
  });

  it('the console offers the next page as "more"', async () => {
    const bot: ConsoleBot = {
      answer: async () => list,
      handle: () => list,
      pictures: async () => undefined,
      cardCount: 25,
    };
    const text = (await new ConsoleSession(bot).answer('/apt country:atlantis')) ?? '';
    expect(text).toMatch(/\(type "more" for page 3 of 3\)$/);
  });
});
