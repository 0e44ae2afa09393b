/**
 * The three public catalogs imported side by side, as the README tells users to do, with the
 * project's own importers: each well-known actor must answer as one profile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cardView } from '../../src/reply/build.js';
import { firstScreen } from '../../src/reply/first-screen.js';
import { referencesOf } from '../../src/reply/techniques.js';
import { SearchIndex } from '../../src/search/index.js';
import { compactKey } from '../../src/search/normalize.js';
import {
  ETDA_CATALOG,
  hasCatalogFiles,
  importCatalogs,
  MISP_MITRE,
  MISP_THREAT_ACTOR,
} from '../helpers/catalogs.js';

const CATALOGS = [ETDA_CATALOG, MISP_THREAT_ACTOR, MISP_MITRE];
const present = hasCatalogFiles('actors over three catalogs', CATALOGS);

const WELL_KNOWN = [
  'APT28',
  'APT29',
  'Lazarus',
  'Sandworm',
  'Turla',
  'APT41',
  'FIN7',
  'Kimsuky',
  'OilRig',
  'MuddyWater',
  'Charming Kitten',
  'Volt Typhoon',
  'Scattered Spider',
];
/** The names ETDA gives to two actors each. */
const ETDA_DOUBLES = [
  'Grizzly Steppe',
  'Blackfly',
  'Iridium',
  'Monsoon',
  'Iron Tiger',
  'Brass Typhoon',
];

describe.skipIf(!present)('actors over ETDA + MISP threat actors + MISP ATT&CK groups', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aptcard-actors-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let index: SearchIndex;

  it('imports the three sources into one folder', () => {
    const catalog = importCatalogs(dir, CATALOGS);
    expect(catalog.issues.filter((i) => i.level === 'error')).toEqual([]);
    expect(catalog.cards).toHaveLength(447 + 1041 + 191);
    index = new SearchIndex(catalog);
    const multi = catalog.actors.filter((a) => a.cards.length > 1).length;
    console.log(
      `[corpus] ${catalog.cards.length} cards -> ${catalog.actors.length} actors (${multi} from several sources; ${catalog.actors.reduce((n, a) => n + a.folded.length, 0)} revoked entries folded, ${catalog.hidden.length} hidden)`,
    );
    expect(catalog.actors.length).toBeLessThan(catalog.cards.length);
  }, 300_000);

  it('no actor holds two cards of one source', () => {
    const doubled = index.catalog.actors.filter(
      (a) => new Set(a.sources).size !== a.sources.length,
    );
    expect(doubled.map((a) => a.sources)).toEqual([]);
  });

  it.each(WELL_KNOWN)(
    '%s answers as one profile holding one card of each source that names it',
    (name) => {
      const answer = index.search(name);
      expect(answer.outcome).toBe('profile');
      const actor = index.catalog.actorOf(answer.results[0]?.uuid ?? '');
      expect(actor).toBeDefined();
      // Every source with a card whose own (title) name this is must be in the profile.
      const key = compactKey(name);
      const titled = new Set(
        index.catalog.cards
          .filter((c) => c.card.names.some((n) => compactKey(n) === key))
          .map((c) => c.source.origin ?? 'local'),
      );
      for (const source of titled) expect(actor?.sources, `${name}: ${source}`).toContain(source);
      console.log(`[corpus] ${name} -> ${answer.results[0]?.name} [${actor?.sources.join(', ')}]`);
    },
  );

  it.each(ETDA_DOUBLES)('%s, a name ETDA gives to two actors, stays ambiguous', (name) => {
    const answer = index.search(name);
    expect(answer.outcome).toBe('ambiguous');
    const ids = answer.results.map((r) => r.uuid);
    expect(new Set(ids).size).toBe(ids.length);
    expect(answer.results.length).toBeGreaterThanOrEqual(2);
  });

  it('Iridium: the ETDA and MISP galaxy cards are one actor, still a name shared with Sandworm', () => {
    const answer = index.search('Iridium');
    const actors = answer.results.map((r) => index.catalog.actorOf(r.uuid));
    const iranian = actors.find((a) => a?.sources.includes('etda') && a.cards.length === 2);
    expect(iranian?.cards.map((c) => c.card.names[0])).toEqual(['Iridium', 'IRIDIUM']);
    expect(iranian?.sources).toEqual(['etda', 'misp-galaxy:threat-actor']);
    expect(answer.results.map((r) => r.name).sort()).toEqual(['Iridium', 'Sandworm Team']);
  });

  it("a merged profile's first screen: the most used aliases first, every source's description kept", () => {
    const answer = index.search('APT28');
    const entry = index.catalog.profileOf(answer.results[0]?.uuid ?? '');
    expect(entry).toBeDefined();
    const card = cardView(entry!, index.catalog);
    const actor = index.catalog.actorOf(card.uuid)!;
    const uses = card.aliases.map(
      (a) => actor.profile.aliasSources.get(compactKey(a.name))?.length ?? 1,
    );
    // Never increasing: an alias listed by three sources is never after one listed by one.
    expect(uses).toEqual([...uses].sort((a, b) => b - a));
    expect(uses[0]).toBeGreaterThan(1);
    const screen = firstScreen(card);
    expect(screen.aliases.items.length + screen.aliases.more).toBe(card.aliases.length);
    expect(screen.sources).toMatch(/ETDA/);
    // Every source's references, each URL once.
    const urls = new Set(actor.cards.flatMap((c) => referencesOf(c.card).map((r) => r.url)));
    expect(new Set(card.references.map((r) => r.url))).toEqual(urls);
    expect(card.references).toHaveLength(urls.size);
    const misp = actor.cards.find((c) => c.source.origin === 'misp-galaxy:threat-actor');
    expect(referencesOf(misp!.card).length).toBeGreaterThan(0);
    // The other sources' descriptions are reachable (the full card shows them).
    expect(card.otherDescriptions?.map((d) => d.label)).toEqual(
      expect.arrayContaining(['MISP galaxy']),
    );
  });
});
