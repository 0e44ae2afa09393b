/**
 * "Map & timeline" on Slack end to end: the real Bolt app (HTTP mode, signed requests) uploads
 * the card's PNGs with the files API against the fake Slack, in the order `files.uploadV2` calls
 * it (files.getUploadURLExternal for each file, the bytes to each upload URL, one
 * files.completeUploadExternal without a channel), then posts one message showing them in image
 * blocks that reference the file ids the fake issued. While Slack is still processing the files
 * it tries again; when the image blocks cannot be posted, it falls back to the file message of
 * before and deletes the unshared copies; and it tells the presser privately when nothing could
 * be posted. Link buttons to the sources' pages are acknowledged and otherwise ignored.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
import { allText, blockKitProblems, buttonsOf } from '../slack/limits.js';
import { memoryLogger } from './discord-setup.js';

const SECRET = 'test-signing-secret';

/** Short pauses between tries (the default waits seconds). */
const WAITS = [50, 100, 200];

let fake: FakeSlack;
const log = memoryLogger();
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
    { host: '127.0.0.1', processBeforeResponse: true, logger: log.logger, fileWaitsMs: WAITS },
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

const calls = (method: string, from = 0) =>
  fake.calls.slice(from).filter((c) => c.method === method);
const imageBlocks = (call: { body: Json } | undefined) =>
  ((call?.body.blocks ?? []) as Json[]).filter((b) => b.type === 'image');
/** The file ids the fake issued since call number `from`, in order. */
const issued = (from: number) =>
  calls('files.getUploadURLExternal', from).map((c) => String(c.result?.file_id));

/** Press "Map & timeline" for `query`; what the fake saw from then on. */
async function pressPictures(query: string, extra: { messageTs?: string; threadTs?: string } = {}) {
  const button = await picturesButton(query);
  const from = fake.calls.length;
  const order = fake.order.length;
  const id = await press({
    actionId: button.actionId,
    value: button.value,
    ephemeral: extra.messageTs === undefined,
    ...extra,
  });
  return { button, from, id, steps: fake.order.slice(order).map((s) => s.replace(/ F\d+$/, '')) };
}

