import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CardError, parseAlias, parseCard, splitList } from '../../src/cards/parse.js';
import { renderCard } from '../../src/cards/render.js';
import { COPPER } from '../helpers/cards.js';
import { SEEDS_DIR } from '../helpers/corpus.js';

const SEED = readFileSync(join(SEEDS_DIR, 'nettraveler-apt-21-hammer-panda.md'));

function expectCardError(input: string | Uint8Array, line: number, reason: RegExp) {
  try {
    parseCard(input, 'bad.md');
  } catch (err) {
    expect(err).toBeInstanceOf(CardError);
    const e = err as CardError;
    expect(e.file).toBe('bad.md');
    expect(e.line).toBe(line);
    expect(e.reason).toMatch(reason);
    return;
  }
  throw new Error('expected a CardError');
}

describe('parseCard on the seed card', () => {
  const card = parseCard(SEED, 'seed.md');

  it('reads the title names, UUID and dates', () => {
    expect(card.names).toEqual(['NetTraveler', 'APT 21', 'Hammer Panda']);
    expect(card.uuid).toBe('8650e8c5-55a5-4441-8903-0f2bf5753ef1');
    expect(card.firstSeen).toBe('2004');
    expect(card.lastModified).toBe('2020-04-19');
  });

  it('reads aliases with the vendor that named each', () => {
    expect(card.aliases).toEqual([
      { name: 'NetTraveler', vendor: 'Kaspersky' },
      { name: 'APT 21', vendor: 'Mandiant' },
      { name: 'Hammer Panda', vendor: 'CrowdStrike' },
      { name: 'TEMP.Zhenbao', vendor: 'FireEye' },
    ]);
  });

  it('reads description paragraphs with cross-links kept in braces', () => {
    expect(card.description).toHaveLength(3);
    expect(card.description[0]).toMatch(/^\(Kaspersky\) Over the last few years/);
    expect(card.description[2]).toBe(
      'The later group {{RedAlpha}} has infrastructure overlap with NetTraveler.',
    );
  });

  it('reads sponsor, motivation, countries, sectors, targets and tools', () => {
    expect(card.sponsor).toBe('');
    expect(card.motivations).toEqual(['Information theft and espionage']);
    expect(card.countries).toEqual(['China']);
    expect(card.sectors).toContain('Oil and gas');
    expect(card.sectors).toHaveLength(5);
    expect(card.targets).toHaveLength(41);
    expect(card.targets.slice(0, 2)).toEqual(['Afghanistan', 'Australia']);
    expect(card.tools).toEqual(['NetTraveler', 'PlugX']);
  });

  it('reads operations with date, title, text and sources', () => {
    expect(card.operations).toHaveLength(2);
    expect(card.operations[0]).toEqual({
      date: '2014-08',
      title: 'NetTraveler Gets a Makeover for 10th Anniversary',
      text: expect.stringMatching(/^Most recently, the main focus/),
      sources: [
        'https://www.kaspersky.com/about/press-releases/2014_nettraveler-gets-a-makeover-for-10th-anniversary',
      ],
    });
    expect(card.counterOperations).toEqual([]);
  });

  it('renders back to the same bytes, from its fields alone', () => {
    expect(card.layout).toBeUndefined();
    expect(renderCard(card)).toBe(SEED.toString('utf8'));
  });
});

describe('operation dates as written', () => {
  for (const date of ['2014-08', '2012', '2017 Late', '2019/2020', '2015 Summer']) {
    it(`keeps "${date}"`, () => {
      const text = renderCard({
        ...COPPER,
        operations: [{ date, title: 'T', text: '', sources: [] }],
      });
      expect(parseCard(text).operations[0]?.date).toBe(date);
    });
  }

  it('reads an operation with no date (": text")', () => {
    const card = parseCard(renderCard(COPPER));
    expect(card.counterOperations).toEqual([
      { date: '', title: 'Servers sinkholed by a vendor.', text: '', sources: [] },
    ]);
  });

  it('keeps a source-less operation and one whose link is mid-text', () => {
    const ops = [
      { date: '2020', title: 'Title', text: 'https://example.com/a\nmore words', sources: [] },
      { date: '2021', title: 'Only a title', text: '', sources: [] },
    ];
    const text = renderCard({ ...COPPER, operations: ops });
    expect(parseCard(text).operations).toEqual(ops);
    expect(renderCard(parseCard(text))).toBe(text);
  });
});

describe('aliases and lists', () => {
  it('splits lists on commas outside parentheses', () => {
    expect(splitList('A (x, y), B, C (z)')).toEqual(['A (x, y)', 'B', 'C (z)']);
  });

  it('takes the vendor from the last balanced group', () => {
    expect(parseAlias('APT 21 (Mandiant)')).toEqual({ name: 'APT 21', vendor: 'Mandiant' });
    expect(parseAlias('Cyber Caliphate Army (CCA) (self given)')).toEqual({
      name: 'Cyber Caliphate Army (CCA)',
      vendor: 'self given',
    });
    expect(parseAlias('Night Owl (Symantec, Broadcom)')).toEqual({
      name: 'Night Owl',
      vendor: 'Symantec, Broadcom',
    });
    expect(parseAlias('Lonely Name')).toEqual({ name: 'Lonely Name', vendor: '' });
    expect(parseAlias('(FireEye)')).toEqual({ name: '(FireEye)', vendor: '' });
    expect(parseAlias('NoName057(16)')).toEqual({ name: 'NoName057(16)', vendor: '' });
    expect(parseAlias('NoName057(16) (Mandiant)')).toEqual({
      name: 'NoName057(16)',
      vendor: 'Mandiant',
    });
  });

  it('round-trips a vendor that contains a comma', () => {
    const card = parseCard(renderCard(COPPER));
    expect(card.aliases[4]).toEqual({ name: 'Night Owl', vendor: 'Symantec, Broadcom' });
    expect(card.aliases).toHaveLength(5);
  });
});

