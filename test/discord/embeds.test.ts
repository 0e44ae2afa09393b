/** Renderer unit tests: every answer kind, escaping, and every Discord limit. */
import { ActionRowBuilder, embedLength } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { COLOURS } from '../../adapters/discord/colours.js';
import { shareAction } from '../../adapters/discord/components.js';
import { embedsLength } from '../../adapters/discord/fit.js';
import { parseCustomId } from '../../adapters/discord/ids.js';
import { LIMITS } from '../../adapters/discord/limits.js';
import {
  autocompleteChoices,
  type DiscordMessage,
  renderReply,
} from '../../adapters/discord/render.js';
import { escapeText } from '../../adapters/discord/text.js';
import { truncate } from '../../adapters/shared/truncate.js';
import type {
  ActorRef,
  CardView,
  CompactActor,
  OperationView,
  Reply,
} from '../../src/core/types.js';
import { decodeAction } from '../../src/reply/actions.js';
import { builderProblems } from './builders.js';
import { limitViolations } from './limits.js';

const UUID = '8650e8c5-55a5-4441-8903-0f2bf5753ef1';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function ref(n: number, overrides: Partial<ActorRef> = {}): ActorRef {
  return {
    uuid: uuid(n),
    name: `Actor ${n}`,
    country: 'Russia',
    aliases: [`Alias ${n}`],
    ...overrides,
  };
}

function op(n: number, overrides: Partial<OperationView> = {}): OperationView {
  return {
    date: `2020-0${(n % 9) + 1}`,
    title: `Operation ${n}`,
    text: `What happened in operation ${n}.`,
    sources: [`https://example.org/report-${n}`],
    ...overrides,
  };
}

function card(overrides: Partial<CardView> = {}): CardView {
  return {
    uuid: UUID,
    name: 'NetTraveler',
    otherNames: ['APT 21', 'Hammer Panda'],
    aliases: [
      { name: 'NetTraveler', vendor: 'Kaspersky' },
      { name: 'APT 21', vendor: 'Mandiant' },
      { name: 'Hammer Panda', vendor: '' },
    ],
    firstSeen: '2004',
    lastModified: '2020-04-19',
    countries: ['China'],
    sponsor: 'State-sponsored',
    motivations: ['Information theft and espionage'],
    sectors: ['Defense', 'Embassies'],
    targets: ['India', 'Russia'],
    tools: ['NetTraveler', 'PlugX'],
    techniques: { total: 0, tactics: [], attackUrl: '' },
    software: [],
    references: [],
    description: [
      [
        { kind: 'text', text: 'The later group ' },
        { kind: 'link', text: 'RedAlpha', subgroup: false, uuid: uuid(1) },
        { kind: 'text', text: ' has infrastructure overlap.' },
      ],
      [{ kind: 'text', text: 'Second paragraph.' }],
    ],
    operations: [op(1), op(2)],
    operationsTotal: 12,
    operationsPage: 0,
    operationsPageCount: 3,
    counterOperations: [],
    related: [{ ...ref(1, { name: 'RedAlpha', country: 'China' }), subgroup: false }],
    ...overrides,
  };
}

function buttons(m: DiscordMessage) {
  return m.components.flatMap((r) => r.components).filter((c) => c.type === 2);
}
function ids(m: DiscordMessage): string[] {
  return m.components.flatMap((r) =>
    r.components.map((c) => ('custom_id' in c ? c.custom_id : '')),
  );
}
/** The link buttons: label and URL. */
function links(m: DiscordMessage): [string, string][] {
  return m.components
    .flatMap((r) => r.components)
    .flatMap((c) =>
      c.type === 2 && 'url' in c ? [[c.label ?? '', c.url] as [string, string]] : [],
    );
}
function selects(m: DiscordMessage) {
  return m.components.flatMap((r) => r.components).filter((c) => c.type === 3);
}

