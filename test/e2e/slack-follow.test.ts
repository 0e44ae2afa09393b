/**
 * Enrichment replies follow their message on Slack, through the real Bolt app against the fake:
 * message_changed drops a line no longer named (chat.update), adds a newly named actor, deletes
 * the reply when no line is left (chat.delete); message_deleted deletes the reply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackAdapter, startSlack } from '../../adapters/slack/index.js';
import { Bot } from '../../src/bot.js';
import { AliasEnricher } from '../../src/detect/enricher.js';
import {
  type ApiCall,
  eventCallback,
  FakeSlack,
  type Json,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  postSigned,
} from '../fakes/slack.js';
import { ENRICHMENT, slackLibrary, UUID } from '../slack/fixtures.js';

const SECRET = 'follow-secret';
let fake: FakeSlack;
let adapter: SlackAdapter;

beforeAll(async () => {
  fake = await FakeSlack.start();
  const bot = new Bot(slackLibrary(), {
    enricher: new AliasEnricher({ ...ENRICHMENT, cooldownMinutes: 0 }),
  });
  adapter = await startSlack(
    bot,
    {
      botToken: 'xoxb-follow',
      signingSecret: SECRET,
      apiUrl: fake.apiUrl,
      port: 0,
      answerInChannel: false,
    },
    { host: '127.0.0.1', processBeforeResponse: true, botUserId: 'UBOT', botId: 'BBOT' },
  );
});
afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

async function send(event: Json): Promise<ApiCall[]> {
  const before = fake.calls.length;
  const res = await postSigned(
    `${adapter.url}/slack/events`,
    JSON.stringify(eventCallback(event)),
    {
      secret: SECRET,
      contentType: 'application/json',
    },
  );
  expect(res.status).toBe(200);
  return fake.calls.slice(before).filter((c) => c.method.startsWith('chat.'));
}

/** The actor uuids a rendered enrichment shows (its blocks carry the card buttons). */
const shows = (call: ApiCall | undefined) => {
  const text = JSON.stringify(call?.body.blocks ?? []);
  return Object.entries(UUID)
    .filter(([, uuid]) => text.includes(uuid))
    .map(([name]) => name);
};

describe('Slack replies follow message edits and deletes', () => {
  it('adds, drops and finally deletes lines as the message is edited', async () => {
    const ts = '1700600000.000001';
    const [post] = await send(messageEvent('infra overlaps with TEMP.Zhenbao', ts));
    expect(post?.method).toBe('chat.postMessage');
    expect(shows(post)).toEqual(['netTraveler']);

    // Named a second actor: the same reply now shows both.
    const [added] = await send(messageChangedEvent('TEMP.Zhenbao and Giant Bear', ts));
    expect(added?.method).toBe('chat.update');
    expect(added?.body.channel).toBe('C0INCIDENT');
    expect(shows(added)).toEqual(['netTraveler', 'giant']);
    const reply = added?.body.ts;
    expect(typeof reply).toBe('string');

    // The first name edited away: its line goes.
    const [dropped] = await send(messageChangedEvent('only Giant Bear now', ts));
    expect(dropped?.method).toBe('chat.update');
    expect(dropped?.body.ts).toBe(reply);
    expect(shows(dropped)).toEqual(['giant']);

    // An edit that changes nothing the reply shows: no call at all.
    expect(await send(messageChangedEvent('only Giant Bear now!', ts))).toEqual([]);

    // No actor left: the reply is deleted.
    const [deleted] = await send(messageChangedEvent('never mind, lunch?', ts));
    expect(deleted?.method).toBe('chat.delete');
    expect(deleted?.body.ts).toBe(reply);
  });

  it('answers an edit that newly names an actor, and deletes the reply with its message', async () => {
    const ts = '1700600000.000002';
    expect(await send(messageEvent('nothing here yet', ts))).toEqual([]);
    const [post] = await send(messageChangedEvent('it was TEMP.Zhenbao', ts));
    expect(post?.method).toBe('chat.postMessage');
    expect(post?.body.thread_ts).toBe(ts);
    expect(shows(post)).toEqual(['netTraveler']);

    const [deleted] = await send(messageDeletedEvent(ts));
    expect(deleted?.method).toBe('chat.delete');
    expect(typeof deleted?.body.ts).toBe('string');
    // Deleted once: a second delete event for it finds nothing to do.
    expect(await send(messageDeletedEvent(ts))).toEqual([]);
  });

  it('ignores edits of its own and other bots’ messages', async () => {
    const ts = '1700600000.000003';
    await send(messageEvent('TEMP.Zhenbao', ts));
    // Were these followed, the reply would be deleted (the text names no actor).
    const own = messageChangedEvent('lunch?', ts);
    (own.message as Json).bot_id = 'BBOT';
    expect(await send(own)).toEqual([]);
    const fromBot = messageChangedEvent('lunch?', ts);
    (fromBot.message as Json).user = 'UBOT';
    expect(await send(fromBot)).toEqual([]);
    // A person's edit to the same text is followed.
    const [deleted] = await send(messageChangedEvent('lunch?', ts));
    expect(deleted?.method).toBe('chat.delete');
  });
});
