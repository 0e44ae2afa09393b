/**
 * A built catalog's reply crosses from the reload worker as batches of cards and then the
 * rest (reply-parts.ts): put back together it is the reply that was sent, its cards lazy ones
 * that keep their large text as the string it came as.
 */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import type { LoadedCard } from '../../src/cards/model.js';
import { HEAVY_FIELDS, heavySourceOf } from '../../src/catalog/lazy-card.js';
import type { BuildReply, BuiltReply } from '../../src/catalog/protocol.js';
import {
  isNextPlease,
  ReplyAssembler,
  ReplySender,
  receiveReplies,
  replyMessages,
  type WorkerMessage,
} from '../../src/catalog/reply-parts.js';
import { filterFieldsOf } from '../../src/search/filters.js';
import { makeCard } from '../helpers/cards.js';

const card = (i: number): LoadedCard => ({
  source: { file: `cards/${i}.md`, hash: `h${i}` },
  card: makeCard({
    uuid: `u${i}`,
    names: [`Group ${i}`],
    description: [`Group ${i} is described here.`],
    countries: ['China'],
    operations: [{ date: `2020-0${1 + (i % 9)}`, title: `Op ${i}`, text: 'Text.', sources: [] }],
    ...(i % 2 ? { layout: { bom: false, crlf: false, order: ['header'], verbatim: {} } } : {}),
  }),
});

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

/** The reply with its cards as plain {card, source} (as sent: not how they are held). */
function plain(reply: BuildReply | undefined): BuildReply | undefined {
  if (!reply?.ok || !('cards' in reply)) return reply;
  return { ...reply, cards: reply.cards.map(({ card, source }) => ({ card, source })) };
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
    expect(plain(got.at(-1))).toEqual(reply);
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
    expect(plain(got.at(-1))).toEqual(reply);
    // A batch of actors lost: the reply is reported incomplete, never taken short.
    const partial = new ReplyAssembler();
    const firstActors = (m: (typeof messages)[number]) =>
      'actors' in m && m.actors[0]?.keys[0] === 'k0';
    for (const m of messages.slice(0, -1).filter((m) => !firstActors(m)))
      expect(partial.add(m)).toBeUndefined();
    expect(partial.add(messages.at(-1)!)).toMatchObject({ ok: false });
  });

  it('hands over lazy cards: their large text one string each, parsed when read', () => {
    const reply = built(5, 30);
    const messages = replyMessages(reply);
    // Nothing parsed as the batches arrive (they can all arrive in one turn): when first read.
    const parse = vi.spyOn(JSON, 'parse');
    const [assembled] = roundTrip(messages).slice(-1) as BuiltReply[];
    expect(parse).not.toHaveBeenCalled();
    void assembled?.cards[0]?.card.names;
    expect(parse).toHaveBeenCalledTimes(1);
    parse.mockRestore();
    for (const [i, entry] of (assembled?.cards ?? []).entries()) {
      expect(heavySourceOf(entry.card)).toBeDefined();
      for (const field of HEAVY_FIELDS) {
        const d = Object.getOwnPropertyDescriptor(entry.card, field);
        if (d) expect(d.get).toBeTypeOf('function'); // not a value of its own
      }
      // Filter fields and dates from the light text, then the text itself when read.
      expect(filterFieldsOf(entry.card)).toEqual(filterFieldsOf(reply.cards[i]?.card as never));
      expect(Object.keys(entry.card)).toEqual(Object.keys(reply.cards[i]?.card ?? {}));
      expect({ card: entry.card, source: entry.source }).toEqual(reply.cards[i]);
    }
  });

  it('sends a small catalog as one batch and the rest; a delta or an error as one message', () => {
    const small = built(1, 200);
    const messages = replyMessages(small);
    expect(messages).toHaveLength(2);
    expect(plain(roundTrip(messages).at(-1))).toEqual(small);
    for (const reply of [{ id: 2, ok: false, error: 'boom' } as BuildReply]) {
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
    expect(out.filter(Boolean).map(plain)).toEqual([a, b]);
    const lost = replyMessages(built(3, 450));
    const partial = new ReplyAssembler();
    for (const m of lost.slice(1, -1)) expect(partial.add(m)).toBeUndefined();
    expect(partial.add(lost.at(-1)!)).toEqual({
      id: 3,
      ok: false,
      error: 'reload worker reply arrived incomplete',
    });
  });

  it('posts one message at a time, the next when the receiver asks', () => {
    const posted: WorkerMessage[] = [];
    const sender = new ReplySender((m) => posted.push(m));
    const sent = vi.fn();
    sender.send(built(8, 450), sent); // 3 batches of cards, then the rest
    sender.send({ id: 9, ok: false, error: 'later' });
    expect(posted).toHaveLength(1);
    sender.next();
    sender.next();
    expect(posted).toHaveLength(3);
    expect(sent).not.toHaveBeenCalled();
    sender.next();
    expect(posted).toHaveLength(4);
    expect(sent).toHaveBeenCalledTimes(1); // the reply's last message is posted
    sender.next();
    expect(posted.at(-1)).toEqual({ id: 9, ok: false, error: 'later' });
    sender.next(); // nothing left: nothing posted
    expect(posted).toHaveLength(5);
  });

  it('takes each message in a turn of its own over a real port', async () => {
    const { port1: worker, port2: main } = new MessageChannel();
    const sender = new ReplySender((m) => worker.postMessage(m));
    worker.on('message', (m: unknown) => {
      if (isNextPlease(m)) sender.next();
    });
    // Turns of the receiving event loop, counted as they pass.
    let turn = 0;
    let ticking = setImmediate(function tick() {
      turn++;
      ticking = setImmediate(tick);
    });
    const turns: number[] = [];
    const reply = built(6, 1000);
    const got = await new Promise<BuildReply>((resolve) => {
      main.on('message', () => turns.push(turn));
      receiveReplies(main, resolve);
      sender.send(reply);
    });
    clearImmediate(ticking);
    worker.close();
    expect(plain(got)).toEqual(reply);
    expect(turns).toHaveLength(6); // 5 batches, then the rest
    // All posted at once, they arrived in one turn; asked for one by one, each in its own.
    for (let i = 1; i < turns.length; i++) expect(turns[i]).toBeGreaterThan(turns[i - 1] ?? 0);
  });
});
