/**
 * Button identities for Slack. Every button's action_id starts with ACTION_PREFIX (Slack wants
 * action_ids unique within a message, so they are numbered); its value is an encoded BotAction
 * (src/reply/actions.ts), or for "Share in channel" the core's share value (src/reply/share.ts).
 */

export const ACTION_PREFIX = 'aptcard.';
export const SHARE_ACTION_ID = `${ACTION_PREFIX}share`;
export const ACTION_ID_RE = /^aptcard\./;

/** The action_id of the n-th action button of a message. */
export function goActionId(n: number): string {
  return `${ACTION_PREFIX}go.${n}`;
}

/**
 * Link buttons (a source's page) open their URL in the browser; Slack still sends their press,
 * which is acknowledged and otherwise ignored.
 */
export const LINK_ACTION_PREFIX = `${ACTION_PREFIX}link.`;

export function linkActionId(n: number): string {
  return `${LINK_ACTION_PREFIX}${n}`;
}
