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
  it('a card: newer and older operations pages, share it as shown, open related actors', () => {
    const actions = nextActions({ kind: 'card', card: card() });
    expect(pageActions(actions).map((p) => [p.direction, p.action])).toEqual([
      ['back', { type: 'ops', uuid: uuid(0), page: 0 }],
      ['forward', { type: 'ops', uuid: uuid(0), page: 2 }],
    ]);
    expect(shareOf(actions)).toEqual({
      kind: 'share',
      action: { type: 'ops', uuid: uuid(0), page: 1 },
      question: false,
    });
    expect(openActions(actions, 'related').map((o) => [o.ref.name, o.ref.subgroup])).toEqual([
      ['Actor 7', true],
    ]);
    const first = nextActions({ kind: 'card', card: card({ operationsPage: 0 }) });
    expect(shareOf(first)?.action).toEqual({ type: 'show', uuid: uuid(0) });
    expect(pageActions(first).map((p) => p.direction)).toEqual(['forward']);
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

  it('the console offers the next page as "more"', async () => {
    const bot: ConsoleBot = {
      answer: async () => list,
      handle: () => list,
      pictures: () => undefined,
      cardCount: 25,
    };
    const text = (await new ConsoleSession(bot).answer('/apt country:atlantis')) ?? '';
    expect(text).toMatch(/\(type "more" for page 3 of 3\)$/);
  });
});
