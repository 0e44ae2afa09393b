import { afterAll, describe, expect, it } from 'vitest';
import { Bot, queryFromMention } from '../../src/bot.js';
import { Library } from '../../src/catalog/library.js';
import { loadCatalog } from '../../src/catalog/load.js';
import type { Reply } from '../../src/core/types.js';
import { decodeAction, encodeAction, isExpiredQueryRef } from '../../src/reply/actions.js';
import { cardView, newestFirst, OPERATIONS_PER_PAGE } from '../../src/reply/build.js';
import { renderText } from '../../src/reply/text.js';
import { SearchIndex } from '../../src/search/index.js';
import { BUSY, COPPER, cardsFolder, SPARROW, VIPER } from '../helpers/cards.js';

const busy = BUSY;
const { dir, cleanup } = cardsFolder({}, [COPPER, VIPER, SPARROW, busy]);
afterAll(cleanup);
const catalog = loadCatalog(dir, { cacheDir: false });
const bot = new Bot(new Library(new SearchIndex(catalog)));

function card(reply: Reply | null) {
  if (reply?.kind !== 'card') throw new Error(`expected a card, got ${reply?.kind}`);
  return reply.card;
}

describe('cardView', () => {
  const view = cardView(catalog.byUuid.get(COPPER.uuid)!, catalog);

  it('resolves cross-links into segments and related actors', () => {
    expect(view.description[1]).toEqual([
      { kind: 'text', text: 'It shares tooling with ' },
      { kind: 'link', text: 'Glass Viper', subgroup: false, uuid: VIPER.uuid },
      { kind: 'text', text: ' and has a subgroup, ' },
      { kind: 'link', text: 'Tin Sparrow', subgroup: true, uuid: SPARROW.uuid },
      { kind: 'text', text: '.' },
    ]);
    expect(view.related.map((r) => [r.name, r.subgroup])).toEqual([
      ['Glass Viper', false],
      ['Tin Sparrow', true],
    ]);
  });

  it('lists operations newest first, undated last', () => {
    expect(view.operations.map((o) => o.date)).toEqual(['2021/2022', '2019 Late', '2014-08']);
    expect(
      newestFirst([{ date: '', title: 'x', text: '', sources: [] }, ...COPPER.operations])[3]
        ?.title,
    ).toBe('x');
  });

  it('places a vague date by the month it starts in, never above a month it may contain', () => {
    const op = (date: string) => ({ date, title: date, text: '', sources: [] });
    const dates = [
      '2023 Early',
      '2022',
      '2023-08',
      '2023',
      '2023-01',
      '2023 Late',
      '2019/2020',
      '2023-07',
      '',
    ];
    expect(newestFirst(dates.map(op)).map((o) => o.date)).toEqual([
      '2023-08',
      '2023-07',
      '2023 Late',
      '2023-01',
      '2023 Early',
      '2023',
      '2022',
      '2019/2020',
      '',
    ]);
  });

  it('pages operations', () => {
    const entry = catalog.byUuid.get(busy.uuid)!;
    const first = cardView(entry, catalog, 0);
    expect(first.operationsTotal).toBe(12);
    expect(first.operationsPageCount).toBe(3);
    expect(first.operations).toHaveLength(OPERATIONS_PER_PAGE);
    expect(first.operations[0]?.title).toBe('Operation 11');
    const last = cardView(entry, catalog, 99);
    expect(last.operationsPage).toBe(2);
    expect(last.operations.map((o) => o.title)).toEqual(['Operation 1', 'Operation 0']);
  });
});

