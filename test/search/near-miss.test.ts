/**
 * Never the wrong actor: numbered names, identifiers and typos against a small catalog that
 * has one name of each numbered shape found in the ETDA corpus, and lacks its near misses.
 */
import { describe, expect, it } from 'vitest';
import type { ActorCard } from '../../src/cards/model.js';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { identifierOf } from '../../src/search/identifiers.js';
import { SearchIndex } from '../../src/search/index.js';
import { ClosestNames, closestName } from '../../src/search/near-miss.js';
import { isNumberedName, namesAgree, numberedParts } from '../../src/search/numbers.js';
import { parseQuery } from '../../src/search/query.js';
import { smallTalkOf } from '../../src/search/smalltalk.js';
import { makeCard } from '../helpers/cards.js';
import { referenceClosestName } from '../helpers/search-reference.js';

let n = 0;
function actor(names: string[], aliases: string[] = names): ActorCard {
  n++;
  const hex = n.toString(16).padStart(12, '0');
  return makeCard({
    uuid: `aaaaaaaa-0000-4000-8000-${hex}`,
    names,
    aliases: aliases.map((name) => ({ name, vendor: '' })),
    description: [`${names[0]} runs espionage campaigns.`],
  });
}

const CARDS = [
  actor(['NetTraveler', 'APT 21', 'Hammer Panda'], ['NetTraveler', 'APT 21', 'Hammer Panda']),
  actor(['Lazarus Group', 'Hidden Cobra']),
  actor(['APT 41', 'Wicked Panda']),
  actor(['APT 42', 'Charming Kitten']),
  actor(['TA505', 'Graceful Spider']),
  actor(['UNC2891']),
  actor(['Emissary Panda', 'TG-3390']),
  actor(['Turbine Panda', 'Group 13']),
  actor(['Syrian Electronic Army', 'ATK 196']),
  actor(['Lapsus$', 'DEV-0537']),
  actor(['Boss Spider', 'CTG-0007']),
  actor(['Sandworm Team', 'G0034']),
  actor(['APT-C-23', 'Two-tailed Scorpion']),
  actor(['8220 Gang']),
];
const catalog = buildCatalog(CARDS.map((card) => ({ card, source: { file: 'x.md', hash: '' } })));
const index = new SearchIndex(catalog);
const uuidOf = (name: string) => CARDS.find((c) => c.names.includes(name))?.uuid;

describe('numbered parts', () => {
  it('splits names into prefix and number, without leading zeros', () => {
    const parts = (text: string) => numberedParts(text).map((p) => [p.prefix, p.number]);
    expect(parts('APT 21')).toEqual([['apt', '21']]);
    expect(parts('DEV-0537')).toEqual([['dev', '537']]);
    expect(parts('APT-C-23')).toEqual([['aptc', '23']]);
    expect(parts('8220 Gang')).toEqual([['', '8220']]);
    expect(parts('Hammer Panda')).toEqual([]);
    expect(numberedParts('hammer panda apt 21')[0]?.endings).toEqual([
      'hammerpandaapt',
      'pandaapt',
      'apt',
    ]);
  });

  it('lets words before a name through, never another number or prefix', () => {
    const q = (text: string) => numberedParts(text);
    expect(namesAgree(q('hammer panda apt 21'), ['APT 21'])).toBe(true);
    expect(namesAgree(q('apt-021'), ['APT 21'])).toBe(true);
    expect(namesAgree(q('APT 22'), ['APT 21'])).toBe(false);
    expect(namesAgree(q('APT 2'), ['APT 21'])).toBe(false);
    expect(namesAgree(q('APT 13'), ['Group 13'])).toBe(false);
    expect(namesAgree(q('g0007'), ['CTG-0007'])).toBe(false);
    // A word is never split: Tencent's "T-APT-18" is not Mandiant's "APT 18".
    expect(namesAgree(q('T-APT-18'), ['APT 18'])).toBe(false);
    expect(namesAgree(q('lazarus'), ['APT 38'])).toBe(true);
  });

  it('knows a query that is only a numbered name', () => {
    for (const t of ['APT 45', 'apt45', 'TA 577', 'UNC-2891', 'tg 3391', 'Group 99', 'APT-C-99'])
      expect(isNumberedName(t), t).toBe(true);
    for (const t of ['hammer panda', 'operation aurora 2009 attacks', 'cve 2017 0199 exploit'])
      expect(isNumberedName(t), t).toBe(false);
  });
});

