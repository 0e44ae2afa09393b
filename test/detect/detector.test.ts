import { describe, expect, it } from 'vitest';
import { SCAN_WINDOW } from '../../src/detect/automaton.js';
import { Detector } from '../../src/detect/detector.js';
import {
  ALL,
  AXE,
  CIA,
  card,
  GROUP72,
  IRON,
  LAPSUS,
  LEAD,
  NETTRAVELER,
  PANDA,
  SANDWORM,
  SEA,
  SIDEWINDER,
  SOFACY,
  TIGER_A,
  TIGER_B,
  TURLA,
  ZINC,
} from '../fixtures/detect/cards.js';
import { wholeAndByLine } from '../helpers/long-text.js';

const detector = new Detector(ALL);

/** What was found, as "written form -> card name", in text order. */
function found(text: string, d: Detector = detector): string[] {
  return d.detect(text).mentions.map((m) => `${text.slice(m.start, m.end)} -> ${m.name}`);
}

const silent = (text: string) => expect(found(text), text).toEqual([]);

describe('Detector: finding aliases', () => {
  it('answers the issue example with the actor, alias and offsets', () => {
    const text = 'infra overlaps with TEMP.Zhenbao';
    const { mentions, actors } = detector.detect(text);
    expect(mentions).toMatchObject([
      {
        uuid: NETTRAVELER.card.uuid,
        name: 'NetTraveler',
        alias: 'TEMP.Zhenbao',
        start: 20,
        end: 32,
      },
    ]);
    expect(actors.map((a) => a.entry)).toEqual([NETTRAVELER]);
  });

  it('finds an alias at the start, in the middle and at the end, next to punctuation', () => {
    expect(found('Sofacy again')).toEqual(['Sofacy -> Sofacy']);
    expect(found('(Sofacy), "Turla".')).toEqual(['Sofacy -> Sofacy', 'Turla -> Turla']);
    expect(found('was it turla?')).toEqual(['turla -> Turla']);
  });

  it('treats spaces, dashes and dots between letters and digits as optional', () => {
    for (const form of [
      'APT21',
      'apt-21',
      'APT 21',
      'apt.21',
      'APT_21',
      'APT - 21',
      'APT  21',
      'Apt 21',
    ]) {
      expect(found(`seen ${form} today`), form).toEqual([`${form} -> NetTraveler`]);
    }
    expect(found('Sofacy is APT28')).toEqual(['Sofacy -> Sofacy', 'APT28 -> Sofacy']);
  });

  it('lets an alias drop or change its own separators, but adds none inside words', () => {
    expect(found('see TEMP Zhenbao and temp-zhenbao and TEMPZhenbao')).toEqual([
      'TEMP Zhenbao -> NetTraveler',
      'temp-zhenbao -> NetTraveler',
      'TEMPZhenbao -> NetTraveler',
    ]);
    silent('see Sof acy and Tur-la');
  });

  it('normalizes unicode: full-width, zero-width, soft hyphen, other dashes, NBSP', () => {
    expect(found('ＡＰＴ２１ is back')).toEqual(['ＡＰＴ２１ -> NetTraveler']);
    expect(found('a\u200bpt\u201121 and APT\u00ad21 and APT\u221221 and APT\u00a021')).toEqual([
      'a\u200bpt\u201121 -> NetTraveler',
      'APT\u00ad21 -> NetTraveler',
      'APT\u221221 -> NetTraveler',
      'APT\u00a021 -> NetTraveler',
    ]);
    expect(found('TEMP\u2014Zhenbao')).toEqual(['TEMP\u2014Zhenbao -> NetTraveler']);
    expect(found('ask about Abraham’s Ax today')).toEqual(["Abraham’s Ax -> Abraham's Ax"]);
  });

  it('reports offsets in UTF-16 code units of the original text, after emoji and CJK', () => {
    const text = '🔥 见 Sofacy';
    const [m] = detector.detect(text).mentions;
    expect(m).toMatchObject({ start: 5, end: 11 });
    expect(text.slice(m!.start, m!.end)).toBe('Sofacy');
  });
});

