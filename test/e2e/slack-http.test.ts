/**
 * The Slack adapter end to end in HTTP mode: the real Bolt App, correctly signed requests in,
 * and a local fake Slack (slack-fake.ts) recording chat.postMessage and response_url posts.
 * The main suite runs with processBeforeResponse, so every post a request causes is recorded by
 * the time its response arrives; one suite runs Bolt's default (acknowledge first) and waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackConfig } from '../../adapters/slack/config.js';
import { type SlackAdapter, startSlack } from '../../adapters/slack/index.js';
import { Bot } from '../../src/bot.js';
import {
  BOT_ID,
  BOT_USER_ID,
  blockAction,
  eventCallback,
  FakeSlack,
  form,
  type HttpAnswer,
  type Json,
  mentionEvent,
  messageEvent,
  postSigned,
  slashCommand,
} from '../fakes/slack.js';
import { CountingEnricher, INJECTIONS, slackLibrary, UUID } from '../slack/fixtures.js';
import { allText, blockKitProblems, buttonsOf } from '../slack/limits.js';

const SECRET = 'test-signing-secret';
const TOKEN = 'xoxb-test-token';

let fake: FakeSlack;
let adapter: SlackAdapter;
let enricher: CountingEnricher;
let responseId = 0;

function config(extra: Partial<SlackConfig> = {}): SlackConfig {
  return {
    botToken: TOKEN,
    signingSecret: SECRET,
    apiUrl: fake.apiUrl,
    port: 0,
    answerInChannel: false,
    ...extra,
  };
}

function events(a: SlackAdapter = adapter): string {
  return `${a.url}/slack/events`;
}

async function slash(text: string, a: SlackAdapter = adapter, command?: string) {
  const id = `r${++responseId}`;
  const answer = await postSigned(
    events(a),
    form(
      slashCommand({ text, responseUrl: fake.responseUrl(id), ...(command ? { command } : {}) }),
    ),
    { secret: SECRET },
  );
  return { ...answer, id };
}

function sendEvent(payload: Json, options: { retryNum?: number; a?: SlackAdapter } = {}) {
  return postSigned(events(options.a), JSON.stringify(payload), {
    secret: SECRET,
    contentType: 'application/json',
    ...(options.retryNum !== undefined ? { retryNum: options.retryNum } : {}),
  });
}

async function press(fields: Omit<Parameters<typeof blockAction>[0], 'responseUrl'>, a = adapter) {
  const id = `r${++responseId}`;
  const answer = await postSigned(
    events(a),
    form({ payload: blockAction({ ...fields, responseUrl: fake.responseUrl(id) }) }),
    { secret: SECRET },
  );
  return { ...answer, id };
}

function postsSince(n: number) {
  return fake.posts().slice(n);
}

function header(message: Json | undefined): string | undefined {
  const blocks = message?.blocks as { type: string; text?: { text: string } }[] | undefined;
  return blocks?.find((b) => b.type === 'header')?.text?.text;
}

beforeAll(async () => {
  fake = await FakeSlack.start();
  enricher = new CountingEnricher();
  const bot = new Bot(slackLibrary(), { enricher });
  adapter = await startSlack(bot, config(), { host: '127.0.0.1', processBeforeResponse: true });
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

describe('start-up and health', () => {
  it('runs in HTTP mode and learns its identity from auth.test with the bot token', () => {
    expect(adapter.mode).toBe('http');
    const auth = fake.calls.filter((c) => c.method === 'auth.test');
    expect(auth.length).toBeGreaterThanOrEqual(1);
    expect(auth[0]?.token).toBe(TOKEN);
  });

  it('GET /healthz reports the number of cards loaded', async () => {
    const res = await fetch(`${adapter.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', cards: 5 });
  });
});

describe('request verification', () => {
  it('rejects a bad signature', async () => {
    const before = fake.posts().length;
    const body = form(slashCommand({ text: 'hammer panda', responseUrl: fake.responseUrl('x') }));
    const res = await postSigned(events(), body, {
      secret: SECRET,
      signature: `v0=${'0'.repeat(64)}`,
    });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('NetTraveler');
    const wrongSecret = await postSigned(events(), body, { secret: 'another-secret' });
    expect(wrongSecret.status).toBe(401);
    expect(fake.posts().length).toBe(before);
  });

  it('rejects a correctly signed request with a stale timestamp', async () => {
    const body = JSON.stringify(eventCallback(mentionEvent('apt 21', '1700000900.000001')));
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    const before = fake.posts().length;
    const res = await postSigned(events(), body, {
      secret: SECRET,
      timestamp: stale,
      contentType: 'application/json',
    });
    expect(res.status).toBe(401);
    expect(fake.posts().length).toBe(before);
  });
});

describe('/apt', () => {
  it('answers privately within the acknowledgement, with a "Share in channel" button', async () => {
    const before = fake.posts().length;
    const res = await slash('hammer panda');
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe('ephemeral');
    expect(header(res.json)).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(blockKitProblems(res.json ?? {})).toEqual([]);
    expect(buttonsOf(res.json ?? {})).toContainEqual({
      label: 'Share in channel',
      actionId: 'aptcard.share',
      value: 'share:list:0:hammer panda',
    });
    // The answer is the acknowledgement itself: nothing else is posted.
    expect(postsSince(before)).toEqual([]);
    expect(fake.responsesTo(res.id)).toEqual([]);
  });

  it('"/apt" alone and "/apt help" explain the query grammar with examples', async () => {
    for (const text of ['', 'help', '  ']) {
      const res = await slash(text);
      expect(res.json?.response_type).toBe('ephemeral');
      const all = allText(res.json ?? {});
      expect(all).toContain('/apt hammer panda');
      expect(all).toContain('country:china');
      expect(buttonsOf(res.json ?? {})).toEqual([]);
      expect(blockKitProblems(res.json ?? {})).toEqual([]);
    }
  });

  it('uses the command name the workspace gave it in help', async () => {
    const res = await slash('', adapter, '/apt-dev');
    expect(allText(res.json ?? {})).toContain('/apt-dev hammer panda');
  });

  it('offers a button per candidate for a shared alias, and suggestions for a typo', async () => {
    const twin = await slash('twin storm');
    expect(
      buttonsOf(twin.json ?? {})
        .map((b) => b.value)
        .sort(),
    ).toEqual([`show:${UUID.twinA}`, `show:${UUID.twinB}`]);
    const none = await slash('qqqq zzzz xxxx');
    expect(allText(none.json ?? {})).toContain('No card for "qqqq zzzz xxxx"');
    expect(blockKitProblems(none.json ?? {})).toEqual([]);
  });

  it('says when a card is only the closest match, and never profiles a number no card has', async () => {
    const typo = await slash('hamer panda');
    expect(header(typo.json)).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(allText(typo.json ?? {})).toContain(
      'Closest match for "hamer panda": Hammer Panda (NetTraveler)',
    );
    expect(blockKitProblems(typo.json ?? {})).toEqual([]);
    const near = await slash('apt 28');
    expect(allText(near.json ?? {})).toContain('No card for "apt 28"');
    expect(allText(near.json ?? {})).toContain('same prefix: NetTraveler (as APT 21)');
    expect(header(near.json)).toBeUndefined();
    const thanks = await slash('thanks');
    expect(allText(thanks.json ?? {})).toContain('You are welcome.');
  });

  it('"Share in channel" posts the same card for everyone and removes the private one', async () => {
    const res = await slash('apt-21');
    const share = buttonsOf(res.json ?? {}).find((b) => b.actionId === 'aptcard.share');
    expect(share?.value).toBe('share:list:0:apt-21');
    const click = await press({
      actionId: 'aptcard.share',
      value: share?.value ?? '',
      ephemeral: true,
    });
    expect(click.status).toBe(200);
    const [shared, cleanup] = fake.responsesTo(click.id);
    expect(shared?.response_type).toBe('in_channel');
    expect(shared?.replace_original).toBe(false);
    expect(header(shared)).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(buttonsOf(shared ?? {}).find((b) => b.actionId === 'aptcard.share')).toBeUndefined();
    expect(blockKitProblems(shared ?? {})).toEqual([]);
    expect(cleanup).toEqual({ delete_original: true });
  });

  it('a second click on the same "Share" button does not post twice', async () => {
    const value = 'share:list:0:hammer panda';
    const first = await press({
      actionId: 'aptcard.share',
      value,
      ephemeral: true,
      messageTs: '1700000500.000001',
    });
    const second = await press({
      actionId: 'aptcard.share',
      value,
      ephemeral: true,
      messageTs: '1700000500.000001',
    });
    expect(fake.responsesTo(first.id).filter((r) => r.response_type === 'in_channel')).toHaveLength(
      1,
    );
    expect(fake.responsesTo(second.id)).toEqual([]);
  });

  it('escapes injection strings in the query', async () => {
    for (const text of [
      '<!channel> <@U123> <https://evil.example|click>',
      '&lt;!here&gt; &lt;@U999&gt;',
      'country:"<!everyone>"',
    ]) {
      const res = await slash(text);
      expect(res.status).toBe(200);
      expect(blockKitProblems(res.json ?? {})).toEqual([]);
      const all = allText(res.json ?? {});
      for (const bad of [...INJECTIONS, '<@U999>']) expect(all).not.toContain(bad);
    }
  });

  it('escapes injection strings in card text', async () => {
    const res = await slash('inject kitten');
    expect(header(res.json)).toBe('Inject Kitten &lt;!channel&gt;, Mention Kitten &lt;@U123&gt;');
    expect(blockKitProblems(res.json ?? {})).toEqual([]);
    const all = allText(res.json ?? {});
    for (const bad of INJECTIONS) expect(all).not.toContain(bad);
  });

  it('keeps an oversized card within every Block Kit limit', async () => {
    const res = await slash('giant bear');
    expect(header(res.json)?.length).toBeLessThanOrEqual(150);
    expect(blockKitProblems(res.json ?? {})).toEqual([]);
  });
});

describe('buttons', () => {
  it('"More operations" replaces the private card with the first page of operations', async () => {
    const res = await slash('giant bear');
    const more = buttonsOf(res.json ?? {}).find((b) => b.value.startsWith('ops:'));
    expect(more?.value).toBe(`ops:0:${UUID.giant}`);
    const click = await press({
      actionId: more?.actionId ?? '',
      value: more?.value ?? '',
      ephemeral: true,
    });
    const [page2] = fake.responsesTo(click.id);
    expect(page2?.replace_original).toBe(true);
    expect(page2?.response_type).toBe('ephemeral');
    expect(allText(page2 ?? {})).toContain('page 1 of 2');
    expect(allText(page2 ?? {})).not.toContain('*Aliases*');
    expect(buttonsOf(page2 ?? {}).find((b) => b.actionId === 'aptcard.share')?.value).toBe(
      `share:ops:0:${UUID.giant}`,
    );
  });

  it('"Full card" replaces the private first screen with the full card', async () => {
    const res = await slash('hammer panda');
    const full = buttonsOf(res.json ?? {}).find((b) => b.label === 'Full card');
    expect(full?.value).toBe(`full:${UUID.netTraveler}`);
    const click = await press({
      actionId: full?.actionId ?? '',
      value: full?.value ?? '',
      ephemeral: true,
    });
    const [card] = fake.responsesTo(click.id);
    expect(card?.replace_original).toBe(true);
    expect(allText(card ?? {})).toContain('cyber-espionage campaign');
    expect(blockKitProblems(card ?? {})).toEqual([]);
  });

  it('a candidate button shows that card', async () => {
    const click = await press({
      actionId: 'aptcard.go.0',
      value: `show:${UUID.twinB}`,
      ephemeral: true,
    });
    expect(header(fake.responsesTo(click.id)[0])).toBe('Twin Storm Beta');
  });

  it('a stale or forged button value gets a short error, privately', async () => {
    const click = await press({
      actionId: 'aptcard.go.0',
      value: 'show:no-such-card',
      ephemeral: false,
    });
    const [reply] = fake.responsesTo(click.id);
    expect(reply?.response_type).toBe('ephemeral');
    expect(reply?.replace_original).toBe(false);
    expect(allText(reply ?? {})).toContain('no longer in the catalog');
    const before = fake.posts().length;
    const gone = await press({
      actionId: 'aptcard.share',
      value: 'share:1700000000.000001|show:no-such-card',
      ephemeral: true,
      messageTs: '1700000600.000001',
    });
    const [goneReply] = fake.responsesTo(gone.id);
    expect(goneReply?.response_type).toBe('ephemeral');
    expect(allText(goneReply ?? {})).toContain('no longer in the catalog');
    expect(fake.responsesTo(gone.id)).toHaveLength(1);
    expect(postsSince(before)).toEqual([]);
    const forged = await press({
      actionId: 'aptcard.share',
      value: 'x|<!channel>|y',
      ephemeral: true,
    });
    expect(allText(fake.responsesTo(forged.id)[0] ?? {})).toContain('no longer valid');
  });
});

describe('mentions', () => {
  it('replies in the message thread with the card', async () => {
    const before = fake.posts().length;
    const res = await sendEvent(
      eventCallback(mentionEvent('who is TEMP.Zhenbao?', '1700001000.000100')),
    );
    expect(res.status).toBe(200);
    const [post] = postsSince(before);
    expect(post?.token).toBe(TOKEN);
    expect(post?.body.channel).toBe('C0INCIDENT');
    expect(post?.body.thread_ts).toBe('1700001000.000100');
    expect(header(post?.body)).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(String(post?.body.unfurl_links)).toBe('false');
    expect(blockKitProblems(post?.body ?? {})).toEqual([]);
    expect(postsSince(before)).toHaveLength(1);
  });

  it('inside a thread, replies in that thread', async () => {
    const before = fake.posts().length;
    await sendEvent(
      eventCallback(
        mentionEvent('apt 21', '1700001001.000100', { thread_ts: '1700000999.000001' }),
      ),
    );
    expect(postsSince(before)[0]?.body.thread_ts).toBe('1700000999.000001');
  });

  it('a bare mention explains how to ask', async () => {
    const before = fake.posts().length;
    await sendEvent(eventCallback(mentionEvent('', '1700001002.000100')));
    expect(allText(postsSince(before)[0]?.body ?? {})).toContain('/apt hammer panda');
  });

  it('escapes injection strings in the question', async () => {
    const before = fake.posts().length;
    await sendEvent(eventCallback(mentionEvent('who is <!channel> <@U123>?', '1700001003.000100')));
    const [post] = postsSince(before);
    expect(blockKitProblems(post?.body ?? {})).toEqual([]);
    expect(allText(post?.body ?? {})).not.toMatch(/<!channel>|<@U123>/);
  });

  it('a retried delivery (x-slack-retry-num) does not post again', async () => {
    const before = fake.posts().length;
    const payload = eventCallback(mentionEvent('apt 21', '1700001004.000100'));
    expect((await sendEvent(payload)).status).toBe(200);
    expect((await sendEvent(payload, { retryNum: 1 })).status).toBe(200);
    expect((await sendEvent(payload, { retryNum: 2 })).status).toBe(200);
    expect(postsSince(before)).toHaveLength(1);
  });

  it('the same message under another event id does not post again', async () => {
    const before = fake.posts().length;
    const event = mentionEvent('apt 21', '1700001005.000100');
    await sendEvent(eventCallback(event));
    await sendEvent(eventCallback(event));
    expect(postsSince(before)).toHaveLength(1);
  });

  it('ignores mentions written by bots', async () => {
    const before = fake.posts().length;
    await sendEvent(
      eventCallback(mentionEvent('apt 21', '1700001006.000100', { bot_id: 'BOTHER' })),
    );
    expect(postsSince(before)).toEqual([]);
  });
});

describe('automatic enrichment', () => {
  it('posts a compact thread reply with "Show card" and "Not this actor" per actor', async () => {
    const before = fake.posts().length;
    const calls = enricher.calls.length;
    await sendEvent(
      eventCallback(
        messageEvent('Phishing from Hammer Panda and Mammoth Spider again', '1700002000.000100'),
      ),
    );
    const [post] = postsSince(before);
    expect(post?.body.thread_ts).toBe('1700002000.000100');
    expect(post?.body.channel).toBe('C0INCIDENT');
    expect(blockKitProblems(post?.body ?? {})).toEqual([]);
    expect(buttonsOf(post?.body ?? {}).map((b) => [b.label, b.value])).toEqual(
      expect.arrayContaining([
        ['Show card', `show:${UUID.netTraveler}`],
        ['Not this actor', `mute:${UUID.netTraveler}`],
        ['Show card', `show:${UUID.giant}`],
        ['Not this actor', `mute:${UUID.giant}`],
      ]),
    );
    expect(buttonsOf(post?.body ?? {})).toHaveLength(4);
    // The core got what it needs for cooldowns and edits.
    expect(enricher.calls.slice(calls)).toEqual([
      {
        kind: 'message',
        text: 'Phishing from Hammer Panda and Mammoth Spider again',
        platform: 'slack',
        channel: 'C0INCIDENT',
        user: 'U0ALICE',
        messageId: '1700002000.000100',
        edited: false,
        fromBot: false,
      },
    ]);
  });

  it('respects the cooldown: the same actor again in the channel gets no reply', async () => {
    const before = fake.posts().length;
    await sendEvent(eventCallback(messageEvent('Hammer Panda once more', '1700002001.000100')));
    expect(postsSince(before)).toEqual([]);
    // Another channel is not under that cooldown.
    await sendEvent(
      eventCallback(
        messageEvent('Hammer Panda once more', '1700002001.000200', { channel: 'C0OTHER' }),
      ),
    );
    expect(postsSince(before)).toHaveLength(1);
  });

  it('replies inside the thread a message was written in', async () => {
    const before = fake.posts().length;
    await sendEvent(
      eventCallback(
        messageEvent('Twin Storm Beta?', '1700002002.000100', { thread_ts: '1700002000.000100' }),
      ),
    );
    expect(postsSince(before)[0]?.body.thread_ts).toBe('1700002000.000100');
  });

  it('follows the enrichment policy: nothing in a channel where it is turned off', async () => {
    const before = fake.posts().length;
    const calls = enricher.calls.length;
    await sendEvent(
      eventCallback(
        messageEvent('Hammer Panda again', '1700002004.000100', { channel: 'C0MUTED' }),
      ),
    );
    expect(postsSince(before)).toEqual([]);
    // The adapter asked (with the channel id); the policy said no.
    expect(enricher.calls.slice(calls).map((c) => c.channel)).toEqual(['C0MUTED']);
  });

  it('says nothing about messages that name no actor', async () => {
    const before = fake.posts().length;
    await sendEvent(eventCallback(messageEvent('lunch at noon?', '1700002003.000100')));
    expect(postsSince(before)).toEqual([]);
  });

  it('never reacts to bots, to itself, to subtypes (joins, topics), to DMs, or to mentions of itself', async () => {
    const before = fake.posts().length;
    const calls = enricher.calls.length;
    const text = 'Giant Bear sighted';
    const quiet = { channel: 'C0QUIET' };
    const ignored: Json[] = [
      messageEvent(text, '1700003000.000001', {
        bot_id: 'BOTHER',
        subtype: 'bot_message',
        ...quiet,
      }),
      messageEvent(text, '1700003000.000002', { bot_id: 'BOTHER', ...quiet }),
      messageEvent(text, '1700003000.000003', { user: BOT_USER_ID, ...quiet }),
      messageEvent(text, '1700003000.000004', { user: BOT_USER_ID, bot_id: BOT_ID, ...quiet }),
      // Edits are followed since #16: test/e2e/slack-follow.test.ts.
      messageEvent(`<@U0ALICE> has joined the channel. ${text}`, '1700003000.000006', {
        subtype: 'channel_join',
        ...quiet,
      }),
      messageEvent(`set the channel topic: ${text}`, '1700003000.000007', {
        subtype: 'channel_topic',
        topic: text,
        ...quiet,
      }),
      messageEvent(text, '1700003000.000008', { channel: 'D0DM', channel_type: 'im' }),
      messageEvent(`<@${BOT_USER_ID}> ${text}`, '1700003000.000009', quiet),
    ];
    for (const event of ignored) expect((await sendEvent(eventCallback(event))).status).toBe(200);
    expect(postsSince(before)).toEqual([]);
    expect(enricher.calls.slice(calls)).toEqual([]);
    // The same text from a person in a channel does get a reply.
    await sendEvent(eventCallback(messageEvent(text, '1700003000.000010', quiet)));
    expect(postsSince(before)).toHaveLength(1);
  });

  it('a retried or duplicated message event does not post again', async () => {
    const before = fake.posts().length;
    const calls = enricher.calls.length;
    const payload = eventCallback(messageEvent('Inject Kitten spotted', '1700004000.000100'));
    await sendEvent(payload);
    await sendEvent(payload, { retryNum: 1 });
    await sendEvent(eventCallback(messageEvent('Inject Kitten spotted', '1700004000.000100')));
    expect(postsSince(before)).toHaveLength(1);
    // Dropped before the core is asked (not merely stopped by the enricher's cooldown).
    expect(enricher.calls.length - calls).toBe(1);
    // The enrichment reply escapes card text too.
    const [post] = postsSince(before);
    expect(blockKitProblems(post?.body ?? {})).toEqual([]);
    expect(allText(post?.body ?? {})).toContain('Inject Kitten &lt;!channel&gt;');
  });

  it('"Show card" answers privately, and sharing it posts in the thread', async () => {
    const click = await press({
      actionId: 'aptcard.go.0',
      value: `show:${UUID.netTraveler}`,
      ephemeral: false,
      messageTs: '1700002000.000900',
      threadTs: '1700002000.000100',
    });
    const [card] = fake.responsesTo(click.id);
    expect(card?.response_type).toBe('ephemeral');
    expect(card?.replace_original).toBe(false);
    expect(header(card)).toBe('NetTraveler, APT 21, Hammer Panda');
    const share = buttonsOf(card ?? {}).find((b) => b.actionId === 'aptcard.share');
    expect(share?.value).toBe(`share:1700002000.000100|show:${UUID.netTraveler}`);

    const before = fake.posts().length;
    const shareClick = await press({
      actionId: 'aptcard.share',
      value: share?.value ?? '',
      ephemeral: true,
      messageTs: '1700002000.000950',
    });
    const [post] = postsSince(before);
    expect(post?.body.channel).toBe('C0INCIDENT');
    expect(post?.body.thread_ts).toBe('1700002000.000100');
    expect(header(post?.body)).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(fake.responsesTo(shareClick.id)).toEqual([{ delete_original: true }]);
  });
});

describe('answering in channel by default', () => {
  let inChannel: SlackAdapter;
  beforeAll(async () => {
    inChannel = await startSlack(new Bot(slackLibrary()), config({ answerInChannel: true }), {
      host: '127.0.0.1',
      botUserId: BOT_USER_ID,
      botId: BOT_ID,
      processBeforeResponse: true,
    });
  });
  afterAll(async () => {
    await inChannel?.stop();
  });

  it('answers /apt for everyone, without a share button; help stays private', async () => {
    const res = await slash('hammer panda', inChannel);
    expect(res.json?.response_type).toBe('in_channel');
    expect(header(res.json)).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(buttonsOf(res.json ?? {}).find((b) => b.actionId === 'aptcard.share')).toBeUndefined();
    const help = await slash('help', inChannel);
    expect(help.json?.response_type).toBe('ephemeral');
  });
});

describe("Bolt's default: acknowledge first, answer after", () => {
  let quick: SlackAdapter;
  beforeAll(async () => {
    quick = await startSlack(new Bot(slackLibrary()), config(), {
      host: '127.0.0.1',
      botUserId: BOT_USER_ID,
      botId: BOT_ID,
    });
  });
  afterAll(async () => {
    await quick?.stop();
  });

  it('still answers /apt in the acknowledgement, and mentions in the thread', async () => {
    const res = await slash('apt 21', quick);
    expect(header(res.json)).toBe('NetTraveler, APT 21, Hammer Panda');
    const ts = '1700005000.000100';
    const ack: HttpAnswer = await sendEvent(eventCallback(mentionEvent('apt 21', ts)), {
      a: quick,
    });
    expect(ack.status).toBe(200);
    const post = await fake.waitFor(
      () => fake.posts().find((p) => p.body.thread_ts === ts),
      'the mention reply',
    );
    expect(header(post.body)).toBe('NetTraveler, APT 21, Hammer Panda');
  });
});

describe('a handler that throws', () => {
  let broken: SlackAdapter;
  beforeAll(async () => {
    const bot = {
      cardCount: 0,
      store: undefined,
      answer(): never {
        throw new Error('boom: internal detail');
      },
      revise(): never {
        throw new Error('boom: internal detail');
      },
      notThisActor(): never {
        throw new Error('boom: internal detail');
      },
    };
    broken = await startSlack(bot, config(), {
      host: '127.0.0.1',
      botUserId: BOT_USER_ID,
      botId: BOT_ID,
      processBeforeResponse: true,
    });
  });
  afterAll(async () => {
    await broken?.stop();
  });

  it('gives the user a short error reply, without details, and keeps serving', async () => {
    const res = await slash('hammer panda', broken);
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe('ephemeral');
    expect(allText(res.json ?? {})).toContain('Sorry, something went wrong');
    expect(res.text).not.toContain('boom');
    expect(blockKitProblems(res.json ?? {})).toEqual([]);

    const before = fake.posts().length;
    const ts = '1700006000.000100';
    expect((await sendEvent(eventCallback(mentionEvent('apt 21', ts)), { a: broken })).status).toBe(
      200,
    );
    const [post] = postsSince(before);
    expect(post?.body.thread_ts).toBe(ts);
    expect(allText(post?.body ?? {})).toContain('Sorry, something went wrong');
    expect(JSON.stringify(post?.body)).not.toContain('boom');

    // Enrichment stays quiet: nobody asked, an apology would be noise.
    await sendEvent(eventCallback(messageEvent('Hammer Panda', '1700006001.000100')), {
      a: broken,
    });
    expect(postsSince(before)).toHaveLength(1);

    const click = await press(
      { actionId: 'aptcard.go.0', value: `show:${UUID.netTraveler}`, ephemeral: true },
      broken,
    );
    expect(allText(fake.responsesTo(click.id)[0] ?? {})).toContain('Sorry, something went wrong');

    const health = await fetch(`${broken.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('survives a failing Slack API call', async () => {
    fake.failing.set('chat.postMessage', 'channel_not_found');
    try {
      const res = await sendEvent(eventCallback(mentionEvent('apt 21', '1700006002.000100')));
      expect(res.status).toBeLessThan(600);
      const health = await fetch(`${adapter.url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      fake.failing.delete('chat.postMessage');
    }
    const before = fake.posts().length;
    await sendEvent(eventCallback(mentionEvent('apt 21', '1700006003.000100')));
    expect(postsSince(before)).toHaveLength(1);
  });
});
