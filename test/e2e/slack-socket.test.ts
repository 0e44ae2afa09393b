/**
 * The Slack adapter end to end in Socket Mode: the real Bolt App connects (apps.connections.open
 * with the app token) to a local WebSocket server, which sends envelopes and reads the acks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackAdapter, startSlack } from '../../adapters/slack/index.js';
import { Bot } from '../../src/bot.js';
import {
  blockAction,
  eventCallback,
  FakeSlack,
  type Json,
  mentionEvent,
  messageEvent,
  slashCommand,
} from '../fakes/slack.js';
import { CountingEnricher, INJECTIONS, slackLibrary, UUID } from '../slack/fixtures.js';
import { allText, blockKitProblems, buttonsOf } from '../slack/limits.js';

const TOKEN = 'xoxb-socket-token';
const APP_TOKEN = 'xapp-1-socket-token';

let fake: FakeSlack;
let adapter: SlackAdapter;
let stopped = false;

function header(message: Json | undefined): string | undefined {
  const blocks = message?.blocks as { type: string; text?: { text: string } }[] | undefined;
  return blocks?.find((b) => b.type === 'header')?.text?.text;
}

/** Wait for the reply to a mention with this ts: a sentinel that later posts come after. */
function replyTo(ts: string) {
  return fake.waitFor(() => fake.posts().find((p) => p.body.thread_ts === ts), `a reply to ${ts}`);
}

async function settle(ts: string): Promise<void> {
  await fake.sendEnvelope('events_api', eventCallback(mentionEvent('apt 21', ts)));
  await replyTo(ts);
}

beforeAll(async () => {
  fake = await FakeSlack.start();
  const enricher = new CountingEnricher();
  const bot = new Bot(slackLibrary(), { enricher, scanner: enricher }); // as aptcard start has it
  adapter = await startSlack(
    bot,
    { botToken: TOKEN, appToken: APP_TOKEN, apiUrl: fake.apiUrl, port: 0, answerInChannel: false },
    { host: '127.0.0.1' },
  );
});

afterAll(async () => {
  if (!stopped) await adapter?.stop();
  await fake?.close();
});

describe('Socket Mode', () => {
  it('connects with the app token and serves /healthz', async () => {
    expect(adapter.mode).toBe('socket');
    const open = fake.calls.find((c) => c.method === 'apps.connections.open');
    expect(open?.token).toBe(APP_TOKEN);
    expect(fake.connectedSockets).toBe(1);
    const res = await fetch(`${adapter.url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok', cards: 5 });
  });

  it('acknowledges /apt with the rendered answer', async () => {
    const ack = await fake.sendEnvelope(
      'slash_commands',
      slashCommand({ text: 'hammer panda', responseUrl: fake.responseUrl('s1') }),
    );
    expect(ack?.response_type).toBe('ephemeral');
    expect(header(ack)).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(blockKitProblems(ack ?? {})).toEqual([]);
    expect(buttonsOf(ack ?? {}).map((b) => b.value)).toContain('share:list:0:hammer panda');
  });

  it('escapes injection strings from the query and the card', async () => {
    const ack = await fake.sendEnvelope(
      'slash_commands',
      slashCommand({ text: 'inject kitten <!channel>', responseUrl: fake.responseUrl('s2') }),
    );
    expect(blockKitProblems(ack ?? {})).toEqual([]);
    const all = allText(ack ?? {});
    for (const bad of INJECTIONS) expect(all).not.toContain(bad);
  });

  it('answers a mention in its thread, once, however often it is delivered', async () => {
    const ts = '1700100000.000100';
    const payload = eventCallback(mentionEvent('who is TEMP.Zhenbao?', ts));
    await fake.sendEnvelope('events_api', payload);
    const post = await replyTo(ts);
    expect(post.token).toBe(TOKEN);
    expect(header(post.body)).toBe('NetTraveler, APT 21, Hammer Panda');
    // Redelivered with a retry attempt, and the same message under a new event id.
    await fake.sendEnvelope('events_api', payload, { retry_attempt: 1, retry_reason: 'timeout' });
    await fake.sendEnvelope('events_api', eventCallback(mentionEvent('who is TEMP.Zhenbao?', ts)));
    await settle('1700100000.000200');
    expect(fake.posts().filter((p) => p.body.thread_ts === ts)).toHaveLength(1);
  });

  it('answers a mention naming two actors with a line and a card button for each', async () => {
    const ts = '1700100000.000300';
    await fake.sendEnvelope(
      'events_api',
      eventCallback(mentionEvent('is this Twin Storm Alpha or Giant Bear?', ts)),
    );
    const post = await replyTo(ts);
    expect(blockKitProblems(post.body)).toEqual([]);
    expect(buttonsOf(post.body).map((b) => b.value)).toEqual([
      `show:${UUID.twinA}`,
      `show:${UUID.giant}`,
    ]);
    expect(allText(post.body)).toContain('The threat actors you asked about');
    expect(allText(post.body)).not.toMatch(/No card for/);
  });

  it('enriches channel messages in their thread, and ignores bots and subtypes', async () => {
    const ts = '1700100001.000100';
    await fake.sendEnvelope(
      'events_api',
      eventCallback(messageEvent('More Twin Storm Alpha activity', ts)),
    );
    const post = await fake.waitFor(
      () => fake.posts().find((p) => p.body.thread_ts === ts),
      'the enrichment reply',
    );
    expect(buttonsOf(post.body).map((b) => b.value)).toContain(`show:${UUID.twinA}`);

    const before = fake.posts().length;
    const quiet = { channel: 'C0QUIET' };
    for (const event of [
      messageEvent('Giant Bear', '1700100002.000001', { ...quiet, bot_id: 'BOTHER' }),
      messageEvent('Giant Bear', '1700100002.000002', { ...quiet, subtype: 'channel_topic' }),
      messageEvent('Giant Bear', '1700100002.000003', { ...quiet, subtype: 'message_replied' }),
    ]) {
      await fake.sendEnvelope('events_api', eventCallback(event));
    }
    await settle('1700100002.000100');
    expect(
      fake
        .posts()
        .slice(before)
        .map((p) => p.body.thread_ts),
    ).toEqual(['1700100002.000100']);
  });

  it('handles button presses and posts the response to response_url', async () => {
    await fake.sendEnvelope(
      'interactive',
      blockAction({
        actionId: 'aptcard.go.3',
        value: `show:${UUID.twinB}`,
        responseUrl: fake.responseUrl('b1'),
        ephemeral: true,
      }),
    );
    const [reply] = await fake.waitFor(() => {
      const r = fake.responsesTo('b1');
      return r.length ? r : undefined;
    }, 'the button response');
    expect(reply?.replace_original).toBe(true);
    expect(header(reply)).toBe('Twin Storm Beta');
  });

  it('stops cleanly: the socket closes', async () => {
    await adapter.stop();
    stopped = true;
    await fake.waitFor(
      () => (fake.connectedSockets === 0 ? true : undefined),
      'the socket to close',
    );
    await expect(adapter.done).resolves.toBeUndefined();
    await expect(fetch(`${adapter.url}/healthz`)).rejects.toThrow();
  });
});
