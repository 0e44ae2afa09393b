import { allNames, displayName, type LoadedCard } from '../cards/model.js';
import type { DeclinedName } from '../core/types.js';
import { Alphabet } from './alphabet.js';
import { Automaton } from './automaton.js';
import { Exclusions } from './exclude.js';
import { englishFrequencies } from './frequency.js';
import {
  type CountLookup,
  DEFAULT_THRESHOLDS,
  type English,
  FIRES_IN_ANY_CASE,
  type FormCase,
  type NameRule,
  PHRASE_COMMON_COUNT,
  type Risk,
  type RiskVerdict,
  riskOfWritten,
  type Thresholds,
  type WordLookup,
  writtenAsName,
} from './risk.js';
import { buildScannerTables } from './scanner-build.js';
import { allOf, type KeyData, keyData, type ScannerTables, textAt } from './scanner-tables.js';
import { shapeOf } from './shape.js';
import { englishWords } from './words.js';

export interface DetectorOptions {
  /** Aliases that always fire, even when they are English words (matched after normalization). */
  allow?: readonly string[];
  /** Aliases that never fire. */
  deny?: readonly string[];
  /** How many automaton states get a dense row (automaton.ts's DENSE_STATES; tests make it small). */
  denseStates?: number;
  /** The English word list (tests pass a small one); default: the word-list package. */
  words?: WordLookup;
  /** English word counts (tests pass a small one); default: SUBTLEXus (frequency.ts). */
  frequencies?: CountLookup;
  /** Where rare ends (the bench measures others); default: risk.ts's choice. */
  thresholds?: Thresholds;
}

/** One place in a message where an alias of a card was found. */
export interface Mention {
  entry: LoadedCard;
  uuid: string;
  /** The card's display name. */
  name: string;
  /** The alias as the card writes it ("APT 21"), whatever the message wrote ("apt-21"). */
  alias: string;
  /** UTF-16 offsets in the message: text.slice(start, end) is what was written. */
  start: number;
  end: number;
}

/** A card named in a message, once, with every alias form that named it, in order. */
export interface DetectedActor {
  entry: LoadedCard;
  uuid: string;
  name: string;
  aliases: string[];
  /** Offset of its first mention. */
  start: number;
}

export interface Detection {
  /** Every mention, by offset; a shared alias gives one mention per card that has it. */
  mentions: Mention[];
  /** Each card once, in order of first mention. */
  actors: DetectedActor[];
}

/**
 * Are several cards named by one name alone, which they share ("who is Iron Tiger?", maybe
 * written twice)? `text`: the detected text.
 */
export function oneSharedName({ mentions, actors }: Detection, text: string): boolean {
  if (actors.length < 2) return false;
  const written = new Set(mentions.map((m) => text.slice(m.start, m.end).toLowerCase()));
  return written.size === 1;
}

/** A key's actor: looked up in the catalog only when a message names it. */
class Owner {
  constructor(
    private readonly entryAt: (actor: number) => LoadedCard,
    readonly actor: number,
    readonly alias: string,
    /** The card's uuid and display name, as the tables hold them. */
    readonly uuid: string,
    readonly name: string,
  ) {}

  get entry(): LoadedCard {
    return this.entryAt(this.actor);
  }
}

/** Everything written the same way after normalization ("APT 21", "APT21"): one key. */
class Key implements KeyView {
  readonly chars: string[];
  readonly breaks: ReadonlySet<number>;
  readonly forms: readonly FormCase[];
  readonly owners: readonly Owner[];
  /** In ENRICH_ALLOW: fires however written. */
  readonly allowed: boolean;
  /**
   * Known to fire however written (allowed, or a name with no breaks once judged). Judged on
   * the first hit, not at build: judging every written form of 1,300 names costs more than
   * the build's 30 ms.
   */
  always = false;
  /** The risk when written with no whitespace (the usual case, kept out of the map). */
  private joined: Risk | undefined;
  private readonly bySpaces = new Map<number, Risk>();

  constructor(
    data: KeyData,
    owners: Owner[],
    private readonly judge: (chars: readonly string[], spaces: readonly number[]) => RiskVerdict,
  ) {
    this.chars = data.chars;
    this.breaks = new Set(data.breaks);
    this.forms = data.forms;
    this.owners = owners;
    this.allowed = data.allowed;
    this.always = data.allowed;
  }

