import { type ActorCard, allNames, displayName, type LoadedCard } from '../cards/model.js';
import { compactKey, normalize } from '../search/normalize.js';

export interface CatalogIssue {
  level: 'error' | 'warning';
  file: string;
  /** 1-based; 0 when the issue is about the file or the catalog as a whole. */
  line: number;
  message: string;
}

/** A loaded, immutable set of cards. A reload builds a new one; nothing mutates this. */
export interface Catalog {
  /** Cards sorted by display name (case-insensitive). */
  readonly cards: readonly LoadedCard[];
  readonly byUuid: ReadonlyMap<string, LoadedCard>;
  readonly issues: readonly CatalogIssue[];
  /** Resolve a `{{Title}}` cross-link to a card, if the catalog has it. */
  resolveLink(target: string): LoadedCard | undefined;
}

const CROSS_LINK_RE = /\{\{(.+?)\}\}/g;
/** One collator for all sorting: localeCompare with options builds a new one per call. */
const BY_NAME = new Intl.Collator('en', { sensitivity: 'base' });

export interface CrossLinkMatch {
  /** The full "{{...}}" text. */
  raw: string;
  target: string;
  subgroup: boolean;
  index: number;
}

export function findCrossLinks(text: string): CrossLinkMatch[] {
  const out: CrossLinkMatch[] = [];
  for (const m of text.matchAll(CROSS_LINK_RE)) {
    const inner = (m[1] ?? '').trim();
    const sub = /^subgroup:\s*/i.exec(inner);
    out.push({
      raw: m[0],
      target: sub ? inner.slice(sub[0].length).trim() : inner,
      subgroup: sub !== null,
      index: m.index ?? 0,
    });
  }
  return out;
}

/** "{{Subgroup: X}}" -> "X": cross-links as plain names, for text shown without links. */
export function withoutLinkBraces(text: string): string {
  return text.replace(CROSS_LINK_RE, (_, inner: string) =>
    inner.replace(/^\s*subgroup:\s*/i, '').trim(),
  );
}

/** Every text of a card that may hold cross-links (ETDA puts them in tools too). */
export function linkableTexts(card: ActorCard): string[] {
  return [
    ...card.description,
    ...card.tools,
    ...[...card.operations, ...card.counterOperations].flatMap((op) => [op.title, op.text]),
  ];
}

export function buildCatalog(loaded: LoadedCard[], issues: CatalogIssue[] = []): Catalog {
  const all = [...issues];
  const byUuid = new Map<string, LoadedCard>();
  const kept: LoadedCard[] = [];
  for (const entry of loaded) {
    const prior = byUuid.get(entry.card.uuid);
    if (prior) {
      all.push({
        level: 'error',
        file: entry.source.file,
        line: 0,
        message: `duplicate UUID ${entry.card.uuid} (also in ${prior.source.file}); this copy is skipped`,
      });
      continue;
    }
    byUuid.set(entry.card.uuid, entry);
    kept.push(entry);
  }
  kept.sort((a, b) => BY_NAME.compare(displayName(a.card), displayName(b.card)));

  // Cross-links hold the linked card's title ("Winnti Group, Blackfly, Wicked Panda");
  // a link naming one of its names also resolves when that name is unique.
  const byTitle = new Map<string, LoadedCard>();
  const byName = new Map<string, LoadedCard | null>();
  for (const entry of kept) {
    byTitle.set(normalize(entry.card.names.join(', ')), entry);
    for (const name of allNames(entry.card)) {
      const key = compactKey(name);
      const other = byName.get(key);
      byName.set(key, other === undefined || other === entry ? entry : null);
    }
  }
  const resolveLink = (target: string): LoadedCard | undefined =>
    byTitle.get(normalize(target)) ?? byName.get(compactKey(target)) ?? undefined;

  for (const entry of kept) {
    const { card, source } = entry;
    if (card.aliases.length === 0) {
      all.push({ level: 'warning', file: source.file, line: 0, message: 'no aliases listed' });
    }
    for (const text of linkableTexts(card)) {
      for (const link of findCrossLinks(text)) {
        if (!resolveLink(link.target)) {
          all.push({
            level: 'warning',
            file: source.file,
            line: 0,
            message: `cross-link ${link.raw} names no card in this catalog`,
          });
        }
      }
    }
  }
  const owners = new Map<string, Set<LoadedCard>>();
  for (const entry of kept) {
    for (const alias of entry.card.aliases) {
      const key = compactKey(alias.name);
      const set = owners.get(key) ?? new Set<LoadedCard>();
      owners.set(key, set);
      set.add(entry);
    }
  }
  for (const [, set] of owners) {
    if (set.size < 2) continue;
    const cards = [...set];
    const alias = cards[0]?.card.aliases.find((a) => owners.get(compactKey(a.name)) === set);
    all.push({
      level: 'warning',
      file: cards.map((c) => c.source.file).join(', '),
      line: 0,
      message: `alias "${alias?.name ?? '?'}" is shared by ${cards.length} cards: ${cards.map((c) => displayName(c.card)).join('; ')}`,
    });
  }
  return { cards: kept, byUuid, issues: all, resolveLink };
}
