import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bot } from '../../src/bot.js';
import type { ActorCard, LoadedCard } from '../../src/cards/model.js';
import { renderCard } from '../../src/cards/render.js';
import { groupActors } from '../../src/catalog/actors.js';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { Library } from '../../src/catalog/library.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { NO_OVERRIDES, OVERRIDES_FILE } from '../../src/catalog/overrides.js';
import { catalogStatus, sourceName } from '../../src/catalog/status.js';
import { isRelevantChange } from '../../src/catalog/watch.js';
import { answerJson } from '../../src/commands/search.js';
import { cardView } from '../../src/reply/build.js';
import { renderText } from '../../src/reply/text.js';
import { SearchIndex } from '../../src/search/index.js';
import { cardsFolder, makeCard } from '../helpers/cards.js';

const uuid = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;

function entry(
  card: ActorCard,
  origin: string | undefined,
  file = `cards/${card.uuid}.md`,
  attackIds?: string[],
): LoadedCard {
  return {
    card,
    source: {
      file,
      hash: card.uuid + (origin ?? ''),
      ...(origin ? { origin } : {}),
      ...(attackIds ? { attackIds } : {}),
    },
  };
}

const named = (n: number, names: string[], aliases: string[] = names, extra = {}) =>
  makeCard({
    uuid: uuid(n),
    names,
    aliases: aliases.map((name) => ({ name, vendor: '' })),
    ...extra,
  });

/** Each actor as the sorted UUIDs of its cards. */
const groups = (cards: LoadedCard[], overrides = NO_OVERRIDES) =>
  groupActors(cards, overrides)
    .actors.map((a) => a.cards.map((c) => `${c.card.uuid}@${c.source.origin ?? 'local'}`).sort())
    .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));

