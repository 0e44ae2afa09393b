import type { DiscordMessage } from './render.js';

/**
 * The renderer's JSON, handed to discord.js as already-encoded objects: it sends them as they are
 * instead of rebuilding them through its builders (the renderer's output is checked against
 * those builders and Discord's limits in the unit tests). Saves ~0.1 ms per answer.
 */
export function payload(message: DiscordMessage) {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    embeds: message.embeds.map((e) => ({ toJSON: () => e })),
    components: message.components.map((r) => ({ toJSON: () => r })),
  };
}
