/**
 * Hot reload groups again only the cards a change touches (src/catalog/regroup.ts, issue 19's
 * "re-resolves only the actors it touches"): after every edit of a random sequence, and after
 * edits of the public catalogs imported together, the remembered grouping is the one
 * groupActors makes of the whole catalog, actor for actor and card for card.
 */
import { describe, expect, it } from 'vitest';
import { type ActorCard, emptyCard, type LoadedCard } from '../../src/cards/model.js';
import { type ActorSet, groupActors } from '../../src/catalog/actors.js';
import type { ActorOverrides } from '../../src/catalog/overrides.js';
import { GroupingMemo } from '../../src/catalog/regroup.js';
import {
  ETDA_CATALOG,
  hasCatalogFiles,
  importCatalogs,
  MISP_MITRE,
  MISP_THREAT_ACTOR,
} from '../helpers/catalogs.js';
import { tempDir } from '../import/helpers.js';

/** What a grouping decided, in its order: each actor's id, cards, sources and folded cards. */
function decided(set: ActorSet) {
  const file = (e: LoadedCard) => e.source.file;
  return {
    actors: set.actors.map((a) => [a.id, a.cards.map(file), a.sources, a.folded.map(file)]),
    hidden: set.hidden.map(file),
  };
}

/** A small deterministic random source (mulberry32). */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  return { next, int, pick };
}

const SOURCES = [undefined, 'etda', 'misp-galaxy:threat-actor', 'stix:enterprise'] as const;
// Few names, so that they are shared (some by more than eight cards, which then links none).
const NAMES = [
  'Copper Lantern',
  'Glass Viper',
  'Tin Sparrow',
  'Quiet Heron',
  'Night Owl',
  'Iron',
  'APT 99',
  'APT 98',
  'TEMP.Lantern',
  'Safe',
  'Lead',
  'Storm-0001',
  'Red Ember',
  'Blue Moth',
  'Grey Finch',
  'Salt Typhoon',
  'Opal Sleet',
  'Ruby Kite',
  'Zinc Gale',
  'Amber Wolf',
];
/** About eight cards each: as cards come and go, a name links cards, then none, then again. */
const COMMON = NAMES.slice(0, 4);
const uuid = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;

/** The cards of a random multi-source catalog and the edits a reload might bring. */
function randomCatalog(seed: number) {
  const r = random(seed);
  let version = 0;
  let nextId = 0;
  const makeEntry = (n: number, source: (typeof SOURCES)[number], file: string): LoadedCard => {
    const card: ActorCard = emptyCard(uuid(n));
    // Cards describe one of many actors (by some of its names and its ATT&CK id), now and then
    // with a common name many cards share, or a name of another actor: as real catalogs do.
    const actor = r.int(120);
    const own = [`Actor ${actor}`, `Actor ${actor} Team`, `TEMP.${actor}`];
    const names = [...new Set([own[0] as string, ...own.slice(1).filter(() => r.next() < 0.5)])];
    if (r.next() < 0.12) names.push(r.pick(COMMON));
    if (r.next() < 0.03) names.push(`Actor ${r.int(120)}`);
    card.names = names.slice(0, 1 + r.int(2));
    card.aliases = names.map((name) => ({ name, vendor: '' }));
    if (actor % 4 === 0 && r.next() < 0.5)
      card.aliases.push({ name: `G${String(actor).padStart(4, '0')}`, vendor: '' });
    const lines: string[] = [];
    if (r.next() < 0.03) lines.push(`- similar ${uuid(r.int(nextId + 1))}`);
    if (r.next() < 0.05) {
      lines.push('- revoked: true');
      if (r.next() < 0.7) lines.push(`- revoked-by ${uuid(r.int(nextId + 1))}`);
    }
    if (lines.length) card.extraSections = [{ heading: 'Related', body: lines.join('\n') }];
    version++;
    return {
      card,
      source: {
        file,
        hash: `h${version}`,
        ...(source ? { origin: source } : {}),
        ...(r.next() < 0.03 ? { attackIds: [`G${String(r.int(120)).padStart(4, '0')}`] } : {}),
      },
    };
  };
  const fresh = () => {
    // Now and then a UUID another source already has (ATT&CK and MISP share ids).
    const n = nextId > 0 && r.next() < 0.04 ? r.int(nextId) : nextId++;
    const source = r.pick(SOURCES);
    return makeEntry(n, source, `${source ?? 'local'}/card-${version}.md`);
  };
  const cards: LoadedCard[] = Array.from({ length: 240 }, fresh);
  const edit = () => {
    const kind = r.int(3);
    if (kind === 0 || cards.length < 50) cards.push(fresh());
    else if (kind === 1) cards.splice(r.int(cards.length), 1);
    else {
      // The same file with other content: other names, ids or links.
      const i = r.int(cards.length);
      const old = cards[i] as LoadedCard;
      const n = Number.parseInt(old.card.uuid, 10);
      cards[i] = makeEntry(n, old.source.origin as (typeof SOURCES)[number], old.source.file);
    }
  };
  return { cards, edit, r };
}