describe('Detector: boundaries', () => {
  it('never fires when a letter or digit touches either side', () => {
    silent('APT 210 is another group');
    silent('xAPT21 and APT21x and 2APT21');
    silent('an ironic Ironclad answer');
    silent('Sofacyx and xTurla');
    silent('TEMP.Zhenbaos');
  });

  it('counts letters of any script and digits of any kind as touching', () => {
    silent('éSofacy and Sofacyé and Sofacy٣');
  });

  it('fires before a possessive and inside chat markup', () => {
    expect(found("Sofacy's loader and Turla’s implant")).toEqual([
      'Sofacy -> Sofacy',
      'Turla -> Turla',
    ]);
    expect(found('*Sofacy* _Turla_ ~APT21~ #APT21 (Zinc)')).toEqual([
      'Sofacy -> Sofacy',
      'Turla -> Turla',
      'APT21 -> NetTraveler',
      'APT21 -> NetTraveler',
      'Zinc -> Zinc Group',
    ]);
  });

  it('fires next to underscores, slashes and quotes (not letters or digits)', () => {
    expect(found('file_Sofacy_report / "Turla"')).toEqual(['Sofacy -> Sofacy', 'Turla -> Turla']);
  });
});

describe('Detector: overlapping aliases', () => {
  it('lets the longest match win', () => {
    expect(found('tracking Hammer Panda today')).toEqual(['Hammer Panda -> NetTraveler']);
    expect(found('tracking Sandworm Team today')).toEqual(['Sandworm Team -> Sandworm Team']);
    expect(found('tracking Iron Tiger today').map((s) => s.split(' -> ')[0])).toEqual([
      'Iron Tiger',
      'Iron Tiger',
    ]);
  });

  it('never fires a name inside a longer one, even when that one loses to a third', () => {
    const big = card(['Big Hammer Crew'], ['The Big Hammer']);
    const d = new Detector([NETTRAVELER, PANDA, big]);
    // "The Big Hammer" is longer than "Hammer Panda", which overlaps it; "Panda" is inside
    // "Hammer Panda", so it is not a mention of its own.
    expect(found('seen The Big Hammer Panda today', d)).toEqual([
      'The Big Hammer -> Big Hammer Crew',
    ]);
  });

  it('still finds the shorter alias where the longer one is not there', () => {
    expect(found('not Hammer but Panda here')).toEqual(['Panda -> Panda Crew']);
    expect(found('a hammer and a Panda')).toEqual(['Panda -> Panda Crew']);
    // "hammer panda" is not English in any case (panda is rare in a phrase): the longer name.
    expect(found('a hammer Panda')).toEqual(['hammer Panda -> NetTraveler']);
  });

  it('reports each actor once, with every alias form that matched, in order', () => {
    const text = 'APT21, a.k.a. Hammer Panda, a.k.a. apt-21, a.k.a. TEMP.Zhenbao; also Sofacy';
    const { mentions, actors } = detector.detect(text);
    expect(mentions.map((m) => m.alias)).toEqual([
      'APT 21',
      'Hammer Panda',
      'APT 21',
      'TEMP.Zhenbao',
      'Sofacy',
    ]);
    expect(actors.map((a) => [a.name, a.aliases])).toEqual([
      ['NetTraveler', ['APT 21', 'Hammer Panda', 'TEMP.Zhenbao']],
      ['Sofacy', ['Sofacy']],
    ]);
  });

  it('maps a shared alias to every card that has it, never to just one', () => {
    const { mentions, actors } = detector.detect('they call it Iron Tiger');
    expect(mentions.map((m) => m.entry)).toEqual([TIGER_A, TIGER_B]);
    expect(new Set(mentions.map((m) => m.start))).toEqual(new Set([13]));
    expect(actors.map((a) => a.entry)).toEqual([TIGER_A, TIGER_B]);
  });
});

