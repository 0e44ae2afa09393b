/**
 * Cards -> actors: the cards of several sources (ETDA, the MISP galaxy, ATT&CK) that describe
 * one threat actor are grouped, so that users are answered about actors, not copies.
 *
 * Evidence between two cards, strongest first (weights below):
 *   1. the same UUID in two folders (ATT&CK's STIX bundle and the MISP galaxy share ids);
 *   2. a shared ATT&CK group id (G0007): from the import manifest (ETDA's `mitre-attack`), a
 *      "G0007" alias (the MITRE cards), a "MITRE ATT&CK" section or a MISP `external_id`;
 *      a MISP `related` link to the other card's UUID is weaker: sources link look-alikes too;
 *   3. shared names, weighted by how specific they are: a name one source gives to two cards says
 *      nothing (unless it calls one of them so: then it links that one to other sources' cards
 *      of that name, weakly), a short name or an English word little, a shared primary name more.
 * Pairs are taken strongest first and merged greedily, but never so that an actor holds two
 * cards of one source (a source that keeps two cards apart knows something), nor two different
 * ATT&CK ids; that also stops chains (A~B, B~C gluing A to C). The analyst's overrides file wins
 * over all of it. Revoked or deprecated entries are no actors: folded into the actor that
 * replaced them when the card says which ("revoked-by"), else hidden.
 *
 * The grouping is kept in the actor cache (index-cache.ts): a change to these rules needs its
 * ACTOR_CACHE_VERSION bumped, or restarts keep the old grouping. Hot reload groups again only
 * the cards connected to a changed one (regroup.ts): new evidence between cards must be
 * mirrored in regroup.ts's keysOf.
 *
 * Written here rather than taken from a record-linkage library: what decides is the source
 * constraint and the catalog's own evidence, which such libraries do not model, and the whole
 * stage is a few hash maps over at most a few thousand names.
 */
import { cardUuid, displayName, type LoadedCard } from '../cards/model.js';
import { englishWords } from '../detect/words.js';
import { compactKey } from '../search/normalize.js';
import { type CardFacts, cardFacts, sourceOf } from './card-facts.js';
import { sortByName } from './name-order.js';
import { LOCAL_SOURCE } from './origins.js';
import type { ActorOverrides } from './overrides.js';

export interface Evidence {
  kind: 'uuid' | 'attack-id' | 'related' | 'name' | 'override';
  /** What was shared, for `aptcard actors --explain`. */
  detail: string;
  weight: number;
}

/** One decision about two cards of different sources that share some evidence. */
export interface ActorLink {
  a: LoadedCard;
  b: LoadedCard;
  evidence: Evidence[];
  score: number;
  merged: boolean;
  /** The rule that decided. */
  rule: string;
}

export interface Actor {
  /** The lead card's UUID: what hits and buttons carry. */
  id: string;
  /** Lead card first (a local card, else the richest), then by source. */
  cards: LoadedCard[];
  /** Each card's source, in the order of `cards`. */
  sources: string[];
  /** Revoked or deprecated entries that name this actor as their replacement. */
  folded: LoadedCard[];
}

export interface ActorSet {
  actors: Actor[];
  /** Revoked or deprecated entries with no replacement in the catalog. */
  hidden: LoadedCard[];
  links: ActorLink[];
}

const W_UUID = 100;
const W_ATTACK_ID = 10;
const W_RELATED = 1;
const W_NAME = 1;
/** A shared name that is a title name (not only an alias) of one of the two cards adds this. */
const W_TITLE_ONE = 0.5;
/** ... and of both cards: two sources calling the actor by that very name. */
const W_TITLE_BOTH = 4;
/**
 * ... and the first name of both, each card's own name for the actor: more than a title that
 * one source lists beside others. ETDA's "APT 17, Deputy Dog, Elderwood" card went to ATT&CK's
 * Elderwood (title in both, G0066) rather than to ATT&CK's APT17 (G0025), which ETDA's and the
 * MISP galaxy's APT17 cards name first; MISP and ATT&CK keep the two apart.
 */
const W_PRIMARY_BOTH = 2.5;
/** Short names and English words count this much of a name. */
const WEAK_NAME = 0.5;
/** Evidence below this keeps cards apart: one shared alias alone is not enough. */
export const MERGE_SCORE = 1.5;
/**
 * The name both cards are called by, though a source also lists it for another of its cards:
 * enough on its own (nothing else links ETDA's and the MISP galaxy's "Iridium"), and no more,
 * so it never outweighs the aliases two other cards share. At the weight of a plain shared
 * title (5), the MISP galaxy's "Cold River" (Lastline's) took ETDA's Cold River from MISP's
 * "Callisto" card, which shares its Star Blizzard, SEABORGIUM and TA446 names.
 */
