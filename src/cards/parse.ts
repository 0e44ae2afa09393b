import { createRequire } from 'node:module';
import type { Heading, Root, RootContent } from 'mdast';
import { aliasProblem, firstBreach } from './limits.js';
import {
  type ActorCard,
  type Alias,
  type CardLayout,
  emptyCard,
  type KnownSectionKey,
  type Operation,
  type PartId,
  SECTION_HEADINGS,
  type Software,
  type Technique,
} from './model.js';
import { CARD_TRAILER, canonicalOrder, renderPart } from './render.js';

export const MAX_CARD_BYTES = 1024 * 1024;
/** A card that takes longer than this to parse is refused (real cards take a few ms). */
export const PARSE_BUDGET_MS = 2000;

/** A file that is not a card. `line` is 1-based; 0 when the problem is the file as a whole. */
export class CardError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
    this.name = 'CardError';
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TITLE_RE = /^#\s+Threat actor:(.*)$/i;
const FIELD_RE = /^\s*\*\*([^*\n]+?)\*\*\s*:[ \t]?(.*)$/;
/** "2014-08", "2012", "2017 Late", "2019/2020": a date starts with a year and has no colon. */
const OP_HEAD_RE = /^(\d{4}[^:\n]{0,20})?: (.*)$/;
const URL_LINE_RE = /^https?:\/\/\S+$/;

/** Headings accepted for each known section, lower-cased (the canonical one first). */
const HEADING_ALIASES: Record<KnownSectionKey, string[]> = {
  aliases: ['aliases', 'names'],
  description: ['summary'],
  sponsorMotivation: ['sponsor and motivation', 'motivation', 'sponsor'],
  countries: ['country', 'countries of origin', 'origin'],
  sectors: ['sectors', 'targeted sectors', 'observed sectors'],
  targets: ['targeted countries', 'target countries', 'observed countries', 'victim countries'],
  tools: ['tools', 'malware'],
  techniques: ['attack techniques', 'att&ck techniques', 'techniques used'],
  software: ['attack software', 'att&ck software', 'software used'],
  operations: ['operations', 'hacking operations'],
  counterOperations: ['counter operations', 'counter-operations'],
};

const HEADING_LOOKUP = new Map<string, KnownSectionKey>();
for (const [key, canonical] of Object.entries(SECTION_HEADINGS) as [KnownSectionKey, string][]) {
  HEADING_LOOKUP.set(canonical.toLowerCase(), key);
  for (const alt of HEADING_ALIASES[key]) HEADING_LOOKUP.set(alt, key);
}

type MarkdownParser = { parse(text: string): unknown };
let markdown: MarkdownParser | undefined;

/**
 * remark, loaded on the first card parsed: a start served from the caches parses nothing, and
 * remark is about 170 modules (60-200 ms of a CLI command's start). parseCard is synchronous,
 * so this requires the ES modules synchronously (Node >= 20.19; see "engines").
 */
function markdownParser(): MarkdownParser {
  if (!markdown) {
    const require = createRequire(import.meta.url);
    const { unified } = require('unified') as typeof import('unified');
    const remarkParse = (require('remark-parse') as typeof import('remark-parse')).default;
    markdown = unified().use(remarkParse);
  }
  return markdown;
}

/** Split a comma-separated list, ignoring commas inside parentheses ("X (Foo, Bar)"). */
export function splitList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if ((c === ',' && depth === 0) || c === '\n') {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** "APT 21 (Mandiant)" -> name and vendor; the vendor is the last balanced group at the end. */
export function parseAlias(text: string): Alias {
  const s = text.trim();
  if (!s.endsWith(')')) return { name: s, vendor: '' };
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i] === ')') depth++;
    else if (s[i] === '(' && --depth === 0) {
      const name = s.slice(0, i).trim();
      // "(FireEye)" alone is a name, not a vendor with no name; and a group glued to the name,
      // as in "NoName057(16)", is part of it: ETDA always writes "Name (Vendor)".
      const glued = i > 0 && !/\s/.test(s[i - 1] ?? '');
      return name && !glued ? { name, vendor: s.slice(i + 1, -1).trim() } : { name: s, vendor: '' };
    }
  }
  return { name: s, vendor: '' };
}

