/**
 * Names as analysts type them (issue 14): each written form of the issue, in each case and
 * position, and the common words that must stay quiet. Real word list and SUBTLEXus counts.
 */
import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { explain } from '../../src/detect/explain.js';
import { card } from '../fixtures/detect/cards.js';

const KEYBOY = card(['Tropic Trooper'], ['KeyBoy', 'Pirate Panda']);
const SIDECOPY = card(['SideCopy'], ['SideCopy']);
const HIPPO = card(['Emissary Panda'], ['TEMP.Hippo', 'APT 27', 'Evil Eye']);
const GREMLIN = card(['OldGremlin'], ['OldGremlin']);
const APT10 = card(['APT 10'], ['APT 10', 'menuPass Team', 'menuPass']);
const SANDWORM = card(['Sandworm Team'], ['Sandworm Team', 'Sandworm', 'APT 44']);
const HAFNIUM = card(['Hafnium'], ['Hafnium', 'Silk Typhoon']);
const APT28 = card(['Sofacy'], ['APT 28', 'APT28', 'Fancy Bear']);
const TA505 = card(['TA505'], ['TA505', 'TA 542', 'UNC2891', 'UNC 1878']);
const GROUP72 = card(['Axiom'], ['Group 72', 'Group 5']);
const TAG = card(['Cold River'], ['Cold River', 'TAG-53', 'TAG-22']);
const STORM = card(['Storm-0558'], ['Storm-0558', 'Storm-0978']);
const MAN1 = card(['TA511'], ['MAN1', 'Team338']);
const LOOKBACK = card(['LookBack'], ['LookBack']);
const COMMON = card(['Common Words'], ['Lead', 'Safe', 'Tick', 'Iron', 'Mask', 'Charming']);
const ALL = [KEYBOY, SIDECOPY, HIPPO, GREMLIN, APT10, SANDWORM, HAFNIUM, APT28, TA505];
const detector = new Detector([...ALL, GROUP72, TAG, STORM, MAN1, LOOKBACK, COMMON]);

/** The names found, as "written -> card", in order. */
const found = (text: string, d = detector) =>
  d.detect(text).mentions.map((m) => `${text.slice(m.start, m.end)} -> ${m.name}`);

/** `form` in every case and position: start of a message, after a sentence, inside one. */
function everywhere(form: string): string[] {
  const cases = [form, form.toLowerCase(), form.toUpperCase(), cap(form.toLowerCase())];
  const out: string[] = [];
  for (const c of cases) {
    out.push(`${c} is back`, `ok. ${c} again`, `we saw ${c} again`, `attribution so far: ${c}`);
    out.push(`"${c}" per the vendor`, `is it ${c}?`);
  }
  return out;
}
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

