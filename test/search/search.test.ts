import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { EXACT_SCORE, SearchIndex } from '../../src/search/index.js';
import { compactKey, normalize } from '../../src/search/normalize.js';
import { filterDateRange, operationDateRange, parseQuery } from '../../src/search/query.js';
import { COPPER, cardsFolder, makeCard, SPARROW, VIPER } from '../helpers/cards.js';

describe('normalize', () => {
  const variants = [
    'APT21',
    'apt-21',
    'APT 21',
    'ＡＰＴ２１',
    'a\u200bpt\u201121',
    'APT\u00ad21',
    'APT\u221221',
    'apt_21',
    'APT.21',
  ];
  for (const v of variants) {
    it(`gives "${JSON.stringify(v)}" the compact key of "APT 21"`, () => {
      expect(compactKey(v)).toBe('apt21');
    });
  }

  it('folds case, width, dashes and spaces but keeps words apart', () => {
    expect(normalize('  Hammer\u00a0  PANDA ')).toBe('hammer panda');
    expect(normalize('TEMP\u2014Zhenbao')).toBe('temp-zhenbao');
    expect(normalize('Ｈａｍｍｅｒ')).toBe('hammer');
  });
});

describe('query grammar', () => {
  it('separates free text from filters', () => {
    expect(parseQuery('ransomware country:russia')).toEqual({
      text: 'ransomware',
      filters: [{ key: 'country', value: 'russia' }],
      errors: [],
    });
  });

  it('takes quoted values, upper-case keys and several filters', () => {
    expect(
      parseQuery('SECTOR:"oil and gas" Country:China since:2019-06 until:2021').filters,
    ).toEqual([
      { key: 'sector', value: 'oil and gas' },
      { key: 'country', value: 'China' },
      { key: 'since', value: '2019-06' },
      { key: 'until', value: '2021' },
    ]);
  });

  it('keeps unknown key:value words as text (names may hold colons)', () => {
    expect(parseQuery('Operation:Aurora')).toEqual({
      text: 'Operation:Aurora',
      filters: [],
      errors: [],
    });
  });

  it('reports a filter with no value and a bad date', () => {
    const parsed = parseQuery('country: since:last-year');
    expect(parsed.filters).toEqual([]);
    expect(parsed.errors).toHaveLength(2);
    expect(parsed.errors[0]).toMatch(/"country:" needs a value/);
    expect(parsed.errors[1]).toMatch(/"since:" takes a year/);
  });

  it('reads operation dates as month spans', () => {
    expect(operationDateRange('2014-08')).toEqual([2014 * 12 + 7, 2014 * 12 + 7]);
    expect(operationDateRange('2012')).toEqual([2012 * 12, 2012 * 12 + 11]);
    expect(operationDateRange('2017 Late')).toEqual([2017 * 12 + 6, 2017 * 12 + 11]);
    expect(operationDateRange('2023 Early')).toEqual([2023 * 12, 2023 * 12 + 5]);
    expect(operationDateRange('2020 Q3')).toEqual([2020 * 12 + 6, 2020 * 12 + 8]);
    expect(operationDateRange('2019/2020 Late')).toEqual([2019 * 12, 2020 * 12 + 11]);
    expect(operationDateRange('2019/2020')).toEqual([2019 * 12, 2020 * 12 + 11]);
    expect(operationDateRange('')).toBeUndefined();
    expect(filterDateRange('2019-06')).toEqual([2019 * 12 + 5, 2019 * 12 + 5]);
  });
});

