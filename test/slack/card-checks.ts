/** What Slack would refuse in a card reply (limits.ts), shared by the corpus tests. */
import { renderReply } from '../../adapters/slack/render.js';
import type { CardReply } from '../helpers/card-replies.js';
import { blockKitProblems } from './limits.js';

/** One line per Block Kit problem with `reply` rendered for Slack, with a Share button. */
export function slackCardProblems(reply: CardReply): string[] {
  return blockKitProblems(renderReply(reply, { share: `share:show:${reply.card.uuid}` }));
}