describe('names as analysts type them', () => {
  it('answers the messages of the issue', () => {
    expect(found('attribution so far: keyboy')).toEqual(['keyboy -> Tropic Trooper']);
    expect(found('we saw sidecopy')).toEqual(['sidecopy -> SideCopy']);
    expect(found('seen apt 28 again')).toEqual(['apt 28 -> Sofacy']);
    expect(found('anyone seen temp.hippo activity')).toEqual(['temp.hippo -> Emissary Panda']);
    expect(found('menupass team again')).toEqual(['menupass team -> APT 10']);
    expect(found('can someone pull up the card for oldgremlin?')).toEqual([
      'oldgremlin -> OldGremlin',
    ]);
    expect(found('Sandworm is back')).toEqual(['Sandworm -> Sandworm Team']);
  });

  it('finds a joined or dotted form that is not a word in any case and position', () => {
    const forms: [string, string][] = [
      ['keyboy', 'Tropic Trooper'],
      ['sidecopy', 'SideCopy'],
      ['temp.hippo', 'Emissary Panda'],
      ['temp-hippo', 'Emissary Panda'],
      ['oldgremlin', 'OldGremlin'],
      ['apt28', 'Sofacy'],
      ['apt-28', 'Sofacy'],
      ['menupass', 'APT 10'],
      ['fancybear', 'Sofacy'],
      ['group72', 'Axiom'],
      ['group-72', 'Axiom'],
    ];
    for (const [form, name] of forms) {
      for (const text of everywhere(form)) {
        const names = detector.detect(text).mentions.map((m) => m.name);
        expect(names, text).toEqual([name]);
      }
    }
  });

  it('finds a spaced number after an actor prefix of the catalog in any case and position', () => {
    for (const [form, name] of [
      ['apt 28', 'Sofacy'],
      ['apt 10', 'APT 10'],
      ['ta 505', 'TA505'],
      ['unc 2891', 'TA505'],
      ['unc 1878', 'TA505'],
    ]) {
      for (const text of everywhere(form!)) {
        expect(
          detector.detect(text).mentions.map((m) => m.name),
          text,
        ).toEqual([name]);
      }
    }
  });

  it('finds a spaced number after a prefix that is an English word, numbered twice or more', () => {
    // "group", "tag", "storm" are common words, and actor prefixes of this catalog all the same.
    expect([...detector.prefixes]).toEqual(expect.arrayContaining(['group', 'storm', 'tag']));
    for (const [form, name] of [
      ['group 72', 'Axiom'],
      ['group 5', 'Axiom'],
      ['tag 53', 'Cold River'],
      ['tag 22', 'Cold River'],
      ['storm 0558', 'Storm-0558'],
    ]) {
      for (const text of everywhere(form!)) {
        expect(
          detector.detect(text).mentions.map((m) => m.name),
          text,
        ).toEqual([name]);
      }
    }
    // The price, in prose: a quantity after the word fires too.
    expect(found('the group 72 hours ago')).toEqual(['group 72 -> Axiom']);
    // A number that is no alias, or a longer one, is not a name.
    expect(found('group 7 and tag 530 and storm 558')).toEqual([]);
  });

  it('keeps a spaced number after a common word that numbers one alias quiet unless a name', () => {
    expect(detector.riskFor('man 1')).toBe('number');
    expect(detector.riskFor('team 338')).toBe('number');
    for (const text of [
      'the man 1 floor up',
      'Man 1 of the crew',
      'ok. Man 1 again',
      'team 338 is on call',
    ]) {
      expect(found(text), text).toEqual([]);
    }
    expect(found('seen the MAN 1 crew')).toEqual(['MAN 1 -> TA511']);
    expect(found('seen the Man 1 crew')).toEqual(['Man 1 -> TA511']);
    // Joined, it is no word: a name in any case.
    expect(found('seen man1 and team338')).toEqual(['man1 -> TA511', 'team338 -> TA511']);
  });

  it('takes no name across the end of a sentence ("Look. Back" is not LookBack)', () => {
    for (const text of ['Look. Back at it', 'we should look. Back to work', 'LOOK. BACK']) {
      expect(found(text), text).toEqual([]);
    }
    for (const form of ['lookback', 'look.back', 'look-back', 'LookBack']) {
      for (const text of everywhere(form)) {
        expect(
          detector.detect(text).mentions.map((m) => m.name),
          text,
        ).toEqual(['LookBack']);
      }
    }
    const [e] = explain(detector, 'Look. Back at it');
    expect(e).toMatchObject({ written: 'Look. Back', fired: false });
    expect(e!.why).toContain('the end of a sentence');
  });

  it('finds a rare word that is a name, and a phrase with one, in any case and position', () => {
    for (const [form, name] of [
      ['sandworm', 'Sandworm Team'],
      ['hafnium', 'Hafnium'],
      ['sandworm team', 'Sandworm Team'],
      ['menupass team', 'APT 10'],
      ['silk typhoon', 'Hafnium'],
      ['pirate panda', 'Tropic Trooper'],
    ]) {
      for (const text of everywhere(form!)) {
        expect(
          detector.detect(text).mentions.map((m) => m.name),
          text,
        ).toEqual([name]);
      }
    }
  });

  it('keeps single common words quiet unless written as a name, as before', () => {
    for (const word of ['lead', 'safe', 'tick', 'iron', 'mask', 'charming']) {
      for (const text of [
        `can you ${word} it`,
        `${cap(word)} analyst is out`,
        `ok. ${cap(word)} it is`,
        `"${cap(word)}," she said`,
        `a ${word} and a ${word}`,
      ]) {
        expect(found(text), text).toEqual([]);
      }
      expect(found(`blame ${cap(word)} for it`)).toEqual([`${cap(word)} -> Common Words`]);
      expect(found(`${word.toUpperCase()} again`)).toEqual([
        `${word.toUpperCase()} -> Common Words`,
      ]);
    }
  });

  it('keeps a phrase of common words quiet in lower case ("fancy bear", "evil eye")', () => {
    expect(found('a fancy bear costume and an evil eye')).toEqual([]);
    expect(found('Fancy bear costumes sell out')).toEqual([]);
    expect(found('mail from Fancy Bear')).toEqual(['Fancy Bear -> Sofacy']);
  });

  it('keeps ENRICH_ALLOW and ENRICH_DENY working on the new forms', () => {
    const d = new Detector([...ALL, COMMON], { allow: ['Lead'], deny: ['KeyBoy', 'APT 28'] });
    expect(found('lead and keyboy and apt 28 and apt28 and temp.hippo', d)).toEqual([
      'lead -> Common Words',
      'temp.hippo -> Emissary Panda',
    ]);
  });

  it('still skips code, URLs and mentions, and lets the longest match win', () => {
    expect(found('`keyboy` and https://x.example/sidecopy and <@U1|apt28>')).toEqual([]);
    expect(found('menupass team')).toEqual(['menupass team -> APT 10']);
    expect(found('keyboys and xsidecopy and apt 280')).toEqual([]);
  });
});

describe('explain', () => {
  it('says for each candidate its risk, how it was written and why it fired or not', () => {
    const items = explain(detector, 'Lead analyst: keyboy, apt 28, fancy bear, `sidecopy`');
    expect(items.map((e) => [e.written, e.risk, e.fired])).toEqual([
      ['Lead', 'word', false],
      ['keyboy', 'safe', true],
      ['apt 28', 'prefixed', true],
      ['fancy bear', 'word', false],
      ['sidecopy', 'safe', false],
    ]);
    expect(items[0]!.how).toBe('capitalised at a sentence start, one word');
    expect(items[0]!.why).toContain('its only capital starts a sentence');
    expect(items[0]!.why).toContain('"lead" 4246 in SUBTLEXus');
    expect(items[1]!.how).toBe('lower case at a sentence start, joined');
    expect(items[2]!.why).toContain('actor prefix ("apt")');
    expect(items[3]!.why).toContain('in lower case');
    expect(items[4]!.why).toContain('inside code');
  });

  it('names the longer match that a shorter name is inside', () => {
    const items = explain(detector, 'menupass team again');
    const inner = items.find((e) => e.written === 'menupass');
    expect(inner?.fired).toBe(false);
    expect(inner?.why).toContain('inside the longer name "menupass team"');
    expect(items.find((e) => e.written === 'menupass team')?.fired).toBe(true);
  });
});
