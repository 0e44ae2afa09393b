/**
 * The core's contract, in one file that imports nothing of the project: what an adapter hands
 * the bot (BotRequest), what the bot answers (Reply and the views inside it, before any platform
 * shapes them), what a button does (BotAction), and the enrichment interfaces the bot is given.
 * Adapters render replies with pure functions (Block Kit, Discord embeds, plain text); nothing
 * here knows a platform. A new reply kind added here makes the type checker list every renderer.
 */

/** An alias with the vendor who coined it. */
export interface Alias {
  /** The name as written, e.g. "APT 21" or "Cyber Caliphate Army (CCA)". */
  name: string;
  /** Who coined it, e.g. "Mandiant"; empty when the card names no vendor. */
  vendor: string;
}

/** A field the merged sources disagree on, with who says what. */
export interface Disagreement {
  field: 'Country' | 'Sponsor' | 'Motivation';
  values: { value: string; sources: string[] }[];
}

/** One source of a merged profile, with its own page. */
export interface SourceRef {
  source: string;
  /** "ETDA", "MISP galaxy", "MITRE ATT&CK", "local". */
  label: string;
  uuid: string;
  file: string;
  /** The source's own page for this entry, when it has one. */
  url?: string;
}

export interface SourceCount {
  /** "ETDA", "MISP galaxy (threat-actor)", "hand-written". */
  name: string;
  cards: number;
}

/** What `/apt status` reports. */
export interface CatalogStatus {
  /** Actors answered for: cards of several sources describing one actor count once. */
  actors: number;
  cards: number;
  /** Largest first. */
  sources: SourceCount[];
  /** The newest "Source last modified" of any card (YYYY-MM-DD as written), or "". */
  newestChange: string;
  /** Files skipped because they are not cards. */
  skipped: number;
}

/** Why a card is offered for a name no card has. */
export type SuggestionReason = 'same-prefix' | 'same-number' | 'similar-name';

/** "thanks", "hello", "ok", "bye". */
export type SmallTalk = 'greeting' | 'thanks' | 'ack' | 'farewell';

/** What an adapter hands the core: a platform payload reduced to what the bot needs. */
export interface BotRequest {
  /** command: /apt; mention: @aptcard ...; message: any channel message; action: a button. */
  kind: 'command' | 'mention' | 'message' | 'action';
  /** The query, the message text (bot mention removed), or an encoded action. */
  text: string;
  platform: string;
  channel?: string;
  user?: string;
  /** The platform's id of the message, so an edit is known as the same message. */
  messageId?: string;
  edited?: boolean;
  /** Written by a bot (including this one): never enriched. */
  fromBot?: boolean;
  /** The channel a thread belongs to (Discord threads have ids of their own): its settings apply. */
  parent?: string;
  /**
   * Where enrichment is opt-in (Discord): whether the environment lists this channel
   * (DISCORD_ENRICH_CHANNELS). Absent: every channel is on unless the environment says otherwise.
   */
  listed?: boolean;
  /** For `/apt settings` and "Not this actor": what the platform says about this user and channel. */
  access?: SettingsAccess;
}

/** The platform's rules for changing a channel's settings, as the adapter knows them. */
export interface SettingsAccess {
  /** May this user change this channel's settings? Asked only for a change (it may call the API). */
  mayChange(): Promise<boolean> | boolean;
  /** Who may, in the platform's words ("workspace admins and owners ..."), for a refusal. */
  whoMayChange: string;
  /** Why automatic cards cannot run in this channel whatever the settings say, if they cannot. */
  cannotEnrich?: string;
}

/** An enrichment reply: the lines a message shows. */
export type EnrichmentReply = Extract<Reply, { kind: 'enrichment' }>;

/** What "Not this actor" gives an adapter: a private notice, and the message's lines now. */
export interface MuteResult {
  notice: Reply;
  /** The lines the pressed message keeps (none: delete it); null: leave it as it is. */
  lines: EnrichmentReply | null;
}

/** What `/apt settings ...` asks for (the words after "settings", parsed). */
export type SettingsChange =
  | { type: 'show' }
  | { type: 'enable' }
  | { type: 'disable' }
  | { type: 'cooldown'; minutes: number }
  | { type: 'mute'; name: string }
  | { type: 'unmute'; name: string }
  /** Back to the environment's settings. */
  | { type: 'reset' };

/** A request `Bot.handle` answers at once: anything but an ordinary channel message. */
export type DirectRequest = BotRequest & { kind: Exclude<BotRequest['kind'], 'message'> };

