/**
 * The one encoding of a "Share" button, for every platform: `share:<action>`, or
 * `share:<thread ts>|<action>` when the shared answer goes to a thread (Slack). `<action>` is an
 * encoded BotAction (./actions.ts) that re-creates the answer; the core decides which one
 * (./next.ts). A thread ts is digits and a dot, an action starts with a word, so the two never
 * mix up.
 */

import type { BotAction } from '../core/types.js';
import { encodeAction, MAX_ACTION_LENGTH } from './actions.js';

export const SHARE_PREFIX = 'share:';

/** A Slack message ts ("1712345678.123456"): the only thread reference a share carries. */
const TS_RE = /^\d{1,12}\.\d{1,8}$/;
const THREAD_RE = /^(\d{1,12}\.\d{1,8})\|/;

/** A Share button read back: the encoded action to run, and where to post its answer. */
export interface Share {
  action: string;
  thread?: string;
}

export interface ShareOptions {
  /** Post the shared answer in this thread; anything but a message ts is left out. */
  thread?: string;
  /** The platform's room for the whole value (Discord's custom_id: 100; Slack's value: 2000). */
  maxLength?: number;
}

/** The value of a Share button for `action`; undefined when it does not fit. */
export function encodeShare(action: BotAction, options: ShareOptions = {}): string | undefined {
  const { thread } = options;
  const head = `${SHARE_PREFIX}${thread && TS_RE.test(thread) ? `${thread}|` : ''}`;
  const encoded = encodeAction(action, (options.maxLength ?? MAX_ACTION_LENGTH) - head.length);
  return encoded === undefined ? undefined : `${head}${encoded}`;
}

/** Is this the value of a Share button (well formed or not)? */
export function isShare(value: string): boolean {
  return value.startsWith(SHARE_PREFIX);
}

/** A Share button's value read back; undefined when it is not one or carries no action. */
export function decodeShare(value: string): Share | undefined {
  if (!isShare(value)) return undefined;
  const rest = value.slice(SHARE_PREFIX.length);
  const thread = THREAD_RE.exec(rest);
  const action = thread ? rest.slice(thread[0].length) : rest;
  if (!action) return undefined;
  return thread?.[1] ? { action, thread: thread[1] } : { action };
}
