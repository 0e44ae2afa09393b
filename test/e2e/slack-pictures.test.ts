/**
 * "Map & timeline" on Slack end to end: the real Bolt app (HTTP mode, signed requests) uploads
 * the card's PNGs with the files API against the fake Slack, in the order `files.uploadV2`
 * calls it: files.getUploadURLExternal for each file, the bytes to each upload URL, then one
 * files.completeUploadExternal sharing both in the channel (or thread) with a message. Link
 * buttons to the sources' pages are acknowledged and otherwise ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackAdapter, startSlack } from '../../adapters/slack/index.js';
import { Bot } from '../../src/bot.js';
import { PNG_SIGNATURE } from '../../src/pictures/png.js';
import { MESSAGES } from '../../src/reply/messages.js';
import {
  blockAction,
  FakeSlack,
  form,
  type Json,
  postSigned,
  slashCommand,
} from '../fakes/slack.js';
import { slackLibrary, UUID } from '../slack/fixtures.js';
import { allText, buttonsOf } from '../slack/limits.js';

const SECRET = 'test-signing-secret';

let fake: FakeSlack;
let adapter: SlackAdapter;
let n = 0;

beforeAll(async () => {
  fake = await FakeSlack.start();
  adapter = await startSlack(
    new Bot(slackLibrary()),
    {
      botToken: 'xoxb-test',
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

async function signed(payload: string) {
  const res = await postSigned(`${adapter.url}/slack/events`, payload, { secret: SECRET });
  expect(res.status).toBe(200);
  return res;
}

async function press(fields: Omit<Parameters<typeof blockAction>[0], 'responseUrl'>) {
  const id = `p${++n}`;
  await signed(form({ payload: blockAction({ ...fields, responseUrl: fake.responseUrl(id) }) }));
  return id;
}

/** The "Map & timeline" button of the first screen of `query`. */
async function picturesButton(query: string) {
  const id = `s${++n}`;
  const res = await signed(form(slashCommand({ text: query, responseUrl: fake.responseUrl(id) })));
  const button = buttonsOf(res.json ?? {}).find((b) => b.label === 'Map &amp; timeline');
  if (!button) throw new Error(`no Map & timeline button for ${query}`);
  return button;
}

const completions = () => fake.calls.filter((c) => c.method === 'files.completeUploadExternal');

describe('Map & timeline on Slack', () => {
  it('uploads both PNGs with the files API, in order, and shares them in the channel', async () => {
    const button = await picturesButton('hammer panda');
    expect(button.value).toBe(`pics:${UUID.netTraveler}`);
    const order = fake.order.length;
    const uploads = fake.uploads.length;
    const id = await press({ actionId: button.actionId, value: button.value, ephemeral: true });
    const steps = fake.order.slice(order);
    expect(steps.map((s) => s.replace(/ F\d+$/, ''))).toEqual([
      'files.getUploadURLExternal',
      'files.getUploadURLExternal',
      'upload',
      'upload',
      'files.completeUploadExternal',
    ]);
    const sent = fake.uploads.slice(uploads);
    expect(sent).toHaveLength(2);
    for (const u of sent) {
      expect(u.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(u.bytes.length).toBeGreaterThan(1000);
    }
    // Each file was announced with its name and its exact size before its bytes were sent.
    const asked = fake.calls.filter((c) => c.method === 'files.getUploadURLExternal').slice(-2);
    expect(asked.map((c) => c.body.filename).sort()).toEqual([
      'nettraveler-map.png',
      'nettraveler-timeline.png',
    ]);
    expect(asked.map((c) => Number(c.body.length)).sort()).toEqual(
      sent.map((u) => u.bytes.length).sort(),
    );
    const complete = completions().at(-1)?.body as Json;
    expect(complete.channel_id).toBe('C0INCIDENT');
    expect(complete.thread_ts).toBeUndefined();
    expect((complete.files as Json[]).map((f) => f.title)).toEqual(
      expect.arrayContaining(['Targets map of NetTraveler', 'Activity timeline of NetTraveler']),
    );
    expect(allText({ blocks: complete.blocks })).toContain(
      'The targets map and activity timeline of *NetTraveler*',
    );
    // The private card stays as it was: nothing replaces it.
    expect(fake.responsesTo(id)).toEqual([]);
  });

  it('shares them in the thread the button was pressed in', async () => {
    const button = await picturesButton('hammer panda');
    await press({
      actionId: button.actionId,
      value: button.value,
      ephemeral: false,
      messageTs: '1700000100.000200',
      threadTs: '1700000100.000100',
    });
    expect(completions().at(-1)?.body.thread_ts).toBe('1700000100.000100');
  });

  it('tells the presser privately when Slack refuses the upload', async () => {
    const button = await picturesButton('hammer panda');
    fake.failing.set('files.completeUploadExternal', 'not_in_channel');
    try {
      const id = await press({ actionId: button.actionId, value: button.value, ephemeral: true });
      const [reply] = fake.responsesTo(id);
      expect(reply?.response_type).toBe('ephemeral');
      expect(reply?.replace_original).toBe(false);
      expect(allText(reply ?? {})).toContain(MESSAGES.picturesFailed);
    } finally {
      fake.failing.delete('files.completeUploadExternal');
    }
  });

  it('a card gone from the catalog gets the usual short error', async () => {
    const id = await press({
      actionId: 'aptcard.go.1',
      value: 'pics:no-such-card',
      ephemeral: true,
    });
    expect(allText(fake.responsesTo(id)[0] ?? {})).toContain(MESSAGES.cardGone);
  });

  it('a link button is acknowledged and answers nothing', async () => {
    const calls = fake.calls.length;
    const id = await press({
      actionId: 'aptcard.link.0',
      value: 'https://apt.etda.or.th/',
      ephemeral: true,
    });
    expect(fake.responsesTo(id)).toEqual([]);
    expect(fake.calls.slice(calls)).toEqual([]);
  });
});