/** Valid for Discord: our independent checker, and discord.js's own builders accept it. */
function expectValid(m: DiscordMessage): void {
  expect(limitViolations(m)).toEqual([]);
  expect(builderProblems(m)).toEqual([]);
  for (const row of m.components) expect(() => new ActionRowBuilder(row).toJSON()).not.toThrow();
  const total = m.embeds.reduce((n, e) => n + embedLength(e), 0);
  expect(total).toBe(embedsLength(m.embeds));
  expect(total).toBeLessThanOrEqual(LIMITS.total);
}

describe("discord.js's builders as a checker", () => {
  it('refuse what Discord refuses', () => {
    const bad: DiscordMessage = {
      embeds: [
        { title: 'x'.repeat(257) },
        { description: 'y'.repeat(4097) },
        { fields: [{ name: 'n', value: 'v'.repeat(1025) }] },
        { title: 'link', url: 'javascript:alert(1)' },
      ],
      components: [],
    };
    expect(builderProblems(bad)).toHaveLength(4);
    const big = Array.from({ length: 2 }, () => ({ description: 'z'.repeat(3500) }));
    expect(builderProblems({ embeds: big, components: [] })).toEqual(['embeds total 7000 > 6000']);
  });
});

describe('truncate', () => {
  it('leaves short text alone', () => {
    expect(truncate('APT 21', 10)).toBe('APT 21');
  });

  it('cuts on a word boundary and adds an ellipsis', () => {
    const out = truncate('the quick brown fox jumps over the lazy dog', 20);
    expect(out).toBe('the quick brown fox…');
    expect(out.length).toBeLessThanOrEqual(20);
    expect(truncate('one two three four', 9)).toBe('one two…');
  });

  it('cuts inside a single long word (a URL) rather than losing most of the room', () => {
    const out = truncate(`see https://example.org/${'a'.repeat(100)}`, 40);
    expect(out.length).toBe(40);
    expect(out.endsWith('a…')).toBe(true);
  });

  it('never splits a surrogate pair or leaves a dangling escape', () => {
    const emoji = truncate('🔥'.repeat(10), 6);
    expect(emoji).toBe('🔥🔥…');
    expect(truncate('abc\\*def', 5)).toBe('abc…');
    expect(truncate('ab\\\\cdef', 5)).toBe('ab\\\\…');
  });

  it('returns nothing when there is no room at all', () => {
    expect(truncate('hello world', 1)).toBe('');
    expect(truncate('hello world', 0)).toBe('');
  });
});

describe('escapeText', () => {
  it('escapes markdown so card text cannot break out of formatting', () => {
    expect(escapeText('**bold**')).toBe('\\*\\*bold\\*\\*');
    expect(escapeText('||spoiler||')).toBe('\\|\\|spoiler\\|\\|');
    expect(escapeText('a ` tick')).toBe('a \\` tick');
    expect(escapeText('__u__ ~~s~~ _i_')).toBe('\\_\\_u\\_\\_ \\~\\~s\\~\\~ \\_i\\_');
    expect(escapeText('[click](https://evil.example)')).toContain('\\[click');
    expect(escapeText('> quote\n# heading\n-# small')).toBe('\\> quote\n\\# heading\n\\-# small');
  });

  it('escapes list markers at line start and leaves bare URLs clickable', () => {
    expect(escapeText('1. first\n- second\n+ third')).toBe('1\\. first\n\\- second\n\\+ third');
    expect(escapeText('see https://example.org/a_b*c|d and _x_')).toBe(
      'see https://example.org/a_b*c|d and \\_x\\_',
    );
    expect(escapeText('a\\b')).toBe('a\\\\b');
  });

  it('breaks every kind of mention', () => {
    const out = escapeText('@everyone @here <@&123> <@456> <@!789> <#42>');
    expect(out).toBe(
      '@\u200beveryone @\u200bhere <@&\u200b123> <@\u200b456> <@!\u200b789> <#\u200b42>',
    );
  });
});

