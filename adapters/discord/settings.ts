/**
 * Discord for channel settings: the `/apt settings` answer as an embed (people as `<@id>`, which
 * in an embed never pings; the client also sends no allowed mentions), and the enrichment
 * lines' buttons, "Show card" with "Not this actor" beside it. Pure; the words come from the
 * core (src/reply/settings.ts).
 */
import { ButtonStyle } from 'discord-api-types/v10';
import type { Reply } from '../../src/core/types.js';
import { encodeAction } from '../../src/reply/actions.js';
import { muteActions, type NextAction, openActions } from '../../src/reply/next.js';
import { type Span, settingsText } from '../../src/reply/settings.js';
import { COLOURS } from './colours.js';
import { type ActionRow, type Button, buttonRows } from './components.js';
import { fitEmbeds, flex } from './fit.js';
import { LIMITS } from './limits.js';
import { escapeText } from './text.js';

/** A Discord user id (a snowflake): only these become `<@id>`. */
const USER_ID_RE = /^\d{5,25}$/;

function markdownSpans(spans: readonly Span[]): string {
  return spans
    .map((s) => {
      if (typeof s === 'string') return escapeText(s);
      return USER_ID_RE.test(s.user) ? `<@${s.user}>` : escapeText(s.user);
    })
    .join('');
}

export function settingsMessage(
  reply: Extract<Reply, { kind: 'settings' }>,
  cmd: string,
): { embeds: ReturnType<typeof fitEmbeds>; components: ActionRow[] } {
  const t = settingsText(reply, cmd);
  const { type } = reply.outcome;
  const failed = type !== 'shown' && type !== 'changed';
  const lines = t.lines.map(markdownSpans).join('\n');
  // What the request did leads the description (a title holds 256 characters; a reason more).
  const embeds = fitEmbeds([
    {
      title: 'Automatic cards in this channel',
      description: flex(type === 'shown' ? lines : `**${markdownSpans(t.headline)}**\n\n${lines}`),
      color: failed ? COLOURS.none : COLOURS.brand,
      ...(t.usage
        ? { fields: [{ name: 'Usage', value: t.usage.map((l) => `\`${l}\``).join('\n') }] }
        : {}),
    },
  ]);
  return { embeds, components: [] };
}

/**
 * One row per enrichment line: "Show card: <name>" and "Not this actor". More lines than rows:
 * the Show card buttons first, then the "Not <name>" buttons, five to a row.
 */
export function enrichmentButtons(actions: readonly NextAction[]): ActionRow[] {
  const opens = openActions(actions, 'mentioned');
  const mutes = muteActions(actions);
  const show = (o: (typeof opens)[number]): Button => ({
    label: `Show card: ${o.ref.name}`,
    action: encodeAction(o.action),
  });
  const seen = new Set<string>();
  if (opens.length <= LIMITS.rows) {
    return opens.flatMap((o) => {
      const mute = mutes.find((m) => m.ref.uuid === o.ref.uuid);
      const notThis: Button[] = mute
        ? [
            {
              label: 'Not this actor',
              action: encodeAction(mute.action),
              style: ButtonStyle.Secondary,
            },
          ]
        : [];
      return buttonRows([show(o), ...notThis], 1, seen);
    });
  }
  const half = Math.floor(LIMITS.rows / 2);
  return [
    ...buttonRows(opens.map(show), LIMITS.rows - half, seen),
    ...buttonRows(
      mutes.map((m) => ({ label: `Not ${m.ref.name}`, action: encodeAction(m.action) })),
      half,
      seen,
    ),
  ];
}
