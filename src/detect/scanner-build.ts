/**
 * Building a scanner: every alias (and title name) of every actor becomes a key, the keys one
 * automaton, and all of it plain tables (scanner-tables.ts). Pure computation over plain data,
 * so it runs the same on the main thread, in the scanner worker and for the cache.
 */
import { Alphabet } from './alphabet.js';
import { Automaton, type Pattern } from './automaton.js';
import { type English, PrefixCounter } from './risk.js';
import {
  type AliasSource,
  type KeyData,
  packTables,
  type ScannerTables,
} from './scanner-tables.js';
import { type AliasShape, shapeOf } from './shape.js';

export interface BuildPolicy {
  /** Aliases that always fire, even when they are English words (matched after normalization). */
  allow?: readonly string[];
  /** Aliases that never fire. */
  deny?: readonly string[];
  /** How many states get a dense row (automaton.ts's DENSE_STATES; tests make it small). */
  denseStates?: number;
}

/**
 * At most 2^MAX_BREAKS spellings per key: past that many breaks, a break is written as the
 * alias writes it (a separator where it has one, none elsewhere).
 */
const MAX_BREAKS = 8;
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

/** The scanner's tables for these actors (in order: owners name them by place). */
export function buildScannerTables(
  sources: readonly AliasSource[],
  policy: BuildPolicy,
  english: English,
): ScannerTables {
  /** The cards' own aliases (not their looser forms) make the actor prefixes. */
  const prefixCounter = new PrefixCounter();
  const keyOf = (alias: string) => shapeOf(alias).chars.join('');
  const allow = new Set((policy.allow ?? []).map(keyOf));
  const deny = new Set((policy.deny ?? []).map(keyOf));
  const keys: KeyData[] = [];
  const byText = new Map<string, number>();
  const derived: [number, string, AliasShape, boolean][] = [];

  const addForm = (actor: number, alias: string, shape: AliasShape, allowed: boolean) => {
    const text = shape.chars.join('');
    const form = {
      capitals: shape.capitals.slice(),
      allCaps: shape.allCaps,
      dotSpace: shape.dotSpace,
    };
    const id = byText.get(text);
    if (id === undefined) {
      byText.set(text, keys.length);
      // Exact-size copies and one-element literals: an array grown by push from [] takes room
      // for 16 elements, and a key has six of them (10,000 cards: 30,000 keys, about 25 MB).
      keys.push({
        chars: shape.chars.slice(),
        breaks: shape.breaks.slice(),
        separators: shape.separators.slice(),
        forms: [form],
        allowed,
        owners: [{ actor, alias }],
      });
      return;
    }
    const key = keys[id]!;
    // Arrays, not Sets: a key has a few breaks. Kept in the order first seen, as the detector
    // always read them.
    for (const b of shape.breaks) if (!key.breaks.includes(b)) key.breaks.push(b);
    for (const b of shape.separators) if (!key.separators.includes(b)) key.separators.push(b);
    if (!key.owners.some((o) => o.actor === actor)) key.owners.push({ actor, alias });
    key.forms.push(form);
    if (allowed) key.allowed = true;
  };

  sources.forEach((source, actor) => {
    for (const alias of source.names) {
      const shape = shapeOf(alias);
      const text = shape.chars.join('');
      // One character ("I", "a") fires on ordinary prose whatever the policy: never scan for it
      // (it is still found by /apt; validate warns about it).
      if (shape.chars.length < 2 || deny.has(text)) continue;
      addForm(actor, alias, shape, allow.has(text));
      prefixCounter.add(shape);
      if (!hasLooseEnds(alias)) continue;
      for (const variant of looserForms(alias)) {
        const vs = shapeOf(variant);
        if (vs.chars.length > 0) derived.push([actor, alias, vs, allow.has(text)]);
      }
    }
  });
  // "Lapsus" for "Lapsus$", "Syrian Electronic Army" for "... (SEA)": only where no card
  // has that name itself.
  const real = new Set(byText.keys());
  for (const [actor, alias, shape, allowed] of derived) {
    const text = shape.chars.join('');
    if (!real.has(text) && !deny.has(text))
      addForm(actor, alias, shape, allowed || allow.has(text));
  }
  const prefixes = prefixCounter.prefixes(english);

  const chars = new Set<string>();
  for (const key of keys) for (const ch of key.chars) chars.add(ch);
  const alphabet = new Alphabet(chars);
  const patterns: Pattern[] = keys.map((key, id) => {
    const breaks = [...key.breaks].sort((a, b) => a - b);
    const optional = breaks.slice(0, MAX_BREAKS);
    const required = breaks.slice(MAX_BREAKS).filter((b) => key.separators.includes(b));
    return { symbols: key.chars.map((ch) => alphabet.classify(ch)), optional, required, key: id };
  });
  const automaton = new Automaton(alphabet, patterns, policy.denseStates).tables();
  return packTables({ sources, alphabet: alphabet.chars, keys, prefixes, automaton });
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
