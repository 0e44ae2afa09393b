import { allNames, displayName, type LoadedCard } from '../cards/model.js';
import { Alphabet } from './alphabet.js';
import { Automaton, type Pattern } from './automaton.js';
import { Exclusions } from './exclude.js';
import { englishFrequencies } from './frequency.js';
import {
  actorPrefixes,
  type CountLookup,
  DEFAULT_THRESHOLDS,
  type English,
  FIRES_IN_ANY_CASE,
  type FormCase,
  type NameRule,
  type Risk,
  type RiskVerdict,
  riskOfWritten,
  type Thresholds,
  type WordLookup,
  writtenAsName,
} from './risk.js';
import { type AliasShape, shapeOf } from './shape.js';
import { englishWords } from './words.js';

export interface DetectorOptions {
  /** Aliases that always fire, even when they are English words (matched after normalization). */
  allow?: readonly string[];
  /** Aliases that never fire. */
  deny?: readonly string[];
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

interface Owner {
  entry: LoadedCard;
  alias: string;
  /** The card's uuid and display name, looked up once at build time. */
  uuid: string;
  name: string;
}

/** Everything written the same way after normalization ("APT 21", "APT21"): one key. */
class Key implements KeyView {
  readonly breaks = new Set<number>();
  readonly separators = new Set<number>();
  readonly owners: Owner[] = [];
  readonly forms: FormCase[] = [];
  /** In ENRICH_ALLOW: fires however written. */
  allowed = false;
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
    readonly chars: string[],
    private readonly judge: (chars: readonly string[], spaces: readonly number[]) => RiskVerdict,
  ) {}

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

/**
 * At most 2^MAX_BREAKS spellings per key: past that many breaks, a break is written as the
 * alias writes it (a separator where it has one, none elsewhere).
 */
const MAX_BREAKS = 8;
/** Up to this many actors, `resolve` finds an actor by a linear search instead of a Map. */
const LINEAR_ACTORS = 8;
/** Characters skipped when looking back for the start of a sentence. */
const OPENERS = new Set([...'([{"\'“‘«*_~>#-–—•·¿¡']);
const TERMINATORS = new Set([...'.!?…:。！？']);
const EDGE_RE = /[^\p{L}\p{N}]/u;

/** Does the alias start or end with punctuation (so it may have looser forms)? */
function hasLooseEnds(alias: string): boolean {
  const edge = (c: number, ch: string) =>
    c < 128 ? !((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122)) : EDGE_RE.test(ch);
  return (
    alias.length > 0 &&
    (edge(alias.charCodeAt(0), alias[0]!) ||
      edge(alias.charCodeAt(alias.length - 1), alias.at(-1)!))
  );
}

/**
 * Finds the actors named in a chat message: every alias (and title name) of every card, in one
 * pass of an automaton over the message, with the precision rules of automatic enrichment:
 * whole words only, longest match wins, risky aliases only when written as a name, nothing
 * inside code, URLs, mention tokens or emoji codes. Immutable; build a new one per catalog.
 */
export class Detector {
  readonly automaton: Automaton;
  /** Milliseconds the build took (word lookups, trie, automaton). */
  readonly buildMs: number;
  private readonly keys: Key[];
  /** Scratch for `scan`; replaced (not truncated) after a message that filled it. */
  private hits: number[] = [];
  /** Key number by its compact text. */
  private readonly byText = new Map<string, number>();
  /** This catalog's actor prefixes ("apt", "ta", "fin"): a spaced number after one is a name. */
  readonly prefixes: ReadonlySet<string>;

