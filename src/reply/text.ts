import { formatAlias } from '../cards/render.js';
import type {
  ActorRef,
  CardView,
  CompactActor,
  OperationView,
  Reply,
  TextSegment,
} from '../core/types.js';
import { compactKey } from '../search/normalize.js';
import { LIST_PAGE_SIZE } from './build.js';
import { cardFacts, compactFacts, refFacts } from './facts.js';
import { HELP_INTRO, helpLines } from './help.js';
import { plainSpans, settingsText } from './settings.js';
import { summarizeTechniques } from './techniques.js';
import {
  closestLine,
  noneHeadline,
  smallTalkLine,
  statusLines,
  suggestionLines,
} from './wording.js';

/** Plain-text rendering for the terminal and the CLI. Pure: reply in, string out. */

function paragraph(segments: readonly TextSegment[]): string {
  return segments.map((s) => s.text).join('');
}

function field(label: string, values: string | readonly string[]): string | undefined {
  const text = typeof values === 'string' ? values : values.join(', ');
  return text.trim() ? `${label}: ${text}` : undefined;
}

function operation(op: OperationView): string {
  const head = op.date ? `${op.date}  ${op.title}` : op.title;
  return [head, ...(op.text ? [op.text] : []), ...op.sources.map((s) => `  ${s}`)]
    .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))
    .join('\n');
}

/** A name of `ref` that is not the ambiguous query itself (else its UUID), for a hint. */
function unambiguousName(ref: ActorRef | undefined, query: string): string {
  if (!ref) return '';
  const asked = compactKey(query);
  return [ref.name, ...ref.aliases].find((n) => compactKey(n) !== asked) ?? ref.uuid;
}

export function refLine(ref: ActorRef): string {
  const bits = refFacts(ref).join('; ');
  return bits ? `${ref.name} (${bits})` : ref.name;
}

function techniquesText(card: CardView): string {
  const view = card.techniques;
  if (view.total === 0) return '';
  const summary = summarizeTechniques(view);
  const page = view.attackUrl ? ` · ${view.attackUrl}` : '';
  return [
    `ATT&CK techniques: ${view.total}${page}`,
    ...summary.lines.map(
      (l) => `  ${l.tactic}: ${l.items.join(', ')}${l.more > 0 ? ` (+${l.more})` : ''}`,
    ),
    ...(summary.more > 0 ? [`  +${summary.more} more`] : []),
  ].join('\n');
}

/** How many references are listed with their links; the rest are counted. */
export const REFERENCES_SHOWN = 3;

function referencesText(card: CardView): string {
  if (card.references.length === 0) return '';
  const shown = card.references.slice(0, REFERENCES_SHOWN);
  const more = card.references.length - shown.length;
  return [
    `References: ${card.references.length}`,
    ...shown.map((r) => `  - ${r.label ? `${r.label}: ` : ''}${r.url}`),
    ...(more > 0 ? [`  +${more} more`] : []),
  ].join('\n');
}

export function renderCardText(card: CardView): string {
  const title = [card.name, ...card.otherNames].join(', ');
  const lines: (string | undefined)[] = [
    title,
    '='.repeat(Math.min(title.length, 72)),
    field('Aliases', card.aliases.map(formatAlias)),
    ...cardFacts(card).map((f) => field(f.label, f.value)),
    field(
      'Software',
      card.software.map((s) => (s.id ? `${s.id} ${s.name}` : s.name)),
    ),
  ];
  const out = [lines.filter((l) => l !== undefined).join('\n')];
  if (card.description.length) out.push(card.description.map(paragraph).join('\n\n'));
  const techniques = techniquesText(card);
  if (techniques) out.push(techniques);
  if (card.operationsTotal > 0) {
    const page =
      card.operationsPageCount > 1
        ? ` (page ${card.operationsPage + 1} of ${card.operationsPageCount})`
        : '';
    out.push(
      `Operations, newest first: ${card.operationsTotal}${page}\n${card.operations.map(operation).join('\n')}`,
    );
  }
  if (card.counterOperations.length) {
    out.push(`Counter operations:\n${card.counterOperations.map(operation).join('\n')}`);
  }
  if (card.related.length) {
    out.push(
      `Related: ${card.related.map((r) => (r.subgroup ? `${r.name} (subgroup)` : r.name)).join(', ')}`,
    );
  }
  if (card.alsoNamed?.length) {
    out.push(`That name is also used for: ${card.alsoNamed.map(refLine).join('; ')}`);
  }
  if (card.sources?.length) {
    out.push(
      `Sources:\n${card.sources.map((s) => `  - ${s.label}${s.url ? ` ${s.url}` : ''}`).join('\n')}`,
    );
  }
  const references = referencesText(card);
  if (references) out.push(references);
  out.push(
    `UUID ${card.uuid}${card.lastModified ? ` · source last modified ${card.lastModified}` : ''}`,
  );
  return out.join('\n\n');
}

export function compactLine(actor: CompactActor): string {
  return `${actor.name}: ${compactFacts(actor).join('; ')}`;
}

/** `cmd` is how the user invokes the bot here, for help and hints ("/apt" in the console). */
export function renderText(reply: Reply, cmd = '/apt'): string {
  switch (reply.kind) {
    case 'card':
      return reply.closest === undefined
        ? renderCardText(reply.card)
        : `${closestLine(reply.closest, reply.card.name)}\n\n${renderCardText(reply.card)}`;
    case 'ambiguous': {
      const why =
        reply.reason === 'shared-alias'
          ? `"${reply.query}" is a name used for ${reply.candidates.length} different actors:`
          : `"${reply.query}" could be several actors:`;
      return [
        why,
        ...reply.candidates.map((c, i) => `  ${i + 1}. ${refLine(c)}`),
        `Ask again with one of those names, e.g. ${cmd} ${unambiguousName(reply.candidates[0], reply.query)}`,
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
      return [
        ...reply.actors.map(compactLine),
        `(full card: ${cmd} ${reply.actors[0]?.name ?? ''})`,
      ].join('\n');
    case 'settings': {
      const t = settingsText(reply, cmd);
      return [
        plainSpans(t.headline),
        ...t.lines.map((l) => `  ${plainSpans(l)}`),
        ...(t.usage ? ['', ...t.usage] : []),
      ].join('\n');
    }
    case 'error':
      return `Error: ${reply.message}`;
  }
}
