/**
 * The words every renderer uses for near misses, small talk and status, written once so the
 * console, Slack and Discord say the same thing. Plain text: each renderer escapes it.
 */
import type { CatalogStatus } from '../catalog/status.js';
import type { DeclinedName, Reply, SuggestionRef } from '../core/types.js';
import { parseQuery } from '../search/query.js';
import type { SmallTalk } from '../search/smalltalk.js';

type NoneReply = Extract<Reply, { kind: 'none' }>;

/** Queries are cut in these lines: a reply repeats what was asked, not a whole paste. */
const QUERY_SHOWN = 80;

export function shownQuery(query: string): string {
  return query.length > QUERY_SHOWN ? `${query.slice(0, QUERY_SHOWN - 1)}…` : query;
}

/** "Closest match for "hamer panda": Hammer Panda (NetTraveler)" */
export function closestLine(closest: { query: string; name: string }, title: string): string {
  const shown = closest.name === title ? title : `${closest.name} (${title})`;
  return `Closest match for "${shownQuery(closest.query)}": ${shown}`;
}

/**
 * "Not looked up: "lazarus" (Lazarus Group), in lower case and also an English word; ask
 * /apt lazarus for its card." A mention's names that the casing rule turned down.
 */
export function declinedLine(declined: readonly DeclinedName[], cmd: string): string {
  const names = declined.map((d) => `"${d.written}" (${d.names.slice(0, 2).join(', ')})`);
  const words = declined.length === 1 ? 'an English word' : 'English words';
  const ask =
    declined.length === 1
      ? `${cmd} ${declined[0]?.written} for its card`
      : `${cmd} NAME for a card`;
  return `Not looked up: ${names.join(', ')}, in lower case and also ${words}; ask ${ask}.`;
}

/**
 * "No card for "APT 45"", for an id: "No card has the ATT&CK group id G0007", for filters that
 * nothing passes: "No actor matches "country:atlantis"" (not a name that was missing).
 */
export function noneHeadline(reply: NoneReply): string {
  if (reply.missingId) return `No card has ${reply.missingId}`;
  if (parseQuery(reply.query).filters.length > 0) {
    return `No actor matches "${shownQuery(reply.query)}"`;
  }
  return `No card for "${shownQuery(reply.query)}"`;
}

const REASON_LABELS: Record<NonNullable<SuggestionRef['why']>, string> = {
  'same-prefix': 'same prefix',
  'same-number': 'same number',
  'similar-name': 'similar name',
};

export interface SuggestionGroup {
  /** "same prefix" */
  label: string;
  suggestions: SuggestionRef[];
}

/** Suggestions grouped by why they are offered, in the order first offered. */
export function suggestionGroups(suggestions: readonly SuggestionRef[]): SuggestionGroup[] {
  const groups: SuggestionGroup[] = [];
  for (const s of suggestions) {
    const label = REASON_LABELS[s.why ?? 'similar-name'];
    const group = groups.find((g) => g.label === label);
    if (group) group.suggestions.push(s);
    else groups.push({ label, suggestions: [s] });
  }
  return groups;
}

/** "APT 41", or "Turbine Panda (as Group 13)" when another of its names earned the suggestion. */
export function suggestionName(s: SuggestionRef): string {
  return s.alias ? `${s.name} (as ${s.alias})` : s.name;
}

/** "Did you mean (same prefix): APT 41, APT 42; (same number): Turbine Panda (as Group 13)" */
export function suggestionLines(suggestions: readonly SuggestionRef[]): string[] {
  return suggestionGroups(suggestions).map(
    (g) => `${capitalise(g.label)}: ${g.suggestions.map(suggestionName).join(', ')}`,
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Never a list of actors for "thanks": one short line, and how to ask. */
export function smallTalkLine(mood: SmallTalk, cmd: string): string {
  switch (mood) {
    case 'greeting':
      return `Hello! Ask me about a threat actor, e.g. ${cmd} hammer panda, or ${cmd} help.`;
    case 'thanks':
      return 'You are welcome.';
    case 'farewell':
      return 'Bye!';
    case 'ack':
      return `Ask me about a threat actor any time: ${cmd} <name>, or ${cmd} help.`;
  }
}

/** "447 actors (447 cards) from ETDA; data as of 2023-09 (newest card change 2023-09-07)" */
export function statusLines(status: CatalogStatus): string[] {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const sources =
    status.sources.length === 0
      ? 'no source'
      : status.sources.map((s) => `${s.name} (${plural(s.cards, 'card')})`).join(', ');
  const lines = [
    `${plural(status.actors, 'actor')} from ${plural(status.cards, 'card')}. Sources: ${sources}.`,
    status.newestChange
      ? `Data as of ${status.newestChange.slice(0, 7)} (newest card change: ${status.newestChange}).`
      : 'No card records when it last changed, so the age of the data is unknown.',
  ];
  if (status.skipped > 0) {
    lines.push(
      `${plural(status.skipped, 'file')} skipped as not a card (aptcard validate says why).`,
    );
  }
  return lines;
}
