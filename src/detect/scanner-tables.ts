/**
 * A built scanner as plain data (issue 19): the automaton's typed arrays, every key's facts
 * packed into one Int32Array, and the strings in a few lists (one text and its offsets each). Made by
 * scanner-build.ts; read back by Detector (detector.ts) without building anything. The same
 * tables are saved in the cache folder (scanner-cache.ts, for a warm `aptcard detect`) and
 * handed from the scanner worker to the main thread as transferable buffers
 * (scanner-worker.ts), where wrapping them costs next to nothing.
 */
import type { AutomatonTables } from './automaton.js';
import type { FormCase } from './risk.js';

/** Bump when what the tables hold, or how they are laid out, changes. */
export const SCANNER_TABLES_VERSION = 3;

/** One actor as the scanner sees it: its uuid, display name and the names it answers to. */
export interface AliasSource {
  uuid: string;
  name: string;
  names: readonly string[];
}

/** Everything written the same way after normalization ("APT 21", "APT21"): one key. */
export interface KeyData {
  /** Compact normalized characters, one code point each. */
  chars: string[];
  breaks: number[];
  separators: number[];
  forms: FormCase[];
  /** In ENRICH_ALLOW: fires however written. */
  allowed: boolean;
  /** Each actor (its place in the source list) once, with the alias that made the key. */
  owners: { actor: number; alias: string }[];
}

/** Strings one after the other: entry i is text.slice(at[i], at[i + 1]) (no split to read one). */
export interface TextList {
  text: string;
  at: Int32Array;
}

export interface ScannerTables {
  version: number;
  /** How many actors the tables were built over (the catalog's profiles, in order). */
  actors: number;
  /** Per actor: its uuid and display name. */
  uuids: TextList;
  names: TextList;
  /** The alphabet's characters, in symbol order. */
  alphabet: TextList;
  /** Each key's compact text. */
  keys: TextList;
  /** The aliases owners write (`info` names them by number). */
  aliases: TextList;
  prefixes: TextList;
  /**
   * Per key, from infoAt[key] to infoAt[key + 1]: flags (1: allowed), the breaks (count, then
   * each), the separators (likewise), the forms (count, then per form: flags (1: all caps,
   * 2: dot and space), capital count, each capital), the owners (count, then actor and alias
   * number per owner).
   */
  info: Int32Array;
  infoAt: Int32Array;
  automaton: AutomatonTables;
}

/** The automaton's arrays in arraysOf, before the lists' offsets. */
const AUTOMATON_ARRAYS = 8;

const LISTS = ['uuids', 'names', 'alphabet', 'keys', 'aliases', 'prefixes'] as const;

function textList(list: readonly string[]): TextList {
  const at = new Int32Array(list.length + 1);
  for (let i = 0; i < list.length; i++) at[i + 1] = at[i]! + list[i]!.length;
  return { text: list.join(''), at };
}

/** Entry `i` of a list. */
export function textAt(list: TextList, i: number): string {
  return list.text.slice(list.at[i], list.at[i + 1]);
}

/** Every entry of a list (the small ones: the alphabet, the prefixes). */
export function allOf(list: TextList): string[] {
  return Array.from({ length: list.at.length - 1 }, (_, i) => textAt(list, i));
}

export function listCount(list: TextList): number {
  return list.at.length - 1;
}

export function packTables(parts: {
  sources: readonly AliasSource[];
  alphabet: readonly string[];
  keys: readonly KeyData[];
  prefixes: Iterable<string>;
  automaton: AutomatonTables;
}): ScannerTables {
  const { sources, keys } = parts;
  const aliasIds = new Map<string, number>();
  const info: number[] = [];
  const infoAt = new Int32Array(keys.length + 1);
  const list = (xs: readonly number[]) => {
    info.push(xs.length);
    for (const x of xs) info.push(x);
  };
  keys.forEach((key, id) => {
    infoAt[id] = info.length;
    info.push(key.allowed ? 1 : 0);
    list(key.breaks);
    list(key.separators);
    info.push(key.forms.length);
    for (const f of key.forms) {
      info.push((f.allCaps ? 1 : 0) | (f.dotSpace ? 2 : 0));
      list(f.capitals);
    }
    info.push(key.owners.length);
    for (const o of key.owners) {
      let a = aliasIds.get(o.alias);
      if (a === undefined) {
        a = aliasIds.size;
        aliasIds.set(o.alias, a);
      }
      info.push(o.actor, a);
    }
  });
  infoAt[keys.length] = info.length;
  return {
    version: SCANNER_TABLES_VERSION,
    actors: sources.length,
    uuids: textList(sources.map((s) => s.uuid)),
    names: textList(sources.map((s) => s.name)),
    alphabet: textList(parts.alphabet),
    keys: textList(keys.map((k) => k.chars.join(''))),
    aliases: textList([...aliasIds.keys()]),
    prefixes: textList([...parts.prefixes]),
    info: Int32Array.from(info),
    infoAt,
    automaton: parts.automaton,
  };
}

/** Key `id` of the tables. */
export function keyData(tables: ScannerTables, id: number): KeyData {
  const { info } = tables;
  let i = tables.infoAt[id]!;
  const take = () => info[i++]!;
  const list = () => {
    const n = take();
    const out = Array.from(info.subarray(i, i + n));
    i += n;
    return out;
  };
  const allowed = (take() & 1) === 1;
  const breaks = list();
  const separators = list();
  const forms: FormCase[] = [];
  for (let n = take(); n > 0; n--) {
    const flags = take();
    forms.push({ capitals: list(), allCaps: (flags & 1) === 1, dotSpace: (flags & 2) === 2 });
  }
  const owners: KeyData['owners'] = [];
  for (let n = take(); n > 0; n--) {
    const actor = take();
    owners.push({ actor, alias: textAt(tables.aliases, take()) });
  }
  return { chars: Array.from(textAt(tables.keys, id)), breaks, separators, forms, allowed, owners };
}

