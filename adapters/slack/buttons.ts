/**
 * Button presses. A private answer is replaced in place, a public one gets a private answer
 * beside it; "Share in channel" posts the answer for everyone (in the thread the button came
 * from, if any), once, and removes the private copy; "Not this actor" mutes the name in the
 * channel and takes its line out of the enrichment reply.
 */
import type { App, BlockAction, ButtonAction, RespondFn, webApi } from '@slack/bolt';
import type { Reply } from '../../src/core/types.js';
import { isMuteAction, shownActors } from '../../src/reply/actions.js';
import { MESSAGES } from '../../src/reply/messages.js';
import { decodeShare } from '../../src/reply/share.js';
import { PLATFORM, type SlackContext } from './context.js';
import { ACTION_ID_RE, LINK_ACTION_PREFIX, SHARE_ACTION_ID } from './ids.js';
import { postPictures } from './pictures.js';
import { errorMessage } from './render.js';
import { shareValue } from './share.js';

const invalid: Reply = { kind: 'error', message: MESSAGES.buttonInvalid };

/** Where a press came from: the channel, whether its message is private, and its thread. */
interface Press {
  channel: string | undefined;
  user: string;
  ephemeral: boolean;
  /** Where a shared answer goes: the thread the button's message lives in, if any. */
  thread: string | undefined;
  /** What makes a share press unique: the message it was on, else the trigger. */
  messageKey: string;
  /** The message the button was on (a public one: Slack sends it, with its blocks). */
  messageTs: string | undefined;
  blocks: unknown;
  respond: RespondFn;
}

function pressOf(body: BlockAction<ButtonAction>, respond: RespondFn): Press {
  const container = body.container as {
    is_ephemeral?: boolean;
    channel_id?: string;
    message_ts?: string;
    thread_ts?: string;
  };
  const ephemeral = container.is_ephemeral === true || !body.message;
  return {
    channel: body.channel?.id ?? container.channel_id,
    user: body.user.id,
    ephemeral,
    thread:
      (typeof body.message?.thread_ts === 'string' ? body.message.thread_ts : undefined) ??
      container.thread_ts ??
      (ephemeral ? undefined : body.message?.ts),
    messageKey: container.message_ts ?? body.trigger_id,
    messageTs: body.message?.ts ?? container.message_ts,
    blocks: body.message?.blocks,
    respond,
  };
}

/** Every button value in a message's blocks (accessories and actions rows), in order. */
function buttonValues(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return [];
  const values: string[] = [];
  const take = (element: unknown) => {
    const value = (element as { value?: unknown } | null)?.value;
    if (typeof value === 'string') values.push(value);
  };
  for (const block of blocks as { accessory?: unknown; elements?: unknown }[]) {
    take(block?.accessory);
    if (Array.isArray(block?.elements)) block.elements.forEach(take);
  }
  return values;
}

/**
 * "Not this actor": the core mutes the actor's name in this channel (anyone may; it records
 * who); the presser is told privately, and the enrichment reply loses that line (deleted when
 * none is left).
 */
async function notThisActor(
  ctx: SlackContext,
  press: Press,
  value: string,
  client: webApi.WebClient,
): Promise<void> {
  const { notice, lines } = await ctx.bot.notThisActor(
    {
      kind: 'action',
      text: value,
      platform: PLATFORM,
      user: press.user,
      ...(press.channel ? { channel: press.channel } : {}),
      access: ctx.admins.access(client, press.user),
    },
    shownActors(buttonValues(press.blocks)),
  );
  await privately(ctx, press, notice);
  const { channel, messageTs } = press;
  if (!lines || !channel || !messageTs || press.ephemeral) return;
  if (lines.actors.length === 0) await client.chat.delete({ channel, ts: messageTs });
  else {
    const m = ctx.render(lines);
    await client.chat.update({ channel, ts: messageTs, text: m.text, blocks: m.blocks });
  }
  await ctx.replies.replyChanged(channel, messageTs, lines);
}

/** Say something to the presser alone, leaving the message as it is. */
function privately(ctx: SlackContext, press: Press, reply: Reply) {
  return press.respond({
    response_type: 'ephemeral',
    replace_original: false,
    ...ctx.render(reply),
  });
}

async function share(
  ctx: SlackContext,
  press: Press,
  value: string,
  post: (channel: string, thread: string, reply: Reply) => Promise<unknown>,
): Promise<void> {
  const spec = decodeShare(value);
  if (!spec) return void (await privately(ctx, press, invalid));
  if ((await ctx.dedupe.claim(`share:${press.channel}:${press.messageKey}`)) === 'seen') return;
  const reply = await ctx.ask({
    kind: 'action',
    text: spec.action,
    user: press.user,
    ...(press.channel ? { channel: press.channel } : {}),
  });
  if (!reply || reply.kind === 'error') {
    // The card is gone (or never was): say so privately, post nothing in public.
    return void (await privately(ctx, press, reply ?? invalid));
  }
  if (spec.thread && press.channel) {
    await post(press.channel, spec.thread, reply);
  } else {
    await press.respond({
      response_type: 'in_channel',
      replace_original: false,
      ...ctx.render(reply),
    });
  }
  if (press.ephemeral) await press.respond({ delete_original: true });
}

async function run(
  ctx: SlackContext,
  press: Press,
  value: string,
  client: webApi.WebClient,
): Promise<void> {
  const reply =
    (await ctx.ask({
      kind: 'action',
      text: value,
      user: press.user,
      ...(press.channel ? { channel: press.channel } : {}),
    })) ?? invalid;
  if (reply.kind === 'error') return void (await privately(ctx, press, reply));
  if (reply.kind === 'pictures') {
    const where = { channel: press.channel, thread: press.thread };
    return postPictures(ctx, client, reply, where, (r) => privately(ctx, press, r));
  }
  const shared = shareValue(reply, press.thread ? { thread: press.thread } : {});
  // A private answer is replaced in place; a public one gets a private answer beside it.
  await press.respond({
    response_type: 'ephemeral',
    replace_original: press.ephemeral,
    ...ctx.render(reply, shared),
  });
}

export function wireButtons(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION_ID_RE,
    async ({ action, body, ack, respond, client }) => {
      await ack();
      // A link button opens its page in the browser: nothing to answer.
      if (action.action_id.startsWith(LINK_ACTION_PREFIX)) return;
      const press = pressOf(body, respond);
      try {
        const value = typeof action.value === 'string' ? action.value : '';
        if (action.action_id === SHARE_ACTION_ID) {
          await share(ctx, press, value, (channel, thread, reply) =>
            ctx.post(client, channel, thread, ctx.render(reply)),
          );
        } else if (isMuteAction(value)) {
          await notThisActor(ctx, press, value, client);
        } else {
          await run(ctx, press, value, client);
        }
      } catch (err) {
        ctx.logger.error({ err, actionId: action.action_id }, 'button failed');
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...errorMessage(),
        }).catch((e: unknown) => ctx.logger.error({ err: e }, 'could not send the error reply'));
      }
    },
  );
}