describe('actions', () => {
  it('round-trips every action kind', () => {
    for (const action of [
      { type: 'show', uuid: COPPER.uuid },
      { type: 'ops', uuid: COPPER.uuid, page: 2 },
      { type: 'list', query: 'country:"north korea" sector:energy', page: 1 },
      { type: 'part', part: 'full', uuid: COPPER.uuid },
      { type: 'part', part: 'techniques', uuid: COPPER.uuid },
      { type: 'part', part: 'sources', uuid: COPPER.uuid },
      { type: 'pictures', uuid: COPPER.uuid },
    ] as const) {
      const encoded = encodeAction(action);
      expect(encoded?.length).toBeLessThanOrEqual(100);
      expect(decodeAction(encoded ?? '')).toEqual(action);
    }
  });

  it('carries a list query too long for a button by a short reference, per page', () => {
    const query = `country:china ${'sector:government '.repeat(20)}`.trim();
    const first = encodeAction({ type: 'list', query, page: 0 });
    const third = encodeAction({ type: 'list', query, page: 2 });
    expect(first).toMatch(/^qref:0:[\w-]{16}$/);
    expect(third?.slice(7)).toBe(first?.slice(7));
    expect(decodeAction(first ?? '')).toEqual({ type: 'list', query, page: 0 });
    expect(decodeAction(third ?? '')).toEqual({ type: 'list', query, page: 2 });
  });

  it('says a long-query button has expired once its query is no longer kept', () => {
    expect(decodeAction('qref:0:AAAAAAAAAAAAAAAA')).toBeUndefined();
    expect(isExpiredQueryRef('qref:0:AAAAAAAAAAAAAAAA')).toBe(true);
    expect(isExpiredQueryRef('show:x')).toBe(false);
    expect(bot.handle({ kind: 'action', text: 'qref:1:AAAAAAAAAAAAAAAA', platform: 't' })).toEqual({
      kind: 'error',
      message: 'That list has expired: run the query again.',
    });
    // The thousand most recent long queries are kept; older ones expire.
    const refs = Array.from(
      { length: 1001 },
      (_, i) => encodeAction({ type: 'list', query: `${'y'.repeat(100)} ${i}`, page: 0 }) ?? '',
    );
    expect(decodeAction(refs[0]!)).toBeUndefined();
    expect(decodeAction(refs[1]!)).toMatchObject({ type: 'list', query: `${'y'.repeat(100)} 1` });
    expect(decodeAction(refs[1000]!)).toMatchObject({ type: 'list' });
  });

  it('reads buttons posted before the card parts exactly as before', async () => {
    expect(decodeAction(`show:${COPPER.uuid}`)).toEqual({ type: 'show', uuid: COPPER.uuid });
    expect(decodeAction(`ops:1:${COPPER.uuid}`)).toEqual({
      type: 'ops',
      uuid: COPPER.uuid,
      page: 1,
    });
    expect(decodeAction('list:2:country:iran')).toEqual({
      type: 'list',
      query: 'country:iran',
      page: 2,
    });
    expect(encodeAction({ type: 'part', part: 'full', uuid: COPPER.uuid })).toBe(
      `full:${COPPER.uuid}`,
    );
    expect(encodeAction({ type: 'pictures', uuid: COPPER.uuid })).toBe(`pics:${COPPER.uuid}`);
    // An old "More operations" button opens that page of operations; "show" the first screen.
    const page = bot.handle({ kind: 'action', text: `ops:0:${COPPER.uuid}`, platform: 't' });
    expect(page).toMatchObject({ kind: 'card', part: 'operations', card: { operationsPage: 0 } });
    const first = bot.handle({ kind: 'action', text: `show:${COPPER.uuid}`, platform: 't' });
    expect(first?.kind).toBe('card');
    // No part: the first screen.
    expect(first?.kind === 'card' ? (first.part ?? 'first') : '').toBe('first');
    const full = bot.handle({ kind: 'action', text: `full:${COPPER.uuid}`, platform: 't' });
    expect(full).toMatchObject({ kind: 'card', part: 'full' });
    const gone = await bot.answer({ kind: 'action', text: 'pics:no-such-card', platform: 't' });
    expect(gone).toEqual({ kind: 'error', message: 'That card is no longer in the catalog.' });
  });

  it('the pictures of a card: both PNGs, its name (drawn through `answer`, not `handle`)', async () => {
    const reply = await bot.answer({ kind: 'action', text: `pics:${COPPER.uuid}`, platform: 't' });
    if (reply?.kind !== 'pictures') throw new Error(`expected pictures, got ${reply?.kind}`);
    expect(reply.actor).toEqual({ uuid: COPPER.uuid, name: 'Copper Lantern' });
    expect(reply.map?.png.subarray(1, 4).toString()).toBe('PNG');
    expect(reply.timeline?.png.subarray(1, 4).toString()).toBe('PNG');
    // `handle` answers at once and never loads the picture libraries.
    expect(
      bot.handle({ kind: 'action', text: `pics:${COPPER.uuid}`, platform: 't' }),
    ).toMatchObject({
      kind: 'error',
    });
  });

  it('refuses what does not parse', () => {
    for (const bad of [
      '',
      'show:',
      'ops:x:uuid',
      'list:-1:q',
      'qref:x:id',
      'nuke:all',
      'full:',
      'tech:a:b',
      'pics:',
    ]) {
      expect(decodeAction(bad)).toBeUndefined();
    }
  });
});

