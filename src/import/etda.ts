/**
 * The ETDA Threat Group Card JSON export -> cards in the seed layout.
 *
 * Every field is taken as written, so rendering the export gives, byte for byte, the cards ETDA's
 * own layout produces (the corpus test checks all 447). Only text that would break a card's
 * markdown structure is touched (see text.ts); the real export has none.
 */
import { type ActorCard, type ExtraSection, emptyCard, type Operation } from '../cards/model.js';
import { parseOperations, splitList } from '../cards/parse.js';
import { formatOperation } from '../cards/render.js';
import { FieldReader, ImportError, isObject, type Json } from './json.js';
import {
  type ImportBatch,
  type ImportedCard,
  MAX_RECORDS,
  normalizeUuid,
  problemList,
} from './model.js';
import { oneLine, safeBlock } from './text.js';

export const ETDA_SOURCE = 'etda';

export interface EtdaOptions {
  /**
   * Add the fields the layout has no section for (information, mitre-attack, playbook,
   * alienvault-otx, and any field this importer does not know) as extra sections after the
   * standard ones. Off by default, so that a card is exactly ETDA's.
   */
  extraSections?: boolean;
}

/** Fields the ETDA layout shows, or that the importer reads. */
const LAYOUT_FIELDS = new Set([
  'actor',
  'names',
  'country',
  'sponsor',
  'motivation',
  'first-seen',
  'description',
  'observed-sectors',
  'observed-countries',
  'tools',
  'operations',
  'counter-operations',
  'uuid',
  'last-card-change',
  // The address of ETDA's listing page, the same on every record.
  'source',
]);

/** Fields with no place in the layout, in the order their extra sections are written. */
export const ETDA_EXTRA_FIELDS: [field: string, heading: string][] = [
  ['information', 'Information'],
  ['mitre-attack', 'MITRE ATT&CK'],
  ['playbook', 'Playbook'],
  ['alienvault-otx', 'AlienVault OTX'],
];

const HOLDER_KEYS = ['values', 'groups', 'cards', 'records', 'data', 'actors'];

/** The records of an export: a bare array, or an object holding one. */
export function etdaRecords(json: Json, what: string): Json[] {
  if (Array.isArray(json)) return json;
  if (isObject(json)) {
    if (typeof json.actor === 'string') return [json];
    for (const key of HOLDER_KEYS) {
      const v = json[key];
      if (Array.isArray(v)) return v;
    }
    const lists = Object.values(json).filter(
      (v): v is Json[] => Array.isArray(v) && v.some((r) => isObject(r) && 'actor' in r),
    );
    if (lists.length === 1 && lists[0]) return lists[0];
  }
  throw new ImportError(
    `${what}: not an ETDA Threat Group Card export: expected a list of records ` +
      `(objects with "actor", "names", "uuid", ...) or an object holding one`,
  );
}

/** Title names: "A, B, C" -> [A, B, C] when that splits back to the same text, else [actor]. */
function titleNames(actor: string): string[] {
  const names = splitList(actor);
  return names.join(', ') === actor ? names : [actor];
}

/**
 * An operation as the card parser will read it (headline, text, sources), when that renders
 * back to exactly "date: activity"; otherwise the activity whole, which renders the same bytes.
 */
function operation(date: string, activity: string): Operation {
  const parsed = parseOperations(`${date}: ${activity}`);
  const op = parsed.length === 1 ? parsed[0] : undefined;
  if (op && op.date === date && formatOperation(op) === `${date}: ${activity}`) return op;
  return { date, title: activity, text: '', sources: [] };
}

/** The description's paragraphs: split as the parser does when that joins back exactly. */
function descriptionParagraphs(text: string): string[] {
  const safe = safeBlock(text);
  if (!safe) return [];
  const blocks = safe
    .split(/\n[ \t]*\n/)
    .map((b) => b.replace(/^\n+|\s+$/g, ''))
    .filter((b) => b.length > 0);
  return blocks.join('\n\n') === safe ? blocks : safe.split('\n\n');
}

function extraBody(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return safeBlock(value);
  if (Array.isArray(value)) {
    return value.map((v) => (typeof v === 'string' ? oneLine(v) : JSON.stringify(v))).join('\n');
  }
  return JSON.stringify(value);
}

const ATTACK_GROUP_RE = /attack\.mitre\.org\/groups\/(G\d{4,})/gi;

