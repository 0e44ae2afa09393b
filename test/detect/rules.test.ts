import { describe, expect, it } from 'vitest';
import { Alphabet, SYM_BOUND, SYM_SEP, SYM_WORD } from '../../src/detect/alphabet.js';
import { Automaton } from '../../src/detect/automaton.js';
import { sentenceStart } from '../../src/detect/detector.js';
import { excludedRanges, overlapsExcluded } from '../../src/detect/exclude.js';
import { type NameRule, riskOf, writtenAsName } from '../../src/detect/risk.js';
import { shapeOf } from '../../src/detect/shape.js';
import { WordList } from '../../src/detect/words.js';

describe('shapeOf', () => {
  it('gives compact characters, optional-separator breaks and capitals', () => {
    expect(shapeOf('APT 21')).toMatchObject({
      chars: ['a', 'p', 't', '2', '1'],
      breaks: [3],
      separators: [3],
      capitals: [0],
      allCaps: true,
      words: ['apt', '21'],
    });
    expect(shapeOf('APT21').breaks).toEqual([3]);
    expect(shapeOf('TEMP.Zhenbao')).toMatchObject({ breaks: [4], capitals: [0, 4] });
    expect(shapeOf('SideWinder')).toMatchObject({
      breaks: [4],
      separators: [],
      capitals: [0],
      words: ['side', 'winder'],
    });
    expect(shapeOf('Guardians of Peace').capitals).toEqual([0, 11]);
    expect(shapeOf('menuPass').capitals).toEqual([]);
    expect(shapeOf('menupass').capitals).toEqual([0]);
    expect(shapeOf('APT-C-36')).toMatchObject({ breaks: [3, 4], words: ['apt', 'c', '36'] });
    expect(shapeOf("Abraham's Ax")).toMatchObject({
      chars: [..."abraham'sax"],
      words: ['abraham', 's', 'ax'],
    });
    expect(shapeOf('ＡＰＴ２１').chars).toEqual(['a', 'p', 't', '2', '1']);
  });
});

describe('riskOf', () => {
  const words = new WordList('apt\nbear\nfancy\ngroup\nlead\npanda\nsandworm\nteam\n');
  const risk = (alias: string) => riskOf(shapeOf(alias), words);

  it('is "word" for an English word or only English words', () => {
    expect(risk('Lead')).toBe('word');
    expect(risk('Fancy Bear')).toBe('word');
    expect(risk('Sandworm Team')).toBe('word');
  });

  it('is "number" for English words with a number, "short" for three characters or fewer', () => {
    expect(risk('APT 21')).toBe('number');
    expect(risk('Group 72')).toBe('number');
    expect(risk('CIA')).toBe('short');
    expect(risk('BE2')).toBe('short');
  });

  it('is "safe" when any word is not English', () => {
    expect(risk('Lazarus Group')).toBe('safe');
    expect(risk('Sofacy')).toBe('safe');
    expect(risk('APT-C-36')).toBe('safe');
    expect(risk('1337')).toBe('safe');
  });
});

describe('writtenAsName', () => {
  const rule = (alias: string, risk: NameRule['risk']): NameRule => ({
    risk,
    forms: [shapeOf(alias)],
  });
  /** Is all of `text` the alias written as a name? */
  const check = (text: string, alias: string, risk: NameRule['risk'], atStart = false) =>
    writtenAsName(text, 0, text.length, rule(alias, risk), () => atStart);

  it('takes capitals, and a capital unless it only starts a sentence', () => {
    expect(check('ZINC', 'Zinc', 'word', true)).toBe(true);
    expect(check('Zinc', 'Zinc', 'word', false)).toBe(true);
    expect(check('Zinc', 'Zinc', 'word', true)).toBe(false);
    expect(check('zinc', 'Zinc', 'word', false)).toBe(false);
    expect(check('zInc', 'Zinc', 'word', false)).toBe(false);
  });

  it('takes a sentence-initial name with a second capital', () => {
    expect(check('Hammer Panda', 'Hammer Panda', 'word', true)).toBe(true);
    expect(check('Hammer panda', 'Hammer Panda', 'word', false)).toBe(false);
    expect(check('SideWinder', 'SideWinder', 'word', true)).toBe(true);
    expect(check('menuPass', 'menuPass', 'word', true)).toBe(true);
    expect(check('Menupass', 'menuPass', 'word', true)).toBe(false);
    expect(check('Menupass', 'menuPass', 'word', false)).toBe(true);
    expect(check('menupass', 'menuPass', 'word', false)).toBe(false);
  });

  it('takes joined word-number aliases in any case', () => {
    expect(check('group72', 'Group 72', 'number', true)).toBe(true);
    expect(check('group-72', 'Group 72', 'number', false)).toBe(true);
    expect(check('group 72', 'Group 72', 'number', false)).toBe(false);
    expect(check('Group 72', 'Group 72', 'number', false)).toBe(true);
  });

  it('always takes safe aliases', () => {
    expect(check('sofacy', 'Sofacy', 'safe', true)).toBe(true);
  });
});