describe('Map & timeline on Slack', () => {
  afterEach(() => {
    fake.fileProcessingMs = 0;
    fake.failing.clear();
    fake.notInChannels.clear();
  });

  it('uploads both PNGs unshared, in order, then shows them in image blocks of one message', async () => {
    const uploads = fake.uploads.length;
    const { button, from, id, steps } = await pressPictures('hammer panda');
    expect(button.value).toBe(`pics:${UUID.netTraveler}`);
    expect(steps).toEqual([
      'files.getUploadURLExternal',
      'files.getUploadURLExternal',
      'upload',
      'upload',
      'files.completeUploadExternal',
      'chat.postMessage',
    ]);
    const sent = fake.uploads.slice(uploads);
    expect(sent).toHaveLength(2);
    for (const u of sent) {
      expect(u.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(u.bytes.length).toBeGreaterThan(1000);
    }
    // Each file was announced with its name and its exact size before its bytes were sent.
    const asked = calls('files.getUploadURLExternal', from);
    expect(asked.map((c) => c.body.filename).sort()).toEqual([
      'nettraveler-map.png',
      'nettraveler-timeline.png',
    ]);
    expect(asked.map((c) => Number(c.body.length)).sort()).toEqual(
      sent.map((u) => u.bytes.length).sort(),
    );
    // Completed for nobody: no channel, no thread, no message of its own.
    const [complete] = calls('files.completeUploadExternal', from);
    expect(complete?.body.channel_id).toBeUndefined();
    expect(complete?.body.thread_ts).toBeUndefined();
    expect(complete?.body.blocks).toBeUndefined();
    expect(((complete?.body.files ?? []) as Json[]).map((f) => f.title)).toEqual([
      'Targets map of NetTraveler',
      'Activity timeline of NetTraveler',
    ]);
    const ids = issued(from);
    expect(ids).toHaveLength(2);
    for (const f of ids) expect(fake.files.get(f)?.channel).toBeUndefined();
    // One message in the channel shows them: each image block refers to an id the fake issued.
    const [post] = calls('chat.postMessage', from);
    expect(post?.body.channel).toBe('C0INCIDENT');
    expect(post?.body.thread_ts).toBeUndefined();
    expect(post?.result?.ok).toBe(true);
    expect(blockKitProblems(post?.body ?? {})).toEqual([]);
    expect(imageBlocks(post).map((b) => b.slack_file)).toEqual(ids.map((f) => ({ id: f })));
    expect(imageBlocks(post).map((b) => (b.title as Json).text)).toEqual([
      'Targets map of NetTraveler',
      'Activity timeline of NetTraveler',
    ]);
    for (const b of imageBlocks(post)) expect(String(b.alt_text)).toMatch(/NetTraveler/);
    expect(allText(post?.body ?? {})).toContain(
      'The targets map and activity timeline of *NetTraveler*',
    );
    // The private card stays as it was: nothing replaces it.
    expect(fake.responsesTo(id)).toEqual([]);
  });

  it('posts them in the thread the button was pressed in', async () => {
    const { from } = await pressPictures('hammer panda', {
      messageTs: '1700000100.000200',
      threadTs: '1700000100.000100',
    });
    const [post] = calls('chat.postMessage', from);
    expect(post?.body.thread_ts).toBe('1700000100.000100');
    expect(imageBlocks(post)).toHaveLength(2);
  });

  it('tries again while Slack is still processing the files, then shows them', async () => {
    // Refused at once and after the first pause (50 ms); shown after the second (100 ms more).
    fake.fileProcessingMs = 120;
    const { from, steps } = await pressPictures('hammer panda');
    const posts = calls('chat.postMessage', from);
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(posts[0]?.result?.error).toBe('invalid_blocks');
    expect(posts[0]?.result?.errors).toEqual([
      'invalid slack file [json-pointer:/blocks/1/slack_file]',
      'invalid slack file [json-pointer:/blocks/2/slack_file]',
    ]);
    expect(posts.at(-1)?.result?.ok).toBe(true);
    for (const post of posts) {
      expect(imageBlocks(post).map((b) => b.slack_file)).toEqual(
        issued(from).map((f) => ({ id: f })),
      );
    }
    // No file message, nothing deleted.
    expect(steps.filter((s) => s.startsWith('files.'))).toEqual([
      'files.getUploadURLExternal',
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
  });

  it('falls back to the file message when the image blocks are still refused, and deletes the unshared copies', async () => {
    fake.fileProcessingMs = 60_000;
    const logged = log.lines().length;
    const { from, steps, id } = await pressPictures('hammer panda', {
      messageTs: '1700000200.000200',
      threadTs: '1700000200.000100',
    });
    const unshared = issued(from).slice(0, 2);
    // The first try and one after each of the three pauses, then the upload of before.
    expect(steps).toEqual([
      'files.getUploadURLExternal',
      'files.getUploadURLExternal',
      'upload',
      'upload',
      'files.completeUploadExternal',
      'chat.postMessage',
      'chat.postMessage',
      'chat.postMessage',
      'chat.postMessage',
      'files.getUploadURLExternal',
      'files.getUploadURLExternal',
      'upload',
      'upload',
      'files.completeUploadExternal',
      'files.delete',
      'files.delete',
    ]);
    const [, shared] = calls('files.completeUploadExternal', from);
    expect(shared?.body.channel_id).toBe('C0INCIDENT');
    expect(shared?.body.thread_ts).toBe('1700000200.000100');
    expect(((shared?.body.blocks ?? []) as Json[]).some((b) => b.type === 'image')).toBe(false);
    expect(allText({ blocks: shared?.body.blocks })).toContain(
      'The targets map and activity timeline of *NetTraveler*',
    );
    expect(calls('files.delete', from).map((c) => c.body.file)).toEqual(unshared);
    for (const f of unshared) expect(fake.files.has(f)).toBe(false);
    expect(fake.responsesTo(id)).toEqual([]);
    const warning = log
      .lines()
      .slice(logged)
      .find((l) => l.msg?.startsWith('posting the pictures in image blocks failed')) as
      | Json
      | undefined;
    expect(warning?.error).toBe('invalid_blocks');
  });

  it('falls back at once when Slack refuses the message for another reason', async () => {
    fake.failing.set('chat.postMessage', 'restricted_action');
    const { from } = await pressPictures('hammer panda');
    expect(calls('chat.postMessage', from)).toHaveLength(1);
    const [, shared] = calls('files.completeUploadExternal', from);
    expect(shared?.body.channel_id).toBe('C0INCIDENT');
    expect(calls('files.delete', from)).toHaveLength(2);
  });

  it('tells the presser privately when neither the image blocks nor the file message can be posted', async () => {
    fake.notInChannels.add('C0ELSEWHERE');
    const button = await picturesButton('hammer panda');
    const from = fake.calls.length;
    const id = await press({
      actionId: button.actionId,
      value: button.value,
      ephemeral: true,
      channel: 'C0ELSEWHERE',
    });
    expect(calls('chat.postMessage', from).map((c) => c.body.channel)).toEqual(['C0ELSEWHERE']);
    expect(calls('files.completeUploadExternal', from)).toHaveLength(2);
    const [reply] = fake.responsesTo(id);
    expect(reply?.response_type).toBe('ephemeral');
    expect(reply?.replace_original).toBe(false);
    expect(allText(reply ?? {})).toContain(MESSAGES.picturesFailed);
    expect(calls('files.delete', from)).toHaveLength(2);
  });

  it('tells the presser privately when Slack refuses the upload', async () => {
    fake.failing.set('files.completeUploadExternal', 'not_allowed_token_type');
    const { from, id } = await pressPictures('hammer panda');
    expect(calls('chat.postMessage', from)).toEqual([]);
    const [reply] = fake.responsesTo(id);
    expect(reply?.response_type).toBe('ephemeral');
    expect(reply?.replace_original).toBe(false);
    expect(allText(reply ?? {})).toContain(MESSAGES.picturesFailed);
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
