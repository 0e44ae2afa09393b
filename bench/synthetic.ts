/** A generated catalog for scale figures: N cards in the ETDA layout, deterministic. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ActorCard, emptyCard } from '../src/cards/model.js';
import { renderCard } from '../src/cards/render.js';

const SYLLABLES = [
  'ka',
  'ro',
  'ven',
  'tal',
  'mir',
  'zu',
  'pex',
  'lon',
  'dri',
  'sha',
  'gor',
  'ul',
  'bex',
  'nia',
  'cor',
  'tem',
];
const ANIMALS = [
  'Panda',
  'Bear',
  'Kitten',
  'Chollima',
  'Spider',
  'Jackal',
  'Tiger',
  'Typhoon',
  'Blizzard',
  'Sleet',
];
const VENDORS = ['Mandiant', 'CrowdStrike', 'Microsoft', 'Kaspersky', 'Symantec', 'Palo Alto'];
const COUNTRIES = ['China', 'Russia', 'Iran', 'North Korea', 'USA', 'Vietnam', '[Unknown]'];
const SECTORS = [
  'Defense',
  'Energy',
  'Government',
  'Healthcare',
  'Financial',
  'Telecommunications',
  'Oil and gas',
];
const WORDS =
  'the group used spear-phishing documents and custom backdoors against ministries telecom operators and defense contractors across the region over several years'.split(
    ' ',
  );

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function syntheticCard(i: number): ActorCard {
  const r = rng(i + 1);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)] as T;
  const word = () => {
    const w = Array.from({ length: 2 + Math.floor(r() * 2) }, () => pick(SYLLABLES)).join('');
    return w[0]!.toUpperCase() + w.slice(1);
  };
  const card = emptyCard(
    `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${(i * 7919).toString(16).padStart(12, '0').slice(-12)}`,
  );
  const main = `${word()} ${i}`;
  card.names = [main, `${word()} ${pick(ANIMALS)}`];
  card.aliases = [
    { name: main, vendor: pick(VENDORS) },
    { name: card.names[1]!, vendor: 'CrowdStrike' },
    { name: `TG-${1000 + i}`, vendor: 'SecureWorks' },
  ];
  card.firstSeen = String(2000 + Math.floor(r() * 23));
  card.lastModified = '2023-06-01';
  card.description = Array.from({ length: 2 }, () =>
    Array.from({ length: 40 }, () => pick(WORDS)).join(' '),
  );
  card.motivations = ['Information theft and espionage'];
  card.countries = [pick(COUNTRIES)];
  card.sectors = [pick(SECTORS), pick(SECTORS)];
  card.targets = [pick(COUNTRIES), pick(COUNTRIES)];
  card.tools = [`${word()}RAT`, 'PlugX'];
  card.operations = Array.from({ length: 3 }, (_, k) => ({
    date: `${2010 + k * 4}-0${1 + k}`,
    title: `${main} campaign ${k}`,
    text: Array.from({ length: 20 }, () => pick(WORDS)).join(' '),
    sources: [`https://example.com/report/${i}/${k}`],
  }));
  return card;
}

export function writeSyntheticCatalog(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++)
    writeFileSync(join(dir, `card-${i}.md`), renderCard(syntheticCard(i)));
}