describe('renderReply: profile card, a name other actors carry too', () => {
  it('names them with what tells them apart', () => {
    const other = ref(7, { name: 'Charming @everyone Kitten', sources: ['MISP galaxy'] });
    const m = renderReply({ kind: 'card', card: card({ alsoNamed: [other] }) });
    expectValid(m);
    const fields = m.embeds.flatMap((e) => e.fields ?? []);
    const field = fields.find((f) => /also used for/i.test(f.name));
    expect(field?.value).toContain('Kitten (Russia; MISP galaxy)');
    expect(field?.value).not.toContain('@everyone');
  });
});

describe('renderReply: profile card', () => {
  const m = renderReply({ kind: 'card', card: card() }, { share: true });
  const e = m.embeds[0]!;
  const full = renderReply({ kind: 'card', card: card(), part: 'full' }, { share: true });

  it('opens with the first screen: title, colour, aliases, inline key facts, latest operations, tools, footer', () => {
    expect(m.embeds).toHaveLength(1);
    expect(e.title).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(e.color).toBe(0xde2910);
    expect(e.description).toBe(
      '**Aliases**: NetTraveler (Kaspersky), APT 21 (Mandiant), Hammer Panda',
    );
    expect((e.fields ?? []).map((f) => [f.name, f.value, f.inline ?? false])).toEqual([
      ['Country', 'China', true],
      ['Sponsor', 'State-sponsored', true],
      ['Motivation', 'Information theft and espionage', true],
      ['First seen', '2004', true],
      ['Latest operations', '2 of 12, newest first', false],
      ['2020-02 · Operation 1', '[example.org](https://example.org/report-1)', false],
      [
        '2020-03 · Operation 2',
        '[example.org](https://example.org/report-2)\n+10 more operations',
        false,
      ],
      ['Tools', 'NetTraveler, PlugX', false],
    ]);
    expect(e.footer?.text).toBe(`Source last modified 2020-04-19 · UUID ${UUID}`);
    expectValid(m);
  });

  it('the full card: the facts and every list first, then the description and the operations in full', () => {
    expect(full.embeds).toHaveLength(2);
    const [facts, story] = full.embeds;
    expect(facts?.title).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(facts?.fields?.map((f) => f.name)).toEqual([
      'Country',
      'Sponsor',
      'Motivation',
      'First seen',
      'Sectors',
      'Targets',
      'Tools (2)',
    ]);
    expect(story?.description).toBe(
      'The later group **RedAlpha** has infrastructure overlap.\n\nSecond paragraph.',
    );
    expect(story?.fields?.find((f) => f.name === 'Latest operations')?.value).toBe(
      '1–2 of 12, newest first',
    );
    expect(story?.fields?.find((f) => f.name === '2020-02 · Operation 1')?.value).toBe(
      'What happened in operation 1.\n[example.org](https://example.org/report-1)',
    );
    expect(story?.footer?.text).toBe(`Source last modified 2020-04-19 · UUID ${UUID}`);
    expectValid(full);
  });

  it("links the title and buttons to the sources' pages, http(s) only", () => {
    const sources = [
      {
        source: 'etda',
        label: 'ETDA',
        uuid: UUID,
        file: 'a.md',
        url: 'https://apt.etda.or.th/cgi-bin/showcard.cgi?g=NetTraveler&n=1',
      },
      {
        source: 'stix',
        label: 'MITRE ATT&CK',
        uuid: uuid(8),
        file: 'b.md',
        url: 'https://attack.mitre.org/groups/G9001/',
      },
      {
        source: 'misp',
        label: 'MISP galaxy',
        uuid: uuid(9),
        file: 'c.md',
        url: 'javascript:alert(1)',
      },
    ];
    const first = renderReply({ kind: 'card', card: card({ sources }) });
    expect(first.embeds[0]?.url).toBe(
      'https://apt.etda.or.th/cgi-bin/showcard.cgi?g=NetTraveler&n=1',
    );
    expect(first.embeds[0]?.description?.split('\n')[0]).toBe(
      'Sources: [ETDA](https://apt.etda.or.th/cgi-bin/showcard.cgi?g=NetTraveler&n=1) · [MITRE ATT&CK](https://attack.mitre.org/groups/G9001/) · MISP galaxy',
    );
    expect(links(first)).toEqual([]);
    for (const part of ['full', 'sources'] as const) {
      const m = renderReply({ kind: 'card', card: card({ sources }), part });
      expect(links(m)).toEqual([
        ['ETDA', 'https://apt.etda.or.th/cgi-bin/showcard.cgi?g=NetTraveler&n=1'],
        ['MITRE ATT&CK', 'https://attack.mitre.org/groups/G9001/'],
      ]);
      expectValid(m);
    }
  });

  it('has Full card, More operations, Map & timeline, Share and related-actor buttons that decode', () => {
    expect(ids(m)).toEqual([
      `full:${UUID}`,
      `ops:0:${UUID}`,
      `pics:${UUID}`,
      `share:show:${UUID}`,
      `show:${uuid(1)}`,
    ]);
    expect(buttons(m).map((b) => ('label' in b ? b.label : ''))).toEqual([
      'Full card',
      'More operations (1/3)',
      'Map & timeline',
      'Share',
      'RedAlpha',
    ]);
    expect(decodeAction(ids(m)[0]!)).toEqual({ type: 'part', part: 'full', uuid: UUID });
    expect(decodeAction(ids(m)[1]!)).toEqual({ type: 'ops', uuid: UUID, page: 0 });
    expect(decodeAction(ids(m)[2]!)).toEqual({ type: 'pictures', uuid: UUID });
    const share = parseCustomId(ids(m)[3]!);
    expect(share.share).toBe(true);
    expect(decodeAction(share.action)).toEqual({ type: 'show', uuid: UUID });
    expect(ids(full).slice(0, 3)).toEqual([`ops:1:${UUID}`, `pics:${UUID}`, `share:full:${UUID}`]);
  });

  it('pages: a middle page shows only its operations, with Newer, More and Full card, and Share re-creates that page', () => {
    const mid = renderReply(
      { kind: 'card', card: card({ operationsPage: 1 }), part: 'operations' },
      { share: true },
    );
    expect(ids(mid)).toEqual([
      `full:${UUID}`,
      `ops:0:${UUID}`,
      `ops:2:${UUID}`,
      `share:ops:1:${UUID}`,
    ]);
    expect(mid.embeds[0]?.description).toBe('Operations 6–7 of 12, newest first (page 2 of 3)');
    expect(mid.embeds[0]?.fields?.map((f) => f.name)).toEqual([
      '2020-02 · Operation 1',
      '2020-03 · Operation 2',
    ]);
    const last = renderReply({
      kind: 'card',
      card: card({ operationsPage: 2 }),
      part: 'operations',
    });
    expect(ids(last)).not.toContain(`ops:3:${UUID}`);
    expectValid(mid);
  });

  it('has no Share button unless asked, and marks subgroups', () => {
    const plain = renderReply({
      kind: 'card',
      card: card({ related: [{ ...ref(1, { name: 'Sub' }), subgroup: true }] }),
    });
    expect(ids(plain).some((i) => i.startsWith('share:'))).toBe(false);
    expect(buttons(plain).map((b) => ('label' in b ? b.label : ''))).toContain('Sub (subgroup)');
  });

  it('uses a select menu when there are too many related actors for buttons', () => {
    const related = Array.from({ length: 40 }, (_, i) => ({ ...ref(i + 1), subgroup: false }));
    const many = renderReply({ kind: 'card', card: card({ related }) }, { share: true });
    const [menu] = selects(many);
    expect(menu && 'options' in menu ? menu.options.length : 0).toBe(25);
    expectValid(many);
  });

  it('escapes markdown and mentions from card text', () => {
    const trap = card({
      name: '**Loud** @everyone',
      otherNames: [],
      sponsor: '<@&123>',
      description: [[{ kind: 'text', text: '||spoiler|| <@456> `x`' }]],
      operations: [op(1, { title: '@here now', text: '**ping**' })],
    });
    const e = renderReply({ kind: 'card', card: trap }).embeds[0]!;
    expect(e.title).toBe('\\*\\*Loud\\*\\* @\u200beveryone');
    expect(e.fields?.find((f) => f.name === 'Sponsor')?.value).toBe('<@&\u200b123>');
    expect(e.fields?.some((f) => f.name === '2020-02 · @\u200bhere now')).toBe(true);
    const story = renderReply({ kind: 'card', card: trap, part: 'full' }).embeds[1]!;
    expect(story.description).toBe('\\|\\|spoiler\\|\\| <@\u200b456> \\`x\\`');
    expect(story.fields?.find((f) => f.name === '2020-02 · @\u200bhere now')?.value).toContain(
      '\\*\\*ping\\*\\*',
    );
  });

  it('drops empty facts, and encodes brackets in source URLs', () => {
    const sparse = card({
      sponsor: '',
      tools: [],
      lastModified: '',
      operations: [op(1, { sources: ['https://example.org/a_(b)', 'not a url'] })],
    });
    const e = renderReply({ kind: 'card', card: sparse }).embeds[0]!;
    expect(e.fields?.some((f) => f.name === 'Sponsor' || f.name === 'Tools')).toBe(false);
    expect(e.footer?.text).toBe(`UUID ${UUID}`);
    const first = e.fields?.find((f) => f.name.includes('Operation 1'))?.value ?? '';
    expect(first).toContain('[example.org](https://example.org/a_%28b%29)');
    const story = renderReply({ kind: 'card', card: sparse, part: 'full' }).embeds[1]!;
    const value = story.fields?.find((f) => f.name.includes('Operation 1'))?.value ?? '';
    expect(value).toContain('[example.org](https://example.org/a_%28b%29)');
    expect(value).toContain('not a url');
  });
});

