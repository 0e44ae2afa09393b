/**
 * The actor card: one threat actor, as laid out in an ETDA Threat Group Card.
 *
 * The typed fields are what the rest of aptcard reads. `layout` holds only what the typed
 * fields cannot say (a BOM, CRLF line ends, hand-written sections in another order or spacing,
 * unknown sections) so that rendering a parsed card gives back the original bytes.
 */
// An alias is part of the core's contract too (replies carry them): defined there.
import type { Alias } from '../core/types.js';

export type { Alias };

export interface Operation {
  /** The date exactly as written: "2014-08", "2012", "2017 Late", "2019/2020", or "". */
  date: string;
  /** First line after the date: the operation's headline. */
  title: string;
  /** The lines between the headline and the sources, joined with "\n". */
  text: string;
  /** Source links (http/https lines at the end of the entry). */
  sources: string[];
}

/** An ATT&CK (or other STIX attack-pattern) technique the actor uses. */
export interface Technique {
  /** "T1566.001"; empty for a technique with no ATT&CK id (other STIX producers). */
  id: string;
  /** "Phishing: Spearphishing Attachment" (a sub-technique is named after its parent). */
  name: string;
  /** Tactic short names from the kill chain phases: "initial-access". */
  tactics: string[];
}

/** Software (STIX malware or tool) the actor uses. */
export interface Software {
  /** "S0002"; empty when the producer gives no ATT&CK id. */
  id: string;
  name: string;
}

/** A `{{Title}}` cross-link inside the description or an operation. */
export interface CrossLink {
  /** The linked card's title as written inside the braces (without "Subgroup: "). */
  target: string;
  subgroup: boolean;
}

export type KnownSectionKey =
  | 'aliases'
  | 'description'
  | 'sponsorMotivation'
  | 'countries'
  | 'sectors'
  | 'targets'
  | 'tools'
  | 'techniques'
  | 'software'
  | 'operations'
  | 'counterOperations';

export interface ActorCard {
  /** Names from the title line "# Threat actor: A, B, C". */
  names: string[];
  uuid: string;
  firstSeen: string;
  /** "Source last modified" as written (YYYY-MM-DD in ETDA cards). */
  lastModified: string;
  aliases: Alias[];
  /** Description paragraphs, as written (cross-links still in braces). */
  description: string[];
  sponsor: string;
  motivations: string[];
  /** Country of origin; "[Unknown]" cards keep that literal. */
  countries: string[];
  sectors: string[];
  /** Targeted (victim) countries. */
  targets: string[];
  tools: string[];
  /** ATT&CK techniques (from STIX imports); not in the ETDA layout, so written only when set. */
  techniques: Technique[];
  software: Software[];
  operations: Operation[];
  counterOperations: Operation[];
  /** Sections the layout does not know, kept in place. */
  extraSections: ExtraSection[];
  layout?: CardLayout;
}

export interface ExtraSection {
  heading: string;
  /** The section's text, without surrounding blank lines. */
  body: string;
}

/** One piece of the document, in file order. */
/** One piece of the document, in file order: 'header', a known section key, or `extra:N`. */
export type PartId = 'header' | KnownSectionKey | `extra:${number}`;

/**
 * Trivia needed to reproduce a hand-written file byte for byte. Absent on cards in the
 * canonical layout (every ETDA card) and on cards built by importers.
 */
export interface CardLayout {
  bom: boolean;
  crlf: boolean;
  order: PartId[];
  /**
   * Verbatim text for parts whose source differs from the canonical rendering of their fields
   * (heading line included; for the last part, the file's tail too).
   */
  verbatim: Partial<Record<PartId, string>>;
  /** The whole file, kept only when its line ends are mixed (CR LF and LF). */
  mixedEol?: string;
}