const W_CONTESTED_TITLE = MERGE_SCORE;
/** A name on more cards than this is too common to link anything (and pairs grow quadratically). */
export const MAX_NAME_CARDS = 8;

/**
 * Display order of sources after local cards; others follow alphabetically, and the bundled
 * sample last: an older copy of an ETDA card that the synced catalog holds as it is today.
 */
const SOURCE_RANK = ['etda', 'misp-galaxy:threat-actor', 'misp-galaxy:mitre-intrusion-set'];
const SAMPLE_SOURCE = 'sample';

function sourceRank(source: string): number {
  if (source === LOCAL_SOURCE) return -1;
  if (source === SAMPLE_SOURCE) return SOURCE_RANK.length + 1;
  const i = SOURCE_RANK.indexOf(source);
  return i >= 0 ? i : SOURCE_RANK.length;
}

/** Cards in a stable order whatever the order on disk: by UUID, then source, then file. */
export function cardOrder(
  a: LoadedCard,
  b: LoadedCard,
  ua = cardUuid(a),
  ub = cardUuid(b),
): number {
  return cmp(ua, ub) || cmp(sourceOf(a), sourceOf(b)) || cmp(a.source.file, b.source.file);
}

const stableOrder = (a: CardFacts, b: CardFacts) => cardOrder(a.entry, b.entry, a.uuid, b.uuid);

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

let words: ReturnType<typeof englishWords> | undefined;
function isWeakName(key: string): boolean {
  words ??= englishWords();
  return key.length <= 3 || words.has(key);
}

/** How regroup.ts has groupActors group a part of a catalog exactly as the whole would be. */
export interface GroupOptions {
  /** Whether the whole catalog has one source (a part may have one where the whole has more). */
  oneSource?: boolean;
  /** How many cards of the whole catalog have this name (compactKey). */
  nameCount?: (key: string) => number;
  /** cardFacts of `loaded`, already made (with names unless oneSource). */
  facts?: readonly CardFacts[];
}

/** Whether names can link these cards: only cards of different sources are linked by them. */
export function ofOneSource(loaded: readonly LoadedCard[]): boolean {
  const first = loaded[0];
  const source = first ? sourceOf(first) : '';
  return loaded.every((e) => sourceOf(e) === source);
}