describe('Detector: risky aliases (English words, three characters or fewer)', () => {
  it('classifies written forms by the word list and their SUBTLEXus counts', () => {
    expect(detector.riskFor('Lead')).toBe('word');
    expect(detector.riskFor('Panda')).toBe('word');
    expect(detector.riskFor('Sandworm')).toBe('rare');
    expect(detector.riskFor('Hammer Panda')).toBe('rare');
    expect(detector.riskFor('Fancy Bear')).toBe('word');
    expect(detector.riskFor('SideWinder')).toBe('word'); // "sidewinder": 41 in SUBTLEXus
    expect(detector.riskFor('Side Winder')).toBe('rare'); // "winder": 5
    expect(detector.riskFor('Group 72')).toBe('number');
    expect(detector.riskFor('group72')).toBe('safe');
    expect(detector.riskFor('APT 21')).toBe('prefixed');
    expect(detector.riskFor('APT21')).toBe('safe');
    expect(detector.riskFor('CIA')).toBe('short');
    expect(detector.riskFor('Sofacy')).toBe('safe');
    expect(detector.riskFor('Turla')).toBe('safe');
    expect(detector.riskFor('TEMP.Zhenbao')).toBe('safe');
  });

  it('fires on capitals anywhere', () => {
    expect(found('ZINC is active')).toEqual(['ZINC -> Zinc Group']);
    expect(found('attributed to ZINC.')).toEqual(['ZINC -> Zinc Group']);
    expect(found('LEAD and HAFNIUM')).toEqual(['LEAD -> Lead Actor', 'HAFNIUM -> Zinc Group']);
    expect(found('IRON TIGER again').map((s) => s.split(' -> ')[0])).toEqual([
      'IRON TIGER',
      'IRON TIGER',
    ]);
  });

  it('fires on a capital inside a sentence', () => {
    expect(found('Microsoft attributes it to Zinc')).toEqual(['Zinc -> Zinc Group']);
    expect(found('the report blames Lead for it')).toEqual(['Lead -> Lead Actor']);
    expect(found('we think Hafnium did it')).toEqual(['Hafnium -> Zinc Group']);
    expect(found('mail from Fancy Bear')).toEqual(['Fancy Bear -> Sofacy']);
  });

  it('never fires on a lower-case word', () => {
    silent('lead analyst is out, zinc and iron prices, a safe bet');
    silent('the mask slipped; a panda at the zoo; a fancy bear costume');
    silent('snake wine and a lead pipe');
  });

  it('judges "the" and one word as that word: a phrase only when two words carry meaning', () => {
    const dukes = card(['Duke Group'], ['The Dukes']);
    const d = new Detector([dukes]);
    const names = (text: string) => d.detect(text).mentions.map((m) => text.slice(m.start, m.end));
    expect(names('the dukes of hazzard is on tonight')).toEqual([]);
    expect(names('a report on The Dukes this week')).toEqual(['The Dukes']);
    expect(d.riskFor('the dukes')).toBe('word');
  });

  it('fires on a rare word, or a phrase with one, in lower case', () => {
    expect(found('hafnium and sandworm and voodoo bear')).toEqual([
      'hafnium -> Zinc Group',
      'sandworm -> Sandworm Team',
      'voodoo bear -> Sandworm Team',
    ]);
  });

  it('does not fire on a capital that only starts a sentence', () => {
    silent('Lead analyst is out');
    silent('Done. Lead analyst is out. Safe to ignore! Mask on? Iron it.');
    silent('Zinc prices fell');
    silent('first line\nLead analyst is out');
    silent('- Lead analyst\n* Safe mode\n> Mask off\n1. Iron out');
    silent('"Lead the way," she said.');
    silent('<@U123> Lead is out');
    silent(':wave: Lead is out');
    silent('Note: Lead is out');
  });

  it('fires at a sentence start when the name has a second capital', () => {
    expect(found('Hammer Panda is back')).toEqual(['Hammer Panda -> NetTraveler']);
    expect(found('SideWinder strikes again')).toEqual(['SideWinder -> SideWinder']);
    expect(found('Sandworm Team strikes again')).toEqual(['Sandworm Team -> Sandworm Team']);
  });

  it('needs every capital the alias has, except for lower-case joining words', () => {
    silent('a Fancy bear and a fancy Bear');
    expect(found('meet the Guardians of Peace')).toEqual([
      'Guardians of Peace -> Guardians of Peace',
    ]);
    // A phrase with a rare word ("guardians": 68 in SUBTLEXus) fires in any case.
    expect(found('meet the guardians of peace')).toEqual([
      'guardians of peace -> Guardians of Peace',
    ]);
  });

  it('accepts a camel-case alias written as one capitalised word', () => {
    expect(found('seen Sidewinder again')).toEqual(['Sidewinder -> SideWinder']);
    expect(found('seen Side Winder again')).toEqual(['Side Winder -> SideWinder']);
    silent('a sidewinder rattlesnake');
  });

  it('needs capitals for short aliases the card writes in capitals', () => {
    expect(found('the CIA and QCF and BE2')).toEqual([
      'CIA -> Agency',
      'QCF -> Short Ones',
      'BE2 -> Short Ones',
    ]);
    silent('cia qcf be2 and Cia, Qcf, Be2');
  });

  it('fires on word-plus-number aliases joined in any case, spaced only as a name', () => {
    expect(found('seen group72 and group-72 and GROUP 72 and the Group 72 crew')).toEqual([
      'group72 -> Group Seventy',
      'group-72 -> Group Seventy',
      'GROUP 72 -> Group Seventy',
      'Group 72 -> Group Seventy',
    ]);
    silent('the group 72 hours ago was fine');
    silent('Group 72 hours ago we met');
    // "apt" numbers two aliases of these cards (APT 21, APT 28): an actor prefix.
    expect(found('apt 21 is lower case spaced')).toEqual(['apt 21 -> NetTraveler']);
    expect(found('and apt21 lower case joined')).toEqual(['apt21 -> NetTraveler']);
  });

  it('does not need capitals for safe aliases', () => {
    expect(found('sofacy and turla and temp.zhenbao')).toEqual([
      'sofacy -> Sofacy',
      'turla -> Turla',
      'temp.zhenbao -> NetTraveler',
    ]);
  });
});

