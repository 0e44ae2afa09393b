/**
 * A labelled set of chat messages for the enrichment scanner (issue 14), generated from a
 * catalog's names and the SUBTLEXus counts, deterministic. Used by test/detect/labelled.test.ts
 * (precision and recall over the ETDA corpus) and printed by `npm run bench -- detect`.
 *
 * Labels are what a reader would say, not what the detector does:
 *  - positive: a message naming one actor by one of its names, written as analysts write
 *    ("keyboy", "temp.hippo", "apt 28", "Sandworm is back", "fancy bear"): it must find that
 *    name's card(s) at that place. One message per name of the catalog, in a style drawn at
 *    random among those that apply to it (so common-word names in lower case are in the set,
 *    and counted as misses when the policy keeps them quiet);
 *  - negative: ordinary chat that names no actor: hand-written sentences that use the catalog's
 *    English-word names as words ("lead the review", "a solar storm", "group 72 hours ago"),
 *    and chat-like lines of English words drawn by their SUBTLEXus counts.
 */
import { allNames, type LoadedCard } from '../src/cards/model.js';
import type { Detector } from '../src/detect/detector.js';
import { explain } from '../src/detect/explain.js';
import type { WordFrequencies } from '../src/detect/frequency.js';
import { shapeOf } from '../src/detect/shape.js';
import type { WordList } from '../src/detect/words.js';
import { rng } from './util.js';

export type Style =
  | 'as the card writes it'
  | 'lower case'
  | 'joined, lower case'
  | 'dotted, lower case'
  | 'number spaced, lower case'
  | 'sentence-initial capital'
  | 'quoted'
  | 'in capitals';

