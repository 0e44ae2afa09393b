/** A card as Block Kit: header, facts, description, techniques, operations, links, buttons. */
import type { types } from '@slack/bolt';
import type { CardView, OperationView, TextSegment } from '../../src/core/types.js';
import { cardFacts } from '../../src/reply/facts.js';
import { type NextAction, openActions, pageActions, shareOf } from '../../src/reply/next.js';
import { summarizeTechniques } from '../../src/reply/techniques.js';
import { REFERENCES_SHOWN } from '../../src/reply/text.js';
import {
  actions,
  type Buttons,
  context,
  esc,
  type KnownBlock,
  mrkdwn,
  plain,
  section,
} from './blocks.js';
import { BUDGET, LIMITS } from './limits.js';
import { fitText, joinFit, safeLink, truncateEscaped } from './text.js';

/**
 * The "Share in channel" row, when the adapter gave a share value and the reply is an answer
 * the core offers to share (not a question back).
 */
export function shareRow(
  next: readonly NextAction[],
  share: string | undefined,
  buttons: Buttons,
): types.ActionsBlock[] {
  const offer = shareOf(next);
  if (!share || !offer || offer.question) return [];
  const row = actions([buttons.share(share)]);
  return row ? [row] : [];
}

/** Bold a cross-linked name unless its text would break the bold markers. */
function strong(text: string): string {
  const e = esc(text);
  return /[*\n]/.test(text) || !text.trim() ? e : `*${e}*`;
}

function paragraph(segments: readonly TextSegment[]): string {
  return segments.map((s) => (s.kind === 'link' ? strong(s.text) : esc(s.text))).join('');
}

/** Description paragraphs packed into a few sections, shortened past the budget. */
function descriptionBlocks(card: CardView): KnownBlock[] {
  const texts: string[] = [];
  let current = '';
  for (const p of card.description.map(paragraph).filter((t) => t.trim())) {
    const joined = current ? `${current}\n\n${p}` : p;
    if (joined.length <= LIMITS.sectionText) {
      current = joined;
      continue;
    }
    if (current) texts.push(current);
    current = p;
  }
  if (current) texts.push(current);
  const kept = texts.slice(0, BUDGET.descriptionSections);
  if (texts.length > kept.length && kept.length > 0) {
    const last = kept.length - 1;
    kept[last] = truncateEscaped(`${kept[last]} …`, LIMITS.sectionText);
  }
  return kept.map((t) => section(truncateEscaped(t, LIMITS.sectionText)));
}

function sourcesLine(sources: string[], max: number): string {
  const links = sources.map((s) => safeLink(s) ?? fitText(s, 80)).filter(Boolean);
  return joinFit(links.slice(0, BUDGET.opSources), ' · ', max);
}

function operationText(op: OperationView): string {
  const head = [op.date ? `*${esc(op.date)}*` : '', fitText(op.title, BUDGET.opTitle)]
    .filter(Boolean)
    .join('  ');
  const body = op.text ? fitText(op.text, BUDGET.opText) : '';
  const top = [head, body].filter(Boolean).join('\n');
  // Links are never cut in half: whole links that fit, then "+N more".
  const room = LIMITS.sectionText - top.length - 1;
  const links = op.sources.length && room > 20 ? sourcesLine(op.sources, room) : '';
  return [top, links].filter(Boolean).join('\n') || ' ';
}

/** Techniques by tactic (top ones first, "+N more") and software, with the ATT&CK group page. */
function techniquesBlock(card: CardView): KnownBlock | undefined {
  const view = card.techniques;
  const lines: string[] = [];
  if (view.total > 0) {
    const page = view.attackUrl ? safeLink(view.attackUrl) : undefined;
    lines.push(`*ATT&amp;CK techniques* (${view.total})${page ? ` · ${page}` : ''}`);
    const summary = summarizeTechniques(view);
    for (const l of summary.lines) {
      const more = l.more > 0 ? ` (+${l.more})` : '';
      lines.push(`• *${esc(l.tactic)}*: ${fitText(l.items.join(', '), BUDGET.field)}${more}`);
    }
    if (summary.more > 0) lines.push(`+${summary.more} more`);
  }
  if (card.software.length) {
    const names = card.software.map((sw) => esc(sw.id ? `${sw.name} (${sw.id})` : sw.name));
    lines.push(`*Software* (${card.software.length}): ${joinFit(names, ', ', BUDGET.field)}`);
  }
  return lines.length ? section(lines.join('\n')) : undefined;
}