describe('grouping again after a change', () => {
  it.each([1, 2, 3, 4])('is the whole catalog grouping after every edit (seed %i)', (seed) => {
    const { cards, edit, r } = randomCatalog(seed);
    const overrides: ActorOverrides = {
      same: [[uuid(3), uuid(40)]],
      apart: [[uuid(5), uuid(6)]],
    };
    const memo = new GroupingMemo();
    expect(memo.group(cards, overrides).whole).toBe(true);
    let partial = 0;
    let regrouped = 0;
    for (let step = 0; step < 80; step++) {
      for (let k = 1 + r.int(3); k > 0; k--) edit();
      const got = memo.group(cards, overrides);
      expect(decided(got.set), `step ${step}`).toEqual(decided(groupActors(cards, overrides)));
      if (!got.whole) {
        partial++;
        regrouped += got.regrouped;
      }
    }
    // The point of it: most builds group a part, a small one.
    console.log(
      `[regroup] seed ${seed}: ${partial} of 80 builds grouped a part, ${Math.round(regrouped / Math.max(1, partial))} cards on average of ${cards.length}`,
    );
    expect(partial).toBeGreaterThan(40);
    expect(regrouped / partial).toBeLessThan(cards.length / 2);
  });

  /** A card of its own source (sources never share an actor), titled `names[0]`. */
  const titled = (n: number, names: string[], body = '', hash = 'a'): LoadedCard => ({
    card: {
      ...emptyCard(uuid(n)),
      names: [names[0] as string],
      aliases: names.map((name) => ({ name, vendor: '' })),
      extraSections: body ? [{ heading: 'Related', body }] : [],
    },
    source: { file: `s${n}/card.md`, hash: `${n}${hash}`, origin: `source-${n}` },
  });
  const none: ActorOverrides = { same: [], apart: [] };

  it('splits the cards a name linked when one more card takes it past eight', () => {
    // Eight sources call one actor "Umber Kite"; a ninth card by that name links none of them.
    const cards = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => titled(n, ['Umber Kite', `Kite ${n}`]));
    const memo = new GroupingMemo();
    expect(memo.group(cards, none).set.actors).toHaveLength(1);
    cards.push(titled(9, ['Umber Kite']));
    const got = memo.group(cards, none);
    expect(got.whole).toBe(false);
    expect(got.set.actors).toHaveLength(9);
    expect(decided(got.set)).toEqual(decided(groupActors(cards, none)));
    cards.pop();
    expect(decided(memo.group(cards, none).set)).toEqual(decided(groupActors(cards, none)));
  });

  it('weighs a name as the whole catalog counts it, not as the regrouped part does', () => {
    // Nine cards are titled "Umber Kite" (too common to link); one also calls another similar,
    // which alone is too weak: they stay apart, however often that card changes.
    const body = (to: number) => `- similar ${uuid(to)}`;
    const cards = [
      titled(1, ['Umber Kite'], body(2)),
      titled(2, ['Umber Kite']),
      ...[3, 4, 5, 6, 7, 8, 9].map((n) => titled(n, ['Umber Kite'])),
    ];
    const memo = new GroupingMemo();
    memo.group(cards, none);
    cards[0] = titled(1, ['Umber Kite', 'Kite One'], body(2), 'b');
    const got = memo.group(cards, none);
    expect(got.whole).toBe(false);
    expect(got.regrouped).toBe(2);
    expect(got.set.actors).toHaveLength(9);
    expect(decided(got.set)).toEqual(decided(groupActors(cards, none)));
  });

  it('groups the whole again when the overrides change or most cards did', () => {
    const { cards } = randomCatalog(9);
    const memo = new GroupingMemo();
    memo.group(cards, { same: [], apart: [] });
    const other: ActorOverrides = { same: [[uuid(1), uuid(2)]], apart: [] };
    const got = memo.group(cards, other);
    expect(got.whole).toBe(true);
    expect(decided(got.set)).toEqual(decided(groupActors(cards, other)));
    const half = cards.slice(0, 100);
    expect(memo.group(half, other).whole).toBe(true);
  });

  it("gives a build that changed nothing the actors over this build's card objects", () => {
    const { cards } = randomCatalog(5);
    const memo = new GroupingMemo();
    memo.group(cards, { same: [], apart: [] });
    // A reload reads the same files into new objects.
    const copies = cards.map((e) => ({ card: e.card, source: { ...e.source } }));
    const got = memo.group(copies, { same: [], apart: [] });
    expect(got.whole).toBe(false);
    expect(got.regrouped).toBe(0);
    const objects = new Set<LoadedCard>(copies);
    for (const a of got.set.actors)
      for (const e of [...a.cards, ...a.folded]) expect(objects.has(e)).toBe(true);
    for (const e of got.set.hidden) expect(objects.has(e)).toBe(true);
  });
});