/** Every typed array of the tables, in a fixed order (the cache file's). */
export function arraysOf(t: ScannerTables): Int32Array[] {
  const { automaton: a } = t;
  return [
    t.info,
    t.infoAt,
    a.delta,
    a.ownKey,
    a.dictLink,
    a.deepFail,
    a.deepChildAt,
    a.deepChildren,
    ...LISTS.map((l) => t[l].at),
  ];
}

/** The buffers to transfer with the tables (postMessage's transfer list). */
export function transferList(tables: ScannerTables): ArrayBuffer[] {
  return arraysOf(tables).map((a) => a.buffer as ArrayBuffer);
}

/** The tables' plain fields (the texts and numbers), for a file's header. */
export type TablesHead = Pick<ScannerTables, 'version' | 'actors'> & {
  width: number;
  nodeCount: number;
  denseCount: number;
  texts: string[];
};

export function headOf(t: ScannerTables): TablesHead {
  const { version, actors, automaton } = t;
  const { width, nodeCount, denseCount } = automaton;
  return { version, actors, width, nodeCount, denseCount, texts: LISTS.map((l) => t[l].text) };
}

/** Tables from a header and the arrays in arraysOf's order; undefined when they do not fit. */
export function tablesFrom(head: TablesHead, arrays: Int32Array[]): ScannerTables | undefined {
  if (!Array.isArray(head?.texts) || head.texts.length !== LISTS.length) return undefined;
  if (arrays.length !== AUTOMATON_ARRAYS + LISTS.length) return undefined;
  const [info, infoAt, delta, ownKey, dictLink, deepFail, deepChildAt, deepChildren] =
    arrays as Int32Array[] as [
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
    ];
  const lists = LISTS.map((_, i) => ({ text: head.texts[i]!, at: arrays[AUTOMATON_ARRAYS + i]! }));
  const [uuids, names, alphabet, keys, aliases, prefixes] = lists as [
    TextList,
    TextList,
    TextList,
    TextList,
    TextList,
    TextList,
  ];
  const { version, actors, width, nodeCount, denseCount } = head;
  const tables = {
    version,
    actors,
    uuids,
    names,
    alphabet,
    keys,
    aliases,
    prefixes,
    info,
    infoAt,
    automaton: {
      width,
      nodeCount,
      denseCount,
      delta,
      ownKey,
      dictLink,
      deepFail,
      deepChildAt,
      deepChildren,
    },
  };
  return isScannerTables(tables) ? tables : undefined;
}

function isTextList(value: unknown): value is TextList {
  const l = value as Partial<TextList> | null;
  if (typeof l?.text !== 'string' || !(l.at instanceof Int32Array) || l.at.length < 1) return false;
  return l.at[0] === 0 && l.at[l.at.length - 1] === l.text.length;
}

/** Is this (from another thread, or a file) shaped as tables of this version? */
export function isScannerTables(value: unknown): value is ScannerTables {
  const t = value as Partial<ScannerTables> | null;
  const a = t?.automaton;
  return (
    t?.version === SCANNER_TABLES_VERSION &&
    typeof t.actors === 'number' &&
    LISTS.every((l) => isTextList(t[l])) &&
    listCount(t.uuids as TextList) === t.actors &&
    listCount(t.names as TextList) === t.actors &&
    t.info instanceof Int32Array &&
    t.infoAt instanceof Int32Array &&
    listCount(t.keys as TextList) === t.infoAt.length - 1 &&
    a !== undefined &&
    isAutomatonTables(a)
  );
}

/** The automaton's arrays of the lengths its counts say (a damaged file is refused, not read). */
function isAutomatonTables(a: AutomatonTables): boolean {
  const deep = a.nodeCount - a.denseCount;
  const arrays = [a.delta, a.ownKey, a.dictLink, a.deepFail, a.deepChildAt, a.deepChildren];
  return (
    arrays.every((x) => x instanceof Int32Array) &&
    Number.isInteger(a.denseCount) &&
    a.denseCount >= 2 &&
    deep >= 0 &&
    a.delta.length === a.denseCount * a.width &&
    a.ownKey.length === a.nodeCount &&
    a.dictLink.length === a.denseCount &&
    a.deepFail.length === deep &&
    a.deepChildAt.length === deep + 1 &&
    a.deepChildAt[deep] === a.deepChildren.length &&
    deepStatesInRange(a)
  );
}

/**
 * Deep states' failures and children name states there are, their children in order: a scan
 * reads them unchecked. Plain loops: on the main thread when the scanner worker's tables come
 * (750,000 numbers for 10,000 cards; `every` with a callback took 12-17 ms, these about 1).
 */
function deepStatesInRange(a: AutomatonTables): boolean {
  const { deepFail, deepChildAt, deepChildren, nodeCount, denseCount, width } = a;
  for (let i = 0; i < deepFail.length; i++) {
    const f = deepFail[i] as number;
    if (f < 0 || f >= nodeCount) return false;
  }
  if (deepChildAt[0] !== 0) return false;
  for (let i = 1; i < deepChildAt.length; i++) {
    if ((deepChildAt[i] as number) < (deepChildAt[i - 1] as number)) return false;
  }
  if (deepChildren.length % 2 !== 0) return false;
  for (let i = 0; i < deepChildren.length; i += 2) {
    const sym = deepChildren[i] as number;
    const child = deepChildren[i + 1] as number;
    if (sym < 0 || sym >= width || child < denseCount || child >= nodeCount) return false;
  }
  return true;
}
