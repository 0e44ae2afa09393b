/**
 * The neutral reply: what the core answers, before any platform shapes it. Adapters render
 * these with pure functions (Block Kit, Discord embeds, plain text); nothing here knows a platform.
 */
import type { Alias } from '../cards/model.js';
import type { Disagreement, SourceRef } from '../catalog/profile.js';
import type { CatalogStatus } from '../catalog/status.js';
import type { SuggestionReason } from '../search/near-miss.js';
import type { SmallTalk } from '../search/smalltalk.js';

/** A reference to another card, e.g. a candidate, a suggestion or a cross-link. */
export interface ActorRef {
  uuid: string;
  name: string;
  /** Country of origin, joined ("China"; "[Unknown]" as written). */
  country: string;
  /** A few other names, for telling candidates apart. */
  aliases: string[];
  /** The sources holding this actor ("ETDA", "MISP galaxy", ...); absent for a lone local card. */
  sources?: string[];
}

/** A did-you-mean card, with why it is offered ("same prefix") and the name that earned it. */
export interface SuggestionRef extends ActorRef {
  /** Absent: offered for a similar name. */
  why?: SuggestionReason;
  /** The card's name that is like the query ("Group 13"), when it is not the card's title. */
  alias?: string;
}

/** Description text with `{{...}}` cross-links split out. */
export type TextSegment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; subgroup: boolean; uuid?: string };

export interface OperationView {
  date: string;
  title: string;
  text: string;
  sources: string[];
}

export interface TacticGroupView {
  /** Tactic short name, "initial-access" ("other" for techniques with none). */
  tactic: string;
  readonly techniques: readonly { id: string; name: string }[];
}

export interface TechniquesView {
  /** Distinct techniques (one may sit under several tactics). */
  total: number;
  /** Tactics with the most techniques first. */
  readonly tactics: readonly TacticGroupView[];
  /** The ATT&CK group page, or "". */
  attackUrl: string;
}

export interface ReferenceView {
  /** As the card labels it; "" for a bare URL. */
  label: string;
  url: string;
}

/** Shared between replies (prepared once per card): renderers read it, never change it. */
export interface CardView {
  uuid: string;
  name: string;
  /** Title names after the first. */
  readonly otherNames: readonly string[];
  readonly aliases: readonly Alias[];
  firstSeen: string;
  lastModified: string;
  readonly countries: readonly string[];
  sponsor: string;
  readonly motivations: readonly string[];
  readonly sectors: readonly string[];
  readonly targets: readonly string[];
  readonly tools: readonly string[];
  /** The same tools by relevance (named in the latest operations or the description first). */
  readonly keyTools?: readonly string[];
  /** The date of the newest dated operation, as written; absent when none is dated. */
  latestActivity?: string;
  readonly techniques: TechniquesView;
  readonly software: readonly { id: string; name: string }[];
  readonly references: readonly ReferenceView[];
  /** One entry per paragraph. */
  readonly description: readonly (readonly TextSegment[])[];
  /** Operations, newest first; `operationsPage` of them are shown. */
  readonly operations: readonly OperationView[];
  operationsTotal: number;
  operationsPage: number;
  operationsPageCount: number;
  readonly counterOperations: readonly OperationView[];
  /** Cards linked from the description and operations, in order of first mention. */
  readonly related: readonly (ActorRef & { subgroup: boolean })[];
  /** The sources merged into this profile, each with its link; absent for a lone local card. */
  readonly sources?: readonly SourceRef[];
  /** Fields the sources disagree on. */
  readonly disagreements?: readonly Disagreement[];
  /** What the other sources of a merged profile say, each description under its source's label. */
  readonly otherDescriptions?: readonly {
    label: string;
    paragraphs: readonly (readonly TextSegment[])[];
  }[];
  /** Other actors that carry the name this profile was found by. */
  readonly alsoNamed?: readonly ActorRef[];
}

/** One line of automatic enrichment: who was mentioned and how. */
export interface CompactActor extends ActorRef {
  firstSeen: string;
  /** Top aliases with their vendors, e.g. "APT 21 (Mandiant)". */
  topAliases: string[];
  /** The alias forms seen in the message. */
  matched: string[];
}

/**
 * Which part of a card a reply shows. Every card answer opens with the first screen
 * (./first-screen.ts); the full card, the operations page by page, all the techniques and the
 * sources with every reference are one action away (./next.ts).
 */
export type CardPart = 'first' | 'full' | 'operations' | 'techniques' | 'sources';

/** The parts reached by an action of their own (the operations are reached by page). */
export type OtherPart = Extract<CardPart, 'full' | 'techniques' | 'sources'>;

export type Reply =
  | {
      kind: 'card';
      card: CardView;
      /** Absent: the first screen. */
      part?: CardPart;
      /** The card is only the closest match for this query (fuzzy): every surface says so. */
      closest?: { query: string; name: string };
    }
  | {
      kind: 'ambiguous';
      query: string;
      /** 'shared-alias': the name belongs to several cards; 'close': scores too close to pick. */
      reason: 'shared-alias' | 'close';
      candidates: ActorRef[];
    }
  | {
      kind: 'list';
      query: string;
      total: number;
      page: number;
      pageCount: number;
      items: ActorRef[];
    }
  | {
      kind: 'none';
      query: string;
      suggestions: SuggestionRef[];
      /** The query was an identifier no card has: "the ATT&CK group id G0007". */
      missingId?: string;
    }
  | { kind: 'help'; topic: 'usage' | 'empty' }
  /** "thanks", "hello": a short friendly line, never a list of actors. */
  | { kind: 'smalltalk'; mood: SmallTalk }
  /** What the bot answers from: counts, sources and how recent the data is. */
  | { kind: 'status'; status: CatalogStatus }
  | { kind: 'enrichment'; actors: CompactActor[] }
  /** A card's targets map and activity timeline as PNG; a picture that failed is absent. */
  | {
      kind: 'pictures';
      actor: { uuid: string; name: string };
      map?: { png: Buffer; notOnMap: readonly string[] };
      timeline?: { png: Buffer };
    }
  | { kind: 'error'; message: string };

/**
 * What a button does. Encoded into a short string (Discord custom_id is at most 100 characters)
 * by `encodeAction` in ./actions.ts.
 */
export type BotAction =
  | { type: 'show'; uuid: string }
  | { type: 'ops'; uuid: string; page: number }
  | { type: 'part'; part: OtherPart; uuid: string }
  | { type: 'pictures'; uuid: string }
  | { type: 'list'; query: string; page: number };