describe('Detector: allow and deny lists', () => {
  it('allow makes a risky alias fire in any case', () => {
    const d = new Detector(ALL, { allow: ['panda', 'Sandworm'] });
    expect(found('a panda, sandworm and Panda', d)).toEqual([
      'panda -> Panda Crew',
      'sandworm -> Sandworm Team',
      'Panda -> Panda Crew',
    ]);
    expect(found('lead is still lower case', d)).toEqual([]);
  });

  it('deny makes an alias never fire (matched after normalization)', () => {
    const d = new Detector(ALL, { deny: ['turla', 'APT-21'] });
    expect(found('Turla and TURLA and APT 21 and Hammer Panda', d)).toEqual([
      'Hammer Panda -> NetTraveler',
    ]);
  });
});

describe('Detector: text that is not prose', () => {
  it('skips inline code, double-backtick code and code blocks', () => {
    silent('run `grep Sofacy` now');
    silent('``a ` Sofacy``');
    silent('```\nSofacy\nAPT21\n```');
    silent('```\nunclosed Sofacy');
    expect(found('`x` Sofacy `y`')).toEqual(['Sofacy -> Sofacy']);
    // A fence closed by a longer run (READMEs do it): the next block is still code, and the prose
    // between is prose. It used to run on and pair the later fences the wrong way round.
    const readme = '```bash\nnpm i\n````\nWritten by Turla.\n```js\nconst a = `\nSofacy\n`\n```\n';
    expect(found(readme)).toEqual(['Turla -> Turla']);
  });

  it('skips URLs, defanged URLs and www. hosts, but not a link label', () => {
    silent('see https://example.com/Sofacy/report and hxxps://apt21.example[.]com');
    silent('see hxxp[:]//sofacy.example and www.turla.example/x');
    expect(found('[Sofacy report](https://example.com/x)')).toEqual(['Sofacy -> Sofacy']);
    expect(found('<https://example.com/apt21|Turla report>')).toEqual(['Turla -> Turla']);
  });

  it('skips Slack and Discord mention tokens, handles and emoji codes', () => {
    silent('<@U024BE7LH|sofacy> <#C024BE7LR|turla> <!subteam^S123|@apt21> <!here>');
    silent('<@123456> <@!123456> <@&987> <#555> <:turla:123> <a:sofacy:456> </apt21 show:789>');
    silent('hey @sofacy and @turla.fan');
    silent(':sofacy: :turla_face: ::skin-tone-2:');
    expect(found('admin@338 is not a handle')).toEqual([]);
  });
});

