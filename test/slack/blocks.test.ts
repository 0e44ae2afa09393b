import type { types } from '@slack/bolt';
import { beforeAll, describe, expect, it } from 'vitest';
import { ELLIPSIS } from '../../adapters/shared/truncate.js';
import { clampBlocks, isShareable, LIMITS, renderReply } from '../../adapters/slack/render.js';
import { Bot } from '../../src/bot.js';
import type { ActorRef, CardView, CompactActor, Reply } from '../../src/core/types.js';
import { decodeAction } from '../../src/reply/actions.js';
import { cardReply, INJECTIONS, slackLibrary, UUID } from './fixtures.js';
import { allText, blockKitProblems, buttonsOf, linksOf } from './limits.js';

let bot: Bot;
beforeAll(() => {
  bot = new Bot(slackLibrary());
});

const card = (query: string, page = 0) => cardReply(bot, query, page);

function blocksOfType(blocks: types.KnownBlock[], type: string) {
  return blocks.filter((b) => b.type === type);
}

function ref(i: number, name = `Actor ${i}`): ActorRef {
  return {
    uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name,
    country: 'China',
    aliases: [`Alias ${i}`],
  };
}

describe('profile card', () => {
  it('names the other actors that carry the name asked for, with what tells them apart', () => {
    const reply = card('hammer panda');
    const other = { ...ref(7, 'Charming <!channel> Kitten'), sources: ['MISP galaxy'] };
    const m = renderReply({ ...reply, card: { ...reply.card, alsoNamed: [other] } });
    expect(blockKitProblems(m)).toEqual([]);
    expect(allText(m)).toContain('That name is also used for: Charming');
    expect(allText(m)).toContain('Kitten (China; MISP galaxy)');
    expect(allText(m)).not.toContain('<!channel>');
  });

  it('opens with the first screen: header, aliases, facts as fields, latest operations with links, tools, then the moves', () => {
    const m = renderReply(card('hammer panda'));
    expect(blockKitProblems(m)).toEqual([]);
    const [header, aliases, facts, latest, tools, moves] = m.blocks;
    expect(header).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'NetTraveler, APT 21, Hammer Panda', emoji: false },
    });
    expect(allText({ blocks: [aliases] })).toContain(
      '*Aliases* NetTraveler (Kaspersky), APT 21 (Mandiant), Hammer Panda (CrowdStrike), TEMP.Zhenbao (FireEye)',
    );
    // The key facts as fields, in the first screen's order; Sponsor is empty in the seed card.
    expect((facts as types.SectionBlock).fields?.map((f) => f.text)).toEqual([
      '*Country*\nChina',
      '*Motivation*\nInformation theft and espionage',
      '*First seen*\n2004',
      '*Latest activity*\n2015-12',
    ]);
    const ops = allText({ blocks: [latest] });
    expect(ops).toContain('*Latest operations* (2 of 2)');
    expect(ops).toContain(
      '• *2015-12*  Spear-Phishing Email Targets Diplomat of Uzbekistan · <https://unit42.paloaltonetworks.com/nettraveler-spear-phishing-email-targets-diplomat-of-uzbekistan/|unit42.paloaltonetworks.com>',
    );
    expect(ops.indexOf('2015-12')).toBeLessThan(ops.indexOf('2014-08'));
    expect(allText({ blocks: [tools] })).toContain('*Tools* NetTraveler, PlugX');
    expect(moves?.type).toBe('actions');
    // The description is one action away.
    expect(allText(m)).not.toContain('cyber-espionage campaign');
    expect(allText({ blocks: [m.blocks.at(-1)] })).toContain(
      `UUID ${UUID.netTraveler} · source last modified 2020-04-19`,
    );
    expect(m.text).toContain('NetTraveler');
    // Two operations fit on the first screen: no "More operations"; no share unless asked for.
    expect(buttonsOf(m).map((b) => [b.label, b.value])).toEqual([
      ['Full card', `full:${UUID.netTraveler}`],
      ['Map &amp; timeline', `pics:${UUID.netTraveler}`],
    ]);
  });

  it('the full card adds the description and the operations in full, then the footer', () => {
    const m = renderReply({ ...card('hammer panda'), part: 'full' });
    expect(blockKitProblems(m)).toEqual([]);
    expect(m.blocks[0]?.type).toBe('header');
    const text = allText(m);
    expect(text).toContain('cyber-espionage campaign');
    expect(text).toContain('*Operations* (2, newest first)');
    expect(text).toContain('*2015-12*  Spear-Phishing Email Targets Diplomat of Uzbekistan');
    expect(text).toContain('*Tools* (2) NetTraveler, PlugX');
    // The description comes after the first screen's facts, never before them.
    expect(text.indexOf('*First seen*')).toBeLessThan(text.indexOf('cyber-espionage campaign'));
    expect(buttonsOf(m).map((b) => b.value)).toEqual([`pics:${UUID.netTraveler}`]);
  });

  it('links to every source page on the full card and the sources part, as link buttons', () => {
    const base = card('hammer panda');
    const sources = [
      {
        source: 'etda',
        label: 'ETDA',
        uuid: UUID.netTraveler,
        file: 'a.md',
        url: 'https://apt.etda.or.th/cgi-bin/showcard.cgi?g=NetTraveler&n=1',
      },
      {
        source: 'stix',
        label: 'MITRE ATT&CK',
        uuid: 'u2',
        file: 'b.md',
        url: 'https://attack.mitre.org/groups/G9001/',
      },
      {
        source: 'misp',
        label: 'MISP galaxy',
        uuid: 'u3',
        file: 'c.md',
        url: 'javascript:alert(1)',
      },
    ];
    const view: CardView = { ...base.card, sources };
    const expected = [
      { label: 'ETDA', url: 'https://apt.etda.or.th/cgi-bin/showcard.cgi?g=NetTraveler&n=1' },
      { label: 'MITRE ATT&amp;CK', url: 'https://attack.mitre.org/groups/G9001/' },
    ];
    for (const part of ['full', 'sources'] as const) {
      const m = renderReply({ kind: 'card', card: view, part });
      expect(blockKitProblems(m)).toEqual([]);
      // Only http(s) pages get a button: the javascript: "page" is left out.
      expect(linksOf(m)).toEqual(expected);
    }
    const first = renderReply({ kind: 'card', card: view });
    expect(linksOf(first)).toEqual([]);
    expect(allText({ blocks: [first.blocks[1]] }).trim()).toBe(
      'Sources: <https://apt.etda.or.th/cgi-bin/showcard.cgi?g=NetTraveler&amp;n=1|ETDA> · <https://attack.mitre.org/groups/G9001/|MITRE ATT&amp;CK> · MISP galaxy',
    );
  });

  it('adds a "Share in channel" button carrying the given value', () => {
    const m = renderReply(card('hammer panda'), { share: 'share:list:0:hammer panda' });
    expect(buttonsOf(m).filter((b) => b.actionId === 'aptcard.share')).toEqual([
      { label: 'Share in channel', actionId: 'aptcard.share', value: 'share:list:0:hammer panda' },
    ]);
  });

  it('shows cross-linked actors as buttons', () => {
    const m = renderReply(card(UUID.injection));
    const show = buttonsOf(m).filter((b) => b.value.startsWith('show:'));
    expect(show.map((b) => b.value)).toEqual([`show:${UUID.netTraveler}`, `show:${UUID.giant}`]);
    expect(show[0]?.label).toBe('NetTraveler');
    // The giant card's 194-character name is shortened for the button.
    expect(show[1]?.label.length).toBeLessThanOrEqual(LIMITS.buttonText);
    expect(show[1]?.label.endsWith(ELLIPSIS)).toBe(true);
  });

  it('pages operations with "More operations" and "Newer operations", a page showing only operations', () => {
    const first = renderReply(card(UUID.giant));
    expect(allText(first)).toContain('*Latest operations* (3 of 8)');
    expect(allText(first)).toContain('+5 more operations');
    expect(buttonsOf(first).filter((b) => b.value.startsWith('ops:'))).toEqual([
      {
        label: 'More operations (1/2)',
        actionId: expect.stringMatching(/^aptcard\.go\.\d+$/),
        value: `ops:0:${UUID.giant}`,
      },
    ]);
    const full = renderReply({ ...card(UUID.giant), part: 'full' });
    expect(allText(full)).toContain('*Operations* (8, newest first · page 1 of 2)');
    expect(buttonsOf(full).find((b) => b.value.startsWith('ops:'))?.value).toBe(
      `ops:1:${UUID.giant}`,
    );
    const second = renderReply(card(UUID.giant, 1));
    expect(allText(second)).toContain('*Operations* (8, newest first · page 2 of 2)');
    expect(allText(second)).not.toContain('*Aliases*');
    expect(buttonsOf(second).map((b) => [b.label, b.value])).toEqual([
      ['Full card', `full:${UUID.giant}`],
      ['Newer operations', `ops:0:${UUID.giant}`],
    ]);
    expect(blockKitProblems(second)).toEqual([]);
  });

  it('shortens an oversized card to every Block Kit limit, on every part', () => {
    for (const part of ['first', 'full', 'operations', 'techniques', 'sources'] as const) {
      const m = renderReply({ ...card(UUID.giant), part }, { share: 'share:list:0:giant' });
      expect(blockKitProblems(m)).toEqual([]);
    }
    const first = allText(renderReply(card(UUID.giant)));
    expect(first).toMatch(/Giant Alias 8 \(Vendor Number 8\), \+52 more aliases/);
    expect(first).toContain('+290 more tools');
    const m = renderReply({ ...card(UUID.giant), part: 'full' }, { share: 'share:list:0:giant' });
    expect(blockKitProblems(m)).toEqual([]);
    const header = m.blocks[0] as types.HeaderBlock;
    expect(header.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    expect(header.text.text.endsWith(ELLIPSIS)).toBe(true);
    // Word boundary: the cut never lands inside "Designation".
    expect(header.text.text).toMatch(/(?:Designation|Verbose|Extraordinarily)…$/);
    const text = allText(m);
    expect(text).toContain('+');
    expect(text).toMatch(/Giant Alias \d+ \(Vendor Number \d+\) \+\d+ more/);
    expect(text).toMatch(/\*Counter operations\* \(15\)/);
    expect(text).toContain('+12 more');
    for (const s of blocksOfType(m.blocks, 'section') as types.SectionBlock[]) {
      expect(s.text?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.sectionText);
      for (const f of s.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
    }
  });

  it('escapes every injection string in card text, on every part', () => {
    for (const part of ['first', 'operations', 'techniques', 'sources'] as const) {
      const m = renderReply({ ...card(UUID.injection), part }, { share: 'share:list:0:inject' });
      expect(blockKitProblems(m)).toEqual([]);
      for (const bad of INJECTIONS) expect(allText(m)).not.toContain(bad);
    }
    const m = renderReply(
      { ...card(UUID.injection), part: 'full' },
      { share: 'share:list:0:inject' },
    );
    expect(blockKitProblems(m)).toEqual([]);
    const text = allText(m);
    for (const bad of INJECTIONS) expect(text).not.toContain(bad);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&lt;@U123&gt;');
    expect(text).toContain('&lt;https://evil.example/login|https://slack.com/signin&gt;');
    expect(text).toContain('Acme &amp; Sons');
    expect((m.blocks[0] as types.HeaderBlock).text.text).toBe(
      'Inject Kitten &lt;!channel&gt;, Mention Kitten &lt;@U123&gt;',
    );
    // Source links: http(s) only, labelled by host; the | and <> inside the URL are encoded.
    expect(text).toContain('<https://example.com/report?a=1&amp;b=%3C2%3E%7Cthree|example.com>');
    expect(text).not.toMatch(/<javascript:|<ftp:/);
    // A user part cannot pose as another site: the label is the real host.
    expect(text).toContain('<https://evil.example/login|evil.example>');
    expect(text).not.toContain('slack.com@');
    // Slack must not auto-link or auto-mention anything in mrkdwn.
    for (const s of blocksOfType(m.blocks, 'section') as types.SectionBlock[]) {
      if (s.text?.type === 'mrkdwn') expect(s.text.verbatim).toBe(true);
    }
  });

  it('stays within limits for extreme synthetic values', () => {
    const base = card('hammer panda').card;
    const extreme: CardView = {
      ...base,
      name: 'N'.repeat(400),
      otherNames: [],
      aliases: Array.from({ length: 500 }, (_, i) => ({
        name: `<!here> alias ${i}`,
        vendor: '&'.repeat(20),
      })),
      countries: ['<'.repeat(5000)],
      sponsor: 'x '.repeat(3000),
      motivations: ['m'.repeat(5000)],
      sectors: ['s'.repeat(3000)],
      targets: ['t '.repeat(3000)],
      tools: ['<tool>'.repeat(1000)],
      firstSeen: '9'.repeat(3000),
      lastModified: '>'.repeat(4000),
      description: Array.from({ length: 20 }, () => [
        { kind: 'text' as const, text: '&<>'.repeat(2000) },
      ]),
      operations: Array.from({ length: 5 }, (_, i) => ({
        date: `<!channel>${'2'.repeat(200)}`,
        title: '*'.repeat(5000),
        text: '&'.repeat(9000),
        sources: Array.from(
          { length: 50 },
          (_, j) => `https://example.com/${i}/${j}/${'p'.repeat(400)}`,
        ),
      })),
      operationsTotal: 500,
      operationsPage: 3,
      operationsPageCount: 100,
      counterOperations: Array.from({ length: 50 }, () => ({
        date: '2020',
        title: '<'.repeat(3000),
        text: '',
        sources: ['https://example.com/c'],
      })),
      related: Array.from({ length: 60 }, (_, i) => ({
        ...ref(i, `${'R'.repeat(300)} ${i}`),
        subgroup: i % 2 === 0,
      })),
    };
    for (const part of ['full', 'operations', 'techniques', 'sources'] as const) {
      const other = renderReply({ kind: 'card', card: extreme, part }, { share: 'share:show:x' });
      expect(blockKitProblems(other)).toEqual([]);
    }
    const m = renderReply({ kind: 'card', card: extreme }, { share: 'share:show:x' });
    expect(blockKitProblems(m)).toEqual([]);
    const related = buttonsOf(m).filter((b) => b.value.startsWith('show:'));
    expect(related).toHaveLength(20);
    expect(allText(m)).toContain('Related actors (40 more not shown):');
  });
});