describe('digits are never fuzzed', () => {
  // Near misses of every numbered shape in the corpus: the prefix kept, the number changed.
  const nearMisses = [
    'APT 45',
    'apt45',
    'APT 22',
    'apt-22',
    'APT 2',
    'APT 211',
    'APT 13',
    'TA 506',
    'ta-577',
    'UNC 2892',
    'unc2890',
    'TG-3391',
    'tg 3309',
    'Group 14',
    'group 31',
    'ATK 197',
    'ATK 19',
    'DEV-0538',
    'dev 537 1',
    'CTG-0008',
    'APT-C-24',
    '8221 Gang',
  ];
  for (const q of nearMisses) {
    it(`"${q}" is no card's profile`, () => {
      const answer = index.search(q);
      expect(answer.outcome, JSON.stringify(answer.results)).toBe('none');
      expect(answer.results).toEqual([]);
    });
  }

  it('answers "APT 45" with none and says why it suggests APT 42 and APT 41', () => {
    const answer = index.search('APT 45');
    expect(answer.outcome).toBe('none');
    expect(answer.suggestions.map((s) => [s.name, s.why])).toEqual([
      ['APT 42', 'same-prefix'],
      ['APT 41', 'same-prefix'],
      ['NetTraveler', 'same-prefix'],
    ]);
    expect(answer.suggestions[2]?.alias).toBe('APT 21');
  });

  it('suggests the same number under another prefix ("APT 13": Group 13)', () => {
    const answer = index.search('APT 13');
    const sameNumber = answer.suggestions.filter((s) => s.why === 'same-number');
    expect(sameNumber.map((s) => [s.name, s.alias])).toEqual([['Turbine Panda', 'Group 13']]);
  });

  it('never offers an ATT&CK id as a near miss ("APT 34" is not G0034)', () => {
    const answer = index.search('APT 34');
    expect(answer.outcome).toBe('none');
    expect(answer.suggestions.map((s) => s.alias ?? s.name)).not.toContain('G0034');
    expect(answer.suggestions.filter((s) => s.why === 'same-number')).toEqual([]);
  });

  it('still finds every numbered name as written, in every spelling', () => {
    const cases: [string, string][] = [
      ['APT21', 'NetTraveler'],
      ['apt 21', 'NetTraveler'],
      ['ＡＰＴ２１', 'NetTraveler'],
      ['APT 41', 'APT 41'],
      ['ta 505', 'TA505'],
      ['UNC 2891', 'UNC2891'],
      ['tg3390', 'Emissary Panda'],
      ['group-13', 'Turbine Panda'],
      ['ATK196', 'Syrian Electronic Army'],
      ['dev0537', 'Lapsus$'],
      ['CTG 0007', 'Boss Spider'],
      ['apt c 23', 'APT-C-23'],
      ['8220 gang', '8220 Gang'],
    ];
    for (const [q, name] of cases) {
      const answer = index.search(q);
      expect(answer.outcome, q).toBe('profile');
      expect(answer.match, q).toBe('exact');
      expect(answer.results[0]?.uuid, q).toBe(uuidOf(name));
    }
  });

  it('keeps a numbered name with words around it ("hammer panda apt 21")', () => {
    const answer = index.search('hammer panda apt 21');
    expect(answer.outcome).toBe('profile');
    expect(answer.results[0]?.uuid).toBe(uuidOf('NetTraveler'));
  });

  it('answers a numbered name with words after it by that name, prose aside', () => {
    // "espionage" is in every description: prose alone would list every actor.
    expect(index.search('apt 21 espionage')).toMatchObject({
      outcome: 'profile',
      match: 'closest',
      closestName: 'APT 21',
      results: [{ uuid: uuidOf('NetTraveler') }],
    });
    const miss = index.search('apt 45 espionage');
    expect(miss.outcome).toBe('none');
    expect(miss.suggestions.map((s) => [s.name, s.why])).toContainEqual(['APT 42', 'same-prefix']);
    // Two names: a choice. A vendor's prefix counts on one name alone ("UNC"); a word that is
    // neither a vendor's prefix nor on two numbered names is not a name's ("campaigns 2891").
    expect(index.search('apt 21 apt 41').outcome).toBe('ambiguous');
    expect(index.search('unc 2891 espionage')).toMatchObject({
      outcome: 'profile',
      closestName: 'UNC2891',
      results: [{ uuid: uuidOf('UNC2891') }],
    });
    expect(index.search('unc 2899 espionage').outcome).toBe('none');
    for (const q of ['espionage campaigns 2891', 'panda 2891 espionage']) {
      const answer = index.search(q);
      expect(answer.outcome, q).toBe('none');
      expect(
        answer.suggestions.every((s) => s.why === 'similar-name'),
        q,
      ).toBe(true);
    }
  });

  it('offers no similar name for a sentence, only for what could be a name', () => {
    const sentence = index.search('we saw hammer pandas on the vpn boxes today');
    expect(sentence.outcome).toBe('none');
    expect(sentence.suggestions).toEqual([]);
    const short = index.search('hammer pandas boxes');
    expect(short.outcome).toBe('none');
    expect(short.suggestions.map((s) => s.uuid)).toContain(uuidOf('NetTraveler'));
  });

  it('marks the parts that are a whole word, prefix and number only', () => {
    const whole = (text: string) => numberedParts(text).map((p) => [p.number, p.whole]);
    expect(whole('apt 21 tools')).toEqual([['21', true]]);
    expect(whole('APT21')).toEqual([['21', true]]);
    expect(whole('UAC-03j5')).toEqual([
      ['3', false],
      ['5', false],
    ]);
  });
});

