/**
 * A built catalog crosses from the reload worker in parts: its cards in batches, one message
 * each, then its derived actors in batches, then the rest. The receiving thread deserializes
 * each message in one go, between other work; the whole catalog as one message blocked the
 * serving thread for 20-90 ms at the three public catalogs, and 10,000 derived actors in the
 * last message about 15 ms (hot reload's budget is 20 ms). Messages on one port arrive in order.
 *
 * The sender posts a message when the receiver has taken the one before (ReplySender,
 * receiveReplies): a port delivers everything queued in one turn of the receiver's event loop,
 * and the 60 messages of a 10,000-card catalog, sent at once, held the serving thread for
 * 80-140 ms.
 *
 * Cards cross as their texts (card-texts.ts) and become lazy cards, parsed when first read:
 * their large text stays one string per card until a reply reads it. Cloned whole, 10,000
 * cards' operations and paragraphs were 25 MB more, and hundreds of thousands of objects for
 * the serving thread's collector to mark, until the next start.
 */
import type { LoadedCard } from '../cards/model.js';
import { type CardTextsBatch, cardsOfBatch, cardTextsBatch } from './card-texts.js';
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
  part: CardTextsBatch;
}

/** One batch of its derived actors, likewise (the reply then has `actorParts`). */
export interface ActorsPart {
  id: number;
  actors: DerivedActor[];
}

export type WorkerMessage = BuildReply | CardsPart | ActorsPart;

/** What the receiver answers each message with: send the next one. */
export interface NextPlease {
  next: true;
}

export function isNextPlease(message: unknown): message is NextPlease {
  return typeof message === 'object' && message !== null && (message as NextPlease).next === true;
}

/**
 * What the receiver sends once it has taken reply `taken` in (a full rebuild's catalog made in
 * slices, or a delta applied): the worker's own work after a reply (filling the caches) waits
 * for it, so it does not hold a core while the serving thread takes the catalog in.
 */
export interface ReplyTaken {
  taken: number;
}

export function isReplyTaken(message: unknown): message is ReplyTaken {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as ReplyTaken).taken === 'number'
  );
}

/** Posts replies' messages one at a time, each once the receiver has taken the one before. */
export class ReplySender {
  private readonly queue: { message: WorkerMessage; sent?: () => void }[] = [];
  private waiting = false;

  constructor(private readonly post: (message: WorkerMessage) => void) {}

  /** Queue the reply's messages; `sent` runs once the last of them is posted. */
  send(reply: BuildReply, sent?: () => void): void {
    const messages = replyMessages(reply);
    messages.forEach((message, i) => {
      this.queue.push(i === messages.length - 1 && sent ? { message, sent } : { message });
    });
    this.flush();
  }

  /** The receiver took the last message posted. */
  next(): void {
    this.waiting = false;
    this.flush();
  }

  private flush(): void {
    if (this.waiting) return;
    const item = this.queue.shift();
    if (!item) return;
    this.waiting = true;
    this.post(item.message);
    item.sent?.();
  }
}

/** The receiving side: each message put together with the others, then the next asked for. */
export function receiveReplies(
  port: {
    on(event: 'message', listener: (message: WorkerMessage) => void): unknown;
    postMessage(message: NextPlease): void;
  },
  onReply: (reply: BuildReply) => void,
): void {
  const replies = new ReplyAssembler();
  port.on('message', (message) => {
    const reply = replies.add(message);
    port.postMessage({ next: true });
    if (reply) onReply(reply);
  });
}

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
  if (reply.cards.length > 0) {
    const parts = batches(reply.cards, CARDS_PER_PART).map((batch) => ({
      id: reply.id,
      part: cardTextsBatch(batch),
    }));
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
      pushTo(this.cards, message.id, cardsOfBatch(message.part));
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