describe('sentenceStart', () => {
  const at = (text: string, word: string) => sentenceStart(text, text.indexOf(word), []);

  it('is true at the start, after . ! ? : and new lines, past quotes and bullets', () => {
    expect(at('Lead is out', 'Lead')).toBe(true);
    expect(at('ok. Lead is out', 'Lead')).toBe(true);
    expect(at('ok!  "Lead is out"', 'Lead')).toBe(true);
    expect(at('why? (Lead is out)', 'Lead')).toBe(true);
    expect(at('status:\n- Lead is out', 'Lead')).toBe(true);
    expect(at('FYI: Lead is out', 'Lead')).toBe(true);
  });

  it('is false inside a sentence', () => {
    expect(at('blame Lead for it', 'Lead')).toBe(false);
    expect(at('blame, Lead for it', 'Lead')).toBe(false);
    expect(at('said "Lead', 'Lead')).toBe(false);
  });

  it('looks through excluded tokens', () => {
    const text = '<@U1> Lead is out';
    expect(sentenceStart(text, 6, excludedRanges(text))).toBe(true);
  });
});

describe('excludedRanges', () => {
  const spans = (text: string) => {
    const r = excludedRanges(text);
    const out: string[] = [];
    for (let k = 0; k < r.length; k += 2) out.push(text.slice(r[k], r[k + 1]));
    return out;
  };

  it('finds code, URLs, tokens, handles and emoji, merged and in order', () => {
    expect(spans('a `b` c ```d\ne``` f')).toEqual(['`b`', '```d\ne```']);
    expect(spans('go https://x.y/z?q=1 now')).toEqual(['https://x.y/z?q=1']);
    expect(spans('<https://x.y|label> <@U1> <#C1|gen>')).toEqual([
      'https://x.y',
      '<@U1>',
      '<#C1|gen>',
    ]);
    expect(spans('hi @bob, :+1: and :flag-cn:')).toEqual(['@bob', ':+1:', ':flag-cn:']);
    expect(spans('mail bob@example.com')).toEqual([]);
    expect(spans('plain text: nothing here')).toEqual([]);
  });

  it('answers overlap questions', () => {
    const r = excludedRanges('xx `code` yy `more` zz');
    expect(overlapsExcluded(r, 0, 2)).toBe(false);
    expect(overlapsExcluded(r, 3, 5)).toBe(true);
    expect(overlapsExcluded(r, 10, 12)).toBe(false);
    expect(overlapsExcluded(r, 8, 14)).toBe(true);
    expect(overlapsExcluded(r, 20, 22)).toBe(false);
  });
});

describe('Automaton', () => {
  // Keys: 0 "ab", 1 "b c" (optional separator), 2 "abc".
  const alphabet = new Alphabet(['a', 'b', 'c']);
  const sym = (s: string) => [...s].map((ch) => (ch === ' ' ? SYM_SEP : alphabet.classify(ch)));
  const automaton = new Automaton(alphabet, [
    { symbols: sym('ab'), key: 0 },
    { symbols: sym('bc'), key: 1 },
    { symbols: sym('b c'), key: 1 },
    { symbols: sym('abc'), key: 2 },
  ]);
  const scan = (text: string) => {
    const hits: number[] = [];
    automaton.scan(text, hits);
    const out: string[] = [];
    for (let h = 0; h < hits.length; h += 2) {
      for (const key of automaton.keysAt(hits[h]!)) {
        const end = hits[h + 1]!;
        const len = key === 2 ? 3 : 2;
        out.push(`${key}:${text.slice(automaton.startOf(text, end, len), end)}`);
      }
    }
    return out;
  };

  it('classifies characters into the small alphabet', () => {
    expect(alphabet.classify('-')).toBe(SYM_SEP);
    expect(alphabet.classify('!')).toBe(SYM_BOUND);
    expect(alphabet.classify('z')).toBe(SYM_WORD);
  });

  it('reports every key ending at a word end, only from a word start', () => {
    expect(scan('ab')).toEqual(['0:ab']);
    expect(scan('abc')).toEqual(['2:abc']);
    expect(scan('x ab, b  c.')).toEqual(['0:ab', '1:b  c']);
    expect(scan('xab zabc abd bcz')).toEqual([]);
  });

  it('restarts after a separator inside a failed match', () => {
    expect(scan('a b-c')).toEqual(['1:b-c']);
    expect(scan('a-ab')).toEqual(['0:ab']);
  });
});
