/** The value of a Slack "Share in channel" button, in the core's one share encoding. */
import type { Reply } from '../../src/core/types.js';
import { type NextOptions, shareAction } from '../../src/reply/next.js';
import { encodeShare } from '../../src/reply/share.js';
import { MAX_QUERY_LENGTH } from '../../src/search/query.js';
import { LIMITS } from './limits.js';

/**
 * The share value for `reply`, or undefined when it is not an answer worth sharing. `query`:
 * the slash command's query, asked again when shared (cut where the core cuts it anyway);
 * `thread`: where the shared answer goes.
 */
export function shareValue(
  reply: Reply,
  where: { query?: string; thread?: string } = {},
): string | undefined {
  const options: NextOptions =
    where.query === undefined ? {} : { query: where.query.trim().slice(0, MAX_QUERY_LENGTH) };
  const share = shareAction(reply, options);
  if (!share || share.question) return undefined;
  return encodeShare(share.action, {
    maxLength: LIMITS.buttonValue,
    ...(where.thread ? { thread: where.thread } : {}),
  });
}