/** "https://attack.mitre.org/groups/G0007/" links -> ["G0007"]: actor evidence (src/catalog/actors.ts). */
function attackIds(value: Json | undefined): string[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return [...new Set([...text.matchAll(ATTACK_GROUP_RE)].map((m) => (m[1] ?? '').toUpperCase()))];
}

export function importEtda(json: Json, what: string, options: EtdaOptions = {}): ImportBatch {
  const records = etdaRecords(json, what);
  if (records.length > MAX_RECORDS) {
    throw new ImportError(`${what}: ${records.length} records is over the limit of ${MAX_RECORDS}`);
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  const cards: ImportedCard[] = [];
  const seen = new Map<string, number>();

  records.forEach((record, index) => {
    if (!isObject(record)) {
      problems.push(
        `record ${index}: must be an object (got ${Array.isArray(record) ? 'a list' : typeof record})`,
      );
      return;
    }
    const actorRaw = typeof record.actor === 'string' ? record.actor : '';
    const where = `record ${index}${actorRaw ? ` ("${oneLine(actorRaw).slice(0, 60)}")` : ''}`;
    const r = new FieldReader(record, where, problems);
    const before = problems.length;

    const actor = oneLine(r.string('actor', true));
    if (r.has('actor') && !actor.trim()) problems.push(`${where}: "actor" is empty`);
    const uuidRaw = oneLine(r.string('uuid', true));
    const uuid = normalizeUuid(uuidRaw);
    if (r.has('uuid') && typeof record.uuid === 'string' && !uuid) {
      problems.push(`${where}: "uuid" must be a UUID (got "${uuidRaw.slice(0, 60)}")`);
    }

    const card: ActorCard = emptyCard(uuidRaw);
    card.names = titleNames(actor);
    card.firstSeen = oneLine(r.string('first-seen'));
    card.lastModified = oneLine(r.string('last-card-change'));
    r.objects('names').forEach((n, i) => {
      const name = n.name;
      const giver = n['name-giver'];
      if (typeof name !== 'string') {
        problems.push(`${where}: "names" item ${i} has no "name" text`);
        return;
      }
      if (giver !== undefined && giver !== null && typeof giver !== 'string') {
        problems.push(`${where}: "names" item ${i}: "name-giver" must be text`);
        return;
      }
      card.aliases.push({ name: oneLine(name), vendor: oneLine(giver ?? '') });
    });
    card.description = descriptionParagraphs(r.string('description'));
    card.sponsor = oneLine(r.string('sponsor'));
    card.motivations = r.strings('motivation').map(oneLine);
    card.countries = r.strings('country').map(oneLine);
    card.sectors = r.strings('observed-sectors').map(oneLine);
    card.targets = r.strings('observed-countries').map(oneLine);
    card.tools = r.strings('tools').map(oneLine);
    for (const [field, key] of [
      ['operations', 'operations'],
      ['counter-operations', 'counterOperations'],
    ] as const) {
      r.objects(field).forEach((op, i) => {
        const date = op.date ?? '';
        const activity = op.activity ?? '';
        if (typeof date !== 'string' || typeof activity !== 'string') {
          problems.push(`${where}: "${field}" item ${i} must have text "date" and "activity"`);
          return;
        }
        card[key].push(operation(oneLine(date), safeBlock(activity)));
      });
    }

    if (options.extraSections) {
      const extras: ExtraSection[] = [];
      for (const [field, heading] of ETDA_EXTRA_FIELDS) {
        const body = extraBody(r.raw(field));
        if (body) extras.push({ heading, body });
      }
      for (const field of r.fields()) {
        if (LAYOUT_FIELDS.has(field) || ETDA_EXTRA_FIELDS.some(([f]) => f === field)) continue;
        const body = extraBody(r.raw(field));
        if (body) extras.push({ heading: `ETDA: ${oneLine(field).slice(0, 80)}`, body });
      }
      card.extraSections = extras;
    }

    if (problems.length > before || !uuid) return;
    if (uuidRaw !== uuid && uuidRaw.toLowerCase() !== uuid) {
      warnings.push(`${where}: UUID "${uuidRaw}" contains spaces; the catalog reads it as ${uuid}`);
    }
    const prior = seen.get(uuid);
    if (prior !== undefined) {
      problems.push(`${where}: UUID ${uuid} is also record ${prior}'s`);
      return;
    }
    seen.set(uuid, index);
    const ids = attackIds(r.raw('mitre-attack'));
    cards.push({ index, uuid, card, ...(ids.length ? { ids } : {}) });
  });

  if (problems.length > 0) throw new ImportError(problemList(what, problems));
  return { source: ETDA_SOURCE, cards, warnings };
}