/** The reference count and the first few, each labelled, its link showing the real host. */
function referencesBlock(card: CardView): KnownBlock | undefined {
  if (card.references.length === 0) return undefined;
  const links = card.references.slice(0, REFERENCES_SHOWN).flatMap((r) => {
    const link = safeLink(r.url);
    if (!link) return [];
    return [r.label ? `${fitText(r.label, BUDGET.opTitle)} (${link})` : link];
  });
  const more = card.references.length - links.length;
  return context(
    joinFit([`References (${card.references.length}):`, ...links], ' · ', LIMITS.contextText - 20) +
      (more > 0 ? ` · +${more} more` : ''),
  );
}

/** Every block of a card; `share` is the Share button's value, if it gets one. */
export function cardBlocks(
  card: CardView,
  next: readonly NextAction[],
  share: string | undefined,
  buttons: Buttons,
): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const title = [card.name, ...card.otherNames].join(', ');
  blocks.push({ type: 'header', text: plain(title, LIMITS.headerText) });

  const fields = cardFacts(card)
    .slice(0, LIMITS.fields)
    .map((f) => mrkdwn(`*${f.label}*\n${fitText(f.value, BUDGET.field)}`, LIMITS.fieldText));
  if (fields.length) blocks.push({ type: 'section', fields });

  if (card.aliases.length) {
    const aliases = card.aliases.map((a) =>
      a.vendor ? `${esc(a.name)} (${esc(a.vendor)})` : esc(a.name),
    );
    blocks.push(section(`*Aliases*\n${joinFit(aliases, ', ', BUDGET.aliases)}`));
  }

  blocks.push(...descriptionBlocks(card));
  const attack = techniquesBlock(card);
  if (attack) blocks.push(attack);

  if (card.operationsTotal > 0) {
    blocks.push({ type: 'divider' });
    const page =
      card.operationsPageCount > 1
        ? ` · page ${card.operationsPage + 1} of ${card.operationsPageCount}`
        : '';
    blocks.push(section(`*Operations* (${card.operationsTotal}, newest first${page})`));
    for (const op of card.operations) blocks.push(section(operationText(op)));
    const paging = actions(
      pageActions(next).map((p) =>
        buttons.action(
          p.direction === 'back'
            ? 'Newer operations'
            : `More operations (${p.page + 1}/${p.pages})`,
          p.action,
        ),
      ),
    );
    if (paging) blocks.push(paging);
  }

  if (card.counterOperations.length) {
    const lines = card.counterOperations.slice(0, BUDGET.counterOperations).map((op) => {
      const head = [op.date ? `*${esc(op.date)}*` : '', fitText(op.title, BUDGET.opTitle)]
        .filter(Boolean)
        .join('  ');
      const link = op.sources.map((s) => safeLink(s)).find(Boolean);
      return `• ${head}${link ? ` ${link}` : ''}`;
    });
    const more = card.counterOperations.length - lines.length;
    blocks.push(
      section(
        joinFit(
          [`*Counter operations* (${card.counterOperations.length})`, ...lines],
          '\n',
          LIMITS.sectionText - 20,
        ) + (more > 0 ? `\n+${more} more` : ''),
      ),
    );
  }

  const related = openActions(next, 'related');
  if (related.length) {
    const shown = related.slice(0, BUDGET.related);
    const row = actions(
      shown.map((o) =>
        buttons.action(o.ref.subgroup ? `${o.ref.name} (subgroup)` : o.ref.name, o.action),
      ),
    );
    if (row) {
      const more = related.length - shown.length;
      blocks.push(context(`Related actors${more > 0 ? ` (${more} more not shown)` : ''}:`), row);
    }
  }

  blocks.push(...shareRow(next, share, buttons));

  if (card.alsoNamed?.length) {
    blocks.push(
      context(`That name is also used for: ${card.alsoNamed.map((r) => esc(r.name)).join(', ')}`),
    );
  }
  if (card.sources?.length) {
    const links = card.sources.map((s) => (s.url ? `<${s.url}|${esc(s.label)}>` : esc(s.label)));
    blocks.push(context(`Sources: ${links.join(' · ')}`));
  }

  const references = referencesBlock(card);
  if (references) blocks.push(references);

  const footer = [
    `UUID ${esc(card.uuid)}`,
    card.lastModified ? `source last modified ${esc(card.lastModified)}` : '',
  ].filter(Boolean);
  blocks.push(context(footer.join(' · ')));
  return blocks;
}

/** The notification text of a card: its name, country and a few aliases. */
export function cardFallback(card: CardView): string {
  const bits = [
    card.countries.length ? card.countries.join(', ') : '',
    card.aliases.length
      ? `aka ${card.aliases
          .slice(0, 3)
          .map((a) => a.name)
          .join(', ')}`
      : '',
  ].filter(Boolean);
  return `${card.name}${bits.length ? ` (${bits.join('; ')})` : ''}`;
}