describe('identifiers', () => {
  it('recognises ATT&CK ids and UUIDs, and nothing else', () => {
    expect(identifierOf('g0007')).toEqual({ kind: 'attack-group', id: 'G0007' });
    expect(identifierOf('S0002')).toEqual({ kind: 'attack-software', id: 'S0002' });
    expect(identifierOf('T1566.001')).toEqual({ kind: 'attack-technique', id: 'T1566.001' });
    expect(identifierOf('8650E8C5-55A5-4441-8903-0F2BF5753EF1')?.kind).toBe('uuid');
    for (const t of ['G007', 'G0007.001', 'TA505', 'APT 21', 'T15661', 'hello'])
      expect(identifierOf(t), t).toBeUndefined();
  });

  it('answers an id exactly when a card has it', () => {
    const answer = index.search('g0034');
    expect(answer.outcome).toBe('profile');
    expect(answer.match).toBe('exact');
    expect(answer.results[0]?.uuid).toBe(uuidOf('Sandworm Team'));
    const byUuid = index.search(uuidOf('Boss Spider')?.toUpperCase() ?? '');
    expect(byUuid.results[0]?.uuid).toBe(uuidOf('Boss Spider'));
  });

  it('says no card has an id it lacks, never fuzzily ("G0007" is not CTG-0007)', () => {
    for (const q of ['G0007', 'g0007', 'S0002', 'T1566.001', 'G0035', 'C0001', 'M1017']) {
      const answer = index.search(q);
      expect(answer.outcome, q).toBe('none');
      expect(answer.identifier?.id, q).toBe(q.toUpperCase());
      expect(answer.suggestions, q).toEqual([]);
    }
    const uuid = 'aaaaaaaa-0000-4000-8000-000000000999';
    expect(index.search(uuid)).toMatchObject({ outcome: 'none', identifier: { kind: 'uuid' } });
  });
});

describe('letters may be fuzzy, and say so', () => {
  it('finds "lazrus" and "hamer panda" as closest matches, naming the name matched', () => {
    const lazarus = index.search('lazrus');
    expect(lazarus).toMatchObject({ outcome: 'profile', match: 'closest' });
    expect(lazarus.results[0]?.uuid).toBe(uuidOf('Lazarus Group'));
    const hammer = index.search('hamer panda');
    expect(hammer).toMatchObject({
      outcome: 'profile',
      match: 'closest',
      closestName: 'Hammer Panda',
    });
    expect(hammer.results[0]?.uuid).toBe(uuidOf('NetTraveler'));
  });

  it('calls an exact name exact', () => {
    expect(index.search('Hammer Panda')).toMatchObject({ outcome: 'profile', match: 'exact' });
  });

  it('offers close fuzzy matches as a choice, not a profile', () => {
    // "Panda" is in three names, none clearly ahead.
    const answer = index.search('panda');
    expect(answer.outcome).toBe('ambiguous');
    expect(answer.reason).toBe('close');
    expect(answer.results.length).toBeGreaterThanOrEqual(3);
  });

  it('picks the name most like the query', () => {
    expect(closestName('hamer panda', ['NetTraveler', 'APT 21', 'Hammer Panda'])).toBe(
      'Hammer Panda',
    );
    expect(closestName('lazrus', ['Lazarus Group', 'Hidden Cobra', 'Zinc'])).toBe('Lazarus Group');
    expect(closestName('cobra', ['Lazarus Group', 'Hidden Cobra', 'Zinc'])).toBe('Hidden Cobra');
  });

  it('picks it with the word endings kept between queries as the old code picked it', () => {
    const names = [
      'Lazarus Group',
      'Hidden Cobra',
      'Zinc',
      'APT 41',
      'APT-C-23',
      'Straße Gruppe',
      'Группа Семь',
      '火眼 Team',
      'A',
      '',
      'Averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongname',
    ];
    const queries = [
      'lazrus',
      'cobra',
      'zic',
      'apt 14',
      'aptc23',
      'strasse',
      'групп',
      '火',
      'a',
      '',
    ];
    const closest = new ClosestNames();
    for (let round = 0; round < 2; round++) {
      for (const q of [...queries, ...names]) {
        for (let k = 1; k <= names.length; k++) {
          const some = names.slice(names.length - k).concat(names.slice(0, names.length - k));
          expect(closest.closest(q, some), `${q} ${some[0]}`).toBe(referenceClosestName(q, some));
        }
      }
    }
  });
});

