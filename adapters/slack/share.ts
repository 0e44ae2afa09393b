/**
 * Button identities for Slack. Every button's action_id starts with ACTION_PREFIX (Slack wants
 * action_ids unique within a message, so they are numbered); its value is either an encoded
 * BotAction (src/reply/actions.ts) or, for "Share in channel", a ShareSpec encoded here.
 */

export const ACTION_PREFIX = 'aptcard.';
export const SHARE_ACTION_ID = `${ACTION_PREFIX}share`;
export const ACTION_ID_RE = /^aptcard\./;

/** Slack's limit for a button value. */
export const MAX_BUTTON_VALUE = 2000;

/** What a "Share in channel" button re-creates, and where it posts. */
export type ShareSpec = { query: string; thread?: string } | { action: string; thread?: string };

const TS_RE = /^\d{1,12}\.\d{1,8}$/;

/** "q|<thread ts>|<query>" or "a|<thread ts>|<encoded action>"; undefined when too long. */
export function encodeShare(spec: ShareSpec): string | undefined {
  const thread = spec.thread && TS_RE.test(spec.thread) ? spec.thread : '';
  const value = 'query' in spec ? `q|${thread}|${spec.query.trim()}` : `a|${thread}|${spec.action}`;
  return value.length <= MAX_BUTTON_VALUE ? value : undefined;
}

export function decodeShare(value: string): ShareSpec | undefined {
  const m = /^([qa])\|([^|]*)\|([\s\S]*)$/.exec(value);
  if (!m) return undefined;
  const [, mode, thread = '', payload = ''] = m;
  if (thread && !TS_RE.test(thread)) return undefined;
  const where = thread ? { thread } : {};
  if (mode === 'q') return { query: payload, ...where };
  return payload ? { action: payload, ...where } : undefined;
}
