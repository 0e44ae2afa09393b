/**
 * discord.js's own check of a message: every embed rebuilt through `EmbedBuilder`'s setters
 * (which validate each length, the field count, the URLs) and measured with `embedLength`, and
 * every row through `ActionRowBuilder` (which validates each button and menu). Beside the
 * project's independent checker (limits.ts): a reply both accept is one Discord will not refuse.
 */
import { ActionRowBuilder, type APIEmbed, EmbedBuilder, embedLength } from 'discord.js';
import type { DiscordMessage } from '../../adapters/discord/render.js';

const MAX_TOTAL = 6000;

function rebuild(e: APIEmbed): EmbedBuilder {
  const b = new EmbedBuilder();
  if (e.title !== undefined) b.setTitle(e.title);
  if (e.url !== undefined) b.setURL(e.url);
  if (e.description !== undefined) b.setDescription(e.description);
  if (e.color !== undefined) b.setColor(e.color);
  if (e.fields !== undefined) b.addFields(e.fields);
  if (e.footer !== undefined) b.setFooter({ text: e.footer.text });
  if (e.image !== undefined) b.setImage(e.image.url);
  return b;
}

/** What discord.js's builders refuse in `message`, one line each; empty when it accepts it. */
export function builderProblems(message: DiscordMessage): string[] {
  const out: string[] = [];
  let total = 0;
  for (const [i, e] of message.embeds.entries()) {
    try {
      const built = rebuild(e).toJSON();
      total += embedLength(built);
    } catch (err) {
      out.push(`embed ${i}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (total > MAX_TOTAL) out.push(`embeds total ${total} > ${MAX_TOTAL}`);
  for (const [i, row] of message.components.entries()) {
    try {
      new ActionRowBuilder(row).toJSON();
    } catch (err) {
      out.push(`row ${i}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return out;
}
