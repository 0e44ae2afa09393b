import { normalizeChar } from '../search/normalize.js';
import { isSeparatorChar } from './alphabet.js';
import { type Detector, sentenceStart } from './detector.js';
import { Exclusions } from './exclude.js';
import { FIRES_IN_ANY_CASE, type Risk, type WrittenWord, writtenAsName } from './risk.js';

/** Why a candidate name in a message fired or not (`aptcard detect --explain`). */
export interface Explained {
  /** The text as the message wrote it, and where. */
  written: string;
  start: number;
  end: number;
  /** The alias as the card writes it, and the cards that have it. */
  alias: string;
  cards: string[];
  risk: Risk;
  words: WrittenWord[];
  /** How it was written: "lower case, joined", "capitalised at a sentence start, spaced". */
  how: string;
  fired: boolean;
  why: string;
}

const RISK_WHY: Record<Risk, string> = {
  safe: 'not an English word',
  rare: 'a rare English word',
  prefixed: 'a number after an actor prefix',
  number: 'a number after a common English word',
  word: 'a common English word',
  short: 'three characters or fewer',
};

/** Bit p: whitespace written before the p-th compact character (as `writtenAsName` reads it). */
function spacesOf(written: string): number {
  let spaces = 0;
  let pos = 0;
  let space = false;
  for (const orig of written) {
    for (const ch of normalizeChar(orig)) {
      if (isSeparatorChar(ch)) {
        if (/\s/u.test(ch)) space = true;
        continue;
      }
      if (space && pos < 31) spaces |= 1 << pos;
      space = false;
      pos++;
    }
  }
  return spaces;
}

function caseOf(written: string): string {
  const letters = [...written].filter((c) => c.toLowerCase() !== c.toUpperCase());
  const upper = letters.filter((c) => c !== c.toLowerCase()).length;
  if (upper === 0) return 'lower case';
  if (upper === letters.length) return 'in capitals';
  const first = letters[0]!;
  return upper === 1 && first !== first.toLowerCase() ? 'capitalised' : 'mixed case';
}

function joinOf(written: string, parts: number): string {
  if (/\s/u.test(written)) return 'spaced';
  if (/[-._\p{Pd}]/u.test(written)) return 'dotted or dashed';
  return parts > 1 ? 'joined' : 'one word';
}

function riskWhy(risk: Risk, words: readonly WrittenWord[]): string {
  if (words.length < 2) return RISK_WHY[risk];
  if (risk === 'word') return 'common English words';
  if (risk === 'rare') return 'English words, one of them rare';
  return RISK_WHY[risk];
}

function describeWords(words: readonly WrittenWord[]): string {
  return words
    .map((w) =>
      w.kind === 'word'
        ? `"${w.text}" ${w.count} in SUBTLEXus`
        : `"${w.text}" ${w.kind === 'number' ? 'a number' : 'no English word'}`,
    )
    .join(', ');
}

/** Each candidate name in `text`, with its risk class, how it was written, and the verdict. */
export function explain(detector: Detector, text: string): Explained[] {
  const excluded = new Exclusions(text);
  const atStart = (start: number) => sentenceStart(text, start, excluded);
  const fired = detector.detect(text).mentions;
  const out: Explained[] = [];
  const seen = new Set<string>();
  for (const { key, start, end } of detector.scanAll(text)) {
    const place = `${start}:${end}:${key.chars.join('')}`;
    if (seen.has(place)) continue;
    seen.add(place);
    const written = text.slice(start, end);
    const { risk, words, prefix } = key.verdict(spacesOf(written));
    const initial = atStart(start);
    const how = `${caseOf(written)}${initial ? ' at a sentence start' : ''}, ${joinOf(written, key.breaks.size + 1)}`;
    const asName = writtenAsName(text, start, end, key, atStart);
    const here = fired.some((m) => m.start === start && m.end === end);
    let why: string;
    if (key.allowed) why = 'in ENRICH_ALLOW: fires in any case';
    else if (/\.\s/u.test(written) && !key.forms.some((f) => f.dotSpace)) {
      why = 'a dot and then a space inside it: the end of a sentence, not one name';
    } else if (FIRES_IN_ANY_CASE[risk]) {
      why = `${riskWhy(risk, words)}${prefix ? ` ("${prefix}")` : ''} (${describeWords(words)}): fires in any case`;
    } else {
      why = `${riskWhy(risk, words)} (${describeWords(words)}): fires only written as a name`;
      if (!asName) {
        const c = caseOf(written);
        why +=
          c === 'lower case'
            ? ', and it is in lower case'
            : c === 'capitalised' && initial
              ? ', and its only capital starts a sentence'
              : `, and it is not written with the card's capitals`;
      }
    }
    if (asName && !here) {
      if (excluded.covers(start, end))
        why += '; but it is inside code, a URL, a mention or an emoji code';
      else {
        const longer = fired.find((m) => m.start < end && start < m.end);
        why += longer
          ? `; but it is inside the longer name "${text.slice(longer.start, longer.end)}"`
          : '; but a longer name overlaps it';
      }
    }
    out.push({
      written,
      start,
      end,
      alias: key.owners[0]?.alias ?? key.chars.join(''),
      cards: [...new Set(key.owners.map((o) => o.name))],
      risk: key.allowed ? 'safe' : risk,
      words,
      how,
      fired: here,
      why,
    });
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}