  riskAt(spaces: number): Risk {
    if (this.allowed) return 'safe';
    if (spaces === 0) {
      if (this.joined === undefined) {
        this.joined = this.verdict(0).risk;
        // One way to write it, and it fires: later hits skip the casing walk.
        if (this.breaks.size === 0 && FIRES_IN_ANY_CASE[this.joined]) this.always = true;
      }
      return this.joined;
    }
    let risk = this.bySpaces.get(spaces);
    if (risk === undefined) {
      risk = this.verdict(spaces).risk;
      this.bySpaces.set(spaces, risk);
    }
    return risk;
  }

  /** The whole judgement (for --explain): each written word, its kind and count. */
  verdict(spaces: number): RiskVerdict {
    const at: number[] = [];
    for (let p = 1; p < 31 && p < this.chars.length; p++) if (spaces & (1 << p)) at.push(p);
    return this.judge(this.chars, at);
  }
}

/** A key matched at text[start, end), before the casing, exclusion and overlap rules. */
export interface RawHit {
  key: KeyView;
  start: number;
  end: number;
}

/** What --explain reads of a key. */
export interface KeyView extends NameRule {
  readonly chars: readonly string[];
  /** Where a separator may be written or left out. */
  readonly breaks: ReadonlySet<number>;
  readonly owners: readonly { alias: string; name: string; uuid: string }[];
  readonly allowed: boolean;
  verdict(spaces: number): RiskVerdict;
}

interface Candidate {
  key: number;
  start: number;
  end: number;
}

/** Up to this many actors, `resolve` finds an actor by a linear search instead of a Map. */
const LINEAR_ACTORS = 8;
/** Characters skipped when looking back for the start of a sentence. */
const OPENERS = new Set([...'([{"\'“‘«*_~>#-–—•·¿¡']);
const TERMINATORS = new Set([...'.!?…:。！？']);
/**
 * Finds the actors named in a chat message: every alias (and title name) of every card, in one
 * pass of an automaton over the message, with the precision rules of automatic enrichment:
 * whole words only, longest match wins, risky aliases only when written as a name, nothing
 * inside code, URLs, mention tokens or emoji codes. Immutable; build a new one per catalog.
 */
export class Detector {
  readonly automaton: Automaton;
  /** Milliseconds the build took (word lookups, trie, automaton), or the wrap of built tables. */
  readonly buildMs: number;
  /** The tables this detector reads (scanner-tables.ts): to save or send elsewhere. */
  readonly tables: ScannerTables;
  /** Made from the tables on first use: a warm start or a swap wraps them without a loop. */
  private readonly keys: (Key | undefined)[];
  private readonly entryAt: (actor: number) => LoadedCard;
  private readonly judge: (chars: readonly string[], spaces: readonly number[]) => RiskVerdict;
  /** Scratch for `scan`; replaced (not truncated) after a message that filled it. */
  private hits: number[] = [];
  /** Key number by its compact text (for riskFor), made on first use. */
  private byText: Map<string, number> | undefined;
  /** This catalog's actor prefixes ("apt", "ta", "fin"): a spaced number after one is a name. */
  readonly prefixes: ReadonlySet<string>;

  /**
   * `cards`: build for these cards. Or the tables of a scanner built before (the cache, the
   * scanner worker) and the catalog's actor at each place they name (`entryAt`); `options`
   * then only gives the English lists, which judge risks on first use.
   */
  constructor(
    cards:
      | readonly LoadedCard[]
      | { tables: ScannerTables; entryAt: (actor: number) => LoadedCard },
    options: DetectorOptions = {},
  ) {
    const t0 = performance.now();
    const english: English = {
      words: options.words ?? englishWords(),
      frequencies: options.frequencies ?? englishFrequencies(),
      thresholds: options.thresholds ?? DEFAULT_THRESHOLDS,
    };
    let tables: ScannerTables;
    if (isCardList(cards)) {
      const sources = cards.map((entry) => ({
        uuid: entry.card.uuid,
        name: displayName(entry.card),
        names: allNames(entry.card),
      }));
      tables = buildScannerTables(sources, options, english);
      this.entryAt = (actor) => cards[actor]!;
    } else {
      tables = cards.tables;
      this.entryAt = cards.entryAt;
    }
    this.tables = tables;
    const prefixes = new Set(allOf(tables.prefixes));
    this.prefixes = prefixes;
    this.judge = (chars, spaces) => riskOfWritten(chars, spaces, english, prefixes);
    this.keys = new Array<Key | undefined>(tables.infoAt.length - 1);
    const alphabet = new Alphabet(allOf(tables.alphabet));
    this.automaton = new Automaton(alphabet, tables.automaton);
    this.buildMs = performance.now() - t0;
  }