describe('actors: evidence', () => {
  it('the same UUID in two folders is one actor; in one folder it stays an error', () => {
    const card = named(1, ['Copper Lantern']);
    const other = named(1, ['Copper Lantern - G9901'], ['Copper Lantern - G9901']);
    const across = buildCatalog([
      entry(card, 'etda', 'a/copper.md'),
      entry(other, 'stix', 'b/copper.md'),
    ]);
    expect(across.issues.filter((i) => i.level === 'error')).toEqual([]);
    expect(across.actors).toHaveLength(1);
    expect(across.actors[0]?.sources).toEqual(['etda', 'stix']);
    expect(across.links[0]?.evidence.map((e) => e.kind)).toEqual(['uuid']);

    const inOne = buildCatalog([entry(card, 'etda', 'a/x.md'), entry(other, 'stix', 'a/y.md')]);
    expect(inOne.issues.some((i) => i.level === 'error' && /duplicate UUID/.test(i.message))).toBe(
      true,
    );
    expect(inOne.actors).toHaveLength(1);
    expect(inOne.actors[0]?.cards).toHaveLength(1);
  });

  it('a UUID copied to another folder of the same source: one card is kept, the copy is an error', () => {
    // A card copied elsewhere to edit, or one catalog imported into two folders: as two actors
    // of one UUID, the search index refused the catalog ("duplicate ID") and the bot stopped.
    const card = named(1, ['Copper Lantern']);
    for (const origin of [undefined, 'etda']) {
      const twice = buildCatalog([entry(card, origin, 'a/x.md'), entry(card, origin, 'b/x.md')]);
      const errors = twice.issues.filter((i) => i.level === 'error');
      expect(errors.map((i) => [i.file, i.message])).toEqual([
        [
          'b/x.md',
          `duplicate UUID ${uuid(1)} (also in a/x.md, ${origin ? `both imported from ${origin}` : 'both hand-written'}); this copy is skipped`,
        ],
      ]);
      expect(twice.actors.map((a) => a.cards.map((c) => c.source.file))).toEqual([['a/x.md']]);
      const index = new SearchIndex(twice);
      expect(index.search('copper lantern').results.map((r) => r.uuid)).toEqual([uuid(1)]);
    }
  });

  it('the same UUID across sources is one actor, even against the rules that keep cards apart', () => {
    const ids = (set: ReturnType<typeof groupActors>) => set.actors.map((x) => x.id).sort();
    const a = entry(named(1, ['Copper Lantern']), 'etda', 'a/1.md');
    const b = entry(named(1, ['Copper Lantern']), 'misp-galaxy:threat-actor', 'b/1.md');
    const c = entry(named(2, ['Glass Viper']), 'etda', 'a/2.md');
    // A "kept apart" override that names the UUID keeps it apart from the others, not from itself.
    const apart = groupActors([a, b, c], { same: [], apart: [[uuid(1), uuid(2)]] });
    expect(ids(apart)).toEqual([uuid(1), uuid(2)]);
    // Two cards of one source with the UUID (groupActors alone; the catalog skips the copy).
    const d = entry(named(1, ['Copper Lantern']), 'etda', 'c/1.md');
    const thrice = groupActors([a, b, d], NO_OVERRIDES);
    expect(ids(thrice)).toEqual([uuid(1)]);
    expect(thrice.actors[0]?.cards).toHaveLength(3);
  });

  it('a shared ATT&CK id merges cards that share no name', () => {
    const etda = entry(named(1, ['Copper Lantern']), 'etda', 'c/1.md', ['G9901']);
    const mitre = entry(
      named(2, ['Bronze Quill'], ['Bronze Quill', 'G9901']),
      'misp-galaxy:mitre-intrusion-set',
    );
    expect(groups([etda, mitre])).toEqual([
      [`${uuid(1)}@etda`, `${uuid(2)}@misp-galaxy:mitre-intrusion-set`],
    ]);
  });

  it('names: a shared title merges; one shared alias alone does not', () => {
    const a = entry(named(1, ['Copper Lantern'], ['Copper Lantern', 'Night Owl']), 'etda');
    const b = entry(named(2, ['Copper Lantern'], ['Copper Lantern']), 'misp-galaxy:threat-actor');
    expect(groups([a, b])).toHaveLength(1);
    const c = entry(
      named(3, ['Glass Viper'], ['Glass Viper', 'Night Owl']),
      'misp-galaxy:threat-actor',
    );
    const set = groupActors([a, c], NO_OVERRIDES);
    expect(set.actors).toHaveLength(2);
    expect(set.links[0]?.rule).toMatch(/evidence too weak/);
  });

  it('a name one source gives to two cards is no evidence', () => {
    const a = entry(named(1, ['Copper Lantern'], ['Copper Lantern', 'Grey Steppe']), 'etda');
    const b = entry(named(2, ['Glass Viper'], ['Glass Viper', 'Grey Steppe']), 'etda');
    const c = entry(named(3, ['Grey Steppe']), 'misp-galaxy:threat-actor');
    expect(groups([a, b, c])).toHaveLength(3);
  });

  it("a name one source gives to two cards links the one it calls so to other sources' cards of that name", () => {
    // ETDA and the MISP galaxy each call one card "Copper Lantern" and list it under another
    // actor too (as both do with "Iridium" and Sandworm); MITRE lists it under that one only.
    const etda = entry(named(1, ['Copper Lantern']), 'etda');
    const misp = entry(named(2, ['COPPER LANTERN']), 'misp-galaxy:threat-actor');
    const other = ['Rust Owl', 'Copper Lantern', 'Grey Kite'];
    const etdaOther = entry(named(3, ['Rust Owl'], other), 'etda');
    const mispOther = entry(named(4, ['Rust Owl'], other), 'misp-galaxy:threat-actor');
    const mitreOther = entry(named(5, ['Rust Owl'], other), 'misp-galaxy:mitre-intrusion-set');
    const cards = [etda, misp, etdaOther, mispOther, mitreOther];
    expect(groups(cards)).toEqual([
      [`${uuid(1)}@etda`, `${uuid(2)}@misp-galaxy:threat-actor`],
      [
        `${uuid(3)}@etda`,
        `${uuid(4)}@misp-galaxy:threat-actor`,
        `${uuid(5)}@misp-galaxy:mitre-intrusion-set`,
      ],
    ]);
    const set = groupActors(cards, NO_OVERRIDES);
    const why = set.links.find((l) => l.merged && [l.a, l.b].includes(etda));
    expect(why?.evidence.map((e) => e.detail)).toEqual([
      'name "Copper Lantern" (title in both; a source also lists it under another card)',
    ]);
    // Only the cards called so: MITRE's mere synonym links nothing through this name.
    expect(
      set.links.some((l) => [l.a, l.b].includes(mitreOther) && [l.a, l.b].includes(misp)),
    ).toBe(false);
    // Every source that calls the first actor so also gives the name to the second: the name
    // is used for both, and a search says so.
    const answer = new SearchIndex(buildCatalog(cards)).search('Copper Lantern');
    expect(answer.outcome).toBe('ambiguous');
    expect(answer.results.map((r) => r.uuids.length).sort()).toEqual([2, 3]);
    // One source giving it to the first actor alone settles it.
    const alone = entry(named(6, ['Copper Lantern']), 'local');
    const settled = new SearchIndex(buildCatalog([...cards, alone])).search('Copper Lantern');
    expect(settled.outcome).toBe('profile');
    expect(settled.results[0]?.uuids).toContain(uuid(1));
    expect(settled.alsoNamed?.map((h) => h.uuids.length)).toEqual([3]);
    // Never a silent pick: the CLI's JSON and the text card name the other actor too.
    expect(settled.match).toBe('exact');
    const json = JSON.parse(answerJson(settled));
    expect(json.match).toBe('exact');
    expect(json.alsoNamed.map((h: { uuids: string[] }) => h.uuids.length)).toEqual([3]);
    const library = new Library(new SearchIndex(buildCatalog([...cards, alone])));
    const reply = new Bot(library).query('Copper Lantern');
    if (reply.kind !== 'card') throw new Error(`expected a card, got ${reply.kind}`);
    // With what tells the other actor apart: its sources (and country, when it has one).
    const alsoUsed = /^That name is also used for: Rust Owl \(ETDA, MISP galaxy, MITRE ATT&CK\)$/m;
    expect(renderText(reply)).toMatch(alsoUsed);
    expect(renderText({ ...reply, part: 'full' })).toMatch(alsoUsed);
  });

  it('such a name weighs less than the aliases two other cards share', () => {
    // ETDA's Cold River card lists Star Blizzard's names; the MISP galaxy keeps Lastline's
    // "Cold River" and "Callisto" (Star Blizzard) apart and also lists COLDRIVER under Callisto.
    const shared = ['TA446', 'Seaborgium', 'BlueCharlie', 'Star Blizzard'];
    const etda = entry(named(1, ['Cold River'], ['Cold River', 'Nahr Elbard', ...shared]), 'etda');
    const lastline = entry(
      named(2, ['Cold River'], ['Cold River', 'Nahr Elbard']),
      'misp-galaxy:threat-actor',
    );
    const callisto = entry(
      named(3, ['Callisto'], ['Callisto', 'COLDRIVER', ...shared]),
      'misp-galaxy:threat-actor',
    );
    expect(groups([etda, lastline, callisto])).toEqual([
      [`${uuid(1)}@etda`, `${uuid(3)}@misp-galaxy:threat-actor`],
      [`${uuid(2)}@misp-galaxy:threat-actor`],
    ]);
  });

  it('a card that joins two actors of other sources goes with the one it names first', () => {
    // ETDA's "APT 17, Deputy Dog, Elderwood" card has both ATT&CK ids; ATT&CK and the MISP
    // galaxy keep APT17 (G0025) and Elderwood (G0066, MISP's "Beijing Group") apart.
    const etda = entry(
      named(
        1,
        ['APT 17', 'Deputy Dog', 'Elderwood'],
        ['APT 17', 'Deputy Dog', 'Elderwood', 'Elderwood Gang', 'Beijing Group'],
      ),
      'etda',
      'e/1.md',
      ['G0025', 'G0066'],
    );
    const mispApt17 = entry(
      named(2, ['APT17'], ['APT17', 'Deputy Dog']),
      'misp-galaxy:threat-actor',
      'm/2.md',
      ['G0025'],
    );
    const beijing = entry(
      named(3, ['Beijing Group'], ['Beijing Group', 'Elderwood', 'Elderwood Gang']),
      'misp-galaxy:threat-actor',
      'm/3.md',
      ['G0066'],
    );
    const mitre = 'misp-galaxy:mitre-intrusion-set';
    const attackApt17 = entry(named(4, ['APT17'], ['APT17', 'G0025', 'Deputy Dog']), mitre);
    const elderwood = entry(
      named(5, ['Elderwood'], ['Elderwood', 'G0066', 'Elderwood Gang', 'Beijing Group']),
      mitre,
    );
    expect(groups([etda, mispApt17, beijing, attackApt17, elderwood])).toEqual([
      [`${uuid(1)}@etda`, `${uuid(2)}@misp-galaxy:threat-actor`, `${uuid(4)}@${mitre}`],
      [`${uuid(3)}@misp-galaxy:threat-actor`, `${uuid(5)}@${mitre}`],
    ]);
  });

  it('never two cards of one source in one actor, so no chaining', () => {
    // B shares a title with A and another with C; A and C are one source's two cards.
    const a = entry(named(1, ['Copper Lantern'], ['Copper Lantern', 'Tin Owl']), 'etda');
    const c = entry(named(3, ['Glass Viper'], ['Glass Viper', 'Tin Owl']), 'etda');
    const b = entry(
      named(2, ['Copper Lantern', 'Glass Viper'], ['Copper Lantern', 'Glass Viper']),
      'misp-galaxy:threat-actor',
    );
    const set = groupActors([a, b, c], NO_OVERRIDES);
    expect(set.actors).toHaveLength(2);
    expect(set.actors.every((x) => new Set(x.sources).size === x.sources.length)).toBe(true);
    expect(set.links.some((l) => !l.merged && /one source \(etda\)/.test(l.rule))).toBe(true);
  });

  it('two different ATT&CK ids keep cards apart whatever their names', () => {
    const a = entry(
      named(1, ['Copper Lantern'], ['Copper Lantern', 'G0001']),
      'misp-galaxy:mitre-intrusion-set',
    );
    const b = entry(named(2, ['Copper Lantern']), 'etda', 'c/2.md', ['G0002']);
    const set = groupActors([a, b], NO_OVERRIDES);
    expect(set.actors).toHaveLength(2);
    expect(set.links[0]?.rule).toMatch(/different ATT&CK ids/);
  });

  it('overrides win both ways', () => {
    const a = entry(named(1, ['Copper Lantern']), 'etda');
    const b = entry(named(2, ['Copper Lantern']), 'misp-galaxy:threat-actor');
    const c = entry(named(3, ['Glass Viper']), 'etda');
    expect(groups([a, b, c], { same: [], apart: [[uuid(1), uuid(2)]] })).toHaveLength(3);
    // "same" even joins two cards of one source.
    expect(groups([a, b, c], { same: [[uuid(1), uuid(3)]], apart: [] })).toEqual([
      [`${uuid(1)}@etda`, `${uuid(2)}@misp-galaxy:threat-actor`, `${uuid(3)}@etda`],
    ]);
  });

  it('a revoked entry is folded into its replacement, or hidden', () => {
    const live = entry(named(1, ['Copper Lantern']), 'misp-galaxy:mitre-intrusion-set');
    const revoked = (n: number, by: string) =>
      entry(
        named(n, ['Old Lantern'], ['Old Lantern'], {
          extraSections: [
            { heading: 'MISP galaxy', body: '- galaxy: mitre-intrusion-set\n- revoked: true' },
            { heading: 'Related', body: `- revoked-by ${by}` },
          ],
        }),
        'misp-galaxy:mitre-intrusion-set',
      );
    const folded = buildCatalog([live, revoked(2, uuid(1))]);
    expect(folded.actors).toHaveLength(1);
    expect(folded.actors[0]?.folded.map((e) => e.card.uuid)).toEqual([uuid(2)]);
    expect(folded.actorOf(uuid(2))?.id).toBe(uuid(1));
    const index = new SearchIndex(folded);
    expect(index.lookup('Old Lantern')).toEqual([]);
    expect(index.lookup(uuid(2)).map((e) => e.card.uuid)).toEqual([uuid(1)]);

    const hidden = buildCatalog([live, revoked(3, uuid(9))]);
    expect(hidden.actors).toHaveLength(1);
    expect(hidden.hidden.map((e) => e.card.uuid)).toEqual([uuid(3)]);
  });

  it('is deterministic: the same cards in any order give the same actors', () => {
    const cards = [
      entry(named(1, ['Copper Lantern'], ['Copper Lantern', 'Tin Owl']), 'etda'),
      entry(named(2, ['Copper Lantern', 'Glass Viper']), 'misp-galaxy:threat-actor'),
      entry(named(3, ['Glass Viper'], ['Glass Viper', 'Tin Owl']), 'etda'),
      entry(
        named(4, ['Glass Viper'], ['Glass Viper', 'Tin Owl']),
        'misp-galaxy:mitre-intrusion-set',
      ),
      entry(named(5, ['Tin Owl']), 'stix'),
    ];
    const expected = JSON.stringify(
      groupActors(cards, NO_OVERRIDES).actors.map((a) => a.cards.map((c) => c.card.uuid)),
    );
    let seed = 7;
    for (let round = 0; round < 20; round++) {
      const shuffled = [...cards].sort(() => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return (seed % 3) - 1;
      });
      const got = groupActors(shuffled, NO_OVERRIDES).actors.map((a) =>
        a.cards.map((c) => c.card.uuid),
      );
      expect(JSON.stringify(got)).toBe(expected);
    }
  });
});