describe('small talk', () => {
  it('knows greetings, thanks and acknowledgements', () => {
    const cases: [string, string][] = [
      ['thanks', 'thanks'],
      ['Thank you!', 'thanks'],
      ['thx :pray:', 'thanks'],
      ['hello', 'greeting'],
      ['good morning team', 'greeting'],
      ['Hi there', 'greeting'],
      ['ok', 'ack'],
      ['lol', 'ack'],
      ['ok thanks', 'thanks'],
      ['bye', 'farewell'],
    ];
    for (const [text, mood] of cases) expect(smallTalkOf(text), text).toBe(mood);
  });

  it('leaves names and questions alone', () => {
    for (const t of ['hammer panda', 'lazarus', 'APT 21', 'hello kitty ransomware', 'ok panda'])
      expect(smallTalkOf(t), t).toBeUndefined();
  });
});

describe('filters as the help writes them', () => {
  it('accepts commas between filters', () => {
    expect(parseQuery('tool:plugx, motivation:espionage, sponsor:state, until:2015-06')).toEqual({
      text: '',
      filters: [
        { key: 'tool', value: 'plugx' },
        { key: 'motivation', value: 'espionage' },
        { key: 'sponsor', value: 'state' },
        { key: 'until', value: '2015-06' },
      ],
      errors: [],
    });
    expect(parseQuery('sector:"oil and gas", country:china').filters).toHaveLength(2);
  });

  it('refuses a month that is not one and a window that ends before it starts', () => {
    const month = parseQuery('since:2019-13');
    expect(month.filters).toEqual([]);
    expect(month.errors[0]).toMatch(/"since:" takes a year or year-month.*"2019-13" is not one/);
    const window = parseQuery('until:2010 since:2020');
    expect(window.errors).toEqual([
      'since:2020 is after until:2010, so no operation can match: swap them, e.g. since:2010 until:2020',
    ]);
    expect(parseQuery('since:2019-12 until:2019-12').errors).toEqual([]);
  });
});

describe('a year after a word is a topic, not a missing name', () => {
  const cards = [
    actor(['APT 41', 'Wicked Panda']),
    actor(['Turbine Panda', 'Group 13'], ['Turbine Panda', 'Group 13', 'Group 72']),
    makeCard({
      uuid: 'bbbbbbbb-0000-4000-8000-000000000001',
      names: ['Copper Lantern'],
      aliases: [{ name: 'Copper Lantern', vendor: '' }],
      description: ['It went after the energy sector in 2014.'],
    }),
  ];
  const small = new SearchIndex(
    buildCatalog(cards.map((card) => ({ card, source: { file: `${card.uuid}.md`, hash: '' } }))),
  );
  const names = (q: string) => small.search(q).results.map((r) => r.name);

  it('"energy 2014" searches the cards\' text; "apt 2014" and "group 2014" stay names', () => {
    expect(names('energy 2014')).toEqual(['Copper Lantern']);
    expect(names('Energy-2014')).toEqual(['Copper Lantern']);
    // A prefix of the catalog's numbered names or a vendor's, a bare number, a number that is
    // no year: still a name no card has.
    for (const q of ['apt 2014', 'group 2014', '2014', 'energy 14', 'energy 2077']) {
      expect(names(q), q).toEqual([]);
    }
  });
});