  constructor(cards: readonly LoadedCard[], options: DetectorOptions = {}) {
    const t0 = performance.now();
    const english: English = {
      words: options.words ?? englishWords(),
      frequencies: options.frequencies ?? englishFrequencies(),
      thresholds: options.thresholds ?? DEFAULT_THRESHOLDS,
    };
    let prefixes: ReadonlySet<string> = new Set();
    const judge = (chars: readonly string[], spaces: readonly number[]) =>
      riskOfWritten(chars, spaces, english, prefixes);
    /** The cards' own aliases (not their looser forms), for the actor prefixes. */
    const shapes: AliasShape[] = [];
    const keyOf = (alias: string) => shapeOf(alias).chars.join('');
    const allow = new Set((options.allow ?? []).map(keyOf));
    const deny = new Set((options.deny ?? []).map(keyOf));
    const keys: Key[] = [];
    const byText = this.byText;
    const derived: [Owner, AliasShape, boolean][] = [];

    const addForm = (owner: Owner, shape: AliasShape, allowed: boolean) => {
      const text = shape.chars.join('');
      let id = byText.get(text);
      if (id === undefined) {
        id = keys.length;
        byText.set(text, id);
        keys.push(new Key(shape.chars, judge));
      }
      const key = keys[id]!;
      for (const b of shape.breaks) key.breaks.add(b);
      for (const b of shape.separators) key.separators.add(b);
      if (!key.owners.some((o) => o.entry === owner.entry)) key.owners.push(owner);
      key.forms.push({
        capitals: shape.capitals,
        allCaps: shape.allCaps,
        dotSpace: shape.dotSpace,
      });
      if (allowed) key.allowed = true;
    };

    for (const entry of cards) {
      const uuid = entry.card.uuid;
      const name = displayName(entry.card);
      for (const alias of allNames(entry.card)) {
        const shape = shapeOf(alias);
        const text = shape.chars.join('');
        // One character ("I", "a") fires on ordinary prose whatever the policy: never scan for it
        // (it is still found by /apt; validate warns about it).
        if (shape.chars.length < 2 || deny.has(text)) continue;
        const owner = { entry, alias, uuid, name };
        addForm(owner, shape, allow.has(text));
        shapes.push(shape);
        if (!hasLooseEnds(alias)) continue;
        for (const variant of looserForms(alias)) {
          const vs = shapeOf(variant);
          if (vs.chars.length > 0) derived.push([owner, vs, allow.has(text)]);
        }
      }
    }
    // "Lapsus" for "Lapsus$", "Syrian Electronic Army" for "... (SEA)": only where no card
    // has that name itself.
    const real = new Set(byText.keys());
    for (const [owner, shape, allowed] of derived) {
      const text = shape.chars.join('');
      if (!real.has(text) && !deny.has(text)) addForm(owner, shape, allowed || allow.has(text));
    }
    prefixes = actorPrefixes(shapes, english);
    this.prefixes = prefixes;
    for (const key of keys) if (key.allowed) key.always = true;

    const chars = new Set<string>();
    for (const key of keys) for (const ch of key.chars) chars.add(ch);
    const alphabet = new Alphabet(chars);
    const patterns: Pattern[] = keys.map((key, id) => {
      const breaks = [...key.breaks].sort((a, b) => a - b);
      const optional = breaks.slice(0, MAX_BREAKS);
      const required = breaks.slice(MAX_BREAKS).filter((b) => key.separators.has(b));
      return { symbols: key.chars.map((ch) => alphabet.classify(ch)), optional, required, key: id };
    });
    this.keys = keys;
    this.automaton = new Automaton(alphabet, patterns);
    this.buildMs = performance.now() - t0;
  }

  /** Number of distinct alias keys scanned for. */
  get keyCount(): number {
    return this.keys.length;
  }

  /**
   * The risk class of a written form ("APT 21", "apt21", "fancy bear"), as this detector judges
   * it: from its whitespace, whatever its case (undefined: no alias is written so).
   */
  riskFor(written: string): Risk | undefined {
    const shape = shapeOf(written);
    const id = this.byText.get(shape.chars.join(''));
    if (id === undefined) return undefined;
    let spaces = 0;
    for (const p of shape.spaces) if (p < 31) spaces |= 1 << p;
    return this.keys[id]!.riskAt(spaces);
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
        const key = this.keys[id]!;
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
        const key = this.keys[id]!;
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

  /** Longest match wins; each card once, with every alias form that named it. */
  private resolve(candidates: Candidate[]): Detection {
    const kept = longestWins(candidates);
    const mentions: Mention[] = [];
    const actors: DetectedActor[] = [];
    // A message names a few actors: look them up in `actors` until there are many.
    let byUuid: Map<string, DetectedActor> | undefined;
    for (const c of kept) {
      for (const { entry, alias, uuid, name } of this.keys[c.key]!.owners) {
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
 * Looser forms of an alias that people write: without a trailing parenthesis ("Syrian
 * Electronic Army" for "Syrian Electronic Army (SEA)") and without punctuation at either end
 * ("Lapsus" for "Lapsus$", "Vault 7/8" for "[Vault 7/8]").
 */
function looserForms(alias: string): string[] {
  const out = new Set<string>();
  const noParen = alias.replace(/\s*\([^()]*\)\s*$/u, '');
  for (const form of [noParen, alias]) {
    const trimmed = form.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (form !== alias) out.add(form);
    if (trimmed !== alias && balanced(trimmed)) out.add(trimmed);
  }
  out.delete('');
  return [...out];
}

function balanced(text: string): boolean {
  const count = (re: RegExp) => text.match(re)?.length ?? 0;
  return count(/\(/g) === count(/\)/g) && count(/\[/g) === count(/\]/g);
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
