import { describe, expect, it } from 'vitest';
import { Alphabet, SYM_BOUND, SYM_SEP, SYM_WORD } from '../../src/detect/alphabet.js';
import { Automaton } from '../../src/detect/automaton.js';
import { sentenceStart } from '../../src/detect/detector.js';
import { codeSpans, Exclusions } from '../../src/detect/exclude.js';
import { WordFrequencies } from '../../src/detect/frequency.js';
import {
  actorPrefixes,
  DEFAULT_THRESHOLDS,
  type English,
  type NameRule,
  type Risk,
  riskOfWritten,
  writtenAsName,
} from '../../src/detect/risk.js';
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

describe('riskOfWritten (the form as the message writes it)', () => {
  const english: English = {
    words: new WordList(
      'apt\nbear\nfancy\ngroup\nhafnium\nkey\nlead\npanda\nsandworm\nside\nteam\nzinc\n',
    ),
    frequencies: WordFrequencies.of({
      apt: 89,
      bear: 2928,
      fancy: 1777,
      group: 3762,
      hafnium: 1,
      key: 4430,
      lead: 4246,
      lazarus: 97,
      panda: 108,
      side: 10247,
      team: 7528,
      zinc: 43,
    }),
    thresholds: DEFAULT_THRESHOLDS,
  };
  const prefixes = new Set(['apt', 'ta']);
  /** The risk of `written` as a message writes it (its whitespace; dots and dashes join). */
  const risk = (written: string) => {
    const shape = shapeOf(written);
    return riskOfWritten(shape.chars, shape.spaces, english, prefixes).risk;
  };

  it('is "word" for a common word or a phrase of common words', () => {
    expect(risk('Lead')).toBe('word');
    expect(risk('lead')).toBe('word');
    expect(risk('fancy bear')).toBe('word');
    expect(risk('key boy')).toBe('safe'); // "boy" is not in this small list
  });

  it('is "safe" for a joined or dotted form that is not a word, in any case', () => {
    expect(risk('keyboy')).toBe('safe');
    expect(risk('KeyBoy')).toBe('safe');
    expect(risk('sidecopy')).toBe('safe');
    expect(risk('temp.hippo')).toBe('safe');
    expect(risk('apt28')).toBe('safe');
    expect(risk('apt-28')).toBe('safe');
    expect(risk('fancybear')).toBe('safe');
    expect(risk('lazarus group')).toBe('safe'); // a name: counted, but no dictionary word
    expect(risk('1337')).toBe('safe');
  });

  it('is "rare" for a rare word, and for a phrase with a rare word', () => {
    expect(risk('hafnium')).toBe('rare');
    expect(risk('sandworm')).toBe('rare'); // a dictionary word that subtitles never say
    expect(risk('sandworm team')).toBe('rare');
    expect(risk('hammer panda')).toBe('safe'); // "hammer" is not in this small list
    expect(risk('zinc')).toBe('word'); // 43: common enough
    expect(risk('fancy panda')).toBe('rare'); // panda 108 < the phrase threshold
  });

  it('is "prefixed" for a spaced number after an actor prefix, "number" after a common word', () => {
    expect(risk('apt 28')).toBe('prefixed');
    expect(risk('APT 28')).toBe('prefixed');
    expect(risk('group 72')).toBe('number');
    expect(risk('group72')).toBe('safe');
  });

  it('is "short" for three characters or fewer', () => {
    expect(risk('CIA')).toBe('short');
    expect(risk('BE2')).toBe('short');
  });

  it('finds the actor prefixes of a catalog: numbered twice or more, English words too', () => {
    const shapes = ['APT 1', 'TA505', 'Group 72', 'Group 5', 'Panda 9', 'FIN7'].map(shapeOf);
    const vendors = ['apt', 'atk', 'ctg', 'dev', 'fin', 'itg', 'storm', 'ta', 'tag', 'temp']
      .concat(['tg', 'uac', 'unc'])
      .sort();
    // "group" (3762 in SUBTLEXus here) numbers two aliases: a prefix; "panda" numbers one. The
    // prefixes vendors number actors with are prefixes whatever the catalog ("fin", "unc").
    expect([...actorPrefixes(shapes, english)].sort()).toEqual([...vendors, 'group'].sort());
    expect([...actorPrefixes([], english)].sort()).toEqual(vendors);
    // The earlier rule, kept measurable: no word counted `prefix` times or more.
    const before = { ...english, thresholds: { ...DEFAULT_THRESHOLDS, prefix: 500 } };
    const common = [...actorPrefixes(shapes, before)];
    expect(common).toContain('apt');
    expect(common).not.toContain('group');
  });
});

