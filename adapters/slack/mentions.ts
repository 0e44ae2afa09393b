/** `@aptcard ...`: answered in the message's thread, once per event even when Slack retries. */
import type { App } from '@slack/bolt';
import type { SlackContext } from './context.js';
import { errorMessage, type SlackMessage } from './render.js';
import { slackToPlain, stripBotMention } from './text.js';

export function wireMentions(app: App, ctx: SlackContext): void {
  const { dedupe, logger } = ctx;
  app.event('app_mention', async ({ event, body, context, client }) => {
    // A person asked: answered even when the store cannot say whether this is a retry.
    const claim = await dedupe.claim(
      `event:${body.event_id}`,
      `mention:${event.channel}:${event.ts}`,
    );
    if (claim === 'seen') {
      logger.debug({ eventId: body.event_id, retry: context.retryNum }, 'duplicate mention');
      return;
    }
    if (event.bot_id || event.user === context.botUserId) return;
    const thread = event.thread_ts ?? event.ts;
    let message: SlackMessage;
    try {
      const text = slackToPlain(stripBotMention(event.text ?? '', context.botUserId));
      const reply = (await ctx.ask({
        kind: 'mention',
        text,
        channel: event.channel,
        ...(event.user ? { user: event.user } : {}),
        messageId: event.ts,
      })) ?? { kind: 'help', topic: 'empty' };
      message = ctx.render(reply);
    } catch (err) {
      logger.error({ err }, 'mention failed');
      message = errorMessage();
    }
    await ctx.post(client, event.channel, thread, message);
  });
}
