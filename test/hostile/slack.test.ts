/**
 * The hostile-input corpus through the real Bolt app in HTTP mode against the local fake
 * Slack: every input as a mention, a slash command and a channel message is answered (or,
 * for an ordinary message, ignored), within Block Kit's limits and without a live ping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackAdapter, startSlack } from '../../adapters/slack/index.js';
import { Bot } from '../../src/bot.js';
import {
  eventCallback,
  FakeSlack,
  form,
  mentionEvent,
  messageEvent,
  postSigned,
  slashCommand,
} from '../fakes/slack.js';
import { HOSTILE_INPUTS, LIVE_PINGS } from '../helpers/hostile.js';
import { CountingEnricher, slackLibrary } from '../slack/fixtures.js';
import { allText, blockKitProblems } from '../slack/limits.js';

const SECRET = 'hostile-signing-secret';
let fake: FakeSlack;
let adapter: SlackAdapter;

beforeAll(async () => {
  fake = await FakeSlack.start();
  const bot = new Bot(slackLibrary(), { enricher: new CountingEnricher() });
  adapter = await startSlack(
    bot,
    {
      botToken: 'xoxb-hostile',
      signingSecret: SECRET,
      apiUrl: fake.apiUrl,
      port: 0,
      answerInChannel: false,
    },
    { host: '127.0.0.1', processBeforeResponse: true },
  );
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

const events = () => `${adapter.url}/slack/events`;
const sendJson = (payload: unknown) =>
  postSigned(events(), JSON.stringify(payload), {
    secret: SECRET,
    contentType: 'application/json',
  });

/** No text the bot sent may hold a ping the platform would act on. */
function livePings(body: Record<string, unknown>): string[] {
  const text = allText(body);
  return LIVE_PINGS.filter((p) => p.startsWith('<') && text.includes(p));
}

describe('hostile corpus through Bolt', () => {
  it('answers every input as a mention, without a live ping', async () => {
    for (const [i, { name, text }] of HOSTILE_INPUTS.entries()) {
      const before = fake.posts().length;
      const ts = `1700100000.${String(i).padStart(6, '0')}`;
      const res = await sendJson(eventCallback(mentionEvent(text.slice(0, 39_000), ts)));
      expect(res.status, name).toBe(200);
      const posts = fake.posts().slice(before);
      expect(posts, name).toHaveLength(1);
      const body = posts[0]?.body ?? {};
      expect(blockKitProblems(body), name).toEqual([]);
      expect(livePings(body), name).toEqual([]);
    }
  }, 60_000);

  it('answers every input as a slash command, and ignores or enriches it as a message', async () => {
    for (const [i, { name, text }] of HOSTILE_INPUTS.entries()) {
      const id = `h${i}`;
      const res = await postSigned(
        events(),
        form(slashCommand({ text: text.slice(0, 39_000), responseUrl: fake.responseUrl(id) })),
        { secret: SECRET },
      );
      expect(res.status, name).toBe(200);
      const answers = [res.json ?? {}, ...fake.responsesTo(id)];
      for (const a of answers) expect(livePings(a), name).toEqual([]);
      const ts = `1700200000.${String(i).padStart(6, '0')}`;
      const before = fake.posts().length;
      expect((await sendJson(eventCallback(messageEvent(text, ts)))).status, name).toBe(200);
      for (const p of fake.posts().slice(before)) expect(livePings(p.body), name).toEqual([]);
    }
  }, 60_000);

  it('the fake Slack takes form fields that start with "[" as text', async () => {
    // Bolt's WebClient sends chat.postMessage form-encoded; the fake once parsed every field
    // starting with "[" as JSON and answered 500 to a card named "[Vault 7/8]".
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ channel: 'C0INCIDENT', text: '[Vault 7/8]', blocks: [] }),
    });
    expect(res.status).toBe(200);
    expect(fake.posts().at(-1)?.body).toMatchObject({ text: '[Vault 7/8]', blocks: [] });
  });
});
