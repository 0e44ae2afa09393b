import {
  type ActorCard,
  type Alias,
  displayName,
  type LoadedCard,
  type Operation,
} from '../cards/model.js';
import { formatAlias } from '../cards/render.js';
import {
  type Catalog,
  findCrossLinks,
  linkableTexts,
  withoutLinkBraces,
} from '../catalog/catalog.js';
import { sourceLabel } from '../catalog/profile.js';
import type {
  ActorRef,
  CardView,
  CompactActor,
  OperationView,
  ReferenceView,
  Reply,
  SuggestionRef,
  TextSegment,
} from '../core/types.js';
import { describeIdentifier } from '../search/identifiers.js';
import type { SearchAnswer, SearchIndex } from '../search/index.js';
import { compactKey } from '../search/normalize.js';
import { operationDateRange } from '../search/query.js';
import { rankTools } from './first-screen.js';
import { referencesOf, techniquesView } from './techniques.js';

export const OPERATIONS_PER_PAGE = 5;
export const LIST_PAGE_SIZE = 10;

/** A reference to an actor; with the catalog, it also names the sources holding it. */
export function actorRef(entry: LoadedCard, catalog?: Catalog): ActorRef {
  const { card } = entry;
  const name = displayName(card);
  const sources = catalog ? sourcesOf(entry, catalog) : undefined;
  return {
    uuid: card.uuid,
    name,
    country: card.countries.join(', '),
    aliases: card.aliases
      .map((a) => a.name)
      .filter((n) => n !== name)
      .slice(0, 3),
    ...(sources ? { sources: sources.map((s) => s.label) } : {}),
  };
}

/** The sources of the actor holding this card; undefined for a lone hand-written card. */
function sourcesOf(entry: LoadedCard, catalog: Catalog) {
  const profile = catalog.actorOf(entry.card.uuid)?.profile;
  if (!profile) return undefined;
  const { sources } = profile;
  // A lone hand-written card, or the bundled sample alone, has no source worth a line.
  const lone = sources.length === 1 && ['local', 'sample'].includes(sources[0]?.source ?? '');
  return lone ? undefined : shownOnce(sources);
}

/**
 * One line per source as a reader sees it: the ATT&CK group in the MISP galaxy's copy and in
 * ATT&CK's own bundle is one "MITRE ATT&CK" with one page. The data (search --json) keeps both.
 */