  /** Key `id`, made from the tables the first time it is hit. */
  private key(id: number): Key {
    let key = this.keys[id];
    if (!key) {
      const { tables } = this;
      const data = keyData(tables, id);
      const owners = data.owners.map(
        (o) =>
          new Owner(
            this.entryAt,
            o.actor,
            o.alias,
            textAt(tables.uuids, o.actor),
            textAt(tables.names, o.actor),
          ),
      );
      key = new Key(data, owners, this.judge);
      this.keys[id] = key;
    }
    return key;
  }

  /** Number of distinct alias keys scanned for. */
  get keyCount(): number {
    return this.keys.length;
  }

  private keyNumber(text: string): number | undefined {
    if (!this.byText) this.byText = new Map(allOf(this.tables.keys).map((t, id) => [t, id]));
    return this.byText.get(text);
  }

  /**
   * The risk class of a written form ("APT 21", "apt21", "fancy bear"), as this detector judges
   * it: from its whitespace, whatever its case (undefined: no alias is written so).
   */
  riskFor(written: string): Risk | undefined {
    const shape = shapeOf(written);
    const id = this.keyNumber(shape.chars.join(''));
    if (id === undefined) return undefined;
    let spaces = 0;
    for (const p of shape.spaces) if (p < 31) spaces |= 1 << p;
    return this.key(id).riskAt(spaces);
  }

  /**
   * Every place the automaton matched a key, whether or not it fires (longest key first at one
   * end): what `aptcard detect --explain` reports on. Not the scanning path.
   */
  scanAll(text: string): RawHit[] {
    const hits: number[] = [];
    this.automaton.scan(text, hits);
    const out: RawHit[] = [];
    for (let h = 0; h < hits.length; h += 2) {
      const end = hits[h + 1]!;
      for (const id of this.automaton.keysAt(hits[h]!)) {
        const key = this.key(id);
        out.push({ key, start: this.automaton.startOf(text, end, key.chars.length), end });
      }
    }
    return out;
  }

  detect(text: string): Detection {
    const hits = this.hits;
    this.automaton.scan(text, hits);
    if (hits.length === 0) return { mentions: [], actors: [] };
    // A new empty array costs less than truncating this one (a builtin call).
    this.hits = [];
    const candidates = this.candidates(text, hits);
    if (candidates.length === 0) return { mentions: [], actors: [] };
    return this.resolve(candidates);
  }

  /**
   * The hits that are whole, written as a name, and in prose. The keys ending at one place
   * come longest first; once one is taken, the shorter ones there are inside it ("Panda" in
   * "Hammer Panda") and are not looked at.
   */
  private candidates(text: string, hits: readonly number[]): Candidate[] {
    const excluded = new Exclusions(text);
    const atSentenceStart = (start: number) => sentenceStart(text, start, excluded);
    const candidates: Candidate[] = [];
    for (let h = 0; h < hits.length; h += 2) {
      const end = hits[h + 1]!;
      for (const id of this.automaton.keysAt(hits[h]!)) {
        const key = this.key(id);
        const start = this.automaton.startOf(text, end, key.chars.length);
        // Casing first: it turns down most hits (a lower-case "lead") without looking around.
        if (!writtenAsName(text, start, end, key, atSentenceStart)) continue;
        if (excluded.covers(start, end)) continue;
        candidates.push({ key: id, start, end });
        break;
      }
    }
    return candidates;
  }

  /**
   * The names the casing rule turned down in `text`: a lower-case "lazarus", an English word as
   * well as an actor's name, outside code, URLs and the names taken. For the reply to a mention
   * to say it did not look them up, where enrichment says nothing. Left out: names of three
   * characters or fewer ("be2"), and words English uses too often for the line to be news
   * (SUBTLEXus counts "lead" 4,246 times: said of every "any lead on this?").
   */
  declined(text: string): DeclinedName[] {
    const hits: number[] = [];
    this.automaton.scan(text, hits);
    if (hits.length === 0) return [];
    const taken = longestWins(this.candidates(text, hits));
    const excluded = new Exclusions(text);
    const atSentenceStart = (start: number) => sentenceStart(text, start, excluded);
    const out = new Map<string, DeclinedName>();
    for (let h = 0; h < hits.length; h += 2) {
      const end = hits[h + 1]!;
      for (const id of this.automaton.keysAt(hits[h]!)) {
        const key = this.key(id);
        const start = this.automaton.startOf(text, end, key.chars.length);
        if (key.chars.length <= 3 || key.always || !rarelyEnglish(key)) continue;
        if (writtenAsName(text, start, end, key, atSentenceStart)) continue;
        if (taken.some((c) => c.start < end && start < c.end) || excluded.covers(start, end))
          continue;
        const written = text.slice(start, end);
        const names = [...new Set(key.owners.map((o) => o.name))];
        if (!out.has(written.toLowerCase())) out.set(written.toLowerCase(), { written, names });
        break;
      }
    }
    return [...out.values()];
  }

