import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActorCard, emptyCard } from '../../src/cards/model.js';
import { renderCard } from '../../src/cards/render.js';

/** A small fictional actor card; override any field. Fixtures are ours, not corpus copies. */
export function makeCard(overrides: Partial<ActorCard> & { uuid: string }): ActorCard {
  return { ...emptyCard(overrides.uuid), ...overrides };
}

export const COPPER = makeCard({
  uuid: '11111111-1111-4111-8111-111111111111',
  names: ['Copper Lantern', 'APT 99', 'Quiet Heron'],
  firstSeen: '2015',
  lastModified: '2023-01-02',
  aliases: [
    { name: 'Copper Lantern', vendor: 'Kaspersky' },
    { name: 'APT 99', vendor: 'Mandiant' },
    { name: 'Quiet Heron', vendor: 'CrowdStrike' },
    { name: 'TEMP.Lantern', vendor: 'FireEye' },
    { name: 'Night Owl', vendor: 'Symantec, Broadcom' },
  ],
  description: [
    '(Kaspersky) Copper Lantern runs long espionage campaigns against energy companies.',
    'It shares tooling with {{Glass Viper}} and has a subgroup, {{Subgroup: Tin Sparrow}}.',
  ],
  sponsor: 'State-sponsored',
  motivations: ['Information theft and espionage'],
  countries: ['China'],
  sectors: ['Energy', 'Oil and gas', 'Government'],
  targets: ['USA', 'Ukraine', 'Germany'],
  tools: ['LanternRAT', 'PlugX'],
  operations: [
    {
      date: '2014-08',
      title: 'Lantern lights up pipelines',
      text: 'Spear-phishing against oil and gas firms.',
      sources: ['https://example.com/lantern-2014'],
    },
    { date: '2019 Late', title: 'Second wave', text: '', sources: ['https://example.com/wave2'] },
    { date: '2021/2022', title: 'Quiet years', text: 'Low activity.', sources: [] },
  ],
  counterOperations: [{ date: '', title: 'Servers sinkholed by a vendor.', text: '', sources: [] }],
});

export const VIPER = makeCard({
  uuid: '22222222-2222-4222-8222-222222222222',
  names: ['Glass Viper'],
  firstSeen: '2018',
  lastModified: '2022-05-05',
  aliases: [
    { name: 'Glass Viper', vendor: 'Microsoft' },
    { name: 'Night Owl', vendor: 'ESET' },
    { name: 'Zinc', vendor: 'Microsoft' },
  ],
  description: ['(Microsoft) Glass Viper is a financially motivated ransomware crew.'],
  motivations: ['Financial gain'],
  countries: ['Russia'],
  sectors: ['Healthcare', 'Financial'],
  targets: ['USA', 'UK'],
  tools: ['Cobalt Strike', 'ViperLocker'],
  operations: [
    {
      date: '2022-03',
      title: 'Hospitals hit by ViperLocker',
      text: 'Ransomware deployed in hospitals.',
      sources: ['https://example.com/viper'],
    },
  ],
});

export const SPARROW = makeCard({
  uuid: '33333333-3333-4333-8333-333333333333',
  names: ['Tin Sparrow'],
  firstSeen: '2020',
  lastModified: '2023-03-03',
  aliases: [{ name: 'Tin Sparrow', vendor: 'Kaspersky' }],
  description: ['A subgroup of {{Copper Lantern, APT 99, Quiet Heron}}.'],
  motivations: ['Information theft and espionage'],
  countries: ['China'],
  sectors: ['Telecommunications'],
  targets: ['Vietnam'],
  tools: ['PlugX'],
});

export const FIXTURE_CARDS = [COPPER, VIPER, SPARROW];

/** A card with twelve dated operations: three pages of them. */
export const BUSY = makeCard({
  uuid: '88888888-8888-4888-8888-888888888888',
  names: ['Busy Bee'],
  aliases: [{ name: 'Busy Bee', vendor: 'Us' }],
  operations: Array.from({ length: 12 }, (_, i) => ({
    date: `${2000 + i}-01`,
    title: `Operation ${i}`,
    text: '',
    sources: [],
  })),
});

/** Write cards (or raw files) to a fresh temp folder; returns it and a cleanup. */
export function cardsFolder(
  files: Record<string, string | Uint8Array> = {},
  cards = FIXTURE_CARDS,
) {
  const dir = mkdtempSync(join(tmpdir(), 'aptcard-test-'));
  for (const [i, card] of cards.entries())
    writeFileSync(join(dir, `card-${i}.md`), renderCard(card));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