function parseListSection(body: string): string[] {
  const lines = body.split('\n').filter((l) => l.trim());
  if (lines.length > 0 && lines.every((l) => /^\s*[-*+]\s+/.test(l))) {
    return lines.map((l) => l.replace(/^\s*[-*+]\s+/, '').trim());
  }
  return splitList(body);
}

/** A list marker. The item's text is then trimmed, not matched: `(.*?)\s*$` is quadratic on spaces. */
const ITEM_RE = /^\s*[-*+]\s+/;
/** "T1566.001: name" (ATT&CK ids: T techniques, S software, G groups; ICS and Mobile alike). */
const ATTACK_ID_RE = /^([A-Z]\d{4}(?:\.\d{3})?):\s+(.*)$/;

/** "- T1566.001: Phishing: Spearphishing Attachment [initial-access, execution]" lines. */
export function parseTechniques(body: string): Technique[] {
  return listItems(body).map((item) => {
    const { id, rest } = splitAttackId(item);
    const { name, tactics } = splitTactics(rest);
    return { id, name, tactics };
  });
}

/** "- S0002: Mimikatz" lines. */
export function parseSoftware(body: string): Software[] {
  return listItems(body).map((item) => {
    const { id, rest } = splitAttackId(item);
    return { id, name: rest };
  });
}

/**
 * "Phishing [initial-access, execution]" -> the name and its tactics. Found with lastIndexOf, not
 * a pattern: /^(.*?)\s+\[([^[\]]*)\]$/ retries at every space of a long run.
 */
function splitTactics(text: string): { name: string; tactics: string[] } {
  const open = text.lastIndexOf('[');
  const inner = open >= 0 && text.endsWith(']') ? text.slice(open + 1, -1) : undefined;
  const before = open > 0 ? text.slice(0, open) : '';
  if (inner === undefined || inner.includes(']') || before.trimEnd() === before) {
    return { name: text, tactics: [] };
  }
  return { name: before.trimEnd(), tactics: splitList(inner) };
}

function listItems(body: string): string[] {
  return body.split('\n').flatMap((line) => {
    const m = ITEM_RE.exec(line);
    const item = m ? line.slice(m[0].length).trim() : '';
    return item ? [item] : [];
  });
}

function splitAttackId(item: string): { id: string; rest: string } {
  const m = ATTACK_ID_RE.exec(item);
  return m ? { id: m[1] ?? '', rest: m[2] ?? '' } : { id: '', rest: item };
}

/**
 * `text` without the characters of `chars` at its end. A loop, because a pattern such as
 * /[ \t#]*$/ retries from every character of a long run and takes quadratic time.
 */
function trimEndOf(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}

function trimStartOf(text: string, chars: string): string {
  let start = 0;
  while (start < text.length && chars.includes(text.charAt(start))) start++;
  return text.slice(start);
}

function splitBlocks(body: string): string[] {
  return body
    .split(/\n[ \t]*\n/)
    .map((block) => trimStartOf(block, '\n').trimEnd())
    .filter((block) => block.length > 0);
}

