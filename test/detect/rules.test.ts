import { describe, expect, it } from 'vitest';
import { Alphabet, SYM_BOUND, SYM_SEP, SYM_WORD } from '../../src/detect/alphabet.js';
import { Automaton } from '../../src/detect/automaton.js';
import { sentenceStart } from '../../src/detect/detector.js';
import { codeSpans, Exclusions } from '../../src/detect/exclude.js';
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
  const at = (text: string, word: string) =>
    sentenceStart(text, text.indexOf(word), new Exclusions(text));

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
    expect(sentenceStart(text, 6, new Exclusions(text))).toBe(true);
    for (const t of [':wave: Lead', '`x` Lead', '@bob Lead', '<#C1|general> Lead']) {
      expect(sentenceStart(t, t.indexOf('Lead'), new Exclusions(t)), t).toBe(true);
    }
  });
});

describe('Exclusions', () => {
  /** Is the first occurrence of `word` in `text` excluded? */
  const excluded = (text: string, word: string) => {
    const at = text.indexOf(word);
    return new Exclusions(text).covers(at, at + word.length);
  };

  it('covers code spans and blocks', () => {
    expect(codeSpans('a `b` c ```d\ne``` f ``g ` h`` i')).toEqual([2, 5, 8, 17, 20, 29]);
    expect(excluded('a `b` c', 'b')).toBe(true);
    expect(excluded('a `b` c', 'c')).toBe(false);
    expect(excluded('```\nx\ny', 'y')).toBe(true);
  });

  it('covers URLs from their scheme on, not the text before', () => {
    expect(excluded('go https://x.y/apt21?q=1 now', 'apt21')).toBe(true);
    expect(excluded('go https://x.y/apt21?q=1 now', 'now')).toBe(false);
    expect(excluded('go apt21-https://x.y', 'apt21')).toBe(false);
    expect(excluded('go hxxp[:]//apt21.y', 'apt21')).toBe(true);
    expect(excluded('go www.apt21.y', 'apt21')).toBe(true);
    expect(excluded('[apt21](https://x.y)', 'apt21')).toBe(false);
  });

  it('covers Slack and Discord tokens, but not a link label', () => {
    expect(excluded('<@U1|apt21> hi', 'apt21')).toBe(true);
    expect(excluded('<#C1|apt21> hi', 'apt21')).toBe(true);
    expect(excluded('<a:apt21:1> hi', 'apt21')).toBe(true);
    expect(excluded('<https://x.y|apt21> hi', 'apt21')).toBe(false);
    expect(excluded('1 < 2 apt21 > 0', 'apt21')).toBe(false);
  });

  it('covers handles and emoji codes, not e-mail-like names', () => {
    expect(excluded('hi @apt21 there', 'apt21')).toBe(true);
    expect(excluded('hi @bob.apt21 there', 'apt21')).toBe(true);
    expect(excluded('hi :apt21_face: there', 'apt21')).toBe(true);
    expect(excluded('admin@338 here', '338')).toBe(false);
    expect(excluded('note: apt21: done', 'apt21')).toBe(false);
  });

  it('finds tokens that end where a sentence might start', () => {
    const text = '<@U1> :wave: @bob `x` Lead';
    const ex = new Exclusions(text);
    expect(ex.tokenEndingAt(5)).toBe(0);
    expect(ex.tokenEndingAt(12)).toBe(6);
    expect(ex.tokenEndingAt(17)).toBe(13);
    expect(ex.tokenEndingAt(21)).toBe(18);
    expect(ex.tokenEndingAt(26)).toBe(-1);
  });
});

describe('Automaton', () => {
  // Keys: 0 "ab", 1 "bc" (a separator optional before c), 2 "abc", 3 "a c" (one required).
  const alphabet = new Alphabet(['a', 'b', 'c']);
  const sym = (s: string) => [...s].map((ch) => alphabet.classify(ch));
  const automaton = new Automaton(alphabet, [
    { symbols: sym('ab'), optional: [], required: [], key: 0 },
    { symbols: sym('bc'), optional: [1], required: [], key: 1 },
    { symbols: sym('abc'), optional: [], required: [], key: 2 },
    { symbols: sym('ac'), optional: [], required: [1], key: 3 },
  ]);
  const scan = (text: string) => {
    const hits: number[] = [];
    automaton.scan(text, hits);
    const out: string[] = [];
    for (let h = 0; h < hits.length; h += 2) {
      for (const key of automaton.keysAt(hits[h]!)) {
        const end = hits[h + 1]!;
        const len = [2, 2, 3, 2][key]!;
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
    expect(scan('a c, ac')).toEqual(['3:a c']);
  });

  it('restarts after a separator inside a failed match', () => {
    expect(scan('a b-c')).toEqual(['1:b-c']);
    expect(scan('a-ab')).toEqual(['0:ab']);
  });
});