/** Where a card came from, for messages and reloads. */
export interface CardSource {
  file: string;
  /** sha256 of the file's bytes. */
  hash: string;
  /** The import that wrote it ("etda", "misp-galaxy:threat-actor", ...), from the folder's
   * import manifest; absent for a hand-written ("local") card. */
  origin?: string;
  /** ATT&CK group ids the import manifest links the card to (ETDA's `mitre-attack`). */
  attackIds?: string[];
}

export interface LoadedCard {
  card: ActorCard;
  source: CardSource;
}

/**
 * Where a lazily loaded card keeps its UUID. A symbol key: JSON, structured clone (the reload
 * worker's reply) and equality checks over the card's fields never see it. Not a WeakMap:
 * thousands of ephemeron entries made the collector's work at start-up larger than the lookups.
 */
const UUID = Symbol('uuid');

/** Where a lazily loaded card's body comes from (a parsed-card cache entry parses on first read). */
export interface CardBody {
  readonly card: ActorCard;
}

const BODY = Symbol('card body');

/**
 * One getter for every lazily loaded card: with a getter of its own each card had a closure, a
 * context and a hidden class of its own (10,000 cards: about 6 MB). An own, enumerable accessor
 * still, so a spread or a structured clone (the reload worker's reply) reads the card.
 */
const LAZY_CARD: PropertyDescriptor = {
  enumerable: true,
  get(this: { [BODY]: CardBody }) {
    return this[BODY].card;
  },
};

/**
 * A loaded card whose body is `body.card`, read on first access (a card read from the
 * parsed-card cache is parsed from its JSON only when something reads it; the cache entry
 * keeps its names and filterable fields, and reads its large text from the JSON again when
 * asked for: src/catalog/lazy-card.ts). Its UUID is known up front.
 */
export function lazyLoadedCard(source: CardSource, uuid: string, body: CardBody): LoadedCard {
  const entry = { source, [UUID]: uuid };
  // Not enumerable: spreads, clones and equality checks see the card, not where it came from.
  Object.defineProperty(entry, BODY, { value: body });
  Object.defineProperty(entry, 'card', LAZY_CARD);
  return entry as unknown as LoadedCard;
}

/** The card's UUID, without parsing a lazily loaded card's body. */
export function cardUuid(entry: LoadedCard): string {
  return (entry as { [UUID]?: string })[UUID] ?? entry.card.uuid;
}

export const SECTION_HEADINGS: Record<KnownSectionKey, string> = {
  aliases: 'Threat actor aliases',
  description: 'Description',
  sponsorMotivation: 'Sponsor type and motivation',
  countries: 'Country of origin',
  sectors: 'Observed attacked sectors where victims operate in',
  targets: 'Observed attacked countries where victims operate in',
  tools: 'Observed usage of tools',
  techniques: 'Techniques',
  software: 'Software',
  operations: 'Reported hacking operations',
  counterOperations: 'Reported counter operations against threat actor',
};

export const SECTION_ORDER: KnownSectionKey[] = [
  'aliases',
  'description',
  'sponsorMotivation',
  'countries',
  'sectors',
  'targets',
  'tools',
  'techniques',
  'software',
  'operations',
  'counterOperations',
];

/** The card's display name: its first title name, or its first alias. */
export function displayName(card: ActorCard): string {
  return card.names[0] ?? card.aliases[0]?.name ?? card.uuid;
}

/** Every name a card answers to: title names and aliases, de-duplicated, in card order. */
export function allNames(card: ActorCard): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of [...card.names, ...card.aliases.map((a) => a.name)]) {
    if (n && !seen.has(n)) {
      seen.add(n);
      out.push(n);
    }
  }
  return out;
}

export function emptyCard(uuid = ''): ActorCard {
  return {
    names: [],
    uuid,
    firstSeen: '',
    lastModified: '',
    aliases: [],
    description: [],
    sponsor: '',
    motivations: [],
    countries: [],
    sectors: [],
    targets: [],
    tools: [],
    techniques: [],
    software: [],
    operations: [],
    counterOperations: [],
    extraSections: [],
  };
}