  /** Longest match wins; each card once, with every alias form that named it. */
  private resolve(candidates: Candidate[]): Detection {
    const kept = longestWins(candidates);
    const mentions: Mention[] = [];
    const actors: DetectedActor[] = [];
    // A message names a few actors: look them up in `actors` until there are many.
    let byUuid: Map<string, DetectedActor> | undefined;
    for (const c of kept) {
      for (const { entry, alias, uuid, name } of this.key(c.key).owners) {
        mentions.push({ entry, uuid, name, alias, start: c.start, end: c.end });
        let actor: DetectedActor | undefined;
        if (byUuid) actor = byUuid.get(uuid);
        else {
          for (let k = 0; k < actors.length; k++) {
            if (actors[k]!.uuid === uuid) {
              actor = actors[k];
              break;
            }
          }
        }
        if (!actor) {
          const first = { entry, uuid, name, aliases: [alias], start: c.start };
          actors.push(first);
          if (byUuid) byUuid.set(uuid, first);
          else if (actors.length > LINEAR_ACTORS) byUuid = new Map(actors.map((a) => [a.uuid, a]));
        } else if (!actor.aliases.includes(alias)) actor.aliases.push(alias);
      }
    }
    return { mentions, actors };
  }
}

/** Written spaced ("cold river"), is the key's rarest English word counted < PHRASE_COMMON_COUNT times? */
function rarelyEnglish(key: Key): boolean {
  let spaces = 0;
  for (const p of key.breaks) if (p < 31) spaces |= 1 << p;
  const counts = key.verdict(spaces).words.flatMap((w) => (w.kind === 'word' ? [w.count] : []));
  return counts.length > 0 && Math.min(...counts) < PHRASE_COMMON_COUNT;
}

/**
 * Of overlapping candidates the longest wins (then the leftmost); the result is in text order.
 * Candidates are grouped into runs that overlap each other, so a long text costs n log n.
 */
function longestWins(candidates: Candidate[]): Candidate[] {
  if (candidates.length < 2) return candidates;
  if (candidates.length === 2) return longerOfTwo(candidates[0]!, candidates[1]!);
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Candidate[] = [];
  for (let i = 0; i < candidates.length; ) {
    let j = i + 1;
    let reach = candidates[i]!.end;
    while (j < candidates.length && candidates[j]!.start < reach) {
      reach = Math.max(reach, candidates[j]!.end);
      j++;
    }
    if (j === i + 1) kept.push(candidates[i]!);
    else {
      const group = candidates
        .slice(i, j)
        .sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
      const chosen: Candidate[] = [];
      for (const c of group) {
        if (!chosen.some((k) => k.start < c.end && c.start < k.end)) chosen.push(c);
      }
      kept.push(...chosen.sort((a, b) => a.start - b.start));
    }
    i = j;
  }
  return kept;
}

/** `longestWins` for two candidates, the usual case ("Spicy Panda" and its "Panda"). */
function longerOfTwo(a: Candidate, b: Candidate): Candidate[] {
  if (a.start > b.start || (a.start === b.start && a.end < b.end)) [a, b] = [b, a];
  if (b.start >= a.end) return [a, b];
  return b.end - b.start > a.end - a.start ? [b] : [a];
}

/**
 * Does the text at `start` begin a sentence? Looking back past spaces, opening quotes and
 * brackets, list bullets and excluded tokens (a mention, an emoji): the start of the message,
 * a new line, or the end of a sentence (. ! ? … :).
 */
export function sentenceStart(text: string, start: number, excluded: Exclusions): boolean {
  let j = start;
  while (j > 0) {
    const ex = excluded.tokenEndingAt(j);
    if (ex >= 0) {
      j = ex;
      continue;
    }
    const ch = text[j - 1]!;
    if (ch === '\n' || ch === '\r') return true;
    if (/\s/u.test(ch) || OPENERS.has(ch)) {
      j--;
      continue;
    }
    return TERMINATORS.has(ch);
  }
  return true;
}

function isCardList(
  cards: readonly LoadedCard[] | { tables: ScannerTables },
): cards is readonly LoadedCard[] {
  return Array.isArray(cards);
}