describe('actors: the merged profile and search', () => {
  const etda = entry(
    named(1, ['Copper Lantern', 'APT 99'], ['Copper Lantern', 'APT 99'], {
      countries: ['Iran'],
      tools: ['LanternRAT'],
      description: ['A long ETDA description of the lantern group and its campaigns.'],
    }),
    'etda',
  );
  const misp = entry(
    makeCard({
      uuid: uuid(2),
      names: ['APT99'],
      aliases: [
        { name: 'APT99', vendor: 'Mandiant' },
        { name: 'Copper Lantern', vendor: 'Kaspersky' },
      ],
      countries: ['Iran'],
      tools: ['PlugX'],
    }),
    'misp-galaxy:threat-actor',
  );
  const mitre = entry(
    named(3, ['Copper Lantern'], ['Copper Lantern', 'G9901']),
    'misp-galaxy:mitre-intrusion-set',
  );
  const catalog = buildCatalog([mitre, misp, etda]);

  it('one vendor per alias however the sources spell its case', () => {
    const card = (vendor: string) =>
      makeCard({
        uuid: uuid(1),
        names: ['Bronze Keystone'],
        aliases: [{ name: 'Bronze Keystone', vendor }],
      });
    const merged = buildCatalog([
      entry(card('SecureWorks'), 'etda', 'a/1.md'),
      entry(card('Secureworks'), 'misp-galaxy:threat-actor', 'b/1.md'),
      entry(card('Microsoft'), 'stix', 'c/1.md'),
    ]);
    expect(merged.actors[0]?.profile.entry.card.aliases).toEqual([
      { name: 'Bronze Keystone', vendor: 'SecureWorks, Microsoft' },
    ]);
  });

  it('a fuzzy answer names the close name, whichever source gave it', () => {
    const lead = entry(
      named(1, ['Copper Lantern'], ['Copper Lantern'], { description: ['A long description.'] }),
      'etda',
      'a/1.md',
    );
    const other = entry(
      named(2, ['Copper Lantern'], ['Copper Lantern', 'Quiet Heron']),
      'misp-galaxy:threat-actor',
      'b/2.md',
    );
    const index = new SearchIndex(buildCatalog([lead, other]));
    const answer = index.search('quiet heran');
    expect(answer).toMatchObject({ outcome: 'profile', match: 'closest' });
    expect(answer.closestName).toBe('Quiet Heron');
  });

  it('one actor: aliases de-duplicated with every vendor, unions, disagreements, sources', () => {
    expect(catalog.actors).toHaveLength(1);
    const actor = catalog.actors[0]!;
    expect(actor.id).toBe(uuid(1)); // the richest card leads
    expect(actor.sources).toEqual([
      'etda',
      'misp-galaxy:threat-actor',
      'misp-galaxy:mitre-intrusion-set',
    ]);
    const card = actor.profile.entry.card;
    expect(card.aliases).toEqual([
      { name: 'Copper Lantern', vendor: 'Kaspersky' },
      { name: 'APT 99', vendor: 'Mandiant' },
      { name: 'G9901', vendor: '' },
    ]);
    expect(card.tools).toEqual(['LanternRAT', 'PlugX']);
    // ATT&CK's card names no country: silence, not a disagreement.
    expect(actor.profile.disagreements).toEqual([]);
    expect(actor.profile.sources.map((s) => s.url)).toEqual([
      'https://apt.etda.or.th/cgi-bin/showcard.cgi?g=Copper%20Lantern%2C%20APT%2099&n=1',
      'https://misp-galaxy.org/threat-actor/',
      'https://attack.mitre.org/groups/G9901/',
    ]);
  });

  it('says who says what where sources name different countries, leaving silent ones out', () => {
    const card = (n: number, countries: string[]) =>
      named(n, ['Rust Finch'], ['Rust Finch'], countries.length ? { countries } : {});
    const set = buildCatalog([
      entry(card(21, ['Iran']), 'etda'),
      entry(card(22, ['Syria']), 'misp-galaxy:threat-actor'),
      entry(card(23, []), 'misp-galaxy:mitre-intrusion-set'),
    ]);
    expect(set.actors).toHaveLength(1);
    expect(set.actors[0]?.profile.disagreements).toEqual([
      {
        field: 'Country',
        values: [
          { value: 'Iran', sources: ['ETDA'] },
          { value: 'Syria', sources: ['MISP galaxy'] },
        ],
      },
    ]);
  });

  it('the profile holds the techniques and software of every card, once each', () => {
    const technique = (id: string, name: string) => ({ id, name, tactics: ['initial-access'] });
    const misp = named(11, ['Tin Owl'], ['Tin Owl', 'G9911'], {
      techniques: [technique('T1566', 'Phishing')],
      software: [{ id: 'S0002', name: 'Mimikatz' }],
    });
    const stix = named(11, ['Tin Owl'], ['Tin Owl', 'G9911'], {
      techniques: [technique('T1566', 'Phishing'), technique('T0817', 'Drive-by Compromise')],
      software: [
        { id: 'S0002', name: 'Mimikatz' },
        { id: 'S0603', name: 'Stuxnet' },
      ],
    });
    const merged = buildCatalog([
      entry(misp, 'misp-galaxy:mitre-intrusion-set', 'mitre/tin.md'),
      entry(stix, 'stix:ics-attack', 'stix/tin.md'),
    ]);
    expect(merged.actors).toHaveLength(1);
    const card = merged.actors[0]!.profile.entry.card;
    expect(card.techniques.map((t) => t.id)).toEqual(['T1566', 'T0817']);
    expect(card.software.map((s) => s.id)).toEqual(['S0002', 'S0603']);
    // Two cards, one source to a reader: the card shows one MITRE ATT&CK with its one page.
    expect(merged.actors[0]!.profile.sources.map((s) => s.source)).toEqual([
      'misp-galaxy:mitre-intrusion-set',
      'stix:ics-attack',
    ]);
    const view = cardView(merged.actors[0]!.profile.entry, merged);
    expect(view.sources?.map((s) => [s.label, s.url])).toEqual([
      ['MITRE ATT&CK', 'https://attack.mitre.org/groups/G9911/'],
    ]);
    expect(catalogStatus(merged)).toMatchObject({ actors: 1, cards: 2 });
    // /apt status names ATT&CK's bundles by their domain, other bundles by their own name.
    expect(
      ['stix:ics-att-ck', 'stix:mobile-att-ck', 'stix:acme', 'misp-galaxy:threat-actor'].map(
        sourceName,
      ),
    ).toEqual([
      'MITRE ATT&CK ICS (STIX)',
      'MITRE ATT&CK Mobile (STIX)',
      'stix (acme)',
      'MISP galaxy (threat-actor)',
    ]);
    const index = new SearchIndex(merged);
    expect(index.search('technique:T0817').results.map((r) => r.name)).toEqual(['Tin Owl']);
  });

  it('ATT&CK in STIX and in the MISP galaxy is one voice on a shared name', () => {
    const veil = (n: number, names: string[], aliases: string[]) => named(n, names, aliases);
    const catalog = buildCatalog([
      entry(
        veil(21, ['Grey Moth'], ['Grey Moth', 'Ember Veil', 'G9921']),
        'misp-galaxy:mitre-intrusion-set',
        'mitre/m.md',
      ),
      entry(
        veil(21, ['Grey Moth'], ['Grey Moth', 'Ember Veil', 'G9921']),
        'stix:enterprise-attack',
        'stix/m.md',
      ),
      entry(veil(22, ['Ember Veil'], ['Ember Veil']), 'etda', 'etda/v.md', ['G9922']),
    ]);
    // Kept apart by their different ATT&CK ids, so "Ember Veil" names two actors.
    expect(catalog.actors).toHaveLength(2);
    const answer = new SearchIndex(catalog).search('Ember Veil');
    expect(answer.outcome).toBe('ambiguous');
    expect(answer.results.map((r) => r.name).sort()).toEqual(['Ember Veil', 'Grey Moth']);
  });

  it('search answers one profile, with every card uuid and source', () => {
    const index = new SearchIndex(catalog);
    for (const q of ['Copper Lantern', 'apt99', 'G9901', uuid(2)]) {
      const answer = index.search(q);
      expect(answer.outcome, q).toBe('profile');
      expect(answer.results[0]?.uuids, q).toEqual([uuid(1), uuid(2), uuid(3)]);
      expect(answer.results[0]?.sources, q).toEqual([
        'etda',
        'misp-galaxy:threat-actor',
        'misp-galaxy:mitre-intrusion-set',
      ]);
    }
    expect(index.size).toBe(1);
  });
});

