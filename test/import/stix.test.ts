import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../app/cli.js';
import type { ActorCard } from '../../src/cards/model.js';
import { parseCard } from '../../src/cards/parse.js';
import { renderCard } from '../../src/cards/render.js';
import { cleanAttackText } from '../../src/import/attack-text.js';
import { ImportError, type Json, parseJson } from '../../src/import/json.js';
import { importMisp } from '../../src/import/misp.js';
import { importStix } from '../../src/import/stix.js';
import { applyPlan, planImport } from '../../src/import/writer.js';
import { CORPUS_DIR, MISP_DIR, noteSkipped } from '../helpers/corpus.js';
import { memoryIO, tempDir } from './helpers.js';
import {
  ACTOR_UUID,
  domainBundle,
  GROUP_UUID,
  REVOKED_UUID,
  revokedBundle,
  smallBundle,
} from './stix-bundle.js';

const STIX_DIR = resolve(CORPUS_DIR, 'attack-stix');
const REAL_BUNDLES = ['ics-attack.json', 'mobile-attack-17.1.json'];

function importError(json: Json): string {
  try {
    importStix(json, 'bundle.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return (err as Error).message;
  }
  throw new Error('expected an ImportError');
}

/** The card's fields, without the layout trivia a parse records. */
function fields(card: ActorCard): Omit<ActorCard, 'layout'> {
  const { layout: _layout, ...rest } = card;
  return rest;
}

describe('ATT&CK description clean-up', () => {
  it('turns links into text and keeps them; removes citations and keeps their names', () => {
    const cleaned = cleanAttackText(
      '[Dragonfly 2.0](https://attack.mitre.org/groups/G0074) acted in the U.S. since 2015. (Citation: US-CERT TA18-074A) (Citation: Symantec (2017))There is [Dragonfly](https://attack.mitre.org/groups/G0035).(Citation: US-CERT TA18-074A)',
    );
    expect(cleaned.text).toBe('Dragonfly 2.0 acted in the U.S. since 2015. There is Dragonfly.');
    expect(cleaned.links).toEqual([
      { label: 'Dragonfly 2.0', url: 'https://attack.mitre.org/groups/G0074' },
      { label: 'Dragonfly', url: 'https://attack.mitre.org/groups/G0035' },
    ]);
    expect(cleaned.citations).toEqual(['US-CERT TA18-074A', 'Symantec (2017)']);
  });

  it('leaves text without links or citations as it was', () => {
    const text = 'Plain [text] (not a citation) and a.b.c.';
    expect(cleanAttackText(text)).toEqual({ text, links: [], citations: [] });
  });
});

describe('STIX importer on a hand-written bundle', () => {
  const batch = importStix(smallBundle(), 'bundle.json');
  const byUuid = new Map(batch.cards.map((c) => [c.uuid, c.card]));
  const group = byUuid.get(GROUP_UUID)!;

  it('makes a card of each active intrusion-set and threat-actor; the revoked one is retired', () => {
    expect(batch.source).toBe('stix:test-att-ck');
    expect([...byUuid.keys()].sort()).toEqual([GROUP_UUID, ACTOR_UUID].sort());
    expect(batch.retired).toEqual([REVOKED_UUID]);
    expect(batch.warnings).toEqual([
      '1 relationship(s) of a group refer to objects not in the bundle; skipped',
    ]);
  });

  it('maps names, the ATT&CK id, dates, motivation and the cleaned description', () => {
    expect(group.uuid).toBe(GROUP_UUID);
    expect(group.names).toEqual(['Copper Lantern']);
    expect(group.aliases).toEqual([
      { name: 'Copper Lantern', vendor: '' },
      { name: 'LANTERN-9', vendor: '' },
      { name: 'Dim', vendor: 'Light' }, // "Dim [Light]": brackets would end a list entry
      { name: 'G9901', vendor: 'MITRE ATT&CK' },
    ]);
    expect(group.firstSeen).toBe('2015-03-01');
    expect(group.lastModified).toBe('2024-04-11');
    expect(group.motivations).toEqual(['espionage']);
    expect(group.description).toEqual([
      'Copper Lantern is a made-up group. It uses Mimikatz.',
      'Second paragraph.',
    ]);
    expect(group.countries).toEqual(['North Korea']);
    expect(group.sectors).toEqual(['Energy']);
  });

  it('lists the techniques with sub-technique names and tactics, and the software', () => {
    expect(group.techniques).toEqual([
      { id: 'T1566', name: 'Phishing', tactics: ['initial-access'] },
      {
        id: 'T1566.001',
        name: 'Phishing: Spearphishing Attachment',
        tactics: ['initial-access', 'execution'],
      },
      { id: '', name: 'Custom Lure', tactics: [] },
    ]);
    // The revoked relationship to LanternRAT and the deprecated technique are skipped.
    expect(group.software).toEqual([{ id: 'S0002', name: 'Mimikatz' }]);
    expect(byUuid.get(ACTOR_UUID)?.software).toEqual([{ id: 'S9901', name: 'LanternRAT' }]);
  });

  it("says which domain an ICS or Mobile tactic is of (their tactic names are Enterprise's)", () => {
    const tactics = (killChain: string) =>
      importStix(domainBundle(killChain, 'T0819', 'initial-access'), 'b.json').cards[0]!.card
        .techniques[0]!.tactics;
    expect(tactics('mitre-ics-attack')).toEqual(['initial-access (ICS)']);
    expect(tactics('mitre-mobile-attack')).toEqual(['initial-access (Mobile)']);
    expect(tactics('mitre-attack')).toEqual(['initial-access']);
    // A kill chain ATT&CK does not name, even one spelled like an object's own key, says nothing.
    expect(tactics('constructor')).toEqual(['initial-access']);
    expect(tactics('__proto__')).toEqual(['initial-access']);
    const card = importStix(domainBundle('mitre-ics-attack', 'T0819', 'initial-access'), 'b.json')
      .cards[0]!.card;
    expect(parseCard(renderCard(card), 'c.md').techniques).toEqual(card.techniques);
  });

  it('writes campaigns as dated operations and the references with their URLs', () => {
    expect(group.operations).toEqual([
      {
        date: '2019-02/2019-06',
        title: 'Operation Wick (C9901)',
        text: 'Copper Lantern ran it.',
        sources: ['https://attack.mitre.org/campaigns/C9901'],
      },
    ]);
    const refs = group.extraSections.find((s) => s.heading === 'References')?.body;
    expect(refs).toBe(
      [
        '- MITRE ATT&CK G9901: https://attack.mitre.org/groups/G9901',
        '- Lantern Report 2020: https://example.com/lantern',
        '- Mimikatz: https://attack.mitre.org/software/S0002',
      ].join('\n'),
    );
    const stix = group.extraSections.find((s) => s.heading === 'STIX')?.body;
    expect(stix).toContain(`- id: intrusion-set--${GROUP_UUID}`);
    expect(stix).toContain('- x_mitre_domains: enterprise-attack');
  });

  it('renders cards that parse back field for field and render to the same bytes', () => {
    for (const { card } of batch.cards) {
      const text = renderCard(card);
      const back = parseCard(text, 'card.md');
      expect(fields(back)).toEqual(fields(card));
      expect(back.layout).toBeUndefined();
      expect(renderCard(back)).toBe(text);
    }
    expect(renderCard(group)).toContain(
      '## Techniques\n\n- T1566: Phishing [initial-access]\n- T1566.001: Phishing: Spearphishing Attachment [initial-access, execution]\n- Custom Lure\n\n## Software\n\n- S0002: Mimikatz\n\n',
    );
  });

  it('retires the card of a group revoked since the last import, unless edited by hand', () => {
    const { dir, cleanup } = tempDir();
    try {
      applyPlan(planImport(dir, batch));
      expect(readdirSync(dir).filter((f) => f.endsWith('.md'))).toHaveLength(2);
      const again = planImport(dir, importStix(smallBundle(), 'bundle.json'));
      expect(again.changes.every((c) => c.kind === 'unchanged')).toBe(true);

      const edited = planImport(dir, batch).changes.find((c) => c.uuid === ACTOR_UUID)!.file;
      writeFileSync(join(dir, edited), `${readFileSync(join(dir, edited), 'utf8')}\nnote\n`);
      const revoked = revokedBundle();
      (revoked.objects as { [key: string]: Json }[]).forEach((o) => {
        if (o.type === 'threat-actor') o.revoked = true;
      });
      const plan = planImport(dir, importStix(revoked, 'bundle.json'));
      const kinds = Object.fromEntries(plan.changes.map((c) => [c.uuid, c.kind]));
      expect(kinds).toEqual({ [GROUP_UUID]: 'removed', [ACTOR_UUID]: 'gone' });
      applyPlan(plan);
      expect(readdirSync(dir).filter((f) => f.endsWith('.md'))).toEqual([edited]);
    } finally {
      cleanup();
    }
  });
});

describe('STIX importer on hostile input', () => {
  it('refuses what is not a bundle, with a clear message', () => {
    expect(importError([])).toMatch(/not a STIX 2.1 bundle.*got a list/);
    expect(importError({ objects: 'x' })).toMatch(/got the text "x" for "objects"/);
    expect(importError({ type: 'report', objects: [] })).toMatch(/"type" is the text "report"/);
  });

  it('names every broken group and writes nothing', () => {
    const message = importError({
      type: 'bundle',
      objects: [
        { type: 'intrusion-set', id: 'intrusion-set--not-a-uuid', name: 'A' },
        { type: 'intrusion-set', id: `threat-actor--${GROUP_UUID}`, name: 'B' },
        { type: 'intrusion-set', id: `intrusion-set--${GROUP_UUID}`, name: { x: 1 } },
        { type: 'intrusion-set', id: `intrusion-set--${ACTOR_UUID}`, name: 'C' },
        { type: 'threat-actor', id: `threat-actor--${ACTOR_UUID}`, name: 'D' },
      ],
    });
    expect(message).toContain('4 problem(s); nothing was written');
    expect(message).toContain('objects[0] ("A"): "id" must be "intrusion-set--<uuid>"');
    expect(message).toContain('objects[1] ("B"): "id" must be');
    expect(message).toContain('objects[2]: "name" must be a non-empty text (got an object)');
    expect(message).toContain(`objects[4] ("D"): UUID ${ACTOR_UUID} is also objects[3]'s`);
  });

  it('skips entries of the wrong shape, and keeps names from breaking the card', () => {
    const batch = importStix(
      {
        type: 'bundle',
        objects: [
          7,
          null,
          'x',
          {
            type: 'intrusion-set',
            id: `intrusion-set--${GROUP_UUID}`,
            name: 'Two\nLines',
            aliases: ['## Heading', 42, 'ok'],
            description: '# Not a title\n```\nfence',
            external_references: 'wrong',
            kill_chain_phases: { no: 1 },
          },
          { type: 'relationship', relationship_type: 'uses', source_ref: 5, target_ref: null },
        ],
      },
      'bundle.json',
    );
    expect(batch.warnings[0]).toBe('3 entries of "objects" are not objects; skipped');
    const card = batch.cards[0]!.card;
    expect(card.names).toEqual(['Two Lines']);
    const back = parseCard(renderCard(card), 'card.md');
    expect(back.names).toEqual(['Two Lines']);
    expect(back.aliases.map((a) => a.name)).toEqual(['Two Lines', '## Heading', 'ok']);
    expect(back.description).toEqual(card.description);
    expect(back.extraSections.map((s) => s.heading)).toEqual(['STIX']);
  });

  it('refuses a deeply nested or oversized file before reading it', () => {
    const deep = `{"type":"bundle","objects":[${'['.repeat(100)}${']'.repeat(100)}]}`;
    expect(() => parseJson(deep, 'deep.json')).toThrow(/nested deeper than 64 levels/);
    const big = JSON.stringify(smallBundle());
    expect(() => parseJson(big, 'big.json', { maxBytes: 1000 })).toThrow(/over the .* limit/);
  });

  it('reads a bundle of many groups with long texts', () => {
    const objects: Json[] = [];
    for (let i = 0; i < 2000; i++) {
      const hex = i.toString(16).padStart(12, '0');
      objects.push({
        type: 'intrusion-set',
        id: `intrusion-set--00000000-0000-4000-8000-${hex}`,
        name: `Group ${i}`,
        description: 'word '.repeat(2000),
      });
    }
    const batch = importStix({ type: 'bundle', objects }, 'many.json');
    expect(batch.cards).toHaveLength(2000);
  });
});

describe('aptcard import stix', () => {
  it('imports a bundle file into a folder; a re-run changes nothing', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'bundle.json');
      writeFileSync(file, JSON.stringify(smallBundle()));
      const out = join(dir, 'cards');
      const first = memoryIO();
      expect(await main(['import', 'stix', file, '--out', out], first.io)).toBe(0);
      expect(first.out()).toMatch(/stix:test-att-ck: 2 card\(s\) in the source: 2 added/);
      const second = memoryIO();
      expect(await main(['import', 'stix', file, '--out', out], second.io)).toBe(0);
      expect(second.out()).toMatch(/2 card\(s\) in the source: 2 unchanged/);
    } finally {
      cleanup();
    }
  });
});