const CATALOGS = [ETDA_CATALOG, MISP_THREAT_ACTOR, MISP_MITRE];
describe.skipIf(!hasCatalogFiles('regroup over the public catalogs', CATALOGS))(
  'grouping again over the public catalogs imported together',
  () => {
    it('is the whole grouping after renames, removals and additions', () => {
      const { dir, cleanup } = tempDir('aptcard-regroup-');
      try {
        const catalog = importCatalogs(dir, CATALOGS);
        const cards = [...catalog.cards];
        const none: ActorOverrides = { same: [], apart: [] };
        const memo = new GroupingMemo();
        memo.group(cards, none);
        const r = random(7);
        const merged = catalog.actors.filter((a) => a.cards.length > 1);
        let partial = 0;
        for (let step = 0; step < 12; step++) {
          const kind = step % 3;
          if (kind === 0) {
            // A card of a merged actor loses its names: its actor may split.
            const actor = r.pick(merged);
            const e = actor.cards[1] as LoadedCard;
            const i = cards.indexOf(e);
            if (i >= 0) {
              const card = {
                ...e.card,
                names: [`Renamed ${step}`],
                aliases: [{ name: `Renamed ${step}`, vendor: '' }],
              };
              cards[i] = { card, source: { ...e.source, hash: `renamed-${step}` } };
            }
          } else if (kind === 1) {
            cards.splice(r.int(cards.length), 1);
          } else {
            // A new card named as an existing actor: it may join it.
            const target = r.pick(catalog.actors).cards[0] as LoadedCard;
            const card = {
              ...emptyCard(`ffffffff-0000-4000-8000-${String(step).padStart(12, '0')}`),
            };
            card.names = [...target.card.names.slice(0, 1)];
            card.aliases = target.card.aliases.slice(0, 3);
            cards.push({ card, source: { file: `local/new-${step}.md`, hash: `new-${step}` } });
          }
          const got = memo.group(cards, none);
          expect(decided(got.set), `step ${step}`).toEqual(decided(groupActors(cards, none)));
          if (!got.whole) partial++;
        }
        expect(partial).toBe(12);
      } finally {
        cleanup();
      }
    }, 120_000);
  },
);
