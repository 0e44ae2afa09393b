/**
 * A built catalog crosses from the reload worker in parts: its cards in batches, one message
 * each, then the rest. The receiving thread deserializes each message in one go, between other
 * work; the whole catalog as one message blocked the serving thread for 20-90 ms at the three
 * public catalogs (hot reload's budget is 20 ms). Messages on one port arrive in order.
 */
import type { LoadedCard } from '../cards/model.js';
import type { BuildReply } from './protocol.js';

/** Cards per message: the three public catalogs' 1,679 cards as 9 messages. */
const CARDS_PER_PART = 200;

/** One batch of a reply's cards, sent before the reply (which then has `parts` and no cards). */
export interface CardsPart {
  id: number;
  part: LoadedCard[];
}

export type WorkerMessage = BuildReply | CardsPart;

/** The messages that carry `reply`, in order. */
export function replyMessages(reply: BuildReply): WorkerMessage[] {
  if (!reply.ok || !('cards' in reply) || reply.cards.length <= CARDS_PER_PART) return [reply];
  const parts: CardsPart[] = [];
  for (let i = 0; i < reply.cards.length; i += CARDS_PER_PART) {
    parts.push({ id: reply.id, part: reply.cards.slice(i, i + CARDS_PER_PART) });
  }
  return [...parts, { ...reply, cards: [], parts: parts.length }];
}

/**
 * Puts replies back together on the receiving side: `add` each message as it arrives; it
 * returns the whole reply when one is complete, else undefined.
 */
export class ReplyAssembler {
  private readonly cards = new Map<number, LoadedCard[][]>();

  add(message: WorkerMessage): BuildReply | undefined {
    if ('part' in message) {
      const parts = this.cards.get(message.id) ?? [];
      parts.push(message.part);
      this.cards.set(message.id, parts);
      return undefined;
    }
    const parts = this.cards.get(message.id) ?? [];
    this.cards.delete(message.id);
    if (!message.ok || !('cards' in message) || message.parts === undefined) return message;
    if (parts.length !== message.parts) {
      return { id: message.id, ok: false, error: 'reload worker reply arrived incomplete' };
    }
    const { parts: _count, ...reply } = message;
    return { ...reply, cards: parts.flat() };
  }
}
