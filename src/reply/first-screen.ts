/**
 * The first screen of a card, decided once for every platform: the same facts in the same order,
 * short enough to read during a call, each shortened list saying how much is left. Renderers
 * (console, Slack blocks, Discord embeds) lay this out; the description and the full lists are
 * one action away (Full card, More operations, Techniques, Sources).
 *
 * What is kept is chosen by relevance, never alphabetically: aliases most used across the sources
 * first (the card view already orders them so), tools named in the latest operations or the
 * description first (`rankTools`).
 */
import type { Alias } from '../cards/model.js';
import type { CardView, OperationView } from '../core/types.js';
import { factText } from './facts.js';
import { summarizeTechniques, type TechniqueSummary } from './techniques.js';

/** A list cut for the first screen: what is shown, and how many are left. */
export interface Shortened<T> {
  items: T[];
  more: number;
}

export interface FirstScreen {
  /** The actor's main names. */
  title: string;
  /** "ETDA, MISP galaxy, MITRE ATT&CK", or '' for a lone local card. */
  sources: string;
  aliases: Shortened<Alias>;
  /** Country, sponsor, motivation, first seen, latest activity: those the card has. */
  facts: { label: string; value: string }[];
  operations: Shortened<OperationView>;
  tools: Shortened<string>;
  /** The top techniques by tactic, when the catalog has them. */
  techniques?: TechniqueSummary & { total: number };
}

export const FIRST_SCREEN = {
  aliases: 8,
  operations: 3,
  tools: 10,
  tactics: 4,
  perTactic: 3,
};

export function shorten<T>(all: readonly T[], max: number): Shortened<T> {
  return { items: all.slice(0, max), more: Math.max(0, all.length - max) };
}

/** "+64 more tools" (or '' when nothing is left out). */
export function moreText(more: number, what: string): string {
  return more > 0 ? `+${more} more ${what}` : '';
}

export function firstScreen(card: CardView, limits = FIRST_SCREEN): FirstScreen {
  const facts: FirstScreen['facts'] = [];
  const fact = (label: string, value: string) => {
    if (value.trim()) facts.push({ label, value });
  };
  fact('Country', factText(card, 'Country'));
  fact('Sponsor', factText(card, 'Sponsor'));
  fact('Motivation', card.motivations.join(', '));
  fact('First seen', card.firstSeen);
  fact('Latest activity', card.latestActivity ?? '');
  // The latest operations are the first page's first ones; a later page is not the first screen.
  const latest = card.operationsPage === 0 ? card.operations : [];
  const operations = shorten(latest, limits.operations);
  operations.more = card.operationsTotal - operations.items.length;
  const screen: FirstScreen = {
    title: [card.name, ...card.otherNames].join(', '),
    sources: (card.sources ?? []).map((s) => s.label).join(', '),
    aliases: shorten(card.aliases, limits.aliases),
    facts,
    operations,
    tools: shorten(card.keyTools ?? card.tools, limits.tools),
  };
  if (card.techniques.total > 0) {
    screen.techniques = {
      ...summarizeTechniques(card.techniques, limits.tactics, limits.perTactic),
      total: card.techniques.total,
    };
  }
  return screen;
}

/** Words of a text, lower-cased, for whole-word matching of tool names. */
function wordText(text: string): string {
  return ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
}

/**
 * Tools in order of relevance: those named in the latest operations (newest first), then those
 * named in the description, then the rest in the card's order. "WannaCry" in Lazarus's latest
 * operations comes before "3proxy". Whole words only, so "RAT" does not match "operator".
 */
export function rankTools(
  tools: readonly string[],
  latestTexts: readonly string[],
  description: readonly string[],
): string[] {
  const texts = [...latestTexts, description.join(' ')].map(wordText);
  const rank = new Map<string, number>();
  for (const tool of tools) {
    const needle = wordText(tool);
    if (needle.trim() === '') continue;
    const at = texts.findIndex((t) => t.includes(needle));
    if (at >= 0) rank.set(tool, at);
  }
  return tools
    .map((tool, i) => ({ tool, i, r: rank.get(tool) ?? texts.length }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((t) => t.tool);
}
