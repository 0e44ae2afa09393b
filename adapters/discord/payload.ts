import { AttachmentBuilder } from 'discord.js';
import type { DiscordMessage } from './render.js';

/**
 * The renderer's JSON, handed to discord.js as already-encoded objects: it sends them as they are
 * instead of rebuilding them through its builders (the renderer's output is checked against
 * those builders and Discord's limits in the unit tests). Saves ~0.1 ms per answer. Files (a
 * card's pictures) go as attachments, which discord.js sends as a multipart request.
 */
export function payload(message: DiscordMessage) {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    embeds: message.embeds.map((e) => ({ toJSON: () => e })),
    components: message.components.map((r) => ({ toJSON: () => r })),
    ...(message.files?.length
      ? {
          files: message.files.map(
            (f) => new AttachmentBuilder(f.data, { name: f.name, description: f.description }),
          ),
        }
      : {}),
  };
}
