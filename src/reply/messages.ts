/**
 * The canned things the bot says when it has no answer to give: written once, so every
 * platform (and the core itself) says the same words. Plain text; each renderer escapes it.
 */
export const MESSAGES = {
  /** Something threw while answering: the details are in the log, never in the chat. */
  failed: 'Sorry, something went wrong answering that.',
  /** A long-query button whose query is no longer kept (see src/reply/actions.ts). */
  listExpired: 'That list has expired: run the query again.',
  /** A button value that does not decode (forged, or from an older version). */
  buttonInvalid: 'That button is no longer valid.',
  /** A button or picture request for a card the catalog no longer holds. */
  cardGone: 'That card is no longer in the catalog.',
  /** `/apt settings` or "Not this actor" while the state store cannot answer. */
  settingsUnavailable:
    'The channel settings cannot be read or saved just now (the state store is not answering). Try again in a moment.',
  /** `/apt settings` on a bot that runs no automatic cards at all. */
  noEnrichment: 'This bot posts no automatic cards, so there is nothing to set.',
  /** `/apt settings` where there is no channel (the console chat). */
  settingsNeedChannel:
    'Settings belong to a Slack or Discord channel: use /apt settings there. "aptcard settings" lists the ones changed from chat.',
  /** The platform refused the map and timeline (no permission to post files here, say). */
  picturesFailed: 'Could not post the map and timeline here.',
} as const;

/** A slash command this bot did not register (Discord sends whatever the application has). */
export function unknownCommand(name: string): string {
  return `Unknown command /${name}.`;
}
