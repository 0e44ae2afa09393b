import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCard } from '../../src/cards/parse.js';
import { renderCard } from '../../src/cards/render.js';
import { importEtda } from '../../src/import/etda.js';
import { ImportError, type Json, parseJson } from '../../src/import/json.js';
import { applyPlan, planImport } from '../../src/import/writer.js';
import { ETDA_CARDS_DIR, ETDA_JSON, noteSkipped } from '../helpers/corpus.js';
import { cardsByUuid, fixtureText, tempDir } from './helpers.js';

const small = () => parseJson(fixtureText('etda-small.json'), 'etda-small.json');

function importError(json: Json): string {
  try {
    importEtda(json, 'input.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return (err as Error).message;
  }
  throw new Error('expected an ImportError');
}

describe('ETDA importer on hand-made records', () => {
  it('renders a full record exactly in the seed layout', () => {
    const batch = importEtda(small(), 'etda-small.json');
    expect(batch.source).toBe('etda');
    expect(batch.cards.map((c) => c.card.names[0])).toEqual([
      'Copper Lantern',
      'Tin Kettle',
      'Spaced Uuid',
    ]);
    const copper = batch.cards[0]!;
    expect(renderCard(copper.card)).toBe(fixtureText('copper-lantern.expected.md'));
  });

  it('adds information, mitre-attack and playbook as extra sections only when asked', () => {
    const plain = importEtda(small(), 'x').cards[0]!.card;
    expect(plain.extraSections).toEqual([]);
    const extra = importEtda(small(), 'x', { extraSections: true }).cards[0]!.card;
    expect(extra.extraSections.map((s) => s.heading)).toEqual([
      'Information',
      'MITRE ATT&CK',
      'Playbook',
    ]);
    expect(renderCard(extra)).toBe(fixtureText('copper-lantern.extra.expected.md'));
  });

  it('builds fields the parser reads back the same (lossless round trip)', () => {
    for (const { card } of importEtda(small(), 'x', { extraSections: true }).cards) {
      const back = parseCard(renderCard(card));
      expect(back.names).toEqual(card.names);
      expect(back.aliases).toEqual(card.aliases);
      expect(back.description).toEqual(card.description);
      expect(back.operations).toEqual(card.operations);
      expect(back.counterOperations).toEqual(card.counterOperations);
      expect(back.extraSections).toEqual(card.extraSections);
    }
  });

  it('keeps a UUID written with a space as written, matched by its compact form, with a warning', () => {
    const batch = importEtda(small(), 'x');
    const spaced = batch.cards[2]!;
    expect(spaced.card.uuid).toBe('2d8e5c74-9f40-4b3c-9e4d-3c4d5e6f708 1');
    expect(spaced.uuid).toBe('2d8e5c74-9f40-4b3c-9e4d-3c4d5e6f7081');
    expect(renderCard(spaced.card)).toContain('**UUID**: 2d8e5c74-9f40-4b3c-9e4d-3c4d5e6f708 1\n');
    expect(batch.warnings.join('\n')).toMatch(/record 2 .*contains spaces/);
  });

  it('accepts an object holding the records', () => {
    const wrapped = parseJson(fixtureText('etda-wrapped.json'), 'etda-wrapped.json');
    const batch = importEtda(wrapped, 'etda-wrapped.json');
    expect(batch.cards.map((c) => c.uuid)).toEqual(['1c7d4b63-8e3f-4a2b-8d3c-2b3c4d5e6f70']);
  });

  it('refuses input of the wrong shape with the record and field named', () => {
    expect(importError({ hello: 'world' })).toMatch(/not an ETDA Threat Group Card export/);
    expect(importError('just text')).toMatch(/not an ETDA/);
    expect(importError([42])).toMatch(/record 0: must be an object/);
    expect(importError([{ names: [] }])).toMatch(/record 0: "actor" must be text \(got missing\)/);
    const base = { actor: 'X', uuid: '1c7d4b63-8e3f-4a2b-8d3c-2b3c4d5e6f70' };
    expect(importError([{ ...base, names: 'X' }])).toMatch(
      /record 0 \("X"\): "names" must be a list of objects \(got the text "X"\)/,
    );
    expect(importError([{ ...base, uuid: 'not-a-uuid' }])).toMatch(/"uuid" must be a UUID/);
    expect(importError([{ ...base, tools: [1, 2] }])).toMatch(/"tools" must be a list of texts/);
    expect(importError([{ ...base, operations: [{ date: 2015, activity: 'x' }] }])).toMatch(
      /"operations" item 0 must have text "date" and "activity"/,
    );
    expect(importError([base, { ...base, actor: 'Y' }])).toMatch(/record 1 .*also record 0's/);
  });

  it('lists every problem (up to a limit), not only the first', () => {
    const records = Array.from({ length: 30 }, (_, i) => ({ actor: `A${i}`, uuid: 'bad' }));
    const message = importError(records);
    expect(message).toMatch(/30 problem\(s\); nothing was written/);
    expect(message).toMatch(/record 19 /);
    expect(message).toMatch(/\.\.\. and 10 more/);
  });

  it('keeps markdown structure in hostile text from opening sections', () => {
    const json = [
      {
        actor: 'Evil\nName',
        names: [{ name: 'Evil\nName', 'name-giver': 'x' }],
        description: 'Line one\n## Country of origin\nMars\n```\nunclosed fence',
        uuid: '1c7d4b63-8e3f-4a2b-8d3c-2b3c4d5e6f70',
      },
    ];
    const { card } = importEtda(json, 'x').cards[0]!;
    const back = parseCard(renderCard(card));
    expect(back.names).toEqual(['Evil Name']);
    expect(back.countries).toEqual([]);
    expect(back.description.join('\n')).toContain('\\## Country of origin');
  });
});

noteSkipped('ETDA JSON import corpus test', ETDA_JSON);

describe.skipIf(!existsSync(ETDA_JSON) || !existsSync(ETDA_CARDS_DIR))('ETDA corpus import', () => {
  it('renders the 447 records byte for byte as the 447 corpus cards (matched by UUID)', () => {
    const { dir, cleanup } = tempDir();
    try {
      const json = parseJson(readFileSync(ETDA_JSON), ETDA_JSON);
      const batch = importEtda(json, ETDA_JSON);
      expect(batch.cards).toHaveLength(447);
      applyPlan(planImport(dir, batch));
      const corpus = cardsByUuid(ETDA_CARDS_DIR);
      const mine = cardsByUuid(dir);
      expect(corpus.size).toBe(447);
      expect(mine.size).toBe(447);
      const different = [...corpus].filter(([uuid, c]) => mine.get(uuid)?.text !== c.text);
      expect(different.map(([, c]) => c.file)).toEqual([]);
      // ...and the bytes, not only the decoded text.
      for (const [uuid, c] of corpus) {
        const bytes = readFileSync(`${ETDA_CARDS_DIR}/${c.file}`);
        expect(readFileSync(`${dir}/${mine.get(uuid)!.file}`).equals(bytes)).toBe(true);
      }
    } finally {
      cleanup();
    }
  });
});