/**
 * Turns channel messages into enrichment replies (src/detect/). `Index` is the catalog's search
 * index: the core passes its own, so this file needs no import of it.
 */
export interface Enricher<Index> {
  /** Async: its cooldowns and per-message records are claims in the state store. */
  enrich(request: BotRequest, index: Index): Promise<Reply | null> | Reply | null;
  /**
   * An edited message whose earlier reply shows the actors `posted`: the reply's new lines (an
   * empty enrichment: delete it), or null to leave it as it is.
   */
  revise?(request: BotRequest, index: Index, posted: readonly string[]): Promise<Reply | null>;
  /** `/apt settings <args>` in a channel: show or change its settings (src/detect/controls.ts). */
  settings?(request: BotRequest, args: string): Promise<Reply>;
  /**
   * "Not this actor" on a message showing the actors `shown`: mute the actor `uuid` in the
   * channel, and say which lines the message keeps.
   */
  notThisActor?(
    request: BotRequest,
    uuid: string,
    shown: readonly string[],
    index: Index,
  ): Promise<MuteResult>;
}

/**
 * Finds the actors a text names (src/detect/): "@aptcard who is TEMP.Zhenbao?" answers the one
 * card it names. Injected into the bot, so the core does not depend on the detector.
 */
export interface AliasScanner<Index, Card> {
  /** The cards a text names, each once, in order. */
  actorsIn(text: string, index: Index): readonly Card[];
  /**
   * Are the cards a text names all named by one name, which they share ("who is Iron Tiger?")?
   * Absent: never.
   */
  oneSharedNameIn?(text: string, index: Index): boolean;
  /** The names the text writes that were not taken for actors (detector.ts `declined`). */
  declinedIn?(text: string, index: Index): readonly DeclinedName[];
}

/** A name turned down as written (a lower-case "lazarus": also an English word), and whose it is. */
export interface DeclinedName {
  written: string;
  /** The actors it is a name of. */
  names: string[];
}

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

/** A channel's automatic-card settings, as `/apt settings` shows them. */
export interface SettingsView {
  enabled: boolean;
  cooldownMinutes: number;
  /** Names muted here, each with who muted it (a platform user id) when that is known. */
  muted: { name: string; by?: string }[];
  /** The fields set from chat; the others are the environment's defaults. */
  fromChat: ('enabled' | 'cooldownMinutes' | 'muted')[];
  /** Who changed them last (a platform user id: shown by name, never pinged) and when (ISO). */
  updatedBy?: string;
  updatedAt?: string;
  /** Who may change them, in the platform's words ("members with Manage Channels"). */
  whoMayChange?: string;
  /** Why automatic cards cannot run here whatever these say (Discord without Message Content). */
  blocked?: string;
}

/** What a `/apt settings` request or a "Not this actor" press did. */
export type SettingsOutcome =
  | { type: 'shown' }
  /** `unchanged`: it changed nothing (muting a muted name, unmuting one that was not). */
  | { type: 'changed'; change: Exclude<SettingsChange, { type: 'show' }>; unchanged?: boolean }
  /** This user may not change them: `SettingsView.whoMayChange` says who may. */
  | { type: 'refused' }
  /** Words after "settings" that are not a settings command. */
  | { type: 'invalid'; problem: string }
  /** "on" where automatic cards cannot run: `SettingsView.blocked` says why. */
  | { type: 'blocked' };

/**
 * Which part of a card a reply shows. Every card answer opens with the first screen
 * (src/reply/first-screen.ts); the full card, the operations page by page, all the techniques
 * and the sources with every reference are one action away (src/reply/next.ts).
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
      /** A mention's other names, not looked up as written: every surface says so. */
      declined?: readonly DeclinedName[];
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
  | {
      kind: 'enrichment';
      actors: CompactActor[];
      /** A mention asked about these ("is this APT29 or Turla?"): no "Not this actor" to offer. */
      asked?: true;
      /** A mention's other names, not looked up as written: every surface says so. */
      declined?: readonly DeclinedName[];
    }
  /** A card's targets map and activity timeline as PNG; a picture that failed is absent. */
  | {
      kind: 'pictures';
      actor: { uuid: string; name: string };
      map?: { png: Buffer; notOnMap: readonly string[] };
      timeline?: { png: Buffer };
    }
  /** This channel's automatic-card settings, after what the request did to them (private). */
  | { kind: 'settings'; settings: SettingsView; outcome: SettingsOutcome }
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
  | { type: 'list'; query: string; page: number }
  /** "Not this actor": mute this actor's name in the channel and hide its line. */
  | { type: 'mute'; uuid: string };