export interface Labelled {
  text: string;
  /** For a positive: where the name is and which cards it names. */
  name?: { start: number; end: number; uuids: ReadonlySet<string>; style: Style };
  /** For a negative: where it comes from. */
  source?: 'ordinary use of a name' | 'generated English';
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Mid-sentence templates ({} is the name), as people write in an incident channel. */
const INSIDE = [
  'attribution so far: {}',
  'we saw {} again',
  'anyone seen {} activity this week?',
  'can someone pull up the card for {}?',
  'looks like {} to me, same loader',
  'the vendor ties this to {} infra',
  'iocs overlap with {} from last month',
  'is this {} or something new?',
  'ok so {} is back on the vpn boxes',
  'pretty sure it was {}, the c2 matches',
  'fwiw {} used the same dropper in 2021',
  'any overlap with {}?',
];
/** Templates that start with the name. */
const STARTING = [
  '{} is back',
  '{} again, same phishing lure',
  '{}? pretty sure, the tooling matches',
  '{} hit two of our clients last night',
];

/**
 * Ordinary uses of the catalog's English-word names: every single-word name that is a common
 * word in the list and the DESIGN file, and every multi-word name that is also an
 * English phrase ("solar storm", "pink panther", "golden jackal"), found by reading the list of
 * ETDA names; plus numbers after words that prefix actor numbers.
 */
export const ORDINARY = [
  'can you lead the review tomorrow?',
  'Lead analyst is out today',
  'is it safe to reboot the jump host?',
  'Safe to close this ticket?',
  'tick the box in the form and submit',
  'Tick tock, the sla ends at noon',
  'we need to iron out the rollout plan',
  'Iron and steel prices are up again',
  'mask the api token in the logs please',
  'Mask off: the pentest found nothing',
  'charming as always, the change board',
  'the silence after the outage was loud',
  'Silence the pager for the maintenance window',
  'zinc oxide is in the sunscreen',
  'the mercury was at 40 degrees in the dc',
  'a patchwork of bash scripts runs the backups',
  'saw a panda at the zoo on the weekend',
  'the oxygen sensor in the server room tripped',
  'nickel and dime pricing from the vendor again',
  'platinum support costs extra',
  'we went around in circles on the design',
  'the summit is in march',
  'the navigator app crashed on my phone',
  'grim reaper costume for the party',
  'bitter coffee in the office today',
  'a butterfly landed on my keyboard',
  'an avalanche of alerts after the patch',
  'the neon sign in the lobby is broken',
  'calcium and potassium levels were normal',
  'the hermit crab tank needs cleaning',
  'monsoon season delays the shipment',
  'a mantis on the window again',
  'my kid has a dragonfly costume',
  'nitro cold brew in the kitchen',
  'the superman movie was long',
  'took a siesta after the night shift',
  'put on the mask before entering the lab',
  'I have red eyes from staring at logs',
  'a dust storm closed the airport',
  'a solar storm could knock out gps',
  'the creek is muddy water after the rain',
  'we watched the pink panther last night',
  'a lotus blossom on the cover of the report',
  'cloud atlas is a long film',
  'a golden jackal was filmed near the lake',
  'the common raven is a big bird',
  'a wolf spider in the garage',
  'saw a sea turtle while diving',
  'the big bang theory reruns',
  'the evil eye charm on her desk',
  'a lucky cat figurine at the reception',
  'we read animal farm at school',
  'the cold river was freezing',
  'what an ugly face that mascot has',
  'dark pink slides, please change the theme',
  'a rotten tomato in the fridge',
  'space pirates board game night',
  'the shadow network of the old office',
  'double dragon on the arcade machine',
  'deputy dog cartoon reruns',
  'the hacking team at the ctf won',
  'the ups team dropped off the servers',
  'she joined a grief group after the loss',
  'the group 72 hours ago decided to wait',
  'storm 2 is due on friday',
  'tag 22 is merged into main',
  'team 8 is on call this week',
  'version 2.0 of the tool is out',
  'elephant beetle photos from the trip',
  'a sphinx moth at the porch light',
  'big panda plush for the raffle',
];

/**
 * Chat-like lines of English: words drawn by their SUBTLEXus counts (a word used a thousand
 * times as often is drawn a thousand times as often), lower case, a capital to start each
 * sentence; dictionary words only, since a proper noun in real English is written with its
 * capital and a name of the catalog written so is a name. Endless: take as many as needed.
 */
export function* englishLineStream(
  frequencies: WordFrequencies,
  words: WordList,
  seed: number,
): Generator<string, never> {
  const r = rng(seed);
  const list: string[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [w, n] of frequencies.entries()) {
    if (!words.has(w)) continue;
    total += n;
    list.push(w);
    cumulative.push(total);
  }
  const draw = () => {
    const x = r() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return list[lo]!;
  };
  for (;;) {
    const n = 4 + Math.floor(r() * 20);
    const ws: string[] = [];
    let start = true;
    for (let i = 0; i < n; i++) {
      let w = draw();
      if (start) w = capital(w);
      start = false;
      if (i < n - 1 && r() < 0.08) {
        w += pick(r, ['.', '?', '!']);
        start = true;
      }
      ws.push(w);
    }
    yield ws.join(' ');
  }
}

/** The first `count` lines of `englishLineStream`. */
export function englishLines(
  frequencies: WordFrequencies,
  words: WordList,
  count: number,
  seed: number,
): string[] {
  const out: string[] = [];
  const lines = englishLineStream(frequencies, words, seed);
  for (let m = 0; m < count; m++) out.push(lines.next().value);
  return out;
}

/** The styles that apply to a name, each with the name written in it. */
function stylesOf(name: string): [Style, string][] {
  const lower = name.toLowerCase();
  const shape = shapeOf(name);
  const out: [Style, string][] = [
    ['as the card writes it', name],
    ['lower case', lower],
    ['sentence-initial capital', capital(lower)],
    ['quoted', `"${name}"`],
    ['in capitals', name.toUpperCase()],
  ];
  // Joined: what people type for a camel-case or spaced name ("keyboy", "fancybear").
  if (shape.breaks.length > 0 && /^[\p{L}\p{N} ._-]+$/u.test(name)) {
    out.push(['joined, lower case', lower.replace(/[ ._-]+/g, '')]);
  }
  if (/[._-]/.test(name) && !/\s/.test(name)) out.push(['dotted, lower case', lower]);
  // "apt 28" for APT28, "ta 505" for TA505.
  const spaced = lower.replace(/^([a-z]+)[-.]?(\d+)$/, '$1 $2');
  if (spaced !== lower || /^[a-z]+ \d+$/.test(lower)) {
    out.push(['number spaced, lower case', spaced]);
  }
  return out;
}

/** The labelled set for a catalog: one positive per name, the ordinary sentences, English. */
export function labelledSet(
  cards: readonly LoadedCard[],
  frequencies: WordFrequencies,
  words: WordList,
  seed = 14,
): Labelled[] {
  const r = rng(seed);
  const owners = new Map<string, Set<string>>();
  const key = (name: string) => shapeOf(name).chars.join('');
  for (const e of cards) {
    for (const n of allNames(e.card)) {
      const k = key(n);
      owners.set(k, (owners.get(k) ?? new Set()).add(e.card.uuid));
    }
  }
  const out: Labelled[] = [];
  const seen = new Set<string>();
  for (const e of cards) {
    for (const n of allNames(e.card)) {
      if (seen.has(n)) continue;
      seen.add(n);
      const [style, written] = pick(r, stylesOf(n));
      const template = style === 'sentence-initial capital' ? pick(r, STARTING) : pick(r, INSIDE);
      const at = template.indexOf('{}');
      const text = template.replace('{}', written);
      const quote = style === 'quoted' ? 1 : 0;
      const uuids = owners.get(key(n))!;
      out.push({
        text,
        name: { start: at + quote, end: at + written.length - quote, uuids, style },
      });
    }
  }
  for (const text of ORDINARY) out.push({ text, source: 'ordinary use of a name' });
  for (const text of englishLines(frequencies, words, 600, seed + 1)) {
    out.push({ text, source: 'generated English' });
  }
  return out;
}

export interface Score {
  positives: number;
  negatives: number;
  truePositives: number;
  falsePositives: number;
  precision: number;
  recall: number;
  /** Positives found / all, by style. */
  byStyle: Map<Style, { found: number; all: number }>;
  misses: string[];
  falseAlarms: string[];
  /** The same, as places: for `verdicts`. */
  missed: Place[];
  alarms: Place[];
}

/** A place in a labelled message. */
export interface Place {
  text: string;
  start: number;
  end: number;
  /** For a miss: its style. */
  style?: Style;
}

/** Precision and recall of a detector on a labelled set. */
export function score(detector: Detector, set: readonly Labelled[]): Score {
  let truePositives = 0;
  let falsePositives = 0;
  let positives = 0;
  const byStyle = new Map<Style, { found: number; all: number }>();
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  const missed: Place[] = [];
  const alarms: Place[] = [];
  for (const item of set) {
    const { mentions } = detector.detect(item.text);
    const places = new Map<string, Set<string>>();
    for (const m of mentions) {
      const k = `${m.start}:${m.end}`;
      places.set(k, (places.get(k) ?? new Set()).add(m.uuid));
    }
    const name = item.name;
    let hit: string | undefined;
    if (name) {
      positives++;
      const s = byStyle.get(name.style) ?? { found: 0, all: 0 };
      byStyle.set(name.style, s);
      s.all++;
      const k = `${name.start}:${name.end}`;
      const got = places.get(k);
      if (got && [...name.uuids].every((u) => got.has(u))) {
        hit = k;
        truePositives++;
        s.found++;
      } else {
        misses.push(`${item.text}  [${name.style}]`);
        missed.push({ text: item.text, start: name.start, end: name.end, style: name.style });
      }
    }
    for (const k of places.keys()) {
      if (k === hit) continue;
      falsePositives++;
      const [a, b] = k.split(':').map(Number);
      falseAlarms.push(`"${item.text.slice(a, b)}" in: ${item.text}`);
      alarms.push({ text: item.text, start: a!, end: b! });
    }
  }
  return {
    positives,
    negatives: set.length - positives,
    truePositives,
    falsePositives,
    precision: truePositives / Math.max(1, truePositives + falsePositives),
    recall: truePositives / Math.max(1, positives),
    byStyle,
    misses,
    falseAlarms,
    missed,
    alarms,
  };
}

/**
 * The places grouped by the detector's verdict on them (`aptcard detect --explain`): its risk
 * class and why it did or did not fire ("word: it is in lower case"), largest group first.
 */
export function verdicts(detector: Detector, places: readonly Place[]): [string, Place[]][] {
  const groups = new Map<string, Place[]>();
  for (const p of places) {
    const e = explain(detector, p.text).find((x) => x.start === p.start && x.end === p.end);
    // "a common English word ("tick" 370 in SUBTLEXus): fires only ..., and it is in lower case"
    // -> "word, a common English word: it is in lower case"
    const key = e
      ? `${e.risk}, ${e.why.split(' (')[0]}: ${e.why.replace(/^.*(?:, and |\): )/, '')}`
      : 'no candidate name there';
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length);
}
