/**
 * Interactions: `/apt` (with autocomplete), and button and select-menu presses. A late
 * interaction is acknowledged first and answered after; an answer on a private message
 * replaces it, one on a public message goes to the presser alone, Share posts for everyone.
 */
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  Events,
  type Interaction,
  MessageFlags,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { Reply } from '../../src/core/types.js';
import { isMuteAction, shownActors } from '../../src/reply/actions.js';
import { MESSAGES, unknownCommand } from '../../src/reply/messages.js';
import { settingsArguments } from '../../src/state/channel-settings.js';
import { settingsAccess } from './access.js';
import { customIdsIn, parseCustomId } from './ids.js';
import { payload } from './payload.js';
import { COMMAND_NAME, QUERY_OPTION } from './register.js';
import { autocompleteChoices, type DiscordMessage, renderReply } from './render.js';
import { PLATFORM, type Wiring } from './wiring.js';

type Answerable = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction;
type Component = ButtonInteraction | StringSelectMenuInteraction;

export function wireInteractions(client: Client, w: Wiring, deferAfterMs: number): void {
  const { bot, log } = w;
  const ephemeralByDefault = !w.config.answerInChannel;

  /** Whether this interaction has waited so long that it must be acknowledged first. */
  const late = (i: Interaction) => Date.now() - i.createdTimestamp >= deferAfterMs;

  /** Answer with a new message (ephemeral or not), deferring first when late. */
  async function replyNew(
    i: Answerable,
    compute: () => DiscordMessage | Promise<DiscordMessage>,
    ephemeral: boolean,
  ): Promise<void> {
    const flags = ephemeral ? MessageFlags.Ephemeral : undefined;
    if (late(i)) {
      await i.deferReply(flags ? { flags } : {});
      await i.editReply(payload(await compute()));
      return;
    }
    const message = payload(await compute());
    await i.reply(flags ? { ...message, flags } : message);
  }

  /** Replace the message the button was on (an ephemeral answer), deferring first when late. */
  async function updateInPlace(i: Component, compute: () => DiscordMessage): Promise<void> {
    if (late(i)) {
      await i.deferUpdate();
      await i.editReply(payload(compute()));
      return;
    }
    await i.update(payload(compute()));
  }

  async function onAutocomplete(i: AutocompleteInteraction): Promise<void> {
    const typed = i.commandName === COMMAND_NAME ? String(i.options.getFocused()) : '';
    await i.respond(typed.trim() ? autocompleteChoices(bot.complete(typed, 25)) : []);
  }

  async function onCommand(i: ChatInputCommandInteraction): Promise<void> {
    if (i.commandName !== COMMAND_NAME) {
      await i.reply({
        ...payload(renderReply({ kind: 'error', message: unknownCommand(i.commandName) })),
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const text = i.options.getString(QUERY_OPTION) ?? '';
    // "/apt settings ...": through the state store, and private whatever
    // DISCORD_ANSWER_IN_CHANNEL says; any other query is answered at once.
    const settings = settingsArguments(text) !== undefined;
    const ephemeral = ephemeralByDefault || settings;
    const request = { kind: 'command', text, channel: i.channelId, user: i.user.id } as const;
    await replyNew(
      i,
      async () => {
        const reply = settings
          ? await w.ask({
              ...request,
              ...w.place(i.channelId, i.channel),
              access: settingsAccess(i, w.enrichmentOn()),
            })
          : w.handle(request);
        return renderReply(reply ?? { kind: 'help', topic: 'empty' }, { share: ephemeral });
      },
      ephemeral,
    );
  }

  /**
   * "Not this actor" on an enrichment reply: the core mutes the name in this channel; the
   * presser is told privately, and the reply loses that line (deleted when none is left).
   */
  async function onNotThisActor(i: Component, action: string): Promise<void> {
    const shown = shownActors(customIdsIn(i.message.components.map((row) => row.toJSON())));
    const { notice, lines } = await bot.notThisActor(
      {
        kind: 'action',
        text: action,
        platform: PLATFORM,
        ...w.place(i.channelId, i.channel),
        user: i.user.id,
        access: settingsAccess(i, w.enrichmentOn()),
      },
      shown,
    );
    await replyNew(i, () => renderReply(notice), true);
    if (!lines || i.message.flags.has(MessageFlags.Ephemeral)) return;
    if (lines.actors.length === 0) await i.message.delete();
    else await i.message.edit(payload(renderReply(lines)));
    await w.replies.replyChanged(i.channelId, i.message.id, lines);
  }

  async function onComponent(i: Component): Promise<void> {
    const id = i.isStringSelectMenu() ? (i.values[0] ?? '') : i.customId;
    const { share, action } = parseCustomId(id);
    if (!share && isMuteAction(action)) return onNotThisActor(i, action);
    const reply = await w.ask({
      kind: 'action',
      text: action,
      channel: i.channelId,
      user: i.user.id,
    });
    const answer: Reply = reply ?? { kind: 'error', message: MESSAGES.buttonInvalid };
    if (share) {
      // Post the answer for everyone, saying who shared it (a mention that never pings).
      await replyNew(
        i,
        () => ({ ...renderReply(answer), content: `Shared by <@${i.user.id}>` }),
        false,
      );
      return;
    }
    const onEphemeral = i.message.flags.has(MessageFlags.Ephemeral);
    // Pictures come beside the card they were asked from, never in its place.
    if (onEphemeral && answer.kind !== 'error' && answer.kind !== 'pictures') {
      await updateInPlace(i, () => renderReply(answer, { share: true }));
      return;
    }
    // A button on a public message: answer the presser alone, leaving the message as it is.
    await replyNew(i, () => renderReply(answer, { share: true }), true);
  }

  async function failInteraction(i: Interaction, err: unknown): Promise<void> {
    log.error({ err, interaction: i.id, type: i.type }, 'discord: interaction handler failed');
    try {
      if (i.isAutocomplete()) {
        if (!i.responded) await i.respond([]);
        return;
      }
      if (!i.isRepliable()) return;
      const message = payload(renderReply({ kind: 'error', message: MESSAGES.failed }));
      if (i.deferred || i.replied) await i.followUp({ ...message, flags: MessageFlags.Ephemeral });
      else await i.reply({ ...message, flags: MessageFlags.Ephemeral });
    } catch (replyErr) {
      log.error({ err: replyErr, interaction: i.id }, 'discord: could not send the error reply');
    }
  }

  client.on(Events.InteractionCreate, (i) => {
    const run = async () => {
      if (i.isAutocomplete()) return onAutocomplete(i);
      if (i.isChatInputCommand()) return onCommand(i);
      if (i.isButton() || i.isStringSelectMenu()) return onComponent(i);
    };
    void w.track(() => run().catch((err: unknown) => failInteraction(i, err)));
  });
}