noteSkipped('real ATT&CK STIX bundle tests', STIX_DIR);

type Obj = { [key: string]: Json };
const isActive = (o: Obj) => o.revoked !== true && o.x_mitre_deprecated !== true;
const attackId = (o: Obj) => {
  const refs = (o.external_references ?? []) as Obj[];
  return String(refs.find((r) => r.source_name === 'mitre-attack')?.external_id ?? '');
};

describe.skipIf(!existsSync(STIX_DIR))('STIX importer on the real ATT&CK bundles', () => {
  for (const name of REAL_BUNDLES) {
    it(`${name}: every active group becomes a card with exactly the techniques and software it uses`, () => {
      const path = join(STIX_DIR, name);
      const json = parseJson(readFileSync(path), path);
      const batch = importStix(json, path);
      const objects = (json as { objects: Obj[] }).objects;
      const byId = new Map(objects.map((o) => [String(o.id), o]));
      const groups = objects.filter((o) => o.type === 'intrusion-set');
      const activeGroups = groups.filter(isActive);
      expect(activeGroups.length).toBeGreaterThan(10);
      expect(batch.cards.map((c) => c.uuid).sort()).toEqual(
        activeGroups.map((g) => String(g.id).split('--')[1]).sort(),
      );
      expect(batch.retired?.length).toBe(groups.length - activeGroups.length);

      let techniques = 0;
      for (const { card } of batch.cards) {
        const uses = objects
          .filter(
            (r) =>
              r.type === 'relationship' &&
              r.relationship_type === 'uses' &&
              r.source_ref === `intrusion-set--${card.uuid}` &&
              isActive(r),
          )
          .map((r) => byId.get(String(r.target_ref)))
          .filter((t): t is Obj => t !== undefined && isActive(t));
        const expected = (type: string[]) =>
          [...new Set(uses.filter((t) => type.includes(String(t.type))).map(attackId))].sort();
        expect(card.techniques.map((t) => t.id)).toEqual(expected(['attack-pattern']));
        expect(card.software.map((s) => s.id)).toEqual(expected(['malware', 'tool']));
        for (const t of card.techniques) {
          const source = uses.find((u) => attackId(u) === t.id)!;
          const phases = (source.kill_chain_phases ?? []) as Obj[];
          // ICS and Mobile tactics say their domain: their names are Enterprise's.
          const domain = { 'mitre-ics-attack': ' (ICS)', 'mitre-mobile-attack': ' (Mobile)' };
          expect(t.tactics).toEqual(
            phases.map(
              (p) => `${p.phase_name}${domain[p.kill_chain_name as keyof typeof domain] ?? ''}`,
            ),
          );
          expect(t.tactics.every((x) => / \((?:ICS|Mobile)\)$/.test(x))).toBe(true);
          expect(t.tactics.length).toBeGreaterThan(0);
        }
        techniques += card.techniques.length;
        for (const p of card.description) {
          expect(p).not.toMatch(/\(Citation:|\]\(https?:/);
        }
        const text = renderCard(card);
        const back = parseCard(text, `${card.uuid}.md`);
        expect(fields(back)).toEqual(fields(card));
        expect(renderCard(back)).toBe(text);
      }
      expect(techniques).toBeGreaterThan(10);
    });
  }
});

describe.skipIf(!existsSync(MISP_DIR))('MISP MITRE cluster: ATT&CK descriptions cleaned', () => {
  it('leaves no markdown link or citation marker in any description, and keeps the sources', () => {
    const path = join(MISP_DIR, 'mitre-intrusion-set.json');
    const batch = importMisp(parseJson(readFileSync(path), path), path);
    let cited = 0;
    for (const { card } of batch.cards) {
      for (const p of card.description) expect(p).not.toMatch(/\(Citation:|\]\(https?:/);
      const names = card.extraSections.find((s) => s.heading === 'Cited sources');
      if (names) cited++;
    }
    expect(cited).toBeGreaterThan(150);
    const dragonfly = batch.cards.find((c) => c.card.names[0] === 'Dragonfly 2.0')!.card;
    expect(dragonfly.description[0]).toMatch(/^Dragonfly 2\.0 is a suspected Russian group/);
    expect(dragonfly.extraSections.find((s) => s.heading === 'Cited sources')?.body).toBe(
      '- US-CERT TA18-074A\n- Symantec Dragonfly Sept 2017\n- Fortune Dragonfly 2.0 Sept 2017\n- Dragos DYMALLOY',
    );
    expect(dragonfly.extraSections.find((s) => s.heading === 'References')?.body).toContain(
      'https://attack.mitre.org/groups/G0035',
    );
  });
});
