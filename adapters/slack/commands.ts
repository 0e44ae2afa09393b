/**
 * `/apt`: answered within the acknowledgement, privately with a "Share in channel" button, or
 * for everyone when SLACK_ANSWER_IN_CHANNEL is on (answers only; help and settings stay private).
 */
import type { App, RespondArguments } from '@slack/bolt';
import type { SlackContext } from './context.js';
import { errorMessage, isShareable } from './render.js';
import { shareValue } from './share.js';
import { slackToPlain } from './text.js';

export function wireCommands(app: App, ctx: SlackContext): void {
  app.command(/^\/.+/, async ({ command, ack, client }) => {
    let body: RespondArguments;
    try {
      const query = slackToPlain(command.text ?? '');
      const reply = (await ctx.ask({
        kind: 'command',
        text: query,
        channel: command.channel_id,
        user: command.user_id,
        // "/apt settings ...": who may change them is asked only for a change.
        access: ctx.admins.access(client, command.user_id),
      })) ?? { kind: 'help', topic: 'empty' };
      const inChannel = ctx.config.answerInChannel && isShareable(reply);
      const share = inChannel ? undefined : shareValue(reply, { query });
      body = {
        response_type: inChannel ? 'in_channel' : 'ephemeral',
        ...ctx.render(reply, share, command.command),
      };
    } catch (err) {
      ctx.logger.error({ err }, 'slash command failed');
      body = { response_type: 'ephemeral', ...errorMessage() };
    }
    await ack(body);
  });
}