describe('renderReply: every limit on an oversized card', () => {
  const words = (n: number, w = 'lorem') =>
    Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');
  const huge = card({
    name: words(60, 'Name'),
    otherNames: [words(40, 'Other')],
    aliases: Array.from({ length: 200 }, (_, i) => ({
      name: `Alias number ${i}`,
      vendor: 'Vendor',
    })),
    description: Array.from({ length: 30 }, () => [{ kind: 'text' as const, text: words(150) }]),
    sectors: [words(800, 'sector')],
    targets: [words(800, 'country')],
    tools: [words(800, 'tool')],
    motivations: [words(100, 'motive')],
    operations: Array.from({ length: 5 }, (_, i) =>
      op(i, {
        title: words(80, 'Title'),
        text: words(600),
        sources: Array.from(
          { length: 30 },
          (_, j) => `https://example.org/${i}/${j}/${'x'.repeat(60)}`,
        ),
      }),
    ),
    operationsTotal: 500,
    operationsPageCount: 100,
    counterOperations: Array.from({ length: 50 }, (_, i) => op(i, { title: words(30) })),
    related: Array.from({ length: 12 }, (_, i) => ({
      ...ref(i + 2, { name: words(40) }),
      subgroup: false,
    })),
  });
  const m = renderReply({ kind: 'card', card: huge }, { share: true });
  const e = m.embeds[0]!;
  const story = renderReply({ kind: 'card', card: huge, part: 'full' }, { share: true }).embeds[1]!;

  it('stays within title, description, field, footer, total, row and button limits', () => {
    for (const part of ['full', 'operations', 'techniques', 'sources'] as const) {
      expectValid(renderReply({ kind: 'card', card: huge, part }, { share: true }));
    }
    expectValid(m);
    expect(e.title?.length).toBeLessThanOrEqual(LIMITS.title);
    expect(e.title?.endsWith('…')).toBe(true);
    expect((e.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
    expect(embedsLength(m.embeds)).toBeLessThanOrEqual(LIMITS.total);
    expect(m.components.length).toBeLessThanOrEqual(LIMITS.rows);
    for (const r of m.components) expect(r.components.length).toBeLessThanOrEqual(5);
    for (const b of buttons(m))
      expect('label' in b ? (b.label ?? '').length : 0).toBeLessThanOrEqual(80);
  });

  it('shortens long texts on a word boundary instead of dropping them', () => {
    expect(story.description?.endsWith('…')).toBe(true);
    expect(story.description?.length).toBeGreaterThan(500);
    expect(story.description).toMatch(/lorem\d+…$/);
    const opFields = (story.fields ?? []).filter((f) => f.name.startsWith('2020-'));
    expect(opFields).toHaveLength(5);
    for (const f of opFields) {
      expect(f.name.length).toBeLessThanOrEqual(200);
      expect(f.value).toMatch(/\[example\.org\]\(https:\/\/example\.org\/\d\/0\//);
    }
  });

  it('a cut list keeps whole names and says how many are left, on the full card', () => {
    const tools = Array.from({ length: 300 }, (_, i) => `Toolname${i}`);
    const aliases = Array.from({ length: 400 }, (_, i) => ({ name: `Alias ${i}`, vendor: 'V' }));
    const full = renderReply({ kind: 'card', card: card({ tools, aliases }), part: 'full' });
    expectValid(full);
    const value = full.embeds[0]?.fields?.find((f) => f.name === 'Tools (300)')?.value ?? '';
    const m = /, \+(\d+) more$/.exec(value);
    expect(m).not.toBeNull();
    const shown = value.slice(0, m?.index).split(', ');
    expect(shown.every((t) => /^Toolname\d+$/.test(t))).toBe(true);
    expect(shown.length + Number(m?.[1])).toBe(300);
    const description = full.embeds[0]?.description ?? '';
    const left = /, \+(\d+) more$/.exec(description);
    expect(description.split(', ').length - 1 + Number(left?.[1])).toBe(400);
  });

  it('keeps everything fitting when a single field alone is over 1024', () => {
    const one = renderReply({ kind: 'card', card: card({ tools: [words(500, 'tool')] }) });
    const tools = one.embeds[0]?.fields?.find((f) => f.name === 'Tools')?.value ?? '';
    expect(tools.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    expect(tools.length).toBeGreaterThan(900);
    expect(tools.endsWith('…')).toBe(true);
    expectValid(one);
  });

  it('keeps bold markup balanced when a cut falls inside a linked name', () => {
    const linky = renderReply({
      kind: 'card',
      part: 'full',
      card: card({
        description: [
          Array.from({ length: 400 }, (_, i) => ({
            kind: 'link' as const,
            text: `Linked Actor ${i}`,
            subgroup: false,
          })),
        ],
      }),
    });
    const d = linky.embeds[1]?.description ?? '';
    expect(d.endsWith('…')).toBe(true);
    expect(d.length).toBeLessThanOrEqual(LIMITS.description);
    expect((d.match(/\*\*/g) ?? []).length % 2).toBe(0);
  });
});

describe('renderReply: pictures', () => {
  const png = Buffer.from('89504e470d0a1a0a', 'hex');
  const actor = { uuid: UUID, name: 'Lazarus Group' };

  it('one embed per picture, showing its attachment, the files beside them', () => {
    const m = renderReply({
      kind: 'pictures',
      actor,
      map: { png, notOnMap: ['Worldwide', '@everyone'] },
      timeline: { png },
    });
    expect(m.embeds.map((e) => [e.title, e.image?.url])).toEqual([
      ['Targets map of Lazarus Group', 'attachment://lazarus-group-map.png'],
      ['Activity timeline of Lazarus Group', 'attachment://lazarus-group-timeline.png'],
    ]);
    expect(m.embeds[0]?.description).toBe('Not on the map: Worldwide, @\u200beveryone');
    expect(m.files?.map((f) => [f.name, f.data])).toEqual([
      ['lazarus-group-map.png', png],
      ['lazarus-group-timeline.png', png],
    ]);
    expect(m.components).toEqual([]);
    expectValid(m);
  });

  it('leaves out a picture that could not be drawn, and says so when none could', () => {
    const one = renderReply({ kind: 'pictures', actor, timeline: { png } });
    expect(one.files?.map((f) => f.name)).toEqual(['lazarus-group-timeline.png']);
    const none = renderReply({ kind: 'pictures', actor });
    expect(none.files).toBeUndefined();
    expect(none.embeds[0]?.description).toBe(
      'Could not draw the pictures of Lazarus Group; the log says why.',
    );
  });
});

describe('renderReply: disambiguation', () => {
  it('offers one button per candidate and a Share button', () => {
    const reply: Reply = {
      kind: 'ambiguous',
      query: 'Iron Tiger',
      reason: 'shared-alias',
      candidates: [ref(1, { country: 'China' }), ref(2, { country: '' })],
    };
    const m = renderReply(reply, { share: true });
    expect(m.embeds[0]?.title).toBe('“Iron Tiger” is a name used for 2 different actors');
    expect(m.embeds[0]?.color).toBe(COLOURS.ambiguous);
    expect(m.embeds[0]?.description).toContain('1. **Actor 1** · China; aka Alias 1');
    expect(ids(m)).toEqual([`show:${uuid(1)}`, `show:${uuid(2)}`, 'share:list:0:Iron Tiger']);
    expect(buttons(m).map((b) => ('label' in b ? b.label : ''))).toEqual([
      'Actor 1 (China)',
      'Actor 2',
      'Share',
    ]);
    expectValid(m);
  });

  it('switches to a select menu for many candidates', () => {
    const candidates = Array.from({ length: 40 }, (_, i) => ref(i, { name: 'N'.repeat(300) }));
    const m = renderReply({ kind: 'ambiguous', query: 'x', reason: 'close', candidates });
    expect(m.embeds[0]?.title).toBe('“x” could be several actors');
    const [menu] = selects(m);
    expect(menu && 'options' in menu ? menu.options.length : 0).toBe(25);
    expectValid(m);
  });
});

describe('renderReply: list', () => {
  const items = Array.from({ length: 10 }, (_, i) => ref(i + 11));
  const reply: Reply = {
    kind: 'list',
    query: 'country:russia',
    total: 35,
    page: 1,
    pageCount: 4,
    items,
  };
  const m = renderReply(reply, { share: true });

  it('numbers items across pages and has a footer with the page', () => {
    expect(m.embeds[0]?.title).toBe('35 actors match “country:russia”');
    expect(m.embeds[0]?.description?.split('\n')[0]).toBe(
      '11. **Actor 11** · Russia; aka Alias 11',
    );
    expect(m.embeds[0]?.footer?.text).toBe('Page 2 of 4');
  });

  it('has a select menu to open a card, Previous / Next and Share', () => {
    const [menu] = selects(m);
    expect(menu && 'options' in menu ? menu.options.map((o) => o.value) : []).toEqual(
      items.map((i) => `show:${i.uuid}`),
    );
    expect(ids(m).slice(1)).toEqual([
      'list:0:country:russia',
      'list:2:country:russia',
      'share:list:1:country:russia',
    ]);
    expect(decodeAction('list:2:country:russia')).toEqual({
      type: 'list',
      query: 'country:russia',
      page: 2,
    });
    expectValid(m);
  });

  it('keeps paging and Share for a query too long for a custom id, by a short reference', () => {
    const long = { ...reply, query: 'q'.repeat(150) };
    const m = renderReply(long, { share: true });
    const pages = ids(m).filter((id) => id.startsWith('qref:'));
    expect(pages.length).toBeGreaterThan(0);
    for (const id of pages) {
      expect(id.length).toBeLessThanOrEqual(100);
      expect(decodeAction(id)).toMatchObject({ type: 'list', query: long.query });
    }
    expect(shareAction(long)).toMatch(/^qref:\d+:/);
    expectValid(m);
  });
});

describe('renderReply: no match, help, enrichment, error', () => {
  it('no match: suggestion buttons, or a hint', () => {
    const m = renderReply({ kind: 'none', query: 'aptt 21', suggestions: [ref(1), ref(2)] });
    expect(m.embeds[0]?.title).toBe('No card for "aptt 21"');
    expect(m.embeds[0]?.description).toContain('Did you mean:');
    expect(ids(m)).toEqual([`show:${uuid(1)}`, `show:${uuid(2)}`]);
    const bare = renderReply({ kind: 'none', query: 'zzz', suggestions: [] }, { cmd: '/apt' });
    expect(bare.embeds[0]?.description).toBe('Try another name or alias, or `/apt help`.');
    expect(bare.components).toEqual([]);
    const many = renderReply({
      kind: 'none',
      query: 'x',
      suggestions: Array.from({ length: 30 }, (_, i) => ref(i)),
    });
    expectValid(many);
  });

  it('help: one field per section, with the command filled in', () => {
    const m = renderReply({ kind: 'help', topic: 'usage' }, { cmd: '/apt' });
    expect(m.embeds[0]?.title).toBe('aptcard');
    expect(m.embeds[0]?.fields?.map((f) => f.name)).toEqual([
      'Look up an actor',
      'Filter the catalog',
      'In chat',
    ]);
    expect(m.embeds[0]?.fields?.[0]?.value).toContain('• /apt hammer panda');
    expect(renderReply({ kind: 'help', topic: 'empty' }).embeds[0]?.title).toBe(
      'Usage: /apt <actor name or filters>',
    );
    expectValid(m);
  });

  it('enrichment: a compact line, and a row of Show card and Not this actor per actor', () => {
    const actor = (n: number): CompactActor => ({
      ...ref(n, { country: 'China' }),
      firstSeen: '2004',
      topAliases: ['APT 21 (Mandiant)'],
      matched: ['APT21'],
    });
    const m = renderReply({ kind: 'enrichment', actors: [actor(1), actor(2)] });
    expect(m.embeds[0]?.description).toBe(
      '**Actor 1** · seen as APT21; China; aka APT 21 (Mandiant); first seen 2004\n**Actor 2** · seen as APT21; China; aka APT 21 (Mandiant); first seen 2004',
    );
    expect(buttons(m).map((b) => ('label' in b ? b.label : ''))).toEqual([
      'Show card: Actor 1',
      'Not this actor',
      'Show card: Actor 2',
      'Not this actor',
    ]);
    expect(ids(m)).toEqual([
      `show:${uuid(1)}`,
      `mute:${uuid(1)}`,
      `show:${uuid(2)}`,
      `mute:${uuid(2)}`,
    ]);
    expect(m.components).toHaveLength(2);
    // More lines than rows: the Show card buttons, then the "Not <name>" ones, five to a row.
    const ten = renderReply({
      kind: 'enrichment',
      actors: Array.from({ length: 10 }, (_, i) => actor(i + 1)),
    });
    expect(ten.components).toHaveLength(4);
    expect(ids(ten).filter((id) => id.startsWith('mute:'))).toHaveLength(10);
    expect(
      buttons(ten)
        .map((b) => ('label' in b ? b.label : ''))
        .at(-1),
    ).toBe('Not Actor 10');
    expectValid(ten);
    const crowd = renderReply({
      kind: 'enrichment',
      actors: Array.from({ length: 30 }, (_, i) => ({ ...actor(i), name: 'Long '.repeat(40) })),
    });
    expect(buttons(crowd)).toHaveLength(25);
    expectValid(crowd);
  });

  it('error: a red embed with the message escaped', () => {
    const m = renderReply({ kind: 'error', message: 'bad filter `x` @everyone' });
    expect(m.embeds[0]).toEqual({
      title: 'Sorry',
      description: 'bad filter \\`x\\` @\u200beveryone',
      color: COLOURS.error,
    });
    expect(m.components).toEqual([]);
    expect(shareAction({ kind: 'error', message: 'x' })).toBeUndefined();
  });
});

describe('autocompleteChoices', () => {
  it('keeps at most 25 choices within 100 characters, dropping values that do not fit', () => {
    const choices = Array.from({ length: 30 }, (_, i) => ({
      label: `${'Long label '.repeat(20)}${i}`,
      value: i === 0 ? 'v'.repeat(101) : `Alias ${i}`,
    }));
    const out = autocompleteChoices(choices);
    expect(out).toHaveLength(25);
    expect(out[0]?.value).toBe('Alias 1');
    for (const c of out) expect(c.name.length).toBeLessThanOrEqual(100);
  });
});
