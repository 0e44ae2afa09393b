/**
 * Unauthenticated requests against the real Bolt app in HTTP mode: refused from their headers
 * alone (signature shape, a timestamp more than five minutes off in either direction, a
 * declared body larger than Slack sends) before any body is read, and at most MAX_IN_FLIGHT
 * read at once.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, MAX_IN_FLIGHT } from '../../adapters/slack/gate.js';
import { type SlackAdapter, startSlack } from '../../adapters/slack/index.js';
import { Bot } from '../../src/bot.js';
import { eventCallback, FakeSlack, mentionEvent, postSigned, signature } from '../fakes/slack.js';
import { slackLibrary } from '../slack/fixtures.js';

const SECRET = 'gate-signing-secret';
let fake: FakeSlack;
let adapter: SlackAdapter;

beforeAll(async () => {
  fake = await FakeSlack.start();
  adapter = await startSlack(
    new Bot(slackLibrary()),
    {
      botToken: 'xoxb-gate',
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
const mention = (ts: string) => JSON.stringify(eventCallback(mentionEvent('apt 21', ts)));

/** Send headers and only part of a declared body; resolve with the status if one comes. */
function partial(
  headers: Record<string, string>,
  sent: number,
): Promise<{ status?: number; end: () => void }> {
  return new Promise((resolve) => {
    const url = new URL(events());
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers,
    });
    req.on('error', () => resolve({ end: () => {} }));
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode, end: () => req.destroy() });
    });
    req.write('x'.repeat(sent));
    // No response yet: the server is waiting for the rest of the body.
    setTimeout(() => resolve({ end: () => req.destroy() }), 300);
  });
}

describe('unauthenticated requests', () => {
  it('refuses a correctly signed request an hour or a year in the future', async () => {
    const before = fake.posts().length;
    for (const ahead of [60 * 60, 365 * 24 * 60 * 60]) {
      const res = await postSigned(events(), mention(`1700400${ahead}.000001`), {
        secret: SECRET,
        timestamp: Math.floor(Date.now() / 1000) + ahead,
        contentType: 'application/json',
      });
      expect(res.status).toBe(401);
    }
    expect(fake.posts().length).toBe(before);
    const now = await postSigned(events(), mention('1700400000.000002'), {
      secret: SECRET,
      contentType: 'application/json',
    });
    expect(now.status).toBe(200);
    expect(fake.posts().length).toBe(before + 1);
  });

  it('answers a too-large declared body with 413 before reading it', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const r = await partial(
      {
        'content-type': 'application/json',
        'content-length': String(4 * 1024 * 1024),
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signature(SECRET, Number(timestamp), 'forged'),
      },
      1024,
    );
    r.end();
    expect(r.status).toBe(413);
    expect(4 * 1024 * 1024).toBeGreaterThan(MAX_BODY_BYTES);
  });

  it('refuses a request without signature headers before reading it', async () => {
    const r = await partial({ 'content-type': 'application/json', 'content-length': '100000' }, 10);
    r.end();
    expect(r.status).toBe(401);
  });

  it(`reads at most ${MAX_IN_FLIGHT} unauthenticated bodies at once, and frees them after`, async () => {
    const headers = () => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      return {
        'content-type': 'application/json',
        'content-length': '100000',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signature(SECRET, Number(timestamp), 'forged'),
      };
    };
    const slow = await Promise.all(
      Array.from({ length: MAX_IN_FLIGHT }, () => partial(headers(), 10)),
    );
    expect(slow.every((s) => s.status === undefined)).toBe(true);
    const extra = await partial(headers(), 10);
    extra.end();
    expect(extra.status).toBe(503);
    for (const s of slow) s.end();
    await new Promise((r) => setTimeout(r, 200));
    const after = await postSigned(events(), mention('1700400000.000003'), {
      secret: SECRET,
      contentType: 'application/json',
    });
    expect(after.status).toBe(200);
  });
});
