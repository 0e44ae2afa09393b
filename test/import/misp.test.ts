import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAlias, parseCard } from '../../src/cards/parse.js';
import { renderCard } from '../../src/cards/render.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { ImportError, type Json, parseJson } from '../../src/import/json.js';
import { importMisp } from '../../src/import/misp.js';
import { applyPlan, planImport } from '../../src/import/writer.js';
import { SearchIndex } from '../../src/search/index.js';
import { MISP_DIR, noteSkipped } from '../helpers/corpus.js';
import { fixtureText, tempDir } from './helpers.js';

const actors = () => parseJson(fixtureText('misp-threat-actor.json'), 'misp-threat-actor.json');
const mitre = () => parseJson(fixtureText('misp-mitre.json'), 'misp-mitre.json');

function importError(json: Json): string {
  try {
    importMisp(json, 'input.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return (err as Error).message;
  }
  throw new Error('expected an ImportError');
}

describe('MISP galaxy threat-actor importer', () => {
  const batch = importMisp(actors(), 'misp-threat-actor.json');
  const copper = batch.cards[0]!.card;

  it('keys the import by galaxy, and maps the fields with a place in the layout', () => {
    expect(batch.source).toBe('misp-galaxy:threat-actor');
    expect(copper.names).toEqual(['Copper Lantern']);
    expect(copper.uuid).toBe('3e9f6d85-a051-4c4d-8f5e-4d5e6f708192');
    expect(copper.aliases).toEqual([
      { name: 'Copper Lantern', vendor: '' },
      { name: 'APT901', vendor: '' },
      { name: 'Lantern Team', vendor: 'ExampleSec' }, // from meta "origin:Lantern Team"
      { name: 'LANTERN-9', vendor: 'ExampleSec' }, // "name (vendor)", as cards write it
      { name: 'Dim Light', vendor: '' }, // the stray trailing comma dropped
    ]);
    expect(copper.description).toEqual(['Copper Lantern is a made-up group.', 'Second paragraph.']);
    expect(copper.countries).toEqual(['North Korea']);
    expect(copper.sponsor).toBe('State-sponsored, North Korea');
    expect(copper.motivations).toEqual(['Espionage']);
    expect(copper.sectors).toEqual(['Government', 'Military']);
    expect(copper.targets).toEqual(['USA', 'UK', 'South Korea', 'NATO']);
  });

  it('keeps what has no place in extra sections: references, other meta keys, relations', () => {
    const sections = Object.fromEntries(copper.extraSections.map((s) => [s.heading, s.body]));
    expect(Object.keys(sections)).toEqual(['References', 'MISP galaxy', 'Related']);
    expect(sections.References).toBe('https://example.org/lantern\nhttps://example.org/lantern-2');
    expect(sections['MISP galaxy']).toBe(
      [
        '- galaxy: threat-actor',
        '- attribution-confidence: 50',
        '- name-attribution: APT901:0b6c3a52-7d2e-4f1a-9c2b-1a2b3c4d5e6f',
      ].join('\n'),
    );
    expect(sections.Related).toBe(
      '- similar 4fa07e96-b162-4d5e-905f-5e6f708192a3 (estimative-language:likelihood-probability="likely")',
    );
  });

  it('maps a GB code, an "Unknown" sponsor (kept as metadata), since and several incident types', () => {
    const heron = batch.cards[1]!.card;
    expect(heron.countries).toEqual(['UK']);
    expect(heron.sponsor).toBe('');
    expect(heron.firstSeen).toBe('2016');
    expect(heron.motivations).toEqual(['Cybercrime', 'Financial Theft', 'Espionage']);
    expect(heron.extraSections.find((s) => s.heading === 'MISP galaxy')?.body).toContain(
      '- cfr-suspected-state-sponsor: Unknown',
    );
  });

  it('writes cards the parser reads back field for field', () => {
    for (const { card } of batch.cards) {
      const back = parseCard(renderCard(card));
      const { layout: _layout, ...fields } = back;
      expect(fields).toEqual(card);
    }
  });

  it('refuses a file of the wrong shape with the value and field named', () => {
    expect(importError({ values: 'no' })).toMatch(/not a MISP galaxy cluster/);
    expect(importError(17)).toMatch(/not a MISP galaxy cluster/);
    expect(importError({ values: [null] })).toMatch(/values\[0\]: must be an object/);
    expect(importError({ values: [{ value: 'X' }] })).toMatch(
      /values\[0\] \("X"\): "uuid" must be text \(got missing\)/,
    );
    const ok = { value: 'X', uuid: '5ab18fa7-c273-4e6f-a160-6f708192a3b4' };
    expect(importError({ values: [{ ...ok, meta: [] }] })).toMatch(/"meta" must be an object/);
    expect(importError({ values: [{ ...ok, meta: { synonyms: [1] } }] })).toMatch(
      /values\[0\] \("X"\) meta: "synonyms" must be a list of texts/,
    );
    expect(importError({ values: [ok, { ...ok, value: 'Y' }] })).toMatch(/also values\[0\]'s/);
  });
});

describe('MISP galaxy form of MITRE ATT&CK groups', () => {
  const batch = importMisp(mitre(), 'misp-mitre.json');

  it('reads "Name - G0000" as the name, with the ATT&CK id as an alias', () => {
    expect(batch.source).toBe('misp-galaxy:mitre-intrusion-set');
    const [copper, old] = batch.cards.map((c) => c.card);
    expect(copper?.names).toEqual(['Copper Lantern']);
    expect(copper?.aliases).toEqual([
      { name: 'Copper Lantern', vendor: '' },
      { name: 'APT 901', vendor: '' },
      { name: 'G9901', vendor: 'MITRE ATT&CK' },
    ]);
    const meta = copper?.extraSections.find((s) => s.heading === 'MISP galaxy')?.body;
    expect(meta).toBe('- galaxy: mitre-intrusion-set\n- value: Copper Lantern - G9901');
    expect(old?.extraSections.find((s) => s.heading === 'MISP galaxy')?.body).toContain(
      '- revoked: true',
    );
    expect(renderCard(copper!)).toContain('G9901 (MITRE ATT&CK)');
  });

  it('finds each group by name, synonym and ATT&CK id once written', () => {
    const { dir, cleanup } = tempDir();
    try {
      applyPlan(planImport(dir, batch));
      const catalog = loadCatalog(dir, { cacheDir: false });
      const index = new SearchIndex(catalog);
      for (const q of ['Copper Lantern', 'APT 901', 'apt901', 'G9901', 'g-9901']) {
        expect(index.lookup(q), q).toHaveLength(1);
      }
      // A revoked group naming no replacement is no actor: hidden, not offered.
      expect(index.lookup('Old Group')).toEqual([]);
      expect(catalog.hidden.map((e) => e.card.names[0])).toEqual(['Old Group']);
    } finally {
      cleanup();
    }
  });
});

noteSkipped('MISP galaxy corpus import tests', MISP_DIR);
const galaxyFiles = existsSync(MISP_DIR)
  ? readdirSync(MISP_DIR).filter((f) => f.endsWith('.json'))
  : [];

describe.skipIf(galaxyFiles.length === 0)('MISP galaxy corpus import', () => {
  it.each(galaxyFiles)(
    '%s: every actor becomes a valid card; every synonym a findable alias',
    (file) => {
      const raw = readFileSync(join(MISP_DIR, file));
      const json = parseJson(raw, file);
      const values = (
        json as {
          values: {
            value: string;
            revoked?: boolean;
            meta?: { synonyms?: string[] };
            related?: { type: string; 'dest-uuid': string }[];
          }[];
        }
      ).values;
      const batch = importMisp(json, file);
      expect(batch.cards).toHaveLength(values.length);

      const { dir, cleanup } = tempDir();
      try {
        applyPlan(planImport(dir, batch));
        const catalog = loadCatalog(dir, { cacheDir: false });
        // `aptcard validate` fails on error issues: there must be none.
        expect(catalog.issues.filter((i) => i.level === 'error')).toEqual([]);
        expect(catalog.cards).toHaveLength(values.length);
        const index = new SearchIndex(catalog);
        const missing: string[] = [];
        let checked = 0;
        let revoked = 0;
        batch.cards.forEach(({ uuid }, i) => {
          const value = values[i]!;
          if (value.revoked) {
            // Revoked entries are no actors: folded into the one that replaced them.
            revoked++;
            const by = value.related?.find((r) => r.type === 'revoked-by')?.['dest-uuid'];
            expect(
              index.lookup(uuid).map((e) => e.card.uuid),
              value.value,
            ).toEqual([by]);
            return;
          }
          const names = [
            value.value.replace(/\s+-\s+G\d{4,}$/, ''),
            ...(value.meta?.synonyms ?? []),
          ];
          for (const raw of names) {
            const name = raw.trim().replace(/^[,;\s]+|[,;\s]+$/g, '');
            if (!name) continue;
            checked++;
            // A synonym written "X (Y)" is read as X named by Y, as every card alias is.
            const found =
              index.lookup(name).some((e) => e.card.uuid === uuid) ||
              index.lookup(parseAlias(name).name).some((e) => e.card.uuid === uuid);
            if (!found) missing.push(`${value.value}: ${name}`);
          }
        });
        expect(missing).toEqual([]);
        expect(checked).toBeGreaterThan(values.length - revoked);
        console.log(`[corpus] ${file}: ${values.length} cards, ${revoked} revoked (folded)`);
      } finally {
        cleanup();
      }
    },
  );
});