function shownOnce<T extends { label: string; url?: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((s) => {
    const key = `${s.label}\u0000${s.url ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Split `{{...}}` cross-links out of a text, resolving each against the catalog. */
export function segments(text: string, catalog: Catalog): TextSegment[] {
  const out: TextSegment[] = [];
  let at = 0;
  for (const link of findCrossLinks(text)) {
    if (link.index > at) out.push({ kind: 'text', text: text.slice(at, link.index) });
    const target = catalog.resolveLink(link.target);
    out.push({
      kind: 'link',
      text: link.target,
      subgroup: link.subgroup,
      ...(target ? { uuid: target.card.uuid } : {}),
    });
    at = link.index + link.raw.length;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

/**
 * Newest first; undated operations last, in card order.
 * The rule for vague dates: a period ("2023 Early", "2017 Late", "2019/2020", "2023") takes
 * its place by the month it starts in, so it never rises above a dated month it may contain
 * ("2023-08" before "2023 Early"); when a month and a period start together, the month comes
 * first, being the more precise. The same rule on every platform, since all render this list.
 */
export function newestFirst(ops: readonly Operation[]): Operation[] {
  // Parse each date once, not once per comparison (a card can have 80+ operations).
  return ops
    .map((op, i) => {
      const range = operationDateRange(op.date);
      return { op, i, start: range?.[0] ?? -1, span: range ? range[1] - range[0] : 0 };
    })
    .sort((a, b) => b.start - a.start || a.span - b.span || a.i - b.i)
    .map(({ op }) => op);
}

function operationView(op: Operation): OperationView {
  return {
    date: op.date,
    title: withoutLinkBraces(op.title),
    text: withoutLinkBraces(op.text),
    sources: [...op.sources],
  };
}

/** Every source's references of a merged profile, each URL once, the lead card's first. */
function mergedReferences(cards: readonly LoadedCard[]): ReferenceView[] {
  const byUrl = new Map<string, ReferenceView>();
  for (const c of cards) {
    for (const r of referencesOf(c.card)) if (!byUrl.has(r.url)) byUrl.set(r.url, r);
  }
  return [...byUrl.values()];
}

/**
 * Aliases most used across the sources first (listed by three sources before one); in card order
 * otherwise, so a one-source card keeps its own order.
 */
function byUse(
  aliases: readonly Alias[],
  sources: ReadonlyMap<string, readonly string[]> | undefined,
): Alias[] {
  const uses = (a: Alias) =>
    sources?.get(compactKey(a.name))?.length ?? sources?.get(a.name)?.length ?? 1;
  return aliases
    .map((a, i) => ({ a: { ...a }, i, n: uses(a) }))
    .sort((x, y) => y.n - x.n || x.i - y.i)
    .map((x) => x.a);
}

interface PreparedCard {
  /** Everything but the operations page. */
  base: Omit<CardView, 'operations' | 'operationsPage'>;
  /** Every operation, newest first, as shown. */
  operations: OperationView[];
}

/**
 * The page-independent part of a card view, made once per card and catalog: resolving
 * cross-links and sorting operations is most of the core's work for a big card, and a busy
 * channel asks for the same cards again and again. Catalogs are immutable, so this never
 * goes stale; it goes with the catalog.
 */
const prepared = new WeakMap<Catalog, WeakMap<LoadedCard, PreparedCard>>();

function prepare(entry: LoadedCard, catalog: Catalog): PreparedCard {
  const perCatalog = prepared.get(catalog) ?? new WeakMap<LoadedCard, PreparedCard>();
  prepared.set(catalog, perCatalog);
  const hit = perCatalog.get(entry);
  if (hit) return hit;
  const { card } = entry;
  const related: (ActorRef & { subgroup: boolean })[] = [];
  const seen = new Set<string>([card.uuid]);
  for (const text of linkableTexts(card)) {
    for (const link of findCrossLinks(text)) {
      const target = catalog.resolveLink(link.target);
      if (target && !seen.has(target.card.uuid)) {
        seen.add(target.card.uuid);
        related.push({ ...actorRef(target, catalog), subgroup: link.subgroup });
      }
    }
  }
  const operations = newestFirst(card.operations).map(operationView);
  const sources = sourcesOf(entry, catalog);
  const profile = catalog.actorOf(card.uuid)?.profile;
  const disagreements = profile?.disagreements ?? [];
  const tools = card.tools.map(withoutLinkBraces);
  const latest = operations.slice(0, OPERATIONS_PER_PAGE).map((op) => `${op.title} ${op.text}`);
  const latestActivity = operations.find((op) => operationDateRange(op.date))?.date;
  const otherDescriptions = shownOnce(
    (profile?.otherDescriptions ?? []).map((d) => ({ label: sourceLabel(d.source), d })),
  ).map(({ label, d }) => ({ label, paragraphs: d.paragraphs.map((p) => segments(p, catalog)) }));
  const made: PreparedCard = {
    operations,
    base: {
      uuid: card.uuid,
      name: displayName(card),
      otherNames: card.names.slice(1),
      aliases: byUse(card.aliases, profile?.aliasSources),
      firstSeen: card.firstSeen,
      lastModified: card.lastModified,
      countries: [...card.countries],
      sponsor: card.sponsor,
      motivations: [...card.motivations],
      sectors: [...card.sectors],
      targets: [...card.targets],
      tools,
      keyTools: rankTools(tools, latest, card.description),
      ...(latestActivity ? { latestActivity } : {}),
      techniques: techniquesView(card),
      software: card.software.map((s) => ({ ...s })),
      references: mergedReferences(catalog.actorOf(card.uuid)?.cards ?? [entry]),
      description: card.description.map((p) => segments(p, catalog)),
      operationsTotal: operations.length,
      operationsPageCount: Math.max(1, Math.ceil(operations.length / OPERATIONS_PER_PAGE)),
      counterOperations: newestFirst(card.counterOperations).map(operationView),
      related,
      ...(sources ? { sources } : {}),
      ...(disagreements.length ? { disagreements } : {}),
      ...(otherDescriptions.length ? { otherDescriptions } : {}),
    },
  };
  perCatalog.set(entry, made);
  return made;
}

/** A card as replies show it, with one page of its operations (newest first). */
export function cardView(entry: LoadedCard, catalog: Catalog, operationsPage = 0): CardView {
  const { base, operations } = prepare(entry, catalog);
  const page = Math.min(Math.max(0, operationsPage), base.operationsPageCount - 1);
  return {
    ...base,
    operations: operations.slice(page * OPERATIONS_PER_PAGE, (page + 1) * OPERATIONS_PER_PAGE),
    operationsPage: page,
  };
}

/** A card with every operation on one page (the command line's `show --all`). */
export function fullCardView(entry: LoadedCard, catalog: Catalog): CardView {
  const { base, operations } = prepare(entry, catalog);
  return { ...base, operations, operationsPage: 0, operationsPageCount: 1 };
}

export function compactActor(card: ActorCard, entry: LoadedCard, matched: string[]): CompactActor {
  return {
    ...actorRef(entry),
    firstSeen: card.firstSeen,
    topAliases: card.aliases.slice(0, 3).map(formatAlias),
    matched,
  };
}

/** Turn a search answer into the reply adapters render. */
export function replyFor(answer: SearchAnswer, index: SearchIndex, page = 0): Reply {
  const { catalog } = index;
  const entries = (hits: SearchAnswer['results']) =>
    hits.flatMap((h) => {
      const e = catalog.profileOf(h.uuid);
      return e ? [e] : [];
    });
  switch (answer.outcome) {
    case 'profile': {
      const [first] = entries(answer.results);
      if (!first) return noMatch(answer);
      const card = cardView(first, catalog);
      const also = entries(answer.alsoNamed ?? []).map((e) => actorRef(e, catalog));
      const shown = also.length ? { ...card, alsoNamed: also } : card;
      return answer.match === 'closest'
        ? {
            kind: 'card',
            card: shown,
            closest: { query: answer.query, name: answer.closestName ?? card.name },
          }
        : { kind: 'card', card: shown };
    }
    case 'ambiguous':
      return {
        kind: 'ambiguous',
        query: answer.query,
        reason: answer.reason ?? 'close',
        candidates: entries(answer.results).map((e) => actorRef(e, catalog)),
      };
    case 'list': {
      const all = entries(answer.results);
      const pageCount = Math.max(1, Math.ceil(all.length / LIST_PAGE_SIZE));
      const p = Math.min(Math.max(0, page), pageCount - 1);
      return {
        kind: 'list',
        query: answer.query,
        total: all.length,
        page: p,
        pageCount,
        items: all
          .slice(p * LIST_PAGE_SIZE, (p + 1) * LIST_PAGE_SIZE)
          .map((e) => actorRef(e, catalog)),
      };
    }
    case 'none': {
      const suggestions = answer.suggestions.flatMap((s): SuggestionRef[] => {
        const e = catalog.byUuid.get(s.uuid);
        return e
          ? [{ ...actorRef(e, catalog), why: s.why, ...(s.alias ? { alias: s.alias } : {}) }]
          : [];
      });
      return noMatch(answer, suggestions);
    }
  }
}

function noMatch(answer: SearchAnswer, suggestions: SuggestionRef[] = []): Reply {
  return {
    kind: 'none',
    query: answer.query,
    suggestions,
    ...(answer.identifier ? { missingId: describeIdentifier(answer.identifier) } : {}),
  };
}