describe('hand-written cards', () => {
  const canonical = renderCard(COPPER);

  it('accepts CRLF line ends and gives them back', () => {
    const crlf = canonical.replace(/\n/g, '\r\n');
    const card = parseCard(crlf);
    expect(card.names).toEqual(COPPER.names);
    expect(card.operations).toEqual(COPPER.operations);
    expect(renderCard(card)).toBe(crlf);
  });

  it('accepts a BOM and gives it back', () => {
    const card = parseCard(`\uFEFF${canonical}`);
    expect(card.uuid).toBe(COPPER.uuid);
    expect(renderCard(card)).toBe(`\uFEFF${canonical}`);
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(canonical)]);
    expect(renderCard(parseCard(bytes))).toBe(`\uFEFF${canonical}`);
  });

  it('keeps mixed line ends byte for byte', () => {
    const mixed = canonical.replace('\n', '\r\n');
    expect(renderCard(parseCard(mixed))).toBe(mixed);
  });

  it('reads sections in another order and keeps that order', () => {
    const text = [
      '# Threat actor: Reordered',
      '',
      '**UUID**: 44444444-4444-4444-8444-444444444444',
      '',
      '## Observed usage of tools',
      '',
      'ToolA, ToolB',
      '',
      '## Threat actor aliases',
      '',
      'Reordered (Vendor)',
      '',
      '## Country of origin',
      '',
      'Iran',
      '',
    ].join('\n');
    const card = parseCard(text);
    expect(card.tools).toEqual(['ToolA', 'ToolB']);
    expect(card.aliases).toEqual([{ name: 'Reordered', vendor: 'Vendor' }]);
    expect(card.countries).toEqual(['Iran']);
    expect(card.description).toEqual([]);
    expect(card.operations).toEqual([]);
    expect(renderCard(card)).toBe(text);
  });

  it('keeps unknown sections in place', () => {
    const text = canonical.replace(
      '## Description',
      '## Analyst notes\n\nSeen on our VPN in 2023.\n\n```\n## not a heading\n```\n\n## Description',
    );
    const card = parseCard(text);
    expect(card.extraSections).toEqual([
      { heading: 'Analyst notes', body: 'Seen on our VPN in 2023.\n\n```\n## not a heading\n```' },
    ]);
    expect(card.description).toEqual(COPPER.description);
    expect(renderCard(card)).toBe(text);
  });

  it('accepts short headings, bullet lists and missing header fields', () => {
    const text = [
      '# Threat actor: Bullet Bear',
      '**UUID**: 55555555-5555-4555-8555-555555555555',
      '',
      '## Aliases',
      'Bullet Bear (Us), BB',
      '',
      '## Tools',
      '- Mimikatz',
      '- Cobalt Strike, licensed',
      '',
    ].join('\n');
    const card = parseCard(text);
    expect(card.firstSeen).toBe('');
    expect(card.aliases).toEqual([
      { name: 'Bullet Bear', vendor: 'Us' },
      { name: 'BB', vendor: '' },
    ]);
    expect(card.tools).toEqual(['Mimikatz', 'Cobalt Strike, licensed']);
    expect(renderCard(card)).toBe(text);
  });

  it('reads a UUID with a stray space, with a warning', () => {
    const warnings: string[] = [];
    const text = canonical.replace(COPPER.uuid, '11111111-1111-4111-8111-11111111111 1');
    const card = parseCard(text, 'x.md', (line, message) => warnings.push(`${line}: ${message}`));
    expect(card.uuid).toBe(COPPER.uuid);
    expect(warnings).toEqual([expect.stringMatching(/^3: UUID .* contains spaces/)]);
    expect(renderCard(card)).toBe(text);
  });

  it('keeps odd spacing exactly', () => {
    const text = canonical.replace(
      '## Country of origin\n\nChina',
      '## Country of origin\n\n\nChina  ',
    );
    const card = parseCard(text);
    expect(card.countries).toEqual(['China']);
    expect(renderCard(card)).toBe(text);
  });
});

describe('files that are not cards', () => {
  it('rejects a file with no title', () => {
    expectCardError(
      'Just some notes\n\n**UUID**: 8650e8c5-55a5-4441-8903-0f2bf5753ef1\n',
      1,
      /no title/,
    );
  });

  it('rejects a title that is not an actor title, with its line', () => {
    expectCardError('\n\n# Shopping list\n', 3, /no title/);
  });

  it('rejects a card with no UUID', () => {
    expectCardError('# Threat actor: Nameless\n\n## Description\n\nx\n', 1, /no UUID/);
  });

  it('rejects an invalid UUID, with its line', () => {
    expectCardError('# Threat actor: X\n\n**UUID**: not-a-uuid\n', 3, /invalid UUID "not-a-uuid"/);
  });

  it('rejects a file over 1 MB', () => {
    const big = renderCard(COPPER) + 'x'.repeat(1024 * 1024);
    expectCardError(big, 0, /larger than 1048576 bytes/);
    expectCardError(Buffer.from(big), 0, /larger than/);
  });

  it('rejects bytes that are not UTF-8, with the line', () => {
    const bytes = Buffer.concat([
      Buffer.from('# Threat actor: Latin\n\n**UUID**: 8650e8c5-55a5-4441-8903-0f2bf5753ef1\n\nCaf'),
      Buffer.from([0xe9, 0x0a]),
    ]);
    expectCardError(bytes, 5, /not valid UTF-8/);
  });
});