export function parseOperations(body: string): Operation[] {
  return splitBlocks(body).map((block) => {
    const lines = block.split('\n');
    const head = OP_HEAD_RE.exec(lines[0] ?? '');
    const date = head?.[1] ?? '';
    const title = head ? (head[2] ?? '') : (lines[0] ?? '');
    const rest = lines.slice(1);
    let firstSource = rest.length;
    while (firstSource > 0 && URL_LINE_RE.test(rest[firstSource - 1] ?? '')) firstSource--;
    return {
      date: date.trim(),
      title,
      text: rest.slice(0, firstSource).join('\n'),
      sources: rest.slice(firstSource),
    };
  });
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function decode(input: string | Uint8Array, file: string): string {
  if (typeof input === 'string') {
    if (Buffer.byteLength(input, 'utf8') > MAX_CARD_BYTES) {
      throw new CardError(file, 0, `larger than ${MAX_CARD_BYTES} bytes`);
    }
    return input;
  }
  if (input.byteLength > MAX_CARD_BYTES) {
    throw new CardError(file, 0, `larger than ${MAX_CARD_BYTES} bytes`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
  } catch {
    const loose = new TextDecoder('utf-8', { ignoreBOM: true }).decode(input);
    throw new CardError(file, lineOf(loose, loose.indexOf('\uFFFD')), 'not valid UTF-8');
  }
}

/** The names that pass aliasProblem; each other one is reported. */
function usableNames(names: string[], report: (message: string) => void): string[] {
  return names.filter((name) => {
    const problem = aliasProblem(name);
    if (problem) report(problem);
    return !problem;
  });
}

interface RawPart {
  id: PartId;
  start: number;
}

/**
 * Parse one card file. Throws CardError (with file and line) for a file that is not a card:
 * no title, a missing or invalid UUID, over 1 MB, not UTF-8, over a limit of src/cards/limits.ts
 * (lines, nesting, markers), or over its parse budget. Unusable names are warned and dropped.
 */
export function parseCard(
  input: string | Uint8Array,
  file = '<card>',
  warn?: (line: number, message: string) => void,
  budgetMs = PARSE_BUDGET_MS,
): ActorCard {
  const started = performance.now();
  const original = decode(input, file);
  const bom = original.startsWith('\uFEFF');
  let text = bom ? original.slice(1) : original;
  const crlfCount = text.split('\r\n').length - 1;
  const lfCount = text.split('\n').length - 1;
  if (crlfCount > 0) text = text.replace(/\r\n/g, '\n');

  const breach = firstBreach(text);
  if (breach) throw new CardError(file, breach.line, breach.reason);
  const tree = markdownParser().parse(text) as Root;
  const took = performance.now() - started;
  if (took > budgetMs) {
    // The limits above bound every construct known to be slow; this catches any other. A
    // synchronous parse cannot be stopped midway, so the card is refused after the fact.
    throw new CardError(
      file,
      0,
      `took ${Math.round(took)} ms to parse, over the ${budgetMs} ms budget`,
    );
  }
  const card = emptyCard();
  const startOf = (node: RootContent) => node.position?.start.offset ?? 0;
  const endOf = (node: RootContent) => node.position?.end.offset ?? 0;

  const title = tree.children.find((n): n is Heading => n.type === 'heading' && n.depth === 1);
  const titleMatch = title ? TITLE_RE.exec(text.slice(startOf(title), endOf(title))) : null;
  if (!title || !titleMatch) {
    throw new CardError(
      file,
      title ? lineOf(text, startOf(title)) : 1,
      'no title: a card starts with "# Threat actor: NAME, ALIAS, ..."',
    );
  }
  const titleLine = lineOf(text, startOf(title));
  card.names = usableNames(
    splitList(trimEndOf(trimStartOf(titleMatch[1] ?? '', ' \t'), ' \t#')),
    (message) => warn?.(titleLine, `${message}; ignored`),
  );
  if (card.names.length === 0) {
    throw new CardError(file, titleLine, 'no usable name in the title');
  }

  const sectionHeadings = tree.children.filter(
    (n): n is Heading => n.type === 'heading' && n.depth === 2,
  );
  const parts: RawPart[] = [{ id: 'header', start: 0 }];
  const seen = new Set<KnownSectionKey>();
  let uuidLine = 0;

  // Header fields: "**UUID**: ...", one per line, before the first section.
  const headerEnd = sectionHeadings[0] ? startOf(sectionHeadings[0]) : text.length;
  const headerText = text.slice(0, headerEnd);
  headerText.split('\n').forEach((line, i) => {
    const m = FIELD_RE.exec(line);
    if (!m) return;
    const key = (m[1] ?? '').trim().toLowerCase();
    const value = (m[2] ?? '').trim();
    if (key === 'uuid') {
      card.uuid = value;
      uuidLine = i + 1;
    } else if (key === 'first seen') card.firstSeen = value;
    else if (key === 'source last modified' || key === 'last modified') card.lastModified = value;
  });
  if (!card.uuid) {
    throw new CardError(file, 1, 'no UUID: expected a line "**UUID**: xxxxxxxx-xxxx-..."');
  }
  if (!UUID_RE.test(card.uuid)) {
    // Real cards carry typos such as "...17c9 1"; stray spaces are recoverable, the rest is not.
    const compact = card.uuid.replace(/\s+/g, '');
    if (!UUID_RE.test(compact)) {
      throw new CardError(file, uuidLine, `invalid UUID "${card.uuid.slice(0, 60)}"`);
    }
    warn?.(uuidLine, `UUID "${card.uuid}" contains spaces; read as ${compact}`);
    card.uuid = compact;
  }
  card.uuid = card.uuid.toLowerCase();

  sectionHeadings.forEach((heading, i) => {
    const headingText = trimEndOf(
      text.slice(startOf(heading), endOf(heading)).replace(/^#+\s*/, ''),
      ' \t#',
    );
    const next = sectionHeadings[i + 1];
    const body = text
      .slice(endOf(heading), next ? startOf(next) : text.length)
      .replace(/^\s*\n/, '')
      .trimEnd();
    let key = HEADING_LOOKUP.get(headingText.trim().toLowerCase());
    if (key && seen.has(key)) key = undefined; // a repeated section is kept as an extra one
    if (!key) {
      card.extraSections.push({ heading: headingText, body });
      parts.push({ id: `extra:${card.extraSections.length - 1}`, start: startOf(heading) });
      return;
    }
    seen.add(key);
    parts.push({ id: key, start: startOf(heading) });
    fillSection(card, key, body);
    if (key === 'aliases') {
      const line = lineOf(text, startOf(heading));
      const names = usableNames(
        card.aliases.map((a) => a.name),
        (message) => warn?.(line, `alias ${message}; ignored`),
      );
      card.aliases = card.aliases.filter((a) => names.includes(a.name));
      for (const a of card.aliases) {
        if ([...a.name.replace(/[\p{P}\p{Z}\p{Default_Ignorable_Code_Point}]/gu, '')].length === 1)
          warn?.(line, `alias "${a.name}" is one character: found by /apt, never by enrichment`);
      }
    }
  });

  card.layout = layoutOf(card, parts, text, { bom, crlf: crlfCount > 0 });
  if (crlfCount > 0 && crlfCount !== lfCount) {
    // Mixed line ends cannot be re-derived from the fields: keep the file as it was.
    card.layout = { ...(card.layout ?? baseLayout(card)), mixedEol: original };
  }
  return card;
}

function fillSection(card: ActorCard, key: KnownSectionKey, body: string): void {
  switch (key) {
    case 'aliases':
      card.aliases = splitList(body).map(parseAlias);
      return;
    case 'description':
      // Paragraphs split on blank lines, as ETDA writes them; markdown blocks that touch
      // (a paragraph then "1. item") stay in one paragraph.
      card.description = splitBlocks(body);
      return;
    case 'sponsorMotivation':
      for (const line of body.split('\n')) {
        const m = FIELD_RE.exec(line);
        const field = m?.[1]?.trim().toLowerCase();
        if (field === 'sponsor') card.sponsor = (m?.[2] ?? '').trim();
        else if (field === 'motivation' || field === 'motivations') {
          card.motivations = splitList(m?.[2] ?? '');
        }
      }
      return;
    case 'countries':
    case 'sectors':
    case 'targets':
    case 'tools':
      card[key] = parseListSection(body);
      return;
    case 'techniques':
      card.techniques = parseTechniques(body);
      return;
    case 'software':
      card.software = parseSoftware(body);
      return;
    case 'operations':
    case 'counterOperations':
      card[key] = parseOperations(body);
      return;
  }
}

function baseLayout(card: ActorCard): CardLayout {
  return { bom: false, crlf: false, order: canonicalOrder(card), verbatim: {} };
}

/** Record only what the canonical rendering of the fields would not reproduce. */
function layoutOf(
  card: ActorCard,
  parts: RawPart[],
  text: string,
  eol: { bom: boolean; crlf: boolean },
): CardLayout | undefined {
  const verbatim: CardLayout['verbatim'] = {};
  parts.forEach((part, i) => {
    const next = parts[i + 1];
    const raw = text.slice(part.start, next ? next.start : text.length);
    const last = i === parts.length - 1;
    const canonical = renderPart(card, part.id) + (last ? CARD_TRAILER : '');
    if (raw !== canonical) verbatim[part.id] = raw;
  });
  const order = parts.map((p) => p.id);
  const canonicalIds = canonicalOrder(card);
  const sameOrder =
    order.length === canonicalIds.length && order.every((id, i) => id === canonicalIds[i]);
  if (sameOrder && Object.keys(verbatim).length === 0 && !eol.bom && !eol.crlf) return undefined;
  return { bom: eol.bom, crlf: eol.crlf, order, verbatim };
}