describe('actors: validate', () => {
  it('a name on two actors is a warning; on two cards of one actor it is not', () => {
    const a = entry(named(1, ['Copper Lantern'], ['Copper Lantern', 'Tin Owl']), 'etda');
    const b = entry(named(2, ['Copper Lantern'], ['Copper Lantern']), 'misp-galaxy:threat-actor');
    const c = entry(named(3, ['Glass Viper'], ['Glass Viper', 'Tin Owl']), 'etda');
    const warnings = buildCatalog([a, b, c])
      .issues.filter((i) => i.level === 'warning')
      .map((i) => i.message);
    expect(warnings).toEqual([
      'alias "Tin Owl" is shared by 2 actors: Copper Lantern; Glass Viper',
    ]);
  });
});

describe('actors: overrides file and import manifest', () => {
  it('reads sources and ATT&CK ids from the manifest, and the overrides file', () => {
    const a = named(1, ['Copper Lantern']);
    const b = named(2, ['Copper Lantern']);
    const { dir, cleanup } = cardsFolder({}, []);
    try {
      writeFileSync(join(dir, 'a.md'), renderCard(a));
      writeFileSync(join(dir, 'b.md'), renderCard(b));
      writeFileSync(
        join(dir, '.aptcard-import.json'),
        JSON.stringify({
          version: 1,
          cards: {
            [`etda:${uuid(1)}`]: { file: 'a.md', hash: 'x', ids: ['G9901'] },
            [`misp-galaxy:threat-actor:${uuid(2)}`]: { file: 'b.md', hash: 'y' },
          },
        }),
      );
      const merged = loadCatalog(dir, { cacheDir: false });
      expect(merged.actors).toHaveLength(1);
      expect(merged.byUuid.get(uuid(1))?.source.attackIds).toEqual(['G9901']);
      expect(merged.actors[0]?.sources.sort()).toEqual(['etda', 'misp-galaxy:threat-actor']);

      writeFileSync(
        join(dir, 'actor-overrides.json'),
        JSON.stringify({ apart: [[uuid(1), uuid(2)]] }),
      );
      expect(loadCatalog(dir, { cacheDir: false }).actors).toHaveLength(2);

      // The folder watcher reloads on the overrides file as on a card.
      expect(isRelevantChange(OVERRIDES_FILE)).toBe(true);
      expect(isRelevantChange('notes.json')).toBe(false);
      writeFileSync(join(dir, 'actor-overrides.json'), '{ not json');
      const broken = loadCatalog(dir, { cacheDir: false });
      expect(broken.actors).toHaveLength(1);
      expect(
        broken.issues.some(
          (i) => /actor-overrides\.json/.test(i.file) && /not valid JSON/.test(i.message),
        ),
      ).toBe(true);
    } finally {
      cleanup();
    }
  });
});
