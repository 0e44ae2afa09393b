/**
 * The settings reply on every surface (plain text, Slack, Discord): the same words, people
 * shown in each platform's non-pinging form, user text escaped; and the "Not this actor"
 * encoding beside the older ones.
 */
import { describe, expect, it } from 'vitest';
import { customIdsIn } from '../../adapters/discord/ids.js';
import { renderReply as discordReply } from '../../adapters/discord/render.js';
import { renderReply as slackReply } from '../../adapters/slack/render.js';
import type { Reply, SettingsView } from '../../src/core/types.js';
import { decodeAction, encodeAction, isMuteAction, shownActors } from '../../src/reply/actions.js';
import { renderText } from '../../src/reply/text.js';
import { limitViolations } from '../discord/limits.js';
import { allText, blockKitProblems } from '../slack/limits.js';

const view = (overrides: Partial<SettingsView> = {}): SettingsView => ({
  enabled: false,
  cooldownMinutes: 90,
  muted: [
    { name: 'Tick', by: 'U0BOB' },
    { name: '<!channel> *bold*', by: '900000000000000020' },
    { name: 'Old' },
  ],
  fromChat: ['enabled', 'muted'],
  updatedBy: 'U0ALICE',
  updatedAt: '2026-12-01T10:00:00.000Z',
  whoMayChange: 'channel admins',
  ...overrides,
});

const shown: Reply = { kind: 'settings', settings: view(), outcome: { type: 'shown' } };

describe('the settings reply', () => {
  it('plain text: every setting, where it comes from, who changed it, and the usage', () => {
    expect(renderText(shown)).toBe(
      [
        'Automatic cards in this channel',
        '  Automatic cards: off (set here)',
        '  Cooldown per actor: 90 min (default)',
        '  Muted here: Tick (by U0BOB), <!channel> *bold* (by 900000000000000020), Old',
        '  Last changed by U0ALICE on 2026-12-01 10:00 UTC',
        '  Anyone can see these; channel admins can change them.',
        '',
        "/apt settings: this channel's automatic cards",
        '/apt settings on | off',
        '/apt settings cooldown 30m (or 2h, 0 for none)',
        '/apt settings mute <name> | unmute <name>',
        '/apt settings reset (back to the defaults)',
      ].join('\n'),
    );
  });

  it('Slack: Slack user ids as <@U…> (the answer is private), everything else escaped', () => {
    const m = slackReply(shown, { cmd: '/cti' });
    expect(blockKitProblems(m, { userMentions: true })).toEqual([]);
    // Strict (the check every other message passes): the <@U…> are its only markup.
    const strict = blockKitProblems(m);
    expect(strict.length).toBeGreaterThan(0);
    expect(strict.every((p) => p.includes('unescaped <'))).toBe(true);
    const text = allText(m);
    expect(text).toContain(
      'Muted here: Tick (by <@U0BOB>), &lt;!channel&gt; *bold* (by 900000000000000020)',
    );
    expect(text).toContain('Last changed by <@U0ALICE> on 2026-12-01 10:00 UTC');
    expect(text).toContain('`/cti settings on | off`');
    expect(text).not.toContain('<!channel>');
    // No button: nothing to share, nothing to press.
    expect(JSON.stringify(m.blocks)).not.toContain('"button"');
  });

  it('Discord: an embed with Discord ids as <@id> (never pings in an embed), text escaped', () => {
    const m = discordReply(shown);
    expect(limitViolations(m)).toEqual([]);
    expect(m.components).toEqual([]);
    const [embed] = m.embeds;
    expect(embed?.title).toBe('Automatic cards in this channel');
    expect(embed?.description).toContain(
      'Muted here: Tick (by U0BOB), <!channel> \\*bold\\* (by <@900000000000000020>), Old',
    );
    expect(embed?.fields?.[0]?.name).toBe('Usage');
  });

  it('says what a change did, why one was refused, and why "on" cannot work', () => {
    const changed = (change: Extract<Reply, { kind: 'settings' }>['outcome']) =>
      renderText({ kind: 'settings', settings: view(), outcome: change }).split('\n')[0];
    expect(changed({ type: 'changed', change: { type: 'cooldown', minutes: 1440 } })).toBe(
      'Each actor now gets at most one card every 1 day here.',
    );
    expect(changed({ type: 'changed', change: { type: 'cooldown', minutes: 0 } })).toMatch(
      /^No cooldown here now/,
    );
    expect(
      changed({ type: 'changed', change: { type: 'unmute', name: 'X' }, unchanged: true }),
    ).toBe('"X" was not muted here.');
    expect(changed({ type: 'changed', change: { type: 'reset' } })).toBe(
      'This channel is back to the defaults.',
    );
    expect(changed({ type: 'refused' })).toBe(
      "Not changed: only channel admins can change this channel's settings.",
    );
    const blocked: Reply = {
      kind: 'settings',
      settings: view({ blocked: 'no Message Content intent.' }),
      outcome: { type: 'blocked' },
    };
    expect(renderText(blocked)).toContain('Not changed: no Message Content intent.');
    expect(renderText(blocked)).toContain(
      'Automatic cards: cannot run here: no Message Content intent.',
    );
    expect(blockKitProblems(slackReply(blocked), { userMentions: true })).toEqual([]);
    expect(limitViolations(discordReply(blocked))).toEqual([]);
  });
});

describe('"Not this actor" encoding', () => {
  it('encodes as mute:<uuid>, beside the older actions, which still decode', () => {
    const value = encodeAction({ type: 'mute', uuid: 'u1' });
    expect(value).toBe('mute:u1');
    expect(decodeAction('mute:u1')).toEqual({ type: 'mute', uuid: 'u1' });
    expect(isMuteAction('mute:u1')).toBe(true);
    expect(isMuteAction('show:u1')).toBe(false);
    expect(decodeAction('mute:')).toBeUndefined();
    expect(decodeAction('show:u1')).toEqual({ type: 'show', uuid: 'u1' });
    expect(decodeAction('ops:2:u1')).toEqual({ type: 'ops', uuid: 'u1', page: 2 });
    expect(decodeAction('list:0:apt 21')).toEqual({ type: 'list', query: 'apt 21', page: 0 });
  });

  it('reads the actors a message shows back from its buttons', () => {
    expect(shownActors(['show:a', 'mute:a', 'share:show:b', 'show:c', 'show:a'])).toEqual([
      'a',
      'c',
    ]);
    const m = discordReply({
      kind: 'enrichment',
      actors: ['a', 'b'].map((uuid) => ({
        uuid,
        name: uuid,
        country: '',
        aliases: [],
        firstSeen: '',
        topAliases: [],
        matched: [],
      })),
    });
    expect(shownActors(customIdsIn(m.components))).toEqual(['a', 'b']);
  });
});