describe('SearchIndex outcomes', () => {
  const extra = makeCard({
    uuid: '44444444-4444-4444-8444-444444444444',
    names: ['Copper Kitten'],
    aliases: [{ name: 'Copper Kitten', vendor: 'CrowdStrike' }],
    description: ['Unrelated to lanterns.'],
    countries: ['Iran'],
  });
  const { dir, cleanup } = cardsFolder({}, [COPPER, VIPER, SPARROW, extra]);
  afterAll(cleanup);
  const index = new SearchIndex(loadCatalog(dir, { cacheDir: false }));

  it('profile: an exact alias in any spelling', () => {
    for (const q of [
      'apt99',
      'APT-99',
      'quiet heron',
      'temp.lantern',
      'TEMP Lantern',
      COPPER.uuid,
    ]) {
      const answer = index.search(q);
      expect(answer.outcome, q).toBe('profile');
      expect(answer.results).toEqual([
        {
          uuid: COPPER.uuid,
          name: 'Copper Lantern',
          score: EXACT_SCORE,
          uuids: [COPPER.uuid],
          sources: ['local'],
        },
      ]);
    }
  });

  it('profile: a clear full-text or fuzzy name match', () => {
    for (const q of ['lantern', 'Copper Lantrn', 'quiet heronn', 'sparrow']) {
      const answer = index.search(q);
      expect(answer.outcome, q).toBe('profile');
      expect(answer.results[0]?.name, q).toBe(q === 'sparrow' ? 'Tin Sparrow' : 'Copper Lantern');
    }
  });

  it('ambiguous: an alias shared by two cards offers both', () => {
    const answer = index.search('night owl');
    expect(answer.outcome).toBe('ambiguous');
    expect(answer.reason).toBe('shared-alias');
    expect(answer.results.map((r) => r.name).sort()).toEqual(['Copper Lantern', 'Glass Viper']);
  });

  it('ambiguous: near-equal name matches are offered, not picked', () => {
    const answer = index.search('copper');
    expect(answer.outcome).toBe('ambiguous');
    expect(answer.reason).toBe('close');
    expect(answer.results.map((r) => r.name).sort()).toEqual(['Copper Kitten', 'Copper Lantern']);
  });

  it('list: filters, ranked most recently active first, with the total', () => {
    const answer = index.search('country:china');
    expect(answer.outcome).toBe('list');
    expect(answer.results.map((r) => r.name)).toEqual(['Copper Lantern', 'Tin Sparrow']);
    expect(index.search('tool:plugx').results).toHaveLength(2);
    expect(index.search('TOOL:"Cobalt Strike"').results.map((r) => r.name)).toEqual([
      'Glass Viper',
    ]);
    expect(index.search('sector:"oil and gas"').results.map((r) => r.name)).toEqual([
      'Copper Lantern',
    ]);
    expect(index.search('sector:gas').results).toHaveLength(1);
    expect(index.search('sector:as').results).toHaveLength(0);
    expect(index.search('target:"united states"').results).toHaveLength(2);
    expect(index.search('motivation:financial').results.map((r) => r.name)).toEqual([
      'Glass Viper',
    ]);
    expect(index.search('sponsor:state').results.map((r) => r.name)).toEqual(['Copper Lantern']);
  });

  it('list: filters combine, with text and with each other', () => {
    expect(
      index.search('country:china tool:plugx sector:energy').results.map((r) => r.name),
    ).toEqual(['Copper Lantern']);
    expect(index.search('spear-phishing country:china').results.map((r) => r.name)).toEqual([
      'Copper Lantern',
    ]);
    expect(index.search('country:china country:russia').outcome).toBe('none');
  });

  it('list: since/until select on operation dates as one window', () => {
    expect(
      index
        .search('since:2022')
        .results.map((r) => r.name)
        .sort(),
    ).toEqual(['Copper Lantern', 'Glass Viper']);
    expect(index.search('since:2022-04').results.map((r) => r.name)).toEqual(['Copper Lantern']);
    expect(index.search('until:2014').results.map((r) => r.name)).toEqual(['Copper Lantern']);
    expect(index.search('since:2015 until:2018').outcome).toBe('none');
    expect(index.search('since:2019 until:2019').results.map((r) => r.name)).toEqual([
      'Copper Lantern',
    ]);
  });

  it('list: prose-only text is a topic list', () => {
    const answer = index.search('ransomware');
    expect(answer.outcome).toBe('list');
    expect(answer.results.map((r) => r.name)).toEqual(['Glass Viper']);
  });

  it('none: with up to three did-you-mean suggestions', () => {
    const answer = index.search('Quite Herring');
    expect(answer.outcome).toBe('none');
    expect(answer.suggestions.length).toBeGreaterThan(0);
    expect(answer.suggestions.length).toBeLessThanOrEqual(3);
    expect(answer.suggestions[0]?.name).toBe('Copper Lantern');
    expect(index.search('zzzzqqqq')).toMatchObject({
      outcome: 'none',
      results: [],
      suggestions: [],
    });
  });

  it('survives hostile and oversized queries', () => {
    for (const q of [
      '',
      '   ',
      '"',
      'country:"',
      '((((',
      '\u0000\uffff',
      '*'.repeat(10_000),
      'a '.repeat(5000),
      '<!channel> @everyone',
    ]) {
      const answer = index.search(q);
      expect(['profile', 'ambiguous', 'list', 'none']).toContain(answer.outcome);
    }
  });

  it('completes names by prefix for autocomplete', () => {
    const names = index.complete('cop').map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['Copper Lantern', 'Copper Kitten']));
    expect(index.complete('apt-9').map((c) => c.name)).toEqual(['APT 99']);
    expect(index.complete('', 2)).toHaveLength(2);
  });
});
