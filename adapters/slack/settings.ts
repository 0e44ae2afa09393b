/**
 * Block Kit for channel settings: the `/apt settings` answer (always ephemeral, so the people it
 * names are shown by name and never notified) and the "Not this actor" button of an enrichment
 * line. Pure; the words come from the core (src/reply/settings.ts).
 */
import type { types } from '@slack/bolt';
import type { Reply } from '../../src/core/types.js';
import type { MuteAction } from '../../src/reply/next.js';
import { plainSpans, type Span, settingsText } from '../../src/reply/settings.js';
import {
  type Button,
  type Buttons,
  context,
  esc,
  type KnownBlock,
  plain,
  section,
} from './blocks.js';
import { fitText } from './text.js';

/** A Slack user or bot-user id as Slack writes it: only these become `<@…>`. */
const USER_ID_RE = /^[UW][A-Z0-9]{2,20}$/;

/** Spans as mrkdwn: text escaped, people as `<@U…>` (the answer reaches the asker alone). */
function mrkdwnSpans(spans: readonly Span[]): string {
  return spans
    .map((s) => {
      if (typeof s === 'string') return esc(s);
      return USER_ID_RE.test(s.user) ? `<@${s.user}>` : esc(s.user);
    })
    .join('');
}

export function settingsMessage(
  reply: Extract<Reply, { kind: 'settings' }>,
  cmd: string,
): { text: string; blocks: KnownBlock[] } {
  const t = settingsText(reply, cmd);
  const headline = mrkdwnSpans(t.headline);
  return {
    text: fitText(plainSpans(t.headline), 500),
    blocks: [
      section(`*${headline}*`),
      section(t.lines.map(mrkdwnSpans).join('\n')),
      ...(t.usage ? [context(t.usage.map((l) => `\`${esc(l)}\``).join('\n'))] : []),
    ],
  };
}

/** "Not this actor": anyone may press it, so Slack asks first (it mutes for everyone here). */
export function notThisActorButton(mute: MuteAction, buttons: Buttons): Button | undefined {
  const name = mute.ref.name.slice(0, 80);
  return buttons.action('Not this actor', mute.action, undefined, {
    title: plain('Not this actor?', 100),
    text: plain(
      `No more automatic cards for ${name} in this channel, for everyone. Channel admins can undo it with /apt settings unmute.`,
      300,
    ),
    confirm: plain('Mute it here', 30),
    deny: plain('Cancel', 30),
  } satisfies types.ConfirmationDialog);
}
