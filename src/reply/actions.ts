import { createHash } from 'node:crypto';
import type { BotAction, OtherPart } from '../core/types.js';

/** Discord's custom_id limit, the default; Slack's renderer passes its own (2,000). */
export const MAX_ACTION_LENGTH = 100;

/**
 * List queries too long for a button (queries go up to 500 characters), by a short id of
 * their text: the buttons carry "qref:<page>:<id>". Kept in memory, the most recently used
 * LONG_QUERIES of them, and written to the state store (setQueryRefSink) so that a restart or
 * another replica can read them back; a button whose query is gone answers that it has expired.
 */
const LONG_QUERIES = 1000;
/** How long a long-query button keeps working through the state store. */
export const QUERY_REF_TTL_MS = 30 * 24 * 3600_000;
const longQueries = new Map<string, string>();
const QUERY_REF = 'qref';

/** Where long queries are also written, so their buttons outlive a restart (see Bot). */
type QueryRefSink = (id: string, query: string) => void;
let sink: QueryRefSink | undefined;

/**
 * Also hand every newly remembered long query to `next` (the bot writes it to the state store).
 * One per process: the last bot constructed with a store wins.
 */
export function setQueryRefSink(next: QueryRefSink | undefined): void {
  sink = next;
}

/** The id of a long-query button ("qref:<page>:<id>"), or undefined for any other value. */
export function queryRefId(value: string): string | undefined {
  const [type, , id] = value.split(':');
  return type === QUERY_REF && id ? id : undefined;
}

/** Keep a query read back from the state store (after a restart, or from another replica). */
export function restoreQuery(id: string, query: string): void {
  // Content-addressed: a stored value under a different hash is not this button's query.
  if (queryId(query) === id) touch(id, query);
}

function queryId(query: string): string {
  return createHash('sha256').update(query).digest('base64url').slice(0, 16);
}

/** Keep (or keep again) a query as the most recently used, dropping the least recent. */
function touch(id: string, query: string): void {
  longQueries.delete(id);
  longQueries.set(id, query);
  if (longQueries.size > LONG_QUERIES) {
    const oldest = longQueries.keys().next().value;
    if (oldest !== undefined) longQueries.delete(oldest);
  }
}

function rememberQuery(query: string): string {
  const id = queryId(query);
  if (!longQueries.has(id)) sink?.(id, query);
  touch(id, query);
  return id;
}

/** Forget every long query this process keeps in memory: what a restart does (for tests). */
export function forgetLongQueries(): void {
  longQueries.clear();
}

/** Is this a long-query button whose query is no longer kept? */
export function isExpiredQueryRef(value: string): boolean {
  const [type, , id] = value.split(':');
  return type === QUERY_REF && id !== undefined && !longQueries.has(id);
}

/**
 * The prefixes of the card parts and the pictures ("full:<uuid>"). Added after "show", "ops" and
 * "list", whose encodings are unchanged: buttons posted by earlier versions still decode.
 */
const PART_PREFIX: Record<OtherPart, string> = { full: 'full', techniques: 'tech', sources: 'src' };
const PART_OF = new Map(Object.entries(PART_PREFIX).map(([part, p]) => [p, part as OtherPart]));
const PICTURES = 'pics';

/**
 * Encode a button action as "show:<uuid>", "ops:<page>:<uuid>", "full:<uuid>", "tech:<uuid>",
 * "src:<uuid>", "pics:<uuid>", "list:<page>:<query>" or "mute:<uuid>" ("Not this actor" on an
 * enrichment line), in at most `maxLength` characters (Discord's custom_id: 100; Slack's button
 * value: 2000). A
 * query too long for that goes as "qref:<page>:<id>". Returns undefined when it would not fit
 * even so (a uuid of absurd length): the button is then left out.
 */
export function encodeAction(action: BotAction, maxLength = MAX_ACTION_LENGTH): string | undefined {
  let s: string;
  switch (action.type) {
    case 'show':
      s = `show:${action.uuid}`;
      break;
    case 'mute':
      s = `mute:${action.uuid}`;
      break;
    case 'ops':
      s = `ops:${action.page}:${action.uuid}`;
      break;
    case 'part':
      s = `${PART_PREFIX[action.part]}:${action.uuid}`;
      break;
    case 'pictures':
      s = `${PICTURES}:${action.uuid}`;
      break;
    case 'list':
      s = `list:${action.page}:${action.query}`;
      if (s.length > maxLength) s = `${QUERY_REF}:${action.page}:${rememberQuery(action.query)}`;
      break;
  }
  return s.length <= maxLength ? s : undefined;
}

export function decodeAction(value: string): BotAction | undefined {
  const [type, ...rest] = value.split(':');
  const [uuid] = rest;
  if (rest.length === 1 && uuid) {
    if (type === 'show') return { type: 'show', uuid };
    if (type === 'mute') return { type: 'mute', uuid };
    if (type === PICTURES) return { type: 'pictures', uuid };
    const part = type === undefined ? undefined : PART_OF.get(type);
    if (part) return { type: 'part', part, uuid };
  }
  const page = Number(rest[0]);
  if (!Number.isInteger(page) || page < 0) return undefined;
  const tail = rest.slice(1).join(':');
  if (type === 'ops' && tail) return { type: 'ops', uuid: tail, page };
  if (type === 'list' && tail) return { type: 'list', query: tail, page };
  if (type === QUERY_REF && tail) {
    const query = longQueries.get(tail);
    if (query === undefined) return undefined;
    touch(tail, query);
    return { type: 'list', query, page };
  }
  return undefined;
}

/** Is this button value "Not this actor" (the adapters then also update the message it is on)? */
export function isMuteAction(value: string): boolean {
  return decodeAction(value)?.type === 'mute';
}

/**
 * The actors a message shows, from its buttons' values (or custom ids) in order: the uuid of
 * every "show" action, each once. An enrichment message has one per line.
 */
export function shownActors(values: Iterable<string>): string[] {
  const out: string[] = [];
  for (const value of values) {
    const action = decodeAction(value);
    if (action?.type === 'show' && !out.includes(action.uuid)) out.push(action.uuid);
  }
  return out;
}
