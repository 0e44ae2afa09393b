/**
 * A built catalog crosses from the reload worker in parts: its cards in batches, one message
 * each, then its derived actors in batches, then the rest. The receiving thread deserializes
 * each message in one go, between other work; the whole catalog as one message blocked the
 * serving thread for 20-90 ms at the three public catalogs, and 10,000 derived actors in the
 * last message about 15 ms (hot reload's budget is 20 ms). Messages on one port arrive in order.
 */
import type { LoadedCard } from '../cards/model.js';
import type { DerivedCatalog } from './catalog.js';
import type { BuildReply } from './protocol.js';

/** Cards per message: the three public catalogs' 1,679 cards as 9 messages. */
const CARDS_PER_PART = 200;
/** Derived actors per message (a few small arrays each: about 1.5 ms to take in). */
const ACTORS_PER_PART = 1000;

type DerivedActor = DerivedCatalog['actors'][number];

/** One batch of a reply's cards, sent before the reply (which then has `parts` and no cards). */
export interface CardsPart {
  id: number;
  part: LoadedCard[];
}

/** One batch of its derived actors, likewise (the reply then has `actorParts`). */
export interface ActorsPart {
  id: number;
  actors: DerivedActor[];
}

export type WorkerMessage = BuildReply | CardsPart | ActorsPart;

function batches<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The messages that carry `reply`, in order. */
export function replyMessages(reply: BuildReply): WorkerMessage[] {
  if (!reply.ok || !('cards' in reply)) return [reply];
  const out: WorkerMessage[] = [];
  let rest = reply;
  if (reply.cards.length > CARDS_PER_PART) {
    const parts = batches(reply.cards, CARDS_PER_PART).map((part) => ({ id: reply.id, part }));
    out.push(...parts);
    rest = { ...rest, cards: [], parts: parts.length };
  }
  const derived = reply.derived;
  if (derived && derived.actors.length > ACTORS_PER_PART) {
    const parts = batches(derived.actors, ACTORS_PER_PART).map((actors) => ({
      id: reply.id,
      actors,
    }));
    out.push(...parts);
    rest = { ...rest, derived: { ...derived, actors: [] }, actorParts: parts.length };
  }
  return [...out, rest];
}

/**
 * Puts replies back together on the receiving side: `add` each message as it arrives; it
 * returns the whole reply when one is complete, else undefined.
 */
export class ReplyAssembler {
  private readonly cards = new Map<number, LoadedCard[][]>();
  private readonly actors = new Map<number, DerivedActor[][]>();

  add(message: WorkerMessage): BuildReply | undefined {
    if ('part' in message) {
      pushTo(this.cards, message.id, message.part);
      return undefined;
    }
    if ('actors' in message) {
      pushTo(this.actors, message.id, message.actors);
      return undefined;
    }
    const cards = this.cards.get(message.id) ?? [];
    const actors = this.actors.get(message.id) ?? [];
    this.cards.delete(message.id);
    this.actors.delete(message.id);
    if (!message.ok || !('cards' in message)) return message;
    if (message.parts === undefined && message.actorParts === undefined) return message;
    if (cards.length !== (message.parts ?? 0) || actors.length !== (message.actorParts ?? 0)) {
      return { id: message.id, ok: false, error: 'reload worker reply arrived incomplete' };
    }
    const { parts: _count, actorParts: _actorCount, ...reply } = message;
    if (message.parts !== undefined) reply.cards = cards.flat();
    if (message.actorParts !== undefined && reply.derived) {
      reply.derived = { ...reply.derived, actors: actors.flat() };
    }
    return reply;
  }
}

function pushTo<T>(map: Map<number, T[][]>, id: number, part: T[]): void {
  const parts = map.get(id) ?? [];
  parts.push(part);
  map.set(id, parts);
}
