/**
 * A built catalog's reply crosses from the reload worker as batches of cards and then the
 * rest (reply-parts.ts): put back together it is the reply that was sent.
 */
import { describe, expect, it } from 'vitest';
import type { LoadedCard } from '../../src/cards/model.js';
import type { BuildReply, BuiltReply } from '../../src/catalog/protocol.js';
import { ReplyAssembler, replyMessages } from '../../src/catalog/reply-parts.js';

const card = (i: number) =>
  ({
    source: { file: `cards/${i}.md`, hash: `h${i}` },
    card: { uuid: `u${i}` },
  }) as unknown as LoadedCard;

function built(id: number, count: number): BuiltReply {
  return {
    id,
    ok: true,
    cards: Array.from({ length: count }, (_, i) => card(i)),
    issues: [{ level: 'warning', file: 'cards/1.md', line: 3, message: 'no aliases' }],
    overrides: { same: [], apart: [] },
    serialized: { names: '{"n":1}', text: '{"t":1}' },
  } as unknown as BuiltReply;
}

function roundTrip(messages: ReturnType<typeof replyMessages>): (BuildReply | undefined)[] {
  const assembler = new ReplyAssembler();
  // Through structured clone, as a worker's messages are.
  return messages.map((m) => assembler.add(structuredClone(m)));
}

describe('reload worker replies in parts', () => {
  it('sends a large catalog as batches of cards, and puts it back together in order', () => {
    const reply = built(7, 1679);
    const messages = replyMessages(reply);
    expect(messages.length).toBe(10); // 9 batches of at most 200 cards, then the rest
    const got = roundTrip(messages);
    expect(got.slice(0, -1).every((r) => r === undefined)).toBe(true);
    expect(got.at(-1)).toEqual(reply);
  });

  it('sends many derived actors as batches too, and puts them back in order', () => {
    const reply = built(4, 2500);
    reply.derived = {
      kept: reply.cards.map((_, i) => i),
      actors: reply.cards.map((_, i) => ({ cards: [i], folded: [], keys: [`k${i}`] })),
      hidden: [],
      issues: [],
      settled: [['k1', 1]],
      titles: reply.cards.map((_, i) => `t${i}`),
    };
    const messages = replyMessages(reply);
    // 13 batches of cards, 3 of derived actors, then the rest (which holds neither).
    expect(messages.length).toBe(17);
    const rest = messages.at(-1) as BuiltReply;
    expect(rest.cards).toEqual([]);
    expect(rest.derived?.actors).toEqual([]);
    expect(rest.derived?.titles?.length).toBe(2500);
    const got = roundTrip(messages);
    expect(got.slice(0, -1).every((r) => r === undefined)).toBe(true);
    expect(got.at(-1)).toEqual(reply);
    // A batch of actors lost: the reply is reported incomplete, never taken short.
    const partial = new ReplyAssembler();
    const firstActors = (m: (typeof messages)[number]) =>
      'actors' in m && m.actors[0]?.keys[0] === 'k0';
    for (const m of messages.slice(0, -1).filter((m) => !firstActors(m)))
      expect(partial.add(m)).toBeUndefined();
    expect(partial.add(messages.at(-1)!)).toMatchObject({ ok: false });
  });

  it('sends a small catalog, a delta or an error as one message', () => {
    for (const reply of [
      built(1, 200),
      { id: 2, ok: false, error: 'boom' } as BuildReply,
      { id: 3, ok: true, primed: true } as BuildReply,
    ]) {
      expect(replyMessages(reply)).toEqual([reply]);
      expect(roundTrip(replyMessages(reply))).toEqual([reply]);
    }
  });

  it('keeps the parts of two requests apart, and reports a reply missing a part', () => {
    const [a, b] = [built(1, 450), built(2, 450)];
    const assembler = new ReplyAssembler();
    const ma = replyMessages(a);
    const mb = replyMessages(b);
    // Interleaved: each reply still gets its own cards.
    const out = [...ma.keys()].flatMap((i) => [assembler.add(ma[i]!), assembler.add(mb[i]!)]);
    expect(out.filter(Boolean)).toEqual([a, b]);
    const lost = replyMessages(built(3, 450));
    const partial = new ReplyAssembler();
    for (const m of lost.slice(1, -1)) expect(partial.add(m)).toBeUndefined();
    expect(partial.add(lost.at(-1)!)).toEqual({
      id: 3,
      ok: false,
      error: 'reload worker reply arrived incomplete',
    });
  });
});
