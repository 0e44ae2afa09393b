/**
 * Channel controls from chat on Slack, through the real Bolt app against the fake Slack, with a
 * real SQLite state file: `/apt settings` shows and changes this channel's settings (admins and
 * owners from users.info, and ADMIN_USERS), the enrichment policy follows them, "Not this actor"
 * mutes a name and takes its line out of the reply, and the settings survive a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackAdapter, startSlack } from '../../adapters/slack/index.js';
import { Bot } from '../../src/bot.js';
import { AliasEnricher } from '../../src/detect/enricher.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import {
  type ApiCall,
  blockAction,
  eventCallback,
  FakeSlack,
  form,
  type Json,
  messageChangedEvent,
  messageEvent,
  postSigned,
  slashCommand,
} from '../fakes/slack.js';
import { ENRICHMENT, slackLibrary, UUID } from '../slack/fixtures.js';
import { allText, blockKitProblems, buttonsOf } from '../slack/limits.js';

const SECRET = 'settings-secret';
const stateDir = mkdtempSync(join(tmpdir(), 'aptcard-slack-settings-'));
let fake: FakeSlack;
let running: { adapter: SlackAdapter; store: SqliteStore };
let n = 0;

async function start() {
  const store = SqliteStore.open(stateDir);
  const bot = new Bot(slackLibrary(), {
    enricher: new AliasEnricher({ ...ENRICHMENT, cooldownMinutes: 0 }, { store }),
    store,
  });
  const adapter = await startSlack(
    bot,
    {
      botToken: 'xoxb-settings',
      signingSecret: SECRET,
      apiUrl: fake.apiUrl,
      port: 0,
      answerInChannel: true,
      adminUsers: ['U0LISTED'],
    },
    { host: '127.0.0.1', processBeforeResponse: true, botUserId: 'UBOT', botId: 'BBOT' },
  );
  return { adapter, store };
}

async function stop() {
  await running.adapter.stop();
  await running.store.close();
}

beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.users.set('U0ADMIN', { is_admin: true });
  fake.users.set('U0OWNER', { is_owner: true });
  running = await start();
});
afterAll(async () => {
  await stop();
  await fake?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

const events = () => `${running.adapter.url}/slack/events`;

/** `/apt <text>` from `user`: the acknowledgement's body (the private answer). */
async function apt(text: string, user = 'U0ALICE', channel = 'C0INCIDENT'): Promise<Json> {
  const body = form(slashCommand({ text, user, channel, responseUrl: fake.responseUrl('cmd') }));
  const res = await postSigned(events(), body, { secret: SECRET });
  expect(res.status).toBe(200);
  return res.json ?? {};
}

/** A channel message: the chat.* calls it caused. */
async function say(event: Json): Promise<ApiCall[]> {
  const before = fake.calls.length;
  const res = await postSigned(events(), JSON.stringify(eventCallback(event)), {
    secret: SECRET,
    contentType: 'application/json',
  });
  expect(res.status).toBe(200);
  return fake.calls.slice(before).filter((c) => c.method.startsWith('chat.'));
}

/** Press a button on the public message `post` (as Slack sends it, blocks included). */
async function press(post: ApiCall, value: string, user = 'U0BOB') {
  const id = `press${++n}`;
  const before = fake.calls.length;
  const button = buttonsOf(post.body).find((b) => b.value === value);
  expect(button, `a button ${value}`).toBeDefined();
  const payload = blockAction({
    actionId: button?.actionId ?? '',
    value,
    responseUrl: fake.responseUrl(id),
    ephemeral: false,
    messageTs: String(post.body.ts ?? ''),
    blocks: post.body.blocks,
    user,
  });
  const res = await postSigned(events(), form({ payload }), { secret: SECRET });
  expect(res.status).toBe(200);
  return {
    responses: fake.responsesTo(id),
    calls: fake.calls.slice(before).filter((c) => c.method.startsWith('chat.')),
  };
}

/** The posted message with its ts, as the fake answered chat.postMessage. */
const posted = (call: ApiCall | undefined, ts: string): ApiCall => ({
  ...(call ?? { method: 'chat.postMessage', token: undefined, body: {} }),
  body: { ...call?.body, ts },
});

