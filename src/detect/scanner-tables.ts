/**
 * A built scanner as plain data (issue 19): the automaton's typed arrays, every key's facts
 * packed into one Int32Array, and the strings in a few NUL-separated lists. Made by
 * scanner-build.ts; read back by Detector (detector.ts) without building anything. The same
 * tables are saved in the cache folder (scanner-cache.ts, for a warm `aptcard detect`) and
 * handed from the scanner worker to the main thread as transferable buffers
 * (scanner-worker.ts), where wrapping them costs a few string splits.
 */
import type { AutomatonTables } from './automaton.js';
import type { FormCase } from './risk.js';

/** Bump when what the tables hold, or how they are laid out, changes. */
export const SCANNER_TABLES_VERSION = 1;

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

export interface ScannerTables {
  version: number;
  /** How many actors the tables were built over (the catalog's profiles, in order). */
  actors: number;
  /** NUL-separated lists: per actor its uuid and display name; the alphabet's characters in
   * symbol order; each key's compact text; the aliases owners write; the actor prefixes. */
  uuids: string;
  names: string;
  alphabet: string;
  keys: string;
  aliases: string;
  prefixes: string;
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

const SEP = '\u0000';

/** Thrown when a string holds the list separator (no real card does): build without tables. */
export class UnpackableError extends Error {}

function joined(list: readonly string[]): string {
  for (const s of list) if (s.includes(SEP)) throw new UnpackableError('a name holds NUL');
  return list.join(SEP);
}

/** The `n` entries of a NUL-separated list. */
export function splitList(text: string, n: number): string[] {
  return n === 0 ? [] : text.split(SEP);
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
    uuids: joined(sources.map((s) => s.uuid)),
    names: joined(sources.map((s) => s.name)),
    alphabet: joined(parts.alphabet),
    keys: joined(keys.map((k) => k.chars.join(''))),
    aliases: joined([...aliasIds.keys()]),
    prefixes: joined([...parts.prefixes]),
    info: Int32Array.from(info),
    infoAt,
    automaton: parts.automaton,
  };
}

/** Key `id` of the tables; `keyTexts` and `aliases` are their lists, split once. */
export function keyData(
  tables: ScannerTables,
  id: number,
  keyTexts: readonly string[],
  aliases: readonly string[],
): KeyData {
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
    owners.push({ actor, alias: aliases[take()]! });
  }
  return { chars: Array.from(keyTexts[id]!), breaks, separators, forms, allowed, owners };
}

/** The buffers to transfer with the tables (postMessage's transfer list). */
export function transferList(tables: ScannerTables): ArrayBuffer[] {
  const { info, infoAt, automaton } = tables;
  return [info, infoAt, automaton.delta, automaton.ownKey, automaton.dictLink].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/** Is this (from another thread, or a file) shaped as tables of this version? */
export function isScannerTables(value: unknown): value is ScannerTables {
  const t = value as Partial<ScannerTables> | null;
  const a = t?.automaton;
  return (
    t?.version === SCANNER_TABLES_VERSION &&
    typeof t.actors === 'number' &&
    [t.uuids, t.names, t.alphabet, t.keys, t.aliases, t.prefixes].every(
      (s) => typeof s === 'string',
    ) &&
    t.info instanceof Int32Array &&
    t.infoAt instanceof Int32Array &&
    a !== undefined &&
    a.delta instanceof Int32Array &&
    a.ownKey instanceof Int32Array &&
    a.dictLink instanceof Int32Array &&
    a.delta.length === a.nodeCount * a.width &&
    a.ownKey.length === a.nodeCount &&
    a.dictLink.length === a.nodeCount
  );
}