describe('writtenAsName', () => {
  const rule = (alias: string, risk: Risk, spacedRisk: Risk = risk): NameRule => ({
    always: false,
    riskAt: (spaces) => (spaces === 0 ? risk : spacedRisk),
    forms: [shapeOf(alias)],
  });
  /** Is all of `text` the alias written as a name? */
  const check = (text: string, alias: string, risk: Risk, atStart = false, spacedRisk?: Risk) =>
    writtenAsName(text, 0, text.length, rule(alias, risk, spacedRisk), () => atStart);

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

  it('judges the risk of the form as written: joined and spaced forms differ', () => {
    expect(check('group72', 'Group 72', 'safe', true, 'number')).toBe(true);
    expect(check('group-72', 'Group 72', 'safe', false, 'number')).toBe(true);
    expect(check('group 72', 'Group 72', 'safe', false, 'number')).toBe(false);
    expect(check('Group 72', 'Group 72', 'safe', false, 'number')).toBe(true);
    expect(check('apt 28', 'APT 28', 'safe', false, 'prefixed')).toBe(true);
  });

  it('takes no match that ends a sentence inside it, unless the alias writes ". " itself', () => {
    // "Look. Back" is two sentences, not LookBack; a dotted "look.back" is one written word.
    for (const text of ['Look. Back', 'look. back', 'LOOK.  BACK', 'Look.\nBack', 'Look . Back']) {
      expect(check(text, 'LookBack', 'safe', false), text).toBe(false);
    }
    expect(check('Look .Back', 'LookBack', 'safe', false)).toBe(true);
    for (const text of ['look.back', 'look-back', 'look back', 'LookBack']) {
      expect(check(text, 'LookBack', 'safe', false), text).toBe(true);
    }
    expect(shapeOf('Mr. Robot').dotSpace).toBe(true);
    expect(shapeOf('TEMP.Hippo').dotSpace).toBe(false);
    expect(check('Mr. Robot', 'Mr. Robot', 'safe', false)).toBe(true);
  });

  it('takes every form that fires in any case, in any case and position', () => {
    for (const risk of ['safe', 'rare', 'prefixed'] as const) {
      for (const text of ['sofacy', 'Sofacy', 'SOFACY', 'sOfAcY']) {
        expect(check(text, 'Sofacy', risk, true), `${risk} ${text}`).toBe(true);
        expect(check(text, 'Sofacy', risk, false), `${risk} ${text}`).toBe(true);
      }
    }
  });

  it('passes the whitespace the message wrote to the rule, bit by compact position', () => {
    const seen: number[] = [];
    const spy: NameRule = {
      always: false,
      riskAt: (spaces) => {
        seen.push(spaces);
        return 'word';
      },
      forms: [shapeOf('Sandworm Team')],
    };
    for (const text of ['sandworm team', 'sandwormteam', 'sandworm-team', 'sand worm  team'])
      writtenAsName(text, 0, text.length, spy, () => false);
    expect(seen).toEqual([1 << 8, 0, 0, (1 << 4) | (1 << 8)]);
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

  it('closes a fence at a run at least as long, an inline span only at one as long', () => {
    // CommonMark, and READMEs: "```bash" closed by "````" (it ran to the end of the text).
    const text = '```bash\nnpm i x\n````\nthen y\n```js\nz\n```\nand w';
    expect(excluded(text, 'x')).toBe(true);
    expect(excluded(text, 'y')).toBe(false);
    expect(excluded(text, 'z')).toBe(true);
    expect(excluded(text, 'w')).toBe(false);
    expect(codeSpans('```a````b')).toEqual([0, 8]);
    // A longer run inside an inline span does not close it; the span's own length does.
    expect(codeSpans('`a ``` b` c')).toEqual([0, 9]);
    expect(codeSpans('``a ``` b`` c')).toEqual([0, 11]);
    // Nor does a shorter run close a fence.
    expect(codeSpans('````a```b````c')).toEqual([0, 13]);
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