/** Both names muted, each with who muted it ("Giant Bear" is a card with a very long name). */
const MUTED = /Muted here: NetTraveler \(by <@U0BOB>\), Giant Longname [^(]+ \(by <@U0CAROL>\)/;

const userInfos = () => fake.calls.filter((c) => c.method === 'users.info');

describe('/apt settings on Slack', () => {
  it('shows anyone this channel’s settings, privately, saying who may change them', async () => {
    const answer = await apt('settings');
    expect(answer.response_type).toBe('ephemeral');
    expect(blockKitProblems(answer, { userMentions: true })).toEqual([]);
    const text = allText(answer);
    expect(text).toContain('Automatic cards in this channel');
    expect(text).toContain('Automatic cards: on (default)');
    expect(text).toContain('Cooldown per actor: none (default)');
    expect(text).toContain('Muted here: none');
    expect(text).toContain(
      'Anyone can see these; workspace admins and owners, and the people in ADMIN_USERS, can change them.',
    );
    expect(text).toContain('`/apt settings cooldown 30m (or 2h, 0 for none)`');
    // Viewing asks nobody's rights.
    expect(userInfos()).toHaveLength(0);
  });

  it('refuses a change to a member, saying who may, and the channel stays as it was', async () => {
    const answer = await apt('settings off', 'U0ALICE');
    expect(answer.response_type).toBe('ephemeral');
    expect(allText(answer)).toContain(
      "Not changed: only workspace admins and owners, and the people in ADMIN_USERS, can change this channel's settings.",
    );
    expect(userInfos().map((c) => c.body.user)).toEqual(['U0ALICE']);
    const [post] = await say(messageEvent('infra overlaps with TEMP.Zhenbao', '1701000000.000001'));
    expect(post?.method).toBe('chat.postMessage');
  });

  it('lets an admin turn enrichment off here (users.info asked once), and ADMIN_USERS back on', async () => {
    const off = await apt('settings off', 'U0ADMIN');
    expect(allText(off)).toContain('Automatic cards are now off in this channel.');
    expect(allText(off)).toContain('Last changed by <@U0ADMIN>');
    expect(await say(messageEvent('TEMP.Zhenbao again', '1701000000.000002'))).toEqual([]);
    // Another channel keeps the environment's settings.
    const elsewhere = await say(
      messageEvent('TEMP.Zhenbao again', '1701000000.000003', { channel: 'C0OTHER' }),
    );
    expect(elsewhere.map((c) => c.method)).toEqual(['chat.postMessage']);

    const cooldown = await apt('settings cooldown 2h', 'U0ADMIN');
    expect(allText(cooldown)).toContain('Each actor now gets at most one card every 2 h here.');
    // Kept a minute: the second change did not ask Slack again.
    expect(userInfos().filter((c) => c.body.user === 'U0ADMIN')).toHaveLength(1);

    const on = await apt('settings on', 'U0LISTED');
    expect(allText(on)).toContain('Automatic cards are now on in this channel.');
    expect(userInfos().filter((c) => c.body.user === 'U0LISTED')).toHaveLength(0);
    const back = await say(messageEvent('TEMP.Zhenbao is back', '1701000000.000004'));
    expect(back.map((c) => c.method)).toEqual(['chat.postMessage']);
    // The channel's own cooldown now holds: the same actor again gets nothing.
    expect(await say(messageEvent('TEMP.Zhenbao, still', '1701000000.000005'))).toEqual([]);
    await apt('settings cooldown 0', 'U0OWNER');
  });

  it('answers bad arguments with the usage', async () => {
    const answer = await apt('settings cooldown soon', 'U0ADMIN');
    expect(answer.response_type).toBe('ephemeral');
    const text = allText(answer);
    expect(text).toContain('Not a settings command: the cooldown is a duration up to 7 days');
    expect(text).toContain('`/apt settings mute &lt;name&gt; | unmute &lt;name&gt;`');
  });
});

describe('"Not this actor" on Slack', () => {
  it('mutes the name here for anyone, hides its line, and deletes the reply when none is left', async () => {
    const ts = '1701000100.000001';
    const [call] = await say(messageEvent('TEMP.Zhenbao with Giant Bear', ts));
    expect(call?.method).toBe('chat.postMessage');
    const replyTs = String(call?.result?.ts);
    const message = posted(call, replyTs);

    const first = await press(message, `mute:${UUID.netTraveler}`, 'U0BOB');
    expect(first.responses).toHaveLength(1);
    const notice = first.responses[0] ?? {};
    expect(notice.response_type).toBe('ephemeral');
    expect(notice.replace_original).toBe(false);
    expect(allText(notice)).toContain(
      '"NetTraveler" is muted here: it gets no automatic card in this channel. To undo: /apt settings unmute NetTraveler',
    );
    const [update] = first.calls;
    expect(update?.method).toBe('chat.update');
    expect(update?.body.ts).toBe(replyTs);
    expect(buttonsOf(update?.body ?? {}).map((b) => b.value)).toEqual([
      `show:${UUID.giant}`,
      `mute:${UUID.giant}`,
    ]);

    // Editing the message does not bring the muted line back.
    expect(await say(messageChangedEvent('TEMP.Zhenbao with Giant Bear!', ts))).toEqual([]);

    // The last line: the reply goes.
    const second = await press(
      { ...message, body: { ...message.body, blocks: update?.body.blocks } },
      `mute:${UUID.giant}`,
      'U0CAROL',
    );
    expect(second.calls.map((c) => [c.method, c.body.ts])).toEqual([['chat.delete', replyTs]]);

    // Muted for everyone in this channel, not elsewhere; who muted each name is shown.
    expect(await say(messageEvent('TEMP.Zhenbao once more', '1701000100.000002'))).toEqual([]);
    const other = await say(
      messageEvent('TEMP.Zhenbao once more', '1701000100.000003', { channel: 'C0OTHER' }),
    );
    expect(other.map((c) => c.method)).toEqual(['chat.postMessage']);
    const shown = allText(await apt('settings'));
    expect(shown).toMatch(MUTED);
  });

  it('keeps the settings over a restart, and an admin can unmute', async () => {
    await stop();
    running = await start();
    const shown = allText(await apt('settings'));
    expect(shown).toMatch(MUTED);
    expect(shown).toContain('Cooldown per actor: none (set here)');
    expect(shown).toContain('Automatic cards: on (set here)');
    expect(await say(messageEvent('TEMP.Zhenbao after the restart', '1701000200.000001'))).toEqual(
      [],
    );
    const unmuted = await apt('settings unmute nettraveler', 'U0ADMIN');
    expect(allText(unmuted)).toContain('"nettraveler" is no longer muted here.');
    const [post] = await say(messageEvent('TEMP.Zhenbao after all', '1701000200.000002'));
    expect(post?.method).toBe('chat.postMessage');
    // A reset goes back to the environment's settings.
    expect(allText(await apt('settings reset', 'U0ADMIN'))).toContain(
      'This channel is back to the defaults.',
    );
    expect(allText(await apt('settings'))).toContain('Muted here: none');
  });
});
