import type { ActorRef, CompactActor, DeclinedName, Reply } from '../core/types.js';
import { compactKey } from '../search/normalize.js';
import { LIST_PAGE_SIZE } from './build.js';
import { renderCardText } from './card-text.js';
import { compactFacts, refFacts } from './facts.js';
import { HELP_INTRO, helpLines } from './help.js';
import { plainSpans, settingsText } from './settings.js';
import {
  closestLine,
  declinedLine,
  noneHeadline,
  smallTalkLine,
  statusLines,
  suggestionLines,
} from './wording.js';

/** Plain-text rendering for the terminal and the CLI. Pure: reply in, string out. */

export { REFERENCES_SHOWN, renderCardText } from './card-text.js';

/** A name of `ref` that is not the ambiguous query itself (else its UUID), for a hint. */
/**
 * A name to ask again with: the first candidate's name other than the one asked, else the next
 * candidate's ("iridium": Sandworm Team, when the other actor has no other name), else a UUID.
 */
function unambiguousName(refs: readonly ActorRef[], query: string): string {
  const asked = compactKey(query);
  for (const ref of refs) {
    const other = [ref.name, ...ref.aliases].find((n) => compactKey(n) !== asked);
    if (other) return other;
  }
  return refs[0]?.uuid ?? '';
}

export function refLine(ref: ActorRef): string {
  const bits = refFacts(ref).join('; ');
  return bits ? `${ref.name} (${bits})` : ref.name;
}

/** What a pictures reply holds, for a surface that cannot show images. */
function picturesText(reply: Extract<Reply, { kind: 'pictures' }>): string {
  const { name } = reply.actor;
  const kb = (png: Buffer) => `${Math.ceil(png.length / 1024)} KB`;
  return [
    reply.map ? `Targets map of ${name}: PNG, ${kb(reply.map.png)}` : `No targets map of ${name}.`,
    reply.timeline
      ? `Activity timeline of ${name}: PNG, ${kb(reply.timeline.png)}`
      : `No activity timeline of ${name}.`,
    ...(reply.map?.notOnMap.length ? [`Not on the map: ${reply.map.notOnMap.join(', ')}`] : []),
  ].join('\n');
}

export function compactLine(actor: CompactActor): string {
  return `${actor.name}: ${compactFacts(actor).join('; ')}`;
}

/** The text, then the line for a mention's names not looked up (when there are any). */
function withDeclined(text: string, declined: readonly DeclinedName[] | undefined, cmd: string) {
  return declined?.length ? `${text}\n\n${declinedLine(declined, cmd)}` : text;
}

/** `cmd` is how the user invokes the bot here, for help and hints ("/apt" in the console). */
export function renderText(reply: Reply, cmd = '/apt'): string {
  switch (reply.kind) {
    case 'card': {
      const card = withDeclined(renderCardText(reply.card, reply.part), reply.declined, cmd);
      return reply.closest === undefined
        ? card
        : `${closestLine(reply.closest, reply.card.name)}\n\n${card}`;
    }
    case 'ambiguous': {
      const why =
        reply.reason === 'shared-alias'
          ? `"${reply.query}" is a name used for ${reply.candidates.length} different actors:`
          : `"${reply.query}" could be several actors:`;
      return [
        why,
        ...reply.candidates.map((c, i) => `  ${i + 1}. ${refLine(c)}`),
        `Ask again with one of those names, e.g. ${cmd} ${unambiguousName(reply.candidates, reply.query)}`,
      ].join('\n');
    }
    case 'list': {
      const page = reply.pageCount > 1 ? `, page ${reply.page + 1} of ${reply.pageCount}` : '';
      const first = reply.page * LIST_PAGE_SIZE;
      return [
        `${reply.total} actor${reply.total === 1 ? '' : 's'} match "${reply.query}"${page}:`,
        ...reply.items.map((c, i) => `  ${first + i + 1}. ${refLine(c)}`),
      ].join('\n');
    }
    case 'none':
      if (reply.missingId) return `${noneHeadline(reply)}. Try a name or alias, or ${cmd} help.`;
      return reply.suggestions.length
        ? [
            `${noneHeadline(reply)}. Did you mean:`,
            ...suggestionLines(reply.suggestions).map((l) => `  ${l}`),
          ].join('\n')
        : `${noneHeadline(reply)}. Try another name, or ${cmd} help.`;
    case 'smalltalk':
      return smallTalkLine(reply.mood, cmd);
    case 'status':
      return statusLines(reply.status).join('\n');
    case 'help':
      return [
        reply.topic === 'empty' ? `Usage: ${cmd} <actor name or filters>` : HELP_INTRO,
        ...helpLines(cmd).map((s) => `${s.title}:\n${s.lines.map((l) => `  ${l}`).join('\n')}`),
      ].join('\n\n');
    case 'enrichment':
      if (reply.actors.length === 0) return '';
      return withDeclined(
        [
          ...reply.actors.map(compactLine),
          `(full card: ${cmd} ${reply.actors[0]?.name ?? ''})`,
        ].join('\n'),
        reply.declined,
        cmd,
      );
    case 'settings': {
      const t = settingsText(reply, cmd);
      return [
        plainSpans(t.headline),
        ...t.lines.map((l) => `  ${plainSpans(l)}`),
        ...(t.usage ? ['', ...t.usage] : []),
      ].join('\n');
    }
    case 'pictures':
      return picturesText(reply);
    case 'error':
      return `Error: ${reply.message}`;
  }
}