describe('Bot', () => {
  it('answers commands with every reply kind', () => {
    expect(bot.handle({ kind: 'command', text: 'apt 99', platform: 't' })?.kind).toBe('card');
    expect(bot.handle({ kind: 'command', text: 'night owl', platform: 't' })?.kind).toBe(
      'ambiguous',
    );
    expect(bot.handle({ kind: 'command', text: 'country:china', platform: 't' })).toMatchObject({
      kind: 'list',
      total: 2,
      page: 0,
      pageCount: 1,
    });
    expect(bot.handle({ kind: 'command', text: 'zzzzqqqq', platform: 't' })?.kind).toBe('none');
    expect(bot.handle({ kind: 'command', text: '', platform: 't' })).toEqual({
      kind: 'help',
      topic: 'empty',
    });
    expect(bot.handle({ kind: 'command', text: 'HELP', platform: 't' })).toEqual({
      kind: 'help',
      topic: 'usage',
    });
    expect(bot.handle({ kind: 'command', text: 'country:', platform: 't' })).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/needs a value/),
    });
  });

  it('strips the chatter around a mention', () => {
    expect(queryFromMention('who is TEMP.Zhenbao?')).toBe('TEMP.Zhenbao');
    expect(queryFromMention("hey, what's APT 21")).toBe('APT 21');
    expect(queryFromMention('tell me about the group Glass Viper!!')).toBe('Glass Viper');
    expect(queryFromMention('Glass Viper')).toBe('Glass Viper');
    // Pings before the question are for people, not part of it.
    expect(queryFromMention('@everyone who is APT 21?')).toBe('APT 21');
    expect(queryFromMention('<!here> <@U012ABC>, Glass Viper')).toBe('Glass Viper');
    expect(queryFromMention('<@&123456789> @here: what is Glass Viper')).toBe('Glass Viper');
    expect(queryFromMention('@everyonelse Glass Viper')).toBe('@everyonelse Glass Viper');
    // A number after "group" or "actor" is part of the name.
    expect(queryFromMention('who is Group 72?')).toBe('Group 72');
    expect(queryFromMention('the actor 1')).toBe('the actor 1');
    expect(
      card(bot.handle({ kind: 'mention', text: '@everyone who is Quiet Heron?', platform: 't' }))
        .name,
    ).toBe('Copper Lantern');
    expect(
      card(bot.handle({ kind: 'mention', text: 'who is Quiet Heron?', platform: 't' })).name,
    ).toBe('Copper Lantern');
  });

  it('answers a question typed as a command by the name it asks about', () => {
    const asked = (text: string) => bot.handle({ kind: 'command', text, platform: 't' });
    expect(card(asked('who is Quiet Heron?')).name).toBe('Copper Lantern');
    expect(card(asked('tell me about apt 99')).name).toBe(card(asked('apt 99')).name);
    // A number no card has: an honest "no card" for the name, not the prose of the question.
    expect(asked('who is apt 98?')).toMatchObject({ kind: 'none' });
    expect(bot.search('who is apt 98?').answer.query).toBe('apt 98');
    expect(asked('show me country:china')).toMatchObject({ kind: 'list', total: 2 });
  });

  it('runs button actions, and refuses stale ones', () => {
    expect(
      card(bot.handle({ kind: 'action', text: `ops:1:${busy.uuid}`, platform: 't' }))
        .operationsPage,
    ).toBe(1);
    expect(
      card(bot.handle({ kind: 'action', text: `show:${VIPER.uuid}`, platform: 't' })).name,
    ).toBe('Glass Viper');
    expect(bot.handle({ kind: 'action', text: 'list:0:tool:plugx', platform: 't' })).toMatchObject({
      kind: 'list',
      total: 2,
    });
    expect(
      bot.handle({
        kind: 'action',
        text: 'show:00000000-0000-4000-8000-000000000000',
        platform: 't',
      }),
    ).toMatchObject({
      kind: 'error',
      message: 'That card is no longer in the catalog.',
    });
    expect(bot.handle({ kind: 'action', text: 'garbage', platform: 't' })?.kind).toBe('error');
  });

  it('says nothing on an ordinary message without an enricher, and never for bots', async () => {
    expect(await bot.answer({ kind: 'message', text: 'lunch?', platform: 't' })).toBeNull();
    const enriching = new Bot(bot.library, {
      enricher: { enrich: async () => ({ kind: 'enrichment', actors: [] }) },
    });
    expect((await enriching.answer({ kind: 'message', text: 'x', platform: 't' }))?.kind).toBe(
      'enrichment',
    );
    expect(
      await enriching.answer({ kind: 'message', text: 'x', platform: 't', fromBot: true }),
    ).toBeNull();
  });

  it('turns a handler error into a short apology instead of throwing', async () => {
    const broken = new Bot(bot.library, {
      enricher: {
        enrich: () => {
          throw new Error('secret internals');
        },
      },
    });
    expect(await broken.answer({ kind: 'message', text: 'x', platform: 't' })).toEqual({
      kind: 'error',
      message: 'Sorry, something went wrong answering that.',
    });
  });

  it('offers autocomplete choices with the actor name', () => {
    expect(bot.complete('quiet')).toEqual([
      { label: 'Quiet Heron (Copper Lantern)', value: 'Quiet Heron' },
    ]);
    expect(bot.complete('', 2)).toHaveLength(2);
  });
});