describe('other answer kinds', () => {
  it('disambiguation: a button per candidate', () => {
    const reply = bot.query('twin storm');
    expect(reply.kind).toBe('ambiguous');
    const m = renderReply(reply);
    expect(blockKitProblems(m)).toEqual([]);
    expect(allText(m)).toContain('"twin storm" is a name used for 2 different actors');
    expect(
      buttonsOf(m)
        .map((b) => b.value)
        .sort(),
    ).toEqual([`show:${UUID.twinA}`, `show:${UUID.twinB}`]);
    expect(isShareable(reply)).toBe(false);
  });

  it('disambiguation with many candidates shows 20 and says so', () => {
    const reply: Reply = {
      kind: 'ambiguous',
      query: 'panda <!here>',
      reason: 'close',
      candidates: Array.from({ length: 30 }, (_, i) => ref(i)),
    };
    const m = renderReply(reply);
    expect(blockKitProblems(m)).toEqual([]);
    expect(buttonsOf(m)).toHaveLength(20);
    expect(allText(m)).toContain('10 more not shown');
    expect(allText(m)).toContain('"panda &lt;!here&gt;" could be several actors');
  });

  it('list: numbered items with buttons, paged with Previous and Next', () => {
    const reply: Reply = {
      kind: 'list',
      query: 'country:china',
      total: 25,
      page: 1,
      pageCount: 3,
      items: Array.from({ length: 10 }, (_, i) => ref(i + 10)),
    };
    const m = renderReply(reply, { share: 'share:list:0:country:china' });
    expect(blockKitProblems(m)).toEqual([]);
    const text = allText(m);
    expect(text).toContain('*25 actors* match "country:china" · page 2 of 3');
    expect(text).toContain('11. *Actor 10* · China · aka Alias 10');
    const values = buttonsOf(m).map((b) => b.value);
    expect(values).toContain('list:0:country:china');
    expect(values).toContain('list:2:country:china');
    expect(values).toContain('share:list:0:country:china');
    expect(values.filter((v) => v.startsWith('show:'))).toHaveLength(10);
  });

  it('list from the catalog', () => {
    const reply = bot.query('country:russia');
    expect(reply.kind).toBe('list');
    const m = renderReply(reply);
    expect(blockKitProblems(m)).toEqual([]);
    expect(allText(m)).toContain('*2 actors* match "country:russia"');
  });

  it('list with a long query pages with the query in the button value, and stays valid', () => {
    const query = `country:china ${'x'.repeat(400)}`;
    const reply: Reply = { kind: 'list', query, total: 25, page: 0, pageCount: 3, items: [ref(1)] };
    const m = renderReply(reply);
    expect(blockKitProblems(m)).toEqual([]);
    const values = buttonsOf(m).map((b) => b.value);
    expect(values[0]).toBe(`show:${ref(1).uuid}`);
    // Slack's button values take 2,000 characters: the query itself, nothing that can expire.
    expect(values).toContain(`list:1:${query}`);
    expect(decodeAction(`list:1:${query}`)).toEqual({ type: 'list', query, page: 1 });
  });

  it('no match: suggestions as buttons, or a hint', () => {
    const withSuggestions: Reply = {
      kind: 'none',
      query: 'hamer pand',
      suggestions: [ref(1, 'Hammer Panda')],
    };
    const m = renderReply(withSuggestions);
    expect(blockKitProblems(m)).toEqual([]);
    expect(allText(m)).toContain('No card for "hamer pand". Did you mean:');
    expect(buttonsOf(m)).toEqual([
      { label: 'Hammer Panda', actionId: 'aptcard.go.0', value: `show:${ref(1).uuid}` },
    ]);
    const bare = renderReply({ kind: 'none', query: '<@U123>', suggestions: [] });
    expect(blockKitProblems(bare)).toEqual([]);
    expect(allText(bare)).toContain(
      'No card for "&lt;@U123&gt;". Try another name, or `/apt help`.',
    );
  });

  it('help explains the grammar with examples, for /apt alone and /apt help', () => {
    const usage = renderReply(bot.query('help'));
    const empty = renderReply(bot.query(''), { cmd: '/apt-dev' });
    for (const m of [usage, empty]) expect(blockKitProblems(m)).toEqual([]);
    expect(allText(usage)).toContain('/apt hammer panda');
    expect(allText(usage)).toContain('country:china sector:"oil and gas"');
    expect(allText(empty)).toContain('Usage: `/apt-dev &lt;actor name or filters&gt;`');
    expect(allText(empty)).toContain('/apt-dev target:ukraine since:2022');
  });

  it('enrichment: one compact line per actor with "Show card", and "Not this actor" under it', () => {
    const actor: CompactActor = {
      ...ref(1, 'NetTraveler'),
      firstSeen: '2004',
      topAliases: ['APT 21 (Mandiant)', 'Hammer Panda (CrowdStrike)'],
      matched: ['APT 21'],
    };
    const m = renderReply({
      kind: 'enrichment',
      actors: [actor, { ...actor, uuid: 'u2', name: '<!channel>' }],
    });
    expect(blockKitProblems(m)).toEqual([]);
    expect(allText(m)).toContain(
      '*NetTraveler* · seen as APT 21 · China · aka APT 21 (Mandiant), Hammer Panda (CrowdStrike) · first seen 2004',
    );
    expect(buttonsOf(m).map((b) => [b.label, b.value])).toEqual([
      ['Show card', `show:${actor.uuid}`],
      ['Not this actor', `mute:${actor.uuid}`],
      ['Show card', 'show:u2'],
      ['Not this actor', 'mute:u2'],
    ]);
    expect(m.blocks.map((b) => b.type)).toEqual([
      'section',
      'actions',
      'section',
      'actions',
      'context',
    ]);
    // It mutes for everyone in the channel: Slack asks first, naming the actor (escaped).
    const mute = m.blocks[3];
    const confirm = mute?.type === 'actions' ? mute.elements[0] : undefined;
    expect(confirm && 'confirm' in confirm ? confirm.confirm?.text.text : '').toContain(
      'No more automatic cards for &lt;!channel&gt; in this channel',
    );
    expect(allText(m)).not.toContain('<!channel>');
  });

  it('error: a short apology, escaped', () => {
    const m = renderReply({ kind: 'error', message: 'since: needs a year <!here>' });
    expect(blockKitProblems(m)).toEqual([]);
    expect(allText(m)).toContain(':warning: since: needs a year &lt;!here&gt;');
  });
});

describe('clampBlocks', () => {
  it('keeps at most 50 blocks, the last one included', () => {
    const blocks: types.KnownBlock[] = Array.from({ length: 60 }, (_, i) => ({
      type: 'section',
      text: { type: 'mrkdwn', text: `b${i}` },
    }));
    const out = clampBlocks(blocks);
    expect(out).toHaveLength(50);
    expect(out.at(-1)).toBe(blocks[59]);
    expect(out[48]).toBe(blocks[48]);
    expect(clampBlocks(blocks.slice(0, 3))).toHaveLength(3);
  });
});
