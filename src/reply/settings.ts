/**
 * The words of a settings reply (`/apt settings`, "Not this actor"), written once: a headline,
 * the settings one per line, and the usage when it helps. People appear as user spans, so each
 * renderer shows them in its platform's form that never pings (Slack's ephemeral `<@U…>`,
 * Discord's `<@id>` with no allowed mentions, plain ids in a terminal).
 */

import type { Reply, SettingsView } from '../core/types.js';
import { SETTINGS_USAGE } from '../state/channel-settings.js';

/** Plain text (each renderer escapes it), or a platform user id to show as that person. */
export type Span = string | { user: string };

export interface SettingsText {
  headline: Span[];
  lines: Span[][];
  /** The command's forms, one per line (after a bad argument, or with the settings shown). */
  usage?: string[];
}

type SettingsReply = Extract<Reply, { kind: 'settings' }>;

/** "30 min", "2 h", "1 day"; "none" for 0. */
export function cooldownText(minutes: number): string {
  if (minutes === 0) return 'none';
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

/** "2026-12-01 10:00 UTC" from an ISO time; what was stored when it is not one. */
function when(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : iso;
}

function headline(reply: SettingsReply, cmd: string): Span[] {
  const { outcome, settings } = reply;
  switch (outcome.type) {
    case 'shown':
      return ['Automatic cards in this channel'];
    case 'refused':
      return settings.whoMayChange
        ? [`Not changed: only ${settings.whoMayChange} can change this channel's settings.`]
        : ["Not changed: you cannot change this channel's settings."];
    case 'invalid':
      return [`Not a settings command: ${outcome.problem}.`];
    case 'blocked':
      return [`Not changed: ${settings.blocked ?? 'automatic cards cannot run here.'}`];
    case 'changed':
      break;
  }
  const { change, unchanged } = outcome;
  switch (change.type) {
    case 'enable':
      return ['Automatic cards are now on in this channel.'];
    case 'disable':
      return ['Automatic cards are now off in this channel.'];
    case 'cooldown':
      return change.minutes === 0
        ? ['No cooldown here now: an actor gets a card every time it is named.']
        : [`Each actor now gets at most one card every ${cooldownText(change.minutes)} here.`];
    case 'mute':
      return unchanged
        ? [`"${change.name}" was already muted here.`]
        : [
            `"${change.name}" is muted here: it gets no automatic card in this channel. To undo: ${cmd} settings unmute ${change.name}`,
          ];
    case 'unmute':
      return unchanged
        ? [`"${change.name}" was not muted here.`]
        : [`"${change.name}" is no longer muted here.`];
    case 'reset':
      return ['This channel is back to the defaults.'];
  }
}

const source = (view: SettingsView, field: SettingsView['fromChat'][number]) =>
  view.fromChat.includes(field) ? ' (set here)' : ' (default)';

function lines(view: SettingsView, shown: boolean): Span[][] {
  const out: Span[][] = [
    [
      view.blocked
        ? `Automatic cards: cannot run here: ${view.blocked}`
        : `Automatic cards: ${view.enabled ? 'on' : 'off'}${source(view, 'enabled')}`,
    ],
    [`Cooldown per actor: ${cooldownText(view.cooldownMinutes)}${source(view, 'cooldownMinutes')}`],
  ];
  if (view.muted.length === 0) out.push(['Muted here: none']);
  else {
    const muted: Span[] = ['Muted here: '];
    view.muted.forEach((m, i) => {
      if (i > 0) muted.push(', ');
      muted.push(m.name);
      if (m.by) muted.push(' (by ', { user: m.by }, ')');
    });
    out.push(muted);
  }
  if (view.updatedBy) {
    out.push([
      'Last changed by ',
      { user: view.updatedBy },
      ...(view.updatedAt ? [` on ${when(view.updatedAt)}`] : []),
    ]);
  }
  if (shown && view.whoMayChange) {
    out.push([`Anyone can see these; ${view.whoMayChange} can change them.`]);
  }
  return out;
}

/** What a settings reply says; `cmd` is how the platform invokes the bot ("/apt"). */
export function settingsText(reply: SettingsReply, cmd = '/apt'): SettingsText {
  const { outcome } = reply;
  const withUsage = outcome.type === 'invalid' || outcome.type === 'shown';
  return {
    headline: headline(reply, cmd),
    lines: lines(reply.settings, outcome.type === 'shown'),
    ...(withUsage ? { usage: SETTINGS_USAGE.replaceAll('/apt', cmd).split('\n') } : {}),
  };
}

/** The spans as plain text, people by their ids (the terminal, fallback texts). */
export function plainSpans(spans: readonly Span[]): string {
  return spans.map((s) => (typeof s === 'string' ? s : s.user)).join('');
}