describe('plain-text renderer', () => {
  const render = (text: string) =>
    renderText(bot.handle({ kind: 'command', text, platform: 't' })!);

  it('opens a card with the first screen: names, aliases, facts, the latest operations, the tools', () => {
    const text = render('apt 99');
    expect(text).toMatch(/^Copper Lantern, APT 99, Quiet Heron\n=+\nAliases: /);
    const lines = text.split('\n');
    const at = (label: string) => lines.findIndex((l) => l.startsWith(label));
    const order = ['Aliases:', 'Country:', 'Sponsor:', 'First seen:', 'Latest activity:'].map(at);
    expect(order.every((n, i) => n > 0 && (i === 0 || n > (order[i - 1] ?? 0)))).toBe(true);
    expect(text).toMatch(/Latest activity: 2021\/2022/);
    expect(text).toMatch(/Latest operations \(3 of 3\):\n- 2021\/2022 {2}Quiet years/);
    // The description, counter operations and the footer are one action away.
    expect(text).not.toMatch(/It shares tooling with Glass Viper/);
    expect(text).not.toMatch(/Counter operations/);
    expect(text).not.toMatch(/^UUID /m);
  });

  it('renders the full card with facts, description, operations, related actors and footer', () => {
    const reply = bot.handle({ kind: 'command', text: 'apt 99', platform: 't' });
    if (reply?.kind !== 'card') throw new Error('expected a card');
    const text = renderText({ ...reply, part: 'full' });
    expect(text).toMatch(/^Copper Lantern, APT 99, Quiet Heron\n=+\n/);
    expect(text).toMatch(
      /Aliases: Copper Lantern \(Kaspersky\), APT 99 \(Mandiant\), Quiet Heron \(CrowdStrike\), TEMP\.Lantern \(FireEye\), Night Owl \(Symantec, Broadcom\)/,
    );
    expect(text).toMatch(/Sponsor: State-sponsored/);
    expect(text).toMatch(/It shares tooling with Glass Viper and has a subgroup, Tin Sparrow\./);
    expect(text).toMatch(/Operations, newest first: 3\n- 2021\/2022 {2}Quiet years/);
    expect(text).toMatch(/Counter operations:\n- Servers sinkholed/);
    expect(text).toMatch(/Related: Glass Viper, Tin Sparrow \(subgroup\)/);
    expect(text).toMatch(
      /UUID 11111111-1111-4111-8111-111111111111 · source last modified 2023-01-02$/,
    );
    expect(text).not.toMatch(/\{\{/);
  });

  it('renders candidates, lists, no-match, help and errors', () => {
    expect(render('night owl')).toMatch(
      /^"night owl" is a name used for 2 different actors:\n {2}1\. /,
    );
    // The hint names something that is not the shared name again.
    expect(render('night owl')).toMatch(
      /\nAsk again with one of those names, e\.g\. \/apt (Copper Lantern|Glass Viper)$/,
    );
    // When the first actor has no other name, the hint takes the next one's, not a UUID.
    const only = (uuid: string, name: string, aliases: string[]) => ({
      uuid,
      name,
      country: '',
      aliases,
    });
    const shared: Reply = {
      kind: 'ambiguous',
      reason: 'shared-alias',
      query: 'iridium',
      candidates: [only('u-1', 'Iridium', ['IRIDIUM']), only('u-2', 'Sandworm Team', ['IRIDIUM'])],
    };
    expect(renderText(shared)).toMatch(/e\.g\. \/apt Sandworm Team$/);
    expect(render('country:china')).toMatch(
      /^2 actors match "country:china":\n {2}1\. Copper Lantern \(China; aka APT 99/,
    );
    expect(render('Quite Herring')).toMatch(
      /^No card for "Quite Herring"\. Did you mean:\n {2}Similar name: Copper Lantern/,
    );
    expect(render('help')).toMatch(/Filter the catalog:\n {2}\/apt country:china/);
    expect(render('since:yesterday')).toMatch(/^Error: "since:" takes a year/);
    expect(renderText({ kind: 'enrichment', actors: [] })).toBe('');
    const actor = {
      uuid: VIPER.uuid,
      name: 'Glass Viper',
      country: 'Russia',
      aliases: [],
      firstSeen: '2018',
      topAliases: ['Zinc (Microsoft)'],
      matched: ['Zinc'],
    };
    expect(renderText({ kind: 'enrichment', actors: [actor] })).toBe(
      'Glass Viper: seen as Zinc; Russia; aka Zinc (Microsoft); first seen 2018\n(full card: /apt Glass Viper)',
    );
    // Seen as its own name (any spelling): nothing to say.
    expect(
      renderText({ kind: 'enrichment', actors: [{ ...actor, matched: ['GLASS-VIPER'] }] }),
    ).toBe(
      'Glass Viper: Russia; aka Zinc (Microsoft); first seen 2018\n(full card: /apt Glass Viper)',
    );
  });
});
