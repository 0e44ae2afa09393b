import type { ActorCard } from '../cards/model.js';

/** One card built from one record of an export. */
export interface ImportedCard {
  /** The record's position in the input (0-based), for messages. */
  index: number;
  /** The UUID as the catalog reads it: lower case, no spaces. */
  uuid: string;
  card: ActorCard;
  /**
   * ATT&CK group ids (G0007) the source links this record to, when the card text has no room
   * for them (an ETDA card stays ETDA's layout): kept in the import manifest beside the card.
   */
  ids?: string[];
}

/** Every card built from one input file, all checked before anything is written. */
export interface ImportBatch {
  /**
   * The source, part of the key an import is matched by on a re-run ("etda",
   * "misp-galaxy:threat-actor", "misp-galaxy:mitre-intrusion-set").
   */
  source: string;
  cards: ImportedCard[];
  /** Notes about the input that are not errors (e.g. a UUID written with a space). */
  warnings: string[];
  /**
   * UUIDs the source itself withdrew (STIX: revoked or deprecated): a re-run removes their
   * earlier cards, as --prune would, unless they were edited by hand.
   */
  retired?: string[];
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID as the card parser reads it ("...17c9 1" -> "...17c91"), or undefined if invalid. */
export function normalizeUuid(raw: string): string | undefined {
  const compact = raw.replace(/\s+/g, '');
  return UUID_RE.test(compact) ? compact.toLowerCase() : undefined;
}

/** At most this many records per input: a 10,000-card catalog is large; this is far past it. */
export const MAX_RECORDS = 100_000;
/** Problems listed before "... and N more". */
export const MAX_PROBLEMS = 20;

export function problemList(what: string, problems: string[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS).map((p) => `  - ${p}`);
  const more =
    problems.length > MAX_PROBLEMS ? [`  ... and ${problems.length - MAX_PROBLEMS} more`] : [];
  return [`${what}: ${problems.length} problem(s); nothing was written:`, ...shown, ...more].join(
    '\n',
  );
}