describe('Detector: looser forms', () => {
  it('finds "Lapsus" for "Lapsus$" and the name without its parenthesis', () => {
    expect(found('the Lapsus$ gang and the Lapsus gang')).toEqual([
      'Lapsus$ -> Lapsus$',
      'Lapsus -> Lapsus$',
    ]);
    expect(found('by the Syrian Electronic Army (SEA) and the Syrian Electronic Army')).toEqual([
      'Syrian Electronic Army (SEA) -> Syrian Electronic Army',
      'Syrian Electronic Army -> Syrian Electronic Army',
    ]);
    expect(detector.detect('the Lapsus gang').mentions[0]?.alias).toBe('Lapsus$');
  });

  it('gives every card its own alias string and the actor its card', () => {
    const { mentions } = detector.detect('Abraham’s Ax, Zinc, Iron, Lead, Sandworm');
    expect(mentions.map((m) => m.entry)).toEqual([AXE, ZINC, IRON, LEAD, SANDWORM]);
    expect(mentions.map((m) => m.alias)).toEqual([
      "Abraham's Ax",
      'Zinc',
      'Iron',
      'Lead',
      'Sandworm',
    ]);
  });
});

describe('Detector: long texts', () => {
  it('finds in one long text exactly what it finds line by line (the text is scanned in parts)', () => {
    const lines: string[] = [];
    const names = [
      'Sofacy',
      'APT 21',
      'Hammer Panda',
      'ZINC',
      'TEMP.Zhenbao',
      'Iron Tiger',
      'Turla',
    ];
    for (let i = 0; i < 600; i++) {
      const name = names[i % names.length]!;
      const filler = 'x'.repeat(i % 13);
      lines.push(
        i % 3 === 0
          ? `${filler}, seen ${name}, again!`
          : `${filler} note: ${name}? and ${names[(i * 5) % names.length]}; ok ${'é'.repeat(i % 2)}`,
      );
    }
    expect(lines.join('\n').length).toBeGreaterThan(20_000);
    const { whole, byLine } = wholeAndByLine(detector, lines);
    expect(whole.length).toBeGreaterThan(1000);
    expect(whole).toEqual(byLine);
  });
});

describe('Detector: long texts are scanned in copied windows', () => {
  // Short texts are scanned from the string, long ones window by window from a copy and in
  // four parts at once: the results must not depend on where the windows and parts fall.
  it('finds names, and reads surrogate pairs, that straddle a window edge', () => {
    for (let shift = 0; shift < 8; shift++) {
      const first = 'a'.repeat(SCAN_WINDOW - 4 - shift);
      const lines = [first, 'Sofacy and 🐼 and APT 21, TEMP.Zhenbao', 'x'.repeat(3000), 'ZINC.'];
      const { whole, byLine } = wholeAndByLine(detector, lines);
      expect(whole.length, `shift ${shift}`).toBe(4);
      expect(whole, `shift ${shift}`).toEqual(byLine);
    }
    // A surrogate pair whose halves fall in two windows is one character, not two unknown
    // units: mathematical bold letters are letters (NFKC: "𝐀" is "A").
    const edge = `${'b '.repeat(SCAN_WINDOW / 2 - 1)} `;
    expect(edge.length).toBe(SCAN_WINDOW - 1);
    expect(found(`${edge}𝐀Sofacy`)).toEqual([]);
    const before = `${'b '.repeat(SCAN_WINDOW / 2 - 4)} `;
    expect(`${before}Sofacy`.length).toBe(SCAN_WINDOW - 1);
    expect(found(`${before}Sofacy𝐀`)).toEqual([]);
    expect(found(`${before}Sofacy🐼`)).toEqual(['Sofacy -> Sofacy']);
    expect(found(`${edge}𝐒𝐨𝐟𝐚𝐜𝐲 again`)).toEqual(['𝐒𝐨𝐟𝐚𝐜𝐲 -> Sofacy']);
    expect(found(`${edge} 𝐒𝐨𝐟𝐚𝐜𝐲 again`)).toEqual(['𝐒𝐨𝐟𝐚𝐜𝐲 -> Sofacy']);
  });

  it('finds in a long mixed text (emoji, accents, ignorables, ligatures) what it finds line by line', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const names = ['Sofacy', 'apt-21', 'Hammer Panda', 'HAFNIUM', 'Iron Tiger', 'Turla', 'Lapsus$'];
    const noise = ['word', 'é', '🐼', '\u200b', 'ﬁle', 'naïve', '«', '—', '`code`', 'x1', '日本'];
    noise.push('\ud800', '\udc00', '<@U1|Turla>', 'https://x.example/Sofacy');
    const lines: string[] = [];
    let size = 0;
    while (size < 3.5 * SCAN_WINDOW) {
      const parts: string[] = [];
      const count = 3 + rand(30);
      for (let i = 0; i < count; i++) {
        parts.push(rand(9) === 0 ? names[rand(names.length)]! : noise[rand(noise.length)]!);
      }
      const line = parts.join(rand(4) === 0 ? '' : ' ');
      lines.push(line);
      size += line.length + 1;
    }
    const { whole, byLine } = wholeAndByLine(detector, lines);
    expect(whole.length).toBeGreaterThan(200);
    expect(whole).toEqual(byLine);
  });
});