/** Group cards into actors. Deterministic: the same cards give the same actors in any order. */
export function groupActors(
  loaded: readonly LoadedCard[],
  overrides: ActorOverrides,
  options: GroupOptions = {},
): ActorSet {
  // Names only link cards of different sources: with one source (a hand-kept folder, ETDA
  // alone) there is nothing to weigh, and reloads skip normalizing every name.
  const oneSource = options.oneSource ?? ofOneSource(loaded);
  const all = (
    options.facts ? [...options.facts] : loaded.map((e) => cardFacts(e, !oneSource))
  ).sort(stableOrder);
  const hiddenOrFolded = all.filter((f) => f.revoked);
  const facts = all.filter((f) => !f.revoked);
  const n = facts.length;

  // Union-find over card positions, with each group's sources and ATT&CK ids.
  const parent = facts.map((_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    let c = i;
    while (parent[c] !== r) {
      const next = parent[c] ?? r;
      parent[c] = r;
      c = next;
    }
    return r;
  };
  const members = facts.map((_, i) => [i]);
  const byUuid = new Map<string, number[]>();
  facts.forEach((f, i) => {
    const list = byUuid.get(f.uuid) ?? [];
    list.push(i);
    byUuid.set(f.uuid, list);
  });
  const apartSets = overrides.apart.map(
    (group) => new Set(group.flatMap((u) => byUuid.get(u) ?? [])),
  );
  const groupIds = (g: number) =>
    new Set((members[g] ?? []).flatMap((i) => facts[i]?.attackIds ?? []));
  /** Why groups `x` and `y` must stay apart, or undefined when they may merge. */
  const conflict = (x: number, y: number, forced: boolean): string | undefined => {
    const mx = members[x] ?? [];
    const my = members[y] ?? [];
    for (const set of apartSets) {
      if (mx.some((i) => set.has(i)) && my.some((i) => set.has(i))) return 'override: kept apart';
    }
    if (forced) return undefined;
    const sources = new Set(mx.map((i) => facts[i]?.source));
    const shared = my.map((i) => facts[i]?.source).find((s) => sources.has(s));
    if (shared !== undefined) return `never two cards of one source (${shared})`;
    const ix = groupIds(x);
    const iy = groupIds(y);
    if (ix.size > 0 && iy.size > 0 && ![...ix].some((id) => iy.has(id))) {
      return `different ATT&CK ids (${[...ix].join(', ')} / ${[...iy].join(', ')})`;
    }
    return undefined;
  };
  const union = (x: number, y: number) => {
    const [keep, drop] = x < y ? [x, y] : [y, x];
    parent[drop] = keep;
    members[keep] = [...(members[keep] ?? []), ...(members[drop] ?? [])];
    members[drop] = [];
  };

  // 1. The analyst's "same" groups, before any rule.
  const links: ActorLink[] = [];
  for (const group of overrides.same) {
    const idx = group.flatMap((u) => byUuid.get(u) ?? []);
    for (let k = 1; k < idx.length; k++) {
      const a = idx[0] ?? 0;
      const b = idx[k] ?? 0;
      const [x, y] = [find(a), find(b)];
      const why = x === y ? undefined : conflict(x, y, true);
      if (x !== y && !why) union(x, y);
      links.push(
        link(
          facts,
          a,
          b,
          [{ kind: 'override', detail: 'listed as one actor', weight: Infinity }],
          why === undefined,
          why ?? 'override: one actor',
        ),
      );
    }
  }

  // 2. Evidence between cards of different sources.
  const pairs = new Map<string, { a: number; b: number; evidence: Evidence[] }>();
  const add = (a: number, b: number, evidence: Evidence) => {
    if (a === b || facts[a]?.source === facts[b]?.source) return;
    const [x, y] = a < b ? [a, b] : [b, a];
    const key = `${x},${y}`;
    const pair = pairs.get(key) ?? { a: x, b: y, evidence: [] };
    pairs.set(key, pair);
    if (!pair.evidence.some((e) => e.kind === evidence.kind && e.detail === evidence.detail)) {
      pair.evidence.push(evidence);
    }
  };
  const eachPair = (list: number[], fn: (a: number, b: number) => void) => {
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) fn(list[i] ?? 0, list[j] ?? 0);
  };
  for (const [uuid, list] of byUuid) {
    eachPair(list, (a, b) => {
      if (facts[a]?.folder !== facts[b]?.folder)
        add(a, b, { kind: 'uuid', detail: `same UUID ${uuid}`, weight: W_UUID });
    });
  }
  const byAttackId = new Map<string, number[]>();
  const byKey = new Map<string, number[]>();
  facts.forEach((f, i) => {
    for (const id of f.attackIds) byAttackId.set(id, [...(byAttackId.get(id) ?? []), i]);
    for (const key of f.keys) {
      const list = byKey.get(key);
      if (list) list.push(i);
      else byKey.set(key, [i]);
    }
  });
  for (const [id, list] of byAttackId) {
    eachPair(list, (a, b) =>
      add(a, b, { kind: 'attack-id', detail: `ATT&CK ${id}`, weight: W_ATTACK_ID }),
    );
  }
  facts.forEach((f, a) => {
    for (const uuid of f.similar) {
      for (const b of byUuid.get(uuid) ?? []) {
        add(a, b, {
          kind: 'related',
          detail: `${f.source} calls ${uuid} similar`,
          weight: W_RELATED,
        });
      }
    }
  });
  for (const [key, list] of byKey) {
    if (list.length < 2 || (options.nameCount?.(key) ?? list.length) > MAX_NAME_CARDS) continue;
    const perSource = new Set(list.map((i) => facts[i]?.source));
    // A source that gives this name to two cards says the name does not tell actors apart...
    const contested = perSource.size < list.length;
    const linked = contested ? primaryHolders(facts, list, key) : list;
    if (linked.length < 2) continue;
    const base = isWeakName(key) ? W_NAME * WEAK_NAME : W_NAME;
    eachPair(linked, (a, b) => {
      if (contested) {
        const name = facts[a]?.entry.card.names[0] ?? key;
        add(a, b, {
          kind: 'name',
          detail: `name "${name}" (title in both; a source also lists it under another card)`,
          weight: W_CONTESTED_TITLE,
        });
        return;
      }
      const titles = (facts[a]?.titles.has(key) ? 1 : 0) + (facts[b]?.titles.has(key) ? 1 : 0);
      const name =
        facts[a]?.entry.card.aliases.find((x) => compactKey(x.name) === key)?.name ??
        facts[a]?.entry.card.names.find((x) => compactKey(x) === key) ??
        key;
      const primary = facts[a]?.primary === key && facts[b]?.primary === key;
      add(a, b, {
        kind: 'name',
        detail: `name "${name}"${primary ? ' (first name of both)' : titles === 2 ? ' (title in both)' : titles === 1 ? ' (title in one)' : ''}`,
        weight:
          base +
          (titles === 2 ? W_TITLE_BOTH : titles === 1 ? W_TITLE_ONE : 0) +
          (primary ? W_PRIMARY_BOTH : 0),
      });
    });
  }
  const scored = [...pairs.values()]
    .map((p) => ({ ...p, score: p.evidence.reduce((s, e) => s + e.weight, 0) }))
    .sort((p, q) => q.score - p.score || p.a - q.a || p.b - q.b);
  for (const p of scored) {
    if (p.score < MERGE_SCORE) {
      links.push(
        link(
          facts,
          p.a,
          p.b,
          p.evidence,
          false,
          `evidence too weak (score ${round(p.score)} < ${MERGE_SCORE})`,
          p.score,
        ),
      );
      continue;
    }
    const [x, y] = [find(p.a), find(p.b)];
    if (x === y) {
      links.push(
        link(facts, p.a, p.b, p.evidence, true, 'already one actor through other cards', p.score),
      );
      continue;
    }
    // One UUID is one actor whatever else holds (catalog.ts keeps one card of a UUID per
    // source and folder): two actors of one id would answer it with two cards.
    const sameUuid = p.evidence.some((e) => e.kind === 'uuid');
    const why = sameUuid ? undefined : conflict(x, y, false);
    if (!why) union(x, y);
    links.push(
      link(
        facts,
        p.a,
        p.b,
        p.evidence,
        why === undefined,
        why ?? `evidence score ${round(p.score)} >= ${MERGE_SCORE}`,
        p.score,
      ),
    );
  }

  // 3. Actors, each led by its local card or else its richest one.
  const actors: Actor[] = [];
  const actorOfIndex = new Map<number, Actor>();
  for (let g = 0; g < n; g++) {
    const list = members[g] ?? [];
    if (find(g) !== g || list.length === 0) continue;
    const ordered = list
      .map((i) => facts[i] as CardFacts)
      .sort(
        (p, q) =>
          Number(q.source === LOCAL_SOURCE) - Number(p.source === LOCAL_SOURCE) ||
          q.richness - p.richness ||
          sourceRank(p.source) - sourceRank(q.source) ||
          stableOrder(p, q),
      );
    const lead = ordered[0] as CardFacts;
    const rest = ordered
      .slice(1)
      .sort((p, q) => sourceRank(p.source) - sourceRank(q.source) || stableOrder(p, q));
    const cards = [lead, ...rest];
    const actor: Actor = {
      id: lead.uuid,
      cards: cards.map((f) => f.entry),
      sources: cards.map((f) => f.source),
      folded: [],
    };
    actors.push(actor);
    for (const i of list) actorOfIndex.set(i, actor);
  }
  const hidden: LoadedCard[] = [];
  for (const f of hiddenOrFolded) {
    const target = f.revokedBy.flatMap((u) => byUuid.get(u) ?? [])[0];
    const actor = target === undefined ? undefined : actorOfIndex.get(target);
    if (actor) actor.folded.push(f.entry);
    else hidden.push(f.entry);
  }
  sortByName(
    actors,
    (a) => displayName((a.cards[0] as LoadedCard).card),
    (p, q) => cmp(p.id, q.id),
  );
  return { actors, hidden, links };
}

/**
 * ... unless it calls one of them by it (its primary name; the others list it as a synonym):
 * then the name still links the cards that sources call so, one per source, and no others
 * (ETDA's and the MISP galaxy's "Iridium", Resecurity's Iranian actor, are one actor; both
 * also list Microsoft's IRIDIUM under Sandworm, which this name does not link).
 */
function primaryHolders(
  facts: readonly CardFacts[],
  list: readonly number[],
  key: string,
): number[] {
  const bySource = new Map<string, number[]>();
  for (const i of list) {
    if (facts[i]?.primary !== key) continue;
    const source = facts[i]?.source ?? '';
    bySource.set(source, [...(bySource.get(source) ?? []), i]);
  }
  return [...bySource.values()].flatMap((held) => (held.length === 1 ? held : []));
}

function link(
  facts: CardFacts[],
  a: number,
  b: number,
  evidence: Evidence[],
  merged: boolean,
  rule: string,
  score = Infinity,
): ActorLink {
  return {
    a: (facts[a] as CardFacts).entry,
    b: (facts[b] as CardFacts).entry,
    evidence,
    score,
    merged,
    rule,
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
