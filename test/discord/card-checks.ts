/**
 * What Discord would refuse in a card reply, by the project's checker (limits.ts) and by
 * discord.js's own builders (builders.ts), and what a reader would miss: a title, the footer's
 * UUID, a button that does not decode. Shared by the corpus tests.
 */
import { renderReply } from '../../adapters/discord/render.js';
import { decodeAction } from '../../src/reply/actions.js';
import type { CardReply } from '../helpers/card-replies.js';
import { builderProblems } from './builders.js';
import { limitViolations } from './limits.js';

/** One line per problem with `reply` rendered for Discord; `shortened` when text was cut. */
export function discordCardProblems(reply: CardReply): { problems: string[]; shortened: boolean } {
  const message = renderReply(reply, { share: true });
  const problems = [
    ...limitViolations(message),
    ...builderProblems(message).map((p) => `(discord.js) ${p}`),
  ];
  for (const row of message.components) {
    for (const c of row.components) {
      const id = 'custom_id' in c ? c.custom_id : '';
      if (!id) continue;
      const action = id.startsWith('pick:') ? 'show:x' : id.replace(/^share:/, '');
      if (!decodeAction(action)) problems.push(`undecodable ${id}`);
    }
  }
  if (!message.embeds[0]?.title) problems.push('no title');
  if (!message.embeds.at(-1)?.footer?.text?.includes(reply.card.uuid)) {
    problems.push('no UUID in the footer');
  }
  return { problems, shortened: JSON.stringify(message.embeds).includes('…') };
}