describe('Detector: many actors in one text', () => {
  it('lists each actor once, in order of first mention, with every alias form (past eight actors too)', () => {
    const text =
      'Sofacy, Turla, HAFNIUM, Rattlesnake, CIA, Lapsus$, Voodoo Bear, Group 72, ' +
      "Abraham's Ax, Emissary Kite, Wooden Kite, then Fancy Bear, Snake Wine, Turla and Sofacy again.";
    const { actors, mentions } = detector.detect(text);
    expect(actors.map((a) => `${a.name}: ${a.aliases.join(', ')}`)).toEqual([
      'Sofacy: Sofacy, Fancy Bear',
      'Turla: Turla, Snake Wine',
      'Zinc Group: HAFNIUM',
      'SideWinder: Rattlesnake',
      'Agency: CIA',
      'Lapsus$: Lapsus$',
      'Sandworm Team: Voodoo Bear',
      'Group Seventy: Group 72',
      "Abraham's Ax: Abraham's Ax",
      'Tiger A: Emissary Kite',
      'Tiger B: Wooden Kite',
    ]);
    expect(new Set(actors.map((a) => a.uuid)).size).toBe(actors.length);
    expect(mentions).toHaveLength(15);
    for (const a of actors) {
      expect(a.start).toBe(mentions.find((m) => m.uuid === a.uuid)!.start);
    }
  });
});

describe('Detector: building', () => {
  it('scans nothing for an empty catalog and survives odd aliases', () => {
    expect(found('Sofacy', new Detector([]))).toEqual([]);
    const odd = new Detector([...ALL]);
    expect(odd.keyCount).toBeGreaterThan(ALL.length);
    expect(found('')).toEqual([]);
    expect(found('   \n\t ')).toEqual([]);
  });

  it('is not confused by lone surrogates and ignorables around a name', () => {
    expect(found('\ud800 Sofacy \udc00')).toEqual(['Sofacy -> Sofacy']);
    expect(found('\u200bSofacy\u200b')).toEqual(['Sofacy -> Sofacy']);
  });

  it('keeps every card of the fixtures findable by each of its names', () => {
    for (const entry of [
      NETTRAVELER,
      PANDA,
      CIA,
      GROUP72,
      SIDEWINDER,
      SOFACY,
      LAPSUS,
      SEA,
      TURLA,
    ]) {
      for (const alias of entry.card.aliases) {
        const text = `we saw ${alias.name.toUpperCase()} again`;
        expect(
          detector.detect(text).mentions.some((m) => m.entry === entry),
          alias.name,
        ).toBe(true);
      }
    }
  });
});

describe('Detector: names turned down as written (for a mention to say so)', () => {
  const declined = (text: string) => detector.declined(text).map((d) => `${d.written}: ${d.names}`);

  it('lists a lower-case English word that is an actor name, once, with its actors', () => {
    expect(found('we saw turla and panda in the logs')).toEqual(['turla -> Turla']);
    expect(declined('we saw turla and panda in the logs, panda again')).toEqual([
      'panda: Panda Crew',
    ]);
    expect(declined('rattlesnake and iron')).toEqual([
      'rattlesnake: SideWinder',
      'iron: Iron Group',
    ]);
  });

  it('leaves out what was taken, what is not prose, short names and everyday words', () => {
    expect(declined('saw Panda Crew and Turla')).toEqual([]); // taken
    expect(declined('the `panda` build and https://panda.example/x')).toEqual([]); // code, URL
    expect(declined('we saw be2 and qcf')).toEqual([]); // three characters or fewer
    // English uses these 1,000 times or more (SUBTLEXus): "any lead on this?" is no news.
    expect(declined('any lead on this? the mask and the safe')).toEqual([]);
    expect(declined('no names here at all')).toEqual([]);
  });
});
